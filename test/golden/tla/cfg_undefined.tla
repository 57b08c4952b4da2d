\* expect: verdict=error code=TLA135 exit=2
---- MODULE cfg_undefined ----
VARIABLE x
Init == x = 0
Next == x' = x
TypeOK == x \in {0}
====
