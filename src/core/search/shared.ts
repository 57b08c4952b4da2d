import type { Invariant, Model, StepProperty } from '../model.js'
import { isTransitionFailure } from '../model.js'
import { BitstateSet } from '../store/bitstate.js'
import { CompactSet } from '../store/compact-set.js'
import { Fingerprinter } from '../store/fingerprint.js'
import { FingerprintSet, type SeenSet } from '../store/seen-set.js'
import type { Discovery, LimitKind, SearchOptions, SearchResult, StoreChoice, ViolationKind } from './types.js'

/**
 * What every exhaustive search shares: the seen set, the counters, the checks made on each new
 * state (invariants) and each terminal state (deadlock), how failures are recorded, and the
 * limits. Breadth-first and depth-first search differ only in the order they visit states and in
 * how they name the path to one (parent links or the stack).
 */
export class Exploration<S, A> {
  readonly seen: SeenSet
  transitions = 0
  violations = 0
  first: Discovery | undefined
  limit: LimitKind | undefined
  /** True once the search must end: a violation (without continue) or a limit. */
  stopped = false
  /** Internal depth bound, counted in states (a lone initial state has depth 1). */
  readonly maxDepth: number
  /** The search's fingerprinter; its `hi`/`lo` hold the last digest. */
  readonly fp = new Fingerprinter()
  private readonly invariants: readonly Invariant<S>[]
  private readonly initialChecks: readonly Invariant<S>[]
  private readonly steps: readonly StepProperty<S>[]
  /** True when the model has step properties, so that each transition must be checked (`checkStep`). */
  readonly checksSteps: boolean
  private readonly maxStates: number
  private readonly started = performance.now()
  private readonly deadline: number
  private lastProgress = this.started
  private countdown = POLL_EVERY
  private polls = 0
  /** Set once the model's limit poll reported a limit: the evaluation then running is abandoned. */
  private interrupted: 'time-limit' | 'memory' | undefined

  constructor(
    readonly model: Model<S, A>,
    readonly options: SearchOptions,
    /** The seen set, when not the one `options.store` asks for (the shared table of a parallel search). */
    seen?: SeenSet,
  ) {
    const props = model.properties()
    this.invariants = props.filter((p): p is Invariant<S> => p.kind === 'invariant' && !p.initialOnly)
    this.initialChecks = props.filter((p): p is Invariant<S> => p.kind === 'invariant' && p.initialOnly === true)
    this.steps = props.filter((p): p is StepProperty<S> => p.kind === 'step')
    this.checksSteps = this.steps.length > 0
    this.maxStates = options.maxStates ?? Infinity
    const steps = model.depthUnit === 'steps' ? 1 : 0
    this.maxDepth = options.maxDepth === undefined ? Infinity : options.maxDepth + steps
    this.deadline = options.timeLimit === undefined ? Infinity : this.started + options.timeLimit * 1000
    this.seen = seen ?? seenSetFor(options.store)
    if (this.deadline !== Infinity || options.memoryExhausted) model.watchLimits?.(() => this.pollLimits())
  }

  /**
   * The model's poll inside one long evaluation (`Model.watchLimits`): the limit reached, if any,
   * which also stops the search. What the abandoned evaluation then throws is not a discovery.
   */
  private pollLimits(): 'time-limit' | 'memory' | undefined {
    if (this.interrupted) return this.interrupted
    let limit: 'time-limit' | 'memory' | undefined
    if (performance.now() > this.deadline) limit = 'time-limit'
    else if (++this.polls % MEMORY_EVERY === 0 && this.options.memoryExhausted?.()) limit = 'memory'
    if (limit === undefined) return undefined
    this.stop(limit)
    return (this.interrupted = limit)
  }

  /**
   * Adds a generated state's bytes to the seen set; true when the state is new and should be
   * explored. When the state budget is spent it stops the search instead and returns false.
   */
  admit(bytes: Uint8Array): boolean {
    const fp = this.fp
    fp.digest(bytes)
    if (this.seen.size >= this.maxStates) {
      if (this.seen.has(fp.hi, fp.lo)) return false
      this.stop('max-states')
      return false
    }
    return this.seen.add(fp.hi, fp.lo)
  }

  /** `admit` without a state budget (`maxStates` undefined): true when the bytes' state is new. */
  admitNew(bytes: Uint8Array): boolean {
    const fp = this.fp
    fp.digest(bytes)
    return this.seen.add(fp.hi, fp.lo)
  }

  /** `admit` for a fingerprint computed beforehand (by `fingerprint`). */
  admitFingerprint(hi: number, lo: number): boolean {
    if (this.seen.size >= this.maxStates) {
      if (this.seen.has(hi, lo)) return false
      this.stop('max-states')
      return false
    }
    return this.seen.add(hi, lo)
  }

  /**
   * Whether a generated successor lies within the model's constraints (`Model.within`); a failure
   * while deciding is recorded, and the successor is then treated as outside.
   */
  within(from: S, to: S, choices: () => number[], action: number): boolean {
    try {
      return this.model.within!(from, to)
    } catch (e) {
      this.failure(e, [...choices(), action], undefined)
      return false
    }
  }

  /** Computes the fingerprint of a state's bytes into `out` at `at` (hi, lo). */
  fingerprint(bytes: Uint8Array, out: Uint32Array, at: number): void {
    const fp = this.fp
    fp.digest(bytes)
    out[at] = fp.hi
    out[at + 1] = fp.lo
  }

  /** True when the bytes' state is already stored (used at the depth bound, where nothing is added). */
  isSeen(bytes: Uint8Array): boolean {
    this.fp.digest(bytes)
    return this.seen.has(this.fp.hi, this.fp.lo)
  }

  /** Whether the model has invariants to check on each new state. */
  get hasInvariants(): boolean {
    return this.invariants.length > 0
  }

  /** `checkInvariants` for a state with an id: the path is only computed on a violation, and no closure is made per state. */
  checkInvariantsOf(state: S, id: number, choicesOf: (id: number) => number[], invariants: readonly Invariant<S>[] = this.invariants): void {
    const failed = failedInvariant(invariants, state)
    if (failed) this.record({ ...failed, choices: choicesOf(id) })
  }

  /**
   * Checks the step properties on a transition (`from` has id `id`, `action` took it); false when
   * one fails (the violation is recorded, its trace ending with that step).
   */
  checkStep(from: S, to: S, id: number, action: number, choicesOf: (id: number) => number[]): boolean {
    const steps = this.steps
    for (let i = 0; i < steps.length; i++) {
      const p = steps[i]!
      let holds: boolean
      try {
        holds = p.holds(from, to)
      } catch (e) {
        this.record({ ...describeFailure(e), choices: [...choicesOf(id), action], span: p.span })
        return false
      }
      if (!holds) {
        this.record({ kind: 'property', name: p.name, message: `property '${p.name}' is violated by a step`, choices: [...choicesOf(id), action], span: p.span })
        return false
      }
    }
    return true
  }

  /**
   * Computes the initial states and takes each in turn: counted as generated, encoded, admitted
   * to the seen set and checked; `visit` gets each new one (its index is its ChoicePath) until the
   * search stops. False when the model could not give its initial states (a recorded failure).
   */
  initialStates(visit: (state: S, bytes: Uint8Array, index: number) => void): boolean {
    const inits = this.initialStateList()
    if (inits === undefined) return false
    for (let i = 0; i < inits.length && !this.stopped; i++) {
      const bytes = this.takeInitial(inits[i]!, i)
      if (bytes === undefined) continue
      if (this.stopped) return true
      visit(inits[i]!, bytes, i)
    }
    return true
  }

  /** The model's initial states, or undefined when it could not give them (a recorded failure). */
  initialStateList(): readonly S[] | undefined {
    try {
      return this.model.initStates()
    } catch (e) {
      this.failure(e, [], undefined)
      return undefined
    }
  }

  /**
   * Takes the initial state with index `i`: counted as generated, encoded, admitted to the seen
   * set and checked (the properties of initial states alone, then the invariants). Its bytes when
   * it is new; it is to be explored unless a check stopped the search.
   */
  takeInitial(s: S, i: number): Uint8Array | undefined {
    this.transitions++
    try {
      if (this.model.within && !this.model.within(undefined, s)) return undefined
    } catch (e) {
      this.failure(e, [i], undefined)
      return undefined
    }
    let bytes: Uint8Array
    try {
      bytes = this.model.encode(s)
    } catch (e) {
      this.failure(e, [i], undefined)
      return undefined
    }
    if (!this.admit(bytes)) return undefined
    if (this.initialChecks.length > 0) this.checkInvariantsOf(s, 0, () => [i], this.initialChecks)
    if (!this.stopped) this.checkInvariants(s, () => [i])
    return bytes
  }

  /** Checks the invariants on a new state and records the first that fails. */
  checkInvariants(state: S, choices: () => number[]): void {
    this.checkInvariantsOf(state, 0, choices)
  }

  /** Judges a state that has no enabled action. */
  terminal(state: S, choices: () => number[]): void {
    const bad = badTerminal(this.model, this.options.checkDeadlock, state)
    if (bad) this.record({ ...bad, choices: choices() })
  }

  /** Records an exception thrown by the model while computing actions or a successor. */
  failure(e: unknown, choices: number[], failingAction: number | undefined): void {
    this.record({ ...describeFailure(e), choices, failingAction })
  }

  /**
   * The state a failed step still reaches, when the search goes on past violations and the failure
   * carries one (`TransitionFailure.next`); undefined otherwise.
   */
  continuation(e: unknown): S | undefined {
    if (!this.options.continueAfterViolation || !isTransitionFailure(e)) return undefined
    return e.next as S | undefined
  }

  record(d: Discovery): void {
    if (this.interrupted !== undefined) return
    this.violations += d.times ?? 1
    if (this.first === undefined) this.first = d
    if (!this.options.continueAfterViolation) this.stopped = true
  }

  stop(limit: LimitKind): void {
    this.limit ??= limit
    this.stopped = true
  }

  /** Called once per expanded state: now and then checks the clock, memory and progress. */
  tick(queue: number, depth: number): void {
    if (--this.countdown > 0) return
    this.countdown = POLL_EVERY
    const now = performance.now()
    if (now > this.deadline) this.stop('time-limit')
    if (++this.polls % MEMORY_EVERY === 0 && this.options.memoryExhausted?.()) this.stop('memory')
    const reporter = this.options.reporter
    if (reporter?.progress && now - this.lastProgress >= 1000) {
      this.lastProgress = now
      reporter.progress({ distinct: this.seen.size, transitions: this.transitions, queue, depth: this.reportDepth(depth), seconds: (now - this.started) / 1000 })
    }
  }

  /** A RangeError from a typed array that could not grow: memory ran out. */
  outOfMemory(): void {
    this.stop('memory')
  }

  result(depth: number, traceBytes: number, truncated: boolean, spilledBytes = 0): SearchResult {
    this.model.watchLimits?.(undefined)
    const seconds = (performance.now() - this.started) / 1000
    const distinct = this.seen.size
    const status = this.first ? 'violation' : this.limit || truncated ? 'incomplete' : 'ok'
    const limit = this.limit ?? (truncated ? 'max-depth' : undefined)
    const store = this.seen.report()
    return {
      status,
      violation: this.first,
      violations: this.violations,
      ...(limit && status !== 'ok' ? { limit } : {}),
      stats: {
        distinct,
        transitions: this.transitions,
        depth: this.reportDepth(depth),
        seconds,
        statesPerSecond: seconds > 0 ? Math.round(distinct / seconds) : distinct,
        collisionProbability: store.missProbability,
        seenSetBytes: this.seen.bytes,
        traceBytes,
        store,
        ...(spilledBytes > 0 ? { spilledBytes } : {}),
      },
    }
  }

  private reportDepth(depth: number): number {
    return this.model.depthUnit === 'steps' ? Math.max(0, depth - 1) : depth
  }
}

/** The seen set a store choice asks for. */
export function seenSetFor(choice: StoreChoice | undefined): SeenSet {
  switch (choice?.mode ?? 'exact') {
    case 'exact':
      return new FingerprintSet()
    case 'hash-compact':
      return new CompactSet()
    case 'bitstate': {
      const { bytes, hashFunctions } = choice as Extract<StoreChoice, { mode: 'bitstate' }>
      return new BitstateSet(bytes, hashFunctions)
    }
  }
}

const POLL_EVERY = 256
const MEMORY_EVERY = 16

/** The first of the invariants that fails on a state (or fails to evaluate), without its path; undefined when all hold. */
export function failedInvariant<S>(invariants: readonly Invariant<S>[], state: S): Omit<Discovery, 'choices'> | undefined {
  for (let i = 0; i < invariants.length; i++) {
    const p = invariants[i]!
    let holds: boolean
    try {
      holds = p.holds(state)
    } catch (e) {
      return { ...describeFailure(e), span: p.span }
    }
    if (!holds) {
      const kind = p.violation ?? 'invariant'
      return { kind, name: p.name, message: `${kind} '${p.name}' is violated`, span: p.span }
    }
  }
  return undefined
}

/** What is wrong with a state that has no enabled action, without its path; undefined when it may end there. */
export function badTerminal<S>(model: Model<S, unknown>, checkDeadlock: boolean, state: S): Omit<Discovery, 'choices'> | undefined {
  if (!checkDeadlock) return undefined
  const ends = model.endStates
  let valid: boolean
  try {
    valid = ends ? ends.isValid(state) : false
  } catch (e) {
    return describeFailure(e)
  }
  if (valid) return undefined
  const kind: ViolationKind = ends?.kind ?? 'deadlock'
  return {
    kind,
    name: kind,
    message: kind === 'deadlock' ? 'deadlock: no action is enabled' : 'invalid end state: a process is blocked outside a valid end state',
  }
}

/** Classifies an exception thrown by model code: a failure the model defines, or a runtime error. */
export function describeFailure(e: unknown): Omit<Discovery, 'choices'> {
  if (isTransitionFailure(e)) return { kind: e.kind, name: e.property, message: e.message, span: e.span, ...(e.times > 1 ? { times: e.times } : {}) }
  const message = e instanceof Error ? `${e.name === 'Error' ? '' : `${e.name}: `}${e.message}` : `thrown: ${String(e)}`
  return { kind: 'runtime-error', name: 'runtime-error', message }
}

/** Whether an exception means that memory ran out (a typed array or the heap could not grow). */
export function isOutOfMemory(e: unknown): boolean {
  return e instanceof RangeError && /allocat|memory|largest size|Invalid typed array length|Array buffer/i.test(e.message)
}
