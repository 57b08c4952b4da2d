\* expect: verdict=violation kind=invariant name=Small length=4 exit=1
---- MODULE invariant_alias ----
EXTENDS Naturals, Sequences
VARIABLES n, log
Init == n = 0 /\ log = <<>>
Inc == n' = n + 1 /\ log' = Append(log, [step |-> n, note |-> "inc"])
Next == Inc
Small == n < 3
\* TLC prints the fields in the order they are written here, not sorted.
Alias == [last |-> IF log = <<>> THEN "none" ELSE log[Len(log)].note, count |-> n]
====
