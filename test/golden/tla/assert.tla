\* expect: verdict=violation kind=assertion length=2 exit=1
---- MODULE assert ----
EXTENDS Naturals, TLC
VARIABLE x
Init == x = 0
Next == /\ Assert(x < 1, "x has reached 1")
        /\ x' = x + 1
====
