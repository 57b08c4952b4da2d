/* expect: verdict=violation kind=assertion length=2 exit=1 */
/* An assertion that fails when the checker runs after one increment, not zero or two. */
byte x;
active proctype Inc() { x = x + 1; x = x + 1 }
active proctype Check() { assert(x != 1) }
