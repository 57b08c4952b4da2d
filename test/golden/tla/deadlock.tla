\* expect: verdict=violation kind=deadlock length=2 exit=1
---- MODULE deadlock ----
EXTENDS Naturals
VARIABLE x
Init == x \in {0, 1}
Next == x < 2 /\ x' = x + 1
====
