\* expect: verdict=violation kind=runtime-error length=1 exit=1
---- MODULE enumerate_nat ----
EXTENDS Naturals
VARIABLE x
Init == x = 0
Next == \E n \in Nat : x' = n
====
