/* expect: verdict=violation kind=ltl name=never_0 length=3 exit=1 */
/* A never claim written by hand, whose moves change lines: it ends when x is 2 right after being 1. */
byte x;
active proctype P() { x = 1; d_step { x = 2; printf("x is %d\n", x) }; x = 3 }
never {
  do
  :: x == 1 -> break
  :: else
  od;
  x == 2
}
