\* expect: verdict=error code=TLA133 exit=2
---- MODULE no_value ----
CONSTANT N
VARIABLE x
Init == x = N
Next == x' = x
====
