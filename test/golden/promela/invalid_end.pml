/* expect: verdict=violation kind=invalid-end-state length=3 exit=1 */
/* Two processes take two locks in opposite orders: each holds one and waits for the other. */
bool a, b;
active proctype P() { atomic { !a -> a = true }; atomic { !b -> b = true }; a = false; b = false }
active proctype Q() { atomic { !b -> b = true }; atomic { !a -> a = true }; b = false; a = false }
