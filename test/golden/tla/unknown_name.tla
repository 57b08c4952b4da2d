\* expect: verdict=error code=TLA101 exit=2
---- MODULE unknown_name ----
EXTENDS Naturals
VARIABLE count
Init == count = 0
Next == count' = cuont + 1
====
