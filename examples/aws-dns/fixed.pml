/*
 * The DynamoDB DNS race of October 2025, fixed: an enactor checks and applies in one atomic step,
 * so the current plan only moves forward and a clean-up never deletes it.
 *
 * A planner produces DNS plans 1..PLANS into a queue. Each enactor takes the plan at the head of
 * the queue, checks that it is newer than the active plan, applies it in a separate step, then
 * cleans up every plan at least KEEP generations older than the one it applied. A stale enactor
 * can check an old plan, stall, and apply it after a newer one was applied; the other enactor's
 * clean-up then deletes the plan that is active, and the DNS records are gone.
 *
 *   weft check examples/aws-dns/fixed.pml
 *   weft check examples/aws-dns/fixed.pml -D ENACTORS=3 -D PLANS=4
 *
 * race.pml is the version with the race.
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
bool deleted[PLANS + 1];     /* deleted[p]: plan p was cleaned up */

active proctype Planner()
{
	byte p = 1;
	do
	:: p <= PLANS -> queue!p; p++
	:: else -> break
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

/* The property: the active plan is never a deleted one. */
ltl never_delete_active { [] !deleted[current] }
