/* expect: verdict=violation kind=assertion length=4 exit=1 */
/* A request and its reply through a rendezvous channel; the server adds 2 where the client expects 1. */
mtype = { ping, pong };
chan c = [0] of { mtype, byte };
byte got;
active proctype Client() { c!ping,7; c?pong,got; printf("got %d\n", got); assert(got == 8) }
active proctype Server() { byte n; c?ping,n; c!pong,n+2 }
