import type { Acceptance, Coverage, LivenessSpec, MessageEvent, Model, StepLabel } from '../../core/model.js'
import { TransitionFailure } from '../../core/model.js'
import type { ClaimProduct, ProductStep } from './claim.js'
import type { PmlStep, PromelaModel } from './model.js'

/**
 * The most processes a `--fair` check follows: each gets one action atom, so the graph keeps two
 * words per step for them. pan's own limit is smaller by default (6, raised with -DNFAIR).
 */
export const FAIR_PROCS = 64

/** The atom: a claim moving alone into a state that does not accept (after the 2 state atoms and the credits). */
const STUCK = 2 + FAIR_PROCS

/** A step of a model checked under weak fairness: the model's own step, and the processes it credits. */
export interface FairStep<A> {
  readonly step: A
  /** Bit p (word p >>> 5) is set when the step counts for process p (see `fairCredits`). */
  readonly credit: Uint32Array
}

/** What a cycle search needs of the model it checks under weak fairness. */
export interface FairBase<A> {
  readonly model: Model<Int32Array, A>
  /** The accepting states: the claim's accept locations, accept labels, or no progress. */
  readonly acceptance: Acceptance<Int32Array>
  /** The system's step inside one of the model's steps, or undefined for a claim moving alone (stuttering). */
  systemStep(step: A): PmlStep | undefined
  /**
   * For a claim moving alone twice in one step (over a stopped system pan moves the claim again in
   * the system's place): whether its first move enters a state that does not accept.
   */
  passesNonAccepting?(step: A): boolean
}

/**
 * A Promela model under pan's weak fairness (`pan -f`): a cycle is a counterexample only if every
 * process is credited on some step of it. This is an input to the fair-cycle search
 * (`core/search/fair-cycles.ts`), not a search of its own: one action atom per process says which
 * steps credit it, and one weak fairness constraint per process (always enabled) asks for a
 * credited step in the cycle; the acceptance condition is an automaton whose steps out of
 * accepting states are accepting. States do not stutter by themselves: the claim product makes its
 * own stuttering steps (the claim moving alone over a stopped system) where pan does. Under -f pan
 * stops counting for good once such a step enters a state that does not accept (it marks the
 * following steps as stuttering, where its first rule never applies), so the automaton moves to a
 * state without acceptance there: a stuttering cycle is a counterexample only when every state on
 * the way into it and in it accepts.
 *
 * The cycle search runs on the fly (`core/search/fair-on-the-fly.ts`), stopping at the first fair
 * accepting cycle as pan does. Cost: the graph built so far, with three words of atoms per step.
 */
export function fairModel<A>(base: FairBase<A>): Model<Int32Array, FairStep<A>> & { readonly language: 'promela'; readonly base: Model<Int32Array, A> } {
  const m = base.model
  const words = FAIR_PROCS >>> 5
  const liveness: LivenessSpec<Int32Array, FairStep<A>> = {
    stateAtoms: [
      { name: 'accepting', holds: (v) => base.acceptance.accepting(v) },
      { name: 'true', holds: () => true },
    ],
    actionAtoms: [
      ...Array.from({ length: FAIR_PROCS }, (_, p) => ({
        name: `credits process ${p}`,
        holds: (_from: Int32Array, action: FairStep<A> | undefined) => action !== undefined && (action.credit[p >>> 5]! & (1 << (p & 31))) !== 0,
      })),
      {
        name: 'the claim moves alone into a state that does not accept',
        holds: (_from: Int32Array, action: FairStep<A> | undefined, to: Int32Array) => action !== undefined && base.systemStep(action.step) === undefined && (!base.acceptance.accepting(to) || base.passesNonAccepting?.(action.step) === true),
      },
    ],
    fairness: Array.from({ length: FAIR_PROCS }, (_, p) => ({ name: `process ${p}`, strong: false, enabled: 1, taken: p })),
    properties: [
      {
        name: base.acceptance.name,
        violation: { kind: base.acceptance.violation, message: `${cycleWords(base.acceptance)} (every process credited in it: weak fairness)` },
        violations: {
          // State 0: steps out of accepting states accept. State 1, for good: the claim moved alone
          // into a state that does not accept (the atom after the state atoms and the credits).
          stateCount: 2,
          initial: [0],
          edges: [
            [
              { guard: { pos: [0], neg: [STUCK] }, to: 0, acc: [0] },
              { guard: { pos: [], neg: [0, STUCK] }, to: 0, acc: [] },
              { guard: { pos: [STUCK], neg: [] }, to: 1, acc: [] },
            ],
            [{ guard: { pos: [], neg: [] }, to: 1, acc: [] }],
          ],
          acceptanceSets: 1,
        },
      },
    ],
    stutters: false,
    onTheFly: true,
  }
  return {
    language: 'promela',
    base: m,
    name: m.name,
    depthUnit: 'steps',
    initStates: () => m.initStates(),
    actions: (v) => {
      const steps = m.actions(v)
      const credits = fairCredits(v[0]!, steps.map((s) => base.systemStep(s)), words)
      return steps.map((step, i) => ({ step, credit: credits[i]! }))
    },
    nextState: (v, a) => m.nextState(v, a.step),
    properties: () => m.properties().filter((p) => p.kind !== 'acceptance'),
    encode: (v) => m.encode(v),
    ...(m.decode ? { decode: (b: Uint8Array) => m.decode!(b) } : {}),
    label: (v, a): StepLabel => m.label(v, a.step),
    view: (v) => m.view(v),
    messages: (v, a): readonly MessageEvent[] => m.messages?.(v, a.step) ?? [],
    ...(m.coverage ? { coverage: (): Coverage<Int32Array, FairStep<A>> => fairCoverage(m.coverage!()) } : {}),
    stepWeight: (v, a) => m.stepWeight?.(v, a.step) ?? 1,
    output: (v, a) => m.output?.(v, a.step),
    liveness,
  }
}

function fairCoverage<A>(c: Coverage<Int32Array, A>): Coverage<Int32Array, FairStep<A>> {
  return { items: c.items, fired: (v, a) => c.fired(v, a.step) }
}

/** The NDFS's words for an accepting cycle, so that both searches report a cycle alike. */
function cycleWords(acceptance: Acceptance<Int32Array>): string {
  return `an accepting cycle of '${acceptance.name}': a behaviour passes through accepting states forever`
}

/** Whether move i of a step offers a rendezvous (the next move is another process's receive). */
function offersRendezvous(step: PmlStep, i: number): boolean {
  const a = step.moves[i]
  const b = step.moves[i + 1]
  return a !== undefined && b !== undefined && a.t.kind === 'send' && b.t.kind === 'receive' && b.pid !== a.pid
}

/**
 * Which processes each step out of a state credits, as pan's fairness counter does (pan.c, the
 * rules of its Choueka-style counter under -f). A process is credited
 * - by its own moves: the first move of a step, or a move it makes later in the same step while it
 *   keeps atomic control; not by receiving a rendezvous (pan applies its rule to nobody between the
 *   halves of a rendezvous);
 * - by every step out of a state where it cannot move: it has no step there, or only rendezvous
 *   offers, which pan does not count as moving (a process waiting to receive a rendezvous, or to
 *   send one, is blocked in this sense even when the handshake can happen);
 * - by a claim moving alone (pan's default move when all processes block), and always when it does
 *   not exist.
 * `systemSteps[i]` is undefined for a claim moving alone. Returns one bit set per step.
 */
export function fairCredits(nprocs: number, systemSteps: readonly (PmlStep | undefined)[], words: number): Uint32Array[] {
  if (nprocs > words * 32) {
    throw new TransitionFailure('runtime-error', 'fairness', `weak fairness follows at most ${words * 32} processes; this state has ${nprocs}`)
  }
  // The processes that cannot move here: they are credited by every step.
  const blocked = new Uint32Array(words)
  for (let p = 0; p < words * 32; p++) blocked[p >>> 5]! |= 1 << (p & 31)
  for (const s of systemSteps) {
    if (!s || offersRendezvous(s, 0)) continue
    const first = s.moves[0]!.pid
    blocked[first >>> 5]! &= ~(1 << (first & 31))
  }
  return systemSteps.map((s) => {
    if (!s) return new Uint32Array(words).fill(0xffffffff)
    const credit = blocked.slice()
    s.moves.forEach((mv, i) => {
      if (i === 0 || !offersRendezvous(s, i - 1)) credit[mv.pid >>> 5]! |= 1 << (mv.pid & 31)
    })
    return credit
  })
}

/** A claim product (an ltl formula, a never claim, or pan -l's non-progress claim) under weak fairness. */
export function fairProduct(product: ClaimProduct): ReturnType<typeof fairModel<ProductStep>> {
  return fairModel({
    model: product,
    acceptance: product.properties()[0]!,
    systemStep: (s) => s.system,
    passesNonAccepting: (s) => s.stutter !== undefined && !product.claim.locations[s.claim.to]!.accept,
  })
}

/** A model's accept labels (pan -a without a claim) under weak fairness. */
export function fairAcceptLabels(model: PromelaModel): ReturnType<typeof fairModel<PmlStep>> {
  return fairModel({ model, acceptance: model.acceptLabels(), systemStep: (s) => s })
}
