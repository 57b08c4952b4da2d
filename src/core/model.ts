import type { Span } from '../diag/span.js'
import type { Path } from './path.js'

/** Where `Model.successorsEncoded` writes the successors of a state. */
export interface SuccessorSink {
  /**
   * Adds the successor reached by the action with index `action`, `length` bytes long: returns the
   * offset in `bytes` at which to write those bytes, before the next `add`.
   */
  add(action: number, length: number): number
  /** The buffer to write into; `add` may replace it with a bigger one, so read it after each `add`. */
  readonly bytes: Uint8Array
}

/** What a model's own trace layout is given (see `Model.renderTrace`). */
export interface TraceRenderOptions {
  /** The text of a source file, for locations. */
  readonly sources?: (file: string) => string | undefined
  /** What the failing step reports, when the last step itself failed. */
  readonly failure?: string
  /** For a lasso: the index (from 0) of the state where the cycle starts. */
  readonly loop?: number
  /** The violation the trace leads to, when there is one. */
  readonly violation?: { readonly kind: string; readonly name: string; readonly message: string }
  /** For a layout that prints whole states (TLC's): print only what each step changes. */
  readonly changesOnly?: boolean
}

/** A point in a source file by line and column (1-based), e.g. from a stack trace. */
export interface SourcePoint {
  readonly file: string
  readonly line: number
  readonly col: number
}

/** What a step shows in a trace: the process or action that took it, and where it is in the source. */
export interface StepLabel {
  /** The action's name, e.g. `apply` or a Promela statement's text. */
  readonly action: string
  /** The process (or process-like parameter) that took the step, e.g. `enactor 2`. */
  readonly process?: string
  readonly span?: Span
  /**
   * Where the step is when only a file, line and column are known, not the source text (a
   * TypeScript action, from a stack trace); `span` wins when both are given.
   */
  readonly at?: SourcePoint
  /**
   * The step is a property monitor's (a never claim's), not a process's: sequence diagrams give it
   * no lifeline and mark the process step before it instead.
   */
  readonly monitor?: boolean
}

/**
 * A message a step sends or receives (a Promela channel operation), for sequence diagrams. A
 * rendezvous is a send and its receive in the same step.
 */
export interface MessageEvent {
  readonly kind: 'send' | 'receive'
  /** The channel as the model names it, e.g. `queue` or `chan 2`. */
  readonly channel: string
  /** The process that sends or receives, named as `StepLabel.process` names it. */
  readonly process: string
  /** The message's fields as text, e.g. `1` or `req,3`. */
  readonly message: string
  readonly rendezvous: boolean
}

/** Something a check can count as fired: an action, a Promela statement, a TLA+ disjunct. */
export interface CoverageItem {
  /** What fired, e.g. an action's name or a statement's text. */
  readonly name: string
  /** Where it belongs, e.g. a proctype. */
  readonly group?: string
  readonly span?: Span
}

/** How a model's steps map to its coverage items; see `Model.coverage`. */
export interface Coverage<S, A> {
  /** Every item, in source order; `fired` returns indices into this list. */
  readonly items: readonly CoverageItem[]
  /** The items a step fires (a Promela atomic sequence fires several). Called once per successor, only with --coverage. */
  fired(state: S, action: A): readonly number[]
}

/**
 * One line of an explanation: a sub-term of the violated property and its value in the failing
 * state, both in the model's own syntax.
 */
export interface ExplainedTerm {
  /** Nesting: 0 for the property's own terms, 1 for their parts, and so on. */
  readonly depth: number
  /** The sub-term as written in the model, e.g. `active \notin deleted`, `s.deleted` or `x == y`. */
  readonly term: string
  /** Its value, e.g. `FALSE`, `[1]`; absent for a line that only introduces what follows (a definition). */
  readonly value?: string
  /** A remark, e.g. `the first conjunct that is FALSE`. */
  readonly note?: string
}

/** Why a property failed, for the reader of a counterexample (see `Model.explain`). */
export interface Explanation {
  /** What is explained and where, completing `Why …:`, e.g. `invariant 'Inv' fails in state 8`. */
  readonly title: string
  readonly terms: readonly ExplainedTerm[]
}

/** The violation a trace leads to, as the engine names it. */
export interface ViolationInfo {
  readonly kind: string
  readonly name: string
  readonly message: string
}

/** A named state predicate that must hold in every reachable state. */
export interface Invariant<S> {
  readonly kind: 'invariant'
  readonly name: string
  holds(state: S): boolean
  readonly span?: Span
  /** The violation kind to report (default `invariant`; TLA+ `[]P` properties are `property`). */
  readonly violation?: 'invariant' | 'property'
  /** Checked on the initial states only (the state-level part of a TLA+ temporal property). */
  readonly initialOnly?: boolean
}

/**
 * A predicate of each step (TLA+ `[][A]_v` properties): checked on every transition the search
 * generates within the constraints, to a new state or to one already seen.
 */
export interface StepProperty<S> {
  readonly kind: 'step'
  readonly name: string
  holds(from: S, to: S): boolean
  readonly span?: Span
}

/**
 * A Büchi acceptance condition (from a never claim, an LTL formula or accept labels): a behaviour
 * that passes through accepting states infinitely often violates the property.
 */
export interface Acceptance<S> {
  readonly kind: 'acceptance'
  readonly name: string
  /** The violation kind an accepting cycle is reported as (`ltl`, `acceptance-cycle`, `non-progress-cycle`). */
  readonly violation: 'ltl' | 'acceptance-cycle' | 'non-progress-cycle' | 'property'
  accepting(state: S): boolean
}

export type Property<S> = Invariant<S> | Acceptance<S> | StepProperty<S>

/** A state's own bytes and their inverse, for moving states between threads (`Model.transfer`). */
export interface StateTransfer<S> {
  /** May return a view of a reused buffer, used before the next call. */
  encode(state: S): Uint8Array
  /** The argument is only valid during the call. */
  decode(bytes: Uint8Array): S
}

/** How terminal states (no enabled action) are judged. Without it, every terminal state is a deadlock. */
export interface EndStates<S> {
  /** The violation kind a bad terminal state is reported as. */
  readonly kind: 'deadlock' | 'invalid-end-state'
  /** True when the state may legitimately have no successor. */
  isValid(state: S): boolean
}

/**
 * The one interface every front end implements; the engine knows nothing else about a model.
 *
 * `actions` and `initStates` are in a deterministic order, so that a ChoicePath (the index of the
 * initial state, then the index of each action) names one behaviour and replays it.
 */
export interface Model<S, A> {
  readonly name: string
  /** `states` (TLC: a lone initial state has depth 1) or `steps` (SPIN: it has depth 0). Default `states`. */
  readonly depthUnit?: 'states' | 'steps'
  initStates(): readonly S[]
  actions(state: S): readonly A[]
  /**
   * The successor of `state` under `action`, or undefined when the action is not enabled there.
   * Throws a `TransitionFailure` for a failure the model defines (an assertion), with `next` set
   * when the step still completes; anything else it throws is reported as a runtime error with the
   * trace that led there.
   */
  nextState(state: S, action: A): S | undefined
  properties(): readonly Property<S>[]
  /**
   * The canonical bytes of a state: equal states, and only they, have equal bytes.
   * The engine uses the result before the next call, so it may be a view of a reused buffer.
   */
  encode(state: S): Uint8Array
  /**
   * Rebuilds a state from `encode`'s bytes. When present, the breadth-first frontier holds bytes
   * instead of state objects. The argument is only valid during the call.
   */
  decode?(bytes: Uint8Array): S
  /**
   * Optional fast path: the bytes `encode(nextState(state, action))` would give, or undefined when
   * the action is not enabled; it throws as `nextState` does, and may return a view of a reused
   * buffer (used before the next call). With `decode` (and without `within`), breadth-first search
   * then builds a successor state only when it is new, so a successor already seen costs no
   * allocation.
   */
  nextEncoded?(state: S, action: A): Uint8Array | undefined
  /**
   * With `nextEncoded`: the successor whose bytes the last `nextEncoded` call returned, as a state
   * the search may keep (equal to `nextState(state, action)`). Depth-first search then takes a
   * successor as bytes only, and builds its state only when it is new. Valid only right after that
   * `nextEncoded` call.
   */
  keepNext?(): S
  /**
   * The search gives back a state the model made for it (`keepNext` in depth-first search, once
   * popped from the stack; `decode` in breadth-first search, once expanded), with nothing else
   * holding it: the model may reuse its storage for a later `keepNext` or `decode`, so that a
   * search of millions of states makes only as many as it holds at once.
   */
  release?(state: S): void
  /**
   * For a parallel search of a model that has no `decode`, or whose `encode` is not the state
   * itself (a view, a symmetry's canonical member): the state's own bytes, which worker threads
   * send each other, and their inverse. Fingerprints still come from `encode`, which must then give
   * the same bytes in every thread that loads the model from one source.
   */
  readonly transfer?: StateTransfer<S>
  /**
   * Optional fastest path for breadth-first search: the bytes of every successor of `state`, written
   * into `sink` in increasing action index (into `actions(state)`), each exactly the bytes
   * `nextEncoded` gives for that action; a disabled action adds nothing. It saves a call per action
   * and a copy per successor. It need not handle failures: when it throws (or adds successors out
   * of order), the search drops what it added and takes the state again action by action, which
   * reports the failure. Used with `decode` and without `within` or step properties.
   */
  successorsEncoded?(state: S, sink: SuccessorSink): void
  /**
   * Optional: `successorsEncoded` for the actions `actions(state)` returned (`actions` is that very
   * array), so that a search that keeps a state's actions (depth-first search, for its path and
   * step weights) does not have them computed twice. Nested depth-first search then takes each new
   * state's successors together, as bytes, and builds (`decode`) a successor's state only when it
   * is new. Same contract as `successorsEncoded`; needs `decode`.
   */
  successorsEncodedFor?(state: S, actions: readonly A[], sink: SuccessorSink): void
  readonly endStates?: EndStates<S>
  /** How a step is shown in a trace. Called only when rendering, never in the search loop. */
  label(state: S, action: A): StepLabel
  /**
   * The state as named plain values (numbers, strings, booleans, arrays, records, Sets, Maps), for
   * traces. Names starting with `@` (control locations) are kept in ITF but not shown in text traces.
   */
  view(state: S): Readonly<Record<string, unknown>>
  /**
   * How many steps of the source language one action takes (a Promela atomic sequence or a
   * rendezvous is one engine step but several of SPIN's). Depth-first `depth` adds these up, so it
   * can be compared with SPIN's "depth reached". Default 1.
   */
  stepWeight?(state: S, action: A): number
  /**
   * How far into a step that leads to a state already seen depth-first `depth` reaches, in the same
   * units as `stepWeight`. Default `stepWeight - 1`: SPIN passes a step's inner states, not the
   * stored state it finds at its end.
   */
  seenStepWeight?(state: S, action: A): number
  /**
   * How many steps of the source language a search takes from this state into moves that then
   * lead nowhere (pan offers a rendezvous send, then finds no receiver and backs out). Depth-first
   * `depth` counts them, as SPIN's "depth reached" does. Default 0; called once per state the
   * depth-first searches enter, never by breadth-first search.
   */
  deadEndWeight?(state: S): number
  /**
   * TLC's state and action constraints: false when a generated state lies outside the part of the
   * state space to explore. Such a state is counted as generated (a transition) but neither stored,
   * checked nor expanded. `from` is undefined for an initial state.
   */
  within?(from: S | undefined, to: S): boolean
  /** The model's own default for deadlock checking (TLC's CHECK_DEADLOCK); an explicit option wins. */
  readonly checkDeadlock?: boolean
  /**
   * A check made once a complete search has found no violation (TLC's POSTCONDITION), given the
   * search's statistics; returns the failure, or undefined when it holds.
   */
  afterSearch?(stats: SearchTotals): { readonly name: string; readonly message: string; readonly span?: Span } | undefined
  /**
   * The trace as text in the layout of the model's language (TLA+: TLC's), when it has one;
   * without it traces show each step's changed variables. Called only when rendering.
   */
  renderTrace?(path: Path<S, A>, options: TraceRenderOptions): string
  /**
   * Why the violation at the end of `path` happened: the values of the violated property's
   * sub-terms in the state where it failed (the last state, or the state the failing step left
   * from), in the model's own syntax and bounded to about a screen. Front ends expand a TLA+
   * invariant's definition, list the state paths a TypeScript invariant read, and give the
   * sub-expressions of a failed Promela assert or the atoms of a violated ltl formula. Called only
   * when rendering (never in the search loop); undefined when there is nothing to say.
   */
  explain?(path: Path<S, A>, violation: ViolationInfo): Explanation | undefined
  /** The messages a step sends and receives, in order, for sequence diagrams. Called only when rendering. */
  messages?(state: S, action: A): readonly MessageEvent[]
  /** What a check counts for `--coverage`: which actions or statements fired and which never did. */
  coverage?(): Coverage<S, A>
  /** What the step prints (Promela `printf`), for simulation; called only there. */
  output?(state: S, action: A): string | undefined
  /** Temporal properties checked on the whole state graph under fairness (`search/liveness.ts`). */
  readonly liveness?: LivenessSpec<S, A>
  /**
   * For a model one state of which can take long to expand, check or judge (an enumeration of a
   * huge set): before the search starts it hands the model a poll of its time and memory limits,
   * and `undefined` once it ends. The model calls the poll now and then inside long evaluations
   * and, when it reports a limit, throws `LimitReached`; the search then ends incomplete, with its
   * statistics so far.
   */
  watchLimits?(poll: LimitPoll | undefined): void
}

/** The limit a search has reached while one of its evaluations runs, if any (`Model.watchLimits`). */
export type LimitPoll = () => 'time-limit' | 'memory' | undefined

/** Thrown by model code whose limit poll reported a limit: the search stops there, incomplete. */
export class LimitReached extends Error {
  constructor(readonly limit: 'time-limit' | 'memory') {
    super(`the search reached its ${limit === 'memory' ? 'memory' : 'time'} limit`)
    this.name = 'LimitReached'
  }
}

/** An atom of a temporal property that depends on one state (a state predicate, or TLA+ `ENABLED A`). */
export interface StateAtom<S> {
  readonly name: string
  holds(state: S): boolean
  /**
   * When set, the atom is not evaluated but derived from the graph: it holds in a state when some
   * step of the model leaving it satisfies this action atom (index into `actionAtoms`). For
   * `ENABLED A` where A cannot be evaluated on its own (a refinement's action over substituted
   * variables): enabled means that some successor the model generates takes A.
   */
  readonly bySteps?: number
}

/**
 * An atom that depends on a step (TLA+ `<<A>>_v`, a named action being taken). `action` is
 * undefined for the stuttering step every state has, where `to` is `from`.
 */
export interface ActionAtom<S, A> {
  readonly name: string
  holds(from: S, action: A | undefined, to: S): boolean
}

/**
 * Weak fairness (`WF`): a behaviour in which the action is eventually always enabled takes it
 * infinitely often. Strong fairness (`SF`): one in which it is infinitely often enabled takes it
 * infinitely often. `enabled` is an index into the state atoms, `taken` into the action atoms.
 */
export interface FairnessConstraint {
  readonly name: string
  readonly strong: boolean
  readonly enabled: number
  readonly taken: number
}

/** A guard of an automaton edge: the atoms in `pos` hold and those in `neg` do not. */
export interface AtomGuard {
  readonly pos: readonly number[]
  readonly neg: readonly number[]
}

/**
 * A transition-based generalized Büchi automaton over the atoms (state atom i is atom i, action
 * atom j is atom `stateAtoms.length + j`): it accepts the behaviours that take edges of every
 * acceptance set infinitely often. An edge out of a state reads the atoms of the current state and
 * of the step leaving it.
 */
export interface LivenessAutomaton {
  readonly stateCount: number
  readonly initial: readonly number[]
  readonly edges: readonly (readonly { readonly guard: AtomGuard; readonly to: number; readonly acc: readonly number[] }[])[]
  readonly acceptanceSets: number
}

export interface LivenessProperty {
  readonly name: string
  readonly span?: Span
  /** The automaton of the property's negation: its fair accepted behaviours are the counterexamples. */
  readonly violations: LivenessAutomaton
  /** The violation kind and message a counterexample is reported with (default: `property`, with the lasso's shape). */
  readonly violation?: { readonly kind: Acceptance<unknown>['violation']; readonly message: string }
}

/** What the liveness search needs of a model: the atoms, the fairness assumed, the properties in order. */
export interface LivenessSpec<S, A> {
  readonly stateAtoms: readonly StateAtom<S>[]
  readonly actionAtoms: readonly ActionAtom<S, A>[]
  readonly fairness: readonly FairnessConstraint[]
  readonly properties: readonly LivenessProperty[]
  /**
   * Whether every state may stutter forever (TLA+ and TypeScript behaviours may stop anywhere).
   * False when the model makes its own stuttering steps where it allows them (a Promela claim
   * moving alone when the system cannot move). Default true.
   */
  readonly stutters?: boolean
  /**
   * True when, with weak fairness only, a counterexample may be reported as soon as it is found,
   * before the graph is complete (pan's way). Unset for TLA+: TLC (`-lncheck final`) explores the
   * whole graph first, and its counts are the whole graph's.
   */
  readonly onTheFly?: boolean
}

/** A complete search's counts, for `afterSearch`. */
export interface SearchTotals {
  readonly distinct: number
  readonly transitions: number
  readonly depth: number
}

export type FailureKind = 'assertion' | 'runtime-error' | 'ltl' | 'property'

const failureBrand = Symbol.for('weft.TransitionFailure')

/** Whether a thrown value is a TransitionFailure, from this copy of weft or another. */
export function isTransitionFailure(e: unknown): e is TransitionFailure {
  return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[failureBrand] === true
}

/** Raised by `nextState` for a failure the model itself defines, such as a failed assertion. */
export class TransitionFailure extends Error {
  /**
   * A brand, so that a failure thrown by a model that loaded its own copy of weft (module loaders
   * may load a model's imports apart from the checker's) is still recognised.
   */
  readonly [failureBrand] = true
  readonly kind: FailureKind
  readonly property: string
  readonly span?: Span
  /**
   * The state the failing step still reaches, when the step completes despite the failure (pan
   * finishes a step whose assert fails). With `continueAfterViolation` the search records the
   * failure and goes on from this state; otherwise it is ignored.
   */
  readonly next?: unknown
  /**
   * How many failures the step met (at least 1): a step through an atomic sequence may pass several
   * failing asserts, and pan counts each as an error. The first is the one reported.
   */
  readonly times: number
  constructor(kind: FailureKind, property: string, message: string, span?: Span, next?: unknown, times = 1) {
    super(message)
    this.name = 'TransitionFailure'
    this.kind = kind
    this.property = property
    this.span = span
    this.next = next
    this.times = times
  }
}
