\* expect: verdict=violation kind=runtime-error length=3 exit=1
---- MODULE domain ----
EXTENDS Naturals
VARIABLE x
Init == x = 1
Next == x' = <<2, 3>>[x]
====
