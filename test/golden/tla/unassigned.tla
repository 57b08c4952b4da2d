\* expect: verdict=violation kind=runtime-error length=1 exit=1
---- MODULE unassigned ----
VARIABLES x, y
Init == x = 0 /\ y = 0
Next == x' = 1
====
