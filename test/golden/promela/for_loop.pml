/* expect: verdict=violation kind=assertion length=15 exit=1 */
/* A for loop's steps read as the statements they stand for: the start, the test, the increment, the exit. */
byte a[3]; byte s;
active proctype P() {
  byte i;
  for (i : 0 .. 2) {
    a[i] = i + 1;
    s = s + a[i]
  }
  assert(s != 6)
}
