\* expect: verdict=violation kind=invariant name=Safe length=2 exit=1
---- MODULE explain_quantifier ----
EXTENDS Naturals
CONSTANTS Procs
VARIABLES x, pc
Init == x = 0 /\ pc = [p \in Procs |-> "idle"]
Next == \E p \in Procs : pc[p] = "idle" /\ pc' = [pc EXCEPT ![p] = "busy"] /\ x' = x + 1
Bounded(n) == n <= 3
AllIdle == \A p \in Procs : pc[p] = "idle" \/ x > 1
Safe == /\ x \in Nat
        /\ Bounded(x)
        /\ AllIdle
====
