\* expect: verdict=error code=TLA102 exit=2
---- MODULE arity ----
EXTENDS Naturals
VARIABLE x
Add(a, b) == a + b
Init == x = 0
Next == x' = Add(x)
====
