---------------------------- MODULE DnsFixed ----------------------------
(***************************************************************************)
(* The fix: the check and the apply are one atomic step. An enactor        *)
(* applies its plan only if it is still newer than the active plan at the *)
(* moment it applies it, and drops it otherwise; the active plan then only *)
(* ever grows, and no clean-up can reach it.                               *)
(***************************************************************************)
EXTENDS DnsRace

CheckAndApply(e) ==
    /\ pc[e] = "ready"
    /\ IF plan[e] > active
         THEN /\ active' = plan[e]
              /\ pc' = [pc EXCEPT ![e] = "applied"]
              /\ UNCHANGED plan
         ELSE /\ pc' = [pc EXCEPT ![e] = "idle"]
              /\ plan' = [plan EXCEPT ![e] = 0]
              /\ UNCHANGED active
    /\ UNCHANGED <<next, queue, deleted>>

FixedNext ==
    \/ Produce
    \/ \E e \in Enactors : Receive(e)
    \/ \E e \in Enactors : CheckAndApply(e)
    \/ \E e \in Enactors : Cleanup(e)
    \/ Done
=============================================================================
