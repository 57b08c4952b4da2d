\* expect: verdict=error code=TLA111 exit=2
---- MODULE missing_module ----
EXTENDS Naturals, Paxos
VARIABLE x
Init == x = 0
Next == x' = x
====
