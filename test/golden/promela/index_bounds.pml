/* expect: verdict=violation kind=runtime-error length=11 exit=1 */
/* The loop bound is one too many: the fourth write indexes past the array. */
byte a[3];
active proctype W() { byte i; do :: i <= 3 -> a[i] = i; i++ :: i > 3 -> break od }
