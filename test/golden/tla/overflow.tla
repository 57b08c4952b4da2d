\* expect: verdict=violation kind=runtime-error length=2 exit=1
---- MODULE overflow ----
EXTENDS Naturals
VARIABLE x
Init == x = 2147483646
Next == x' = x + 1
====
