/* expect: verdict=violation kind=ltl name=finish length=7 exit=1 */
/* A loop that may go round forever without setting done: an accepting cycle of the claim for <> done. */
byte n;
bool done;
active proctype Loop() { do :: n < 2 -> n++ :: n == 2 -> n = 0 :: n == 1 -> done = true; break od }
ltl finish { <> done }
