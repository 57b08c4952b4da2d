---------------------------- MODULE DnsRace ----------------------------
(***************************************************************************)
(* The DynamoDB DNS race of October 2025.                                  *)
(*                                                                         *)
(* A planner produces DNS plans 1..Plans into a queue, oldest first. Each  *)
(* enactor receives the plan at the head of the queue and keeps it only if *)
(* it is newer than the active plan; later, in a step of its own, it      *)
(* applies it, making it active; then it cleans up, deleting every plan at *)
(* least Keep generations older than the one it applied. An enactor that  *)
(* stalls between its check and its apply makes a stale plan active after *)
(* another enactor has applied a newer one, whose clean-up then deletes   *)
(* the active plan: the DNS records are gone.                              *)
(***************************************************************************)
EXTENDS Naturals, Sequences

CONSTANTS Enactors, Plans, Keep

VARIABLES
    next,     \* the next plan the planner will produce
    queue,    \* plans produced and not yet received, oldest first
    active,   \* the plan the DNS records come from (0: none yet)
    deleted,  \* plans deleted by clean-ups
    pc,       \* each enactor: "idle", "ready" (holds a checked plan) or "applied"
    plan      \* the plan each enactor holds (0: none)

vars == <<next, queue, active, deleted, pc, plan>>

Init ==
    /\ next = 1
    /\ queue = <<>>
    /\ active = 0
    /\ deleted = {}
    /\ pc = [e \in Enactors |-> "idle"]
    /\ plan = [e \in Enactors |-> 0]

Produce ==
    /\ next <= Plans
    /\ next' = next + 1
    /\ queue' = Append(queue, next)
    /\ UNCHANGED <<active, deleted, pc, plan>>

\* Receive the head of the queue; keep it only if it is newer than the active plan.
Receive(e) ==
    /\ pc[e] = "idle"
    /\ queue # <<>>
    /\ queue' = Tail(queue)
    /\ IF Head(queue) > active
         THEN /\ pc' = [pc EXCEPT ![e] = "ready"]
              /\ plan' = [plan EXCEPT ![e] = Head(queue)]
         ELSE UNCHANGED <<pc, plan>>
    /\ UNCHANGED <<next, active, deleted>>

\* Apply the plan checked at receipt, however long ago that was.
Apply(e) ==
    /\ pc[e] = "ready"
    /\ active' = plan[e]
    /\ pc' = [pc EXCEPT ![e] = "applied"]
    /\ UNCHANGED <<next, queue, deleted, plan>>

\* Delete every plan at least Keep generations older than the one applied.
Cleanup(e) ==
    /\ pc[e] = "applied"
    /\ deleted' = deleted \cup (1 .. (plan[e] - Keep))
    /\ pc' = [pc EXCEPT ![e] = "idle"]
    /\ plan' = [plan EXCEPT ![e] = 0]
    /\ UNCHANGED <<next, queue, active>>

\* Every plan produced and handled: the system stops (and is not deadlocked).
Done ==
    /\ next > Plans
    /\ queue = <<>>
    /\ \A e \in Enactors : pc[e] = "idle"
    /\ UNCHANGED vars

Next ==
    \/ Produce
    \/ \E e \in Enactors : Receive(e)
    \/ \E e \in Enactors : Apply(e)
    \/ \E e \in Enactors : Cleanup(e)
    \/ Done

TypeOK ==
    /\ next \in 1 .. (Plans + 1)
    /\ active \in 0 .. Plans
    /\ deleted \subseteq 1 .. Plans
    /\ pc \in [Enactors -> {"idle", "ready", "applied"}]

ActivePlanNotDeleted == active \notin deleted
=============================================================================
