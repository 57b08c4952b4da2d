\* expect: verdict=error code=TLA001 exit=2
---- MODULE parse_error ----
VARIABLE x
Init == x = = 1
Next == x' = x
====
