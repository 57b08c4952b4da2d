/* expect: verdict=violation kind=assertion length=16 exit=1 */
/* Messages with an mtype and a value through a buffered channel, taken only when it is full, and a local channel. */
mtype = { req, ack };
chan q = [2] of { mtype, byte };
active proctype Sender() { byte i; do :: i < 3 -> q!req,i; i++ :: else -> break od }
active proctype Receiver() {
  chan log = [3] of { byte };
  mtype m; byte v;
end:
  do :: full(q) -> q?m,v; log!v; assert(v < 1) od
}
