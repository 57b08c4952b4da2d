/*
 * Progress of the fixed DNS model (fixed.pml): every plan the planner produces is eventually
 * active or superseded. The planner keeps running after its last plan (it goes on watching the
 * endpoints' health), as the real planner does; the enactors are as in fixed.pml.
 *
 * Without fairness a scheduler may run the planner forever and never an enactor, so a produced
 * plan waits in the queue forever and the property fails, with a lasso: a prefix that produces a
 * plan, then a cycle in which only the planner moves. Under weak fairness (pan -f, weft --fair)
 * an enactor that can take a plan eventually does, and the property holds:
 *
 *   weft check examples/aws-dns/progress.pml          # violated: an enactor starves
 *   weft check examples/aws-dns/progress.pml --fair   # holds
 *
 * SPIN agrees: spin -a progress.pml; gcc -DNOREDUCE -o pan pan.c; ./pan -a (acceptance cycle),
 * ./pan -a -f (no errors).
 */
#ifndef ENACTORS
#define ENACTORS 2
#endif
#ifndef PLANS
#define PLANS 3
#endif
#ifndef KEEP
#define KEEP 1
#endif

chan queue = [PLANS] of { byte };
byte current;    /* the active plan: the DNS records come from (0: none yet) */
byte produced;   /* the newest plan the planner has produced */
bool deleted[PLANS + 1];     /* deleted[p]: plan p was cleaned up */
bit healthy;     /* what the planner's health watch last saw */

active proctype Planner()
{
	do
	:: produced < PLANS -> atomic { queue!produced + 1; produced++ }
	:: else -> healthy = 1 - healthy   /* all plans out: keep watching the endpoints */
	od
}

active [ENACTORS] proctype Enactor()
{
	byte plan, old;
end:
	do
	:: queue?plan ->
		if
		:: atomic { plan > current -> current = plan }   /* check and apply, in one step */
			d_step {                 /* clean up: delete plans KEEP or more generations older */
				old = 1;
				do
				:: old + KEEP <= plan -> deleted[old] = true; old++
				:: else -> break
				od;
				old = 0
			}
		:: else                      /* stale: drop it */
		fi
	od
}

/* Safety, as in fixed.pml: the active plan is never a deleted one. */
ltl never_delete_active { [] !deleted[current] }
/* Progress: whenever a plan is newer than the active one, the active plan eventually catches up. */
ltl plans_handled { [] (produced > current -> <> (current >= produced)) }
