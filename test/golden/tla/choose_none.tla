\* expect: verdict=violation kind=runtime-error length=2 exit=1
---- MODULE choose_none ----
EXTENDS Naturals
VARIABLE x
Init == x = 0
Next == x' = CHOOSE v \in {1, 2} : v > x + 1
====
