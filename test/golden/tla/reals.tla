\* expect: verdict=error code=TLA110 exit=2
---- MODULE reals ----
EXTENDS Reals
VARIABLE x
Init == x = 0
Next == x' = x
====
