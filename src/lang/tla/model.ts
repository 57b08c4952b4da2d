/**
 * A TLA+ spec with its cfg as an engine `Model`: states are arrays of values (one per variable),
 * successors are computed action by action as TLC computes them, and a state is fingerprinted by
 * a structural hash of its values (or its VIEW), as TLC does; `ValueWriter` writes its values as
 * bytes for the parallel search.
 */
import type { Coverage, Explanation, Invariant, LimitPoll, LivenessSpec, Model, Property, SearchTotals, StateTransfer, StepLabel, TraceRenderOptions, ViolationInfo } from '../../core/model.js'
import type { Path } from '../../core/path.js'
import { TransitionFailure } from '../../core/model.js'
import type { Span } from '../../diag/span.js'
import { LocatedError, type Ctx } from './compile.js'
import { Canonicalizer, type Perm } from './symmetry.js'
import type { LimitWatch } from './limits.js'
import type { TlcRegisters } from './tlc-get.js'
import { renderTlcTrace, tlcLocation } from './trace.js'
import { EvalError, RecordValue, ValueReader, ValueWriter, plain, show, type NameTable, type Value } from './values.js'
import { ValueHasher } from './value-hash.js'
import type { TemporalParts } from './temporal.js'

export type TlaState = readonly Value[]

export interface TlaStep {
  readonly next: TlaState
  /** Index of the action (a disjunct of the next-state relation) that took the step. */
  readonly action: number
  /** Which of that action's successors from this state it is (0, 1, ...): names its process when two give equal states. */
  readonly nth: number
}

export interface TlaAction {
  readonly name: string
  readonly span: Span
  run(c: Ctx, k: () => void): void
  /**
   * For `\E p \in S : A(p)`: the process (the value of `p`) that took the step from `state` to
   * `next` as the action's `nth` successor, and which disjunct of the body it was when there are several. For traces only.
   */
  readonly describe?: (state: TlaState, next: TlaState, nth: number) => { readonly process: string; readonly action?: string } | undefined
  /** For `\E p \in S : A(p) \/ B(p)`: its disjuncts, which --coverage counts apart (as TLC's -coverage does). */
  readonly parts?: readonly { readonly name: string; readonly span: Span }[]
  /** Which of `parts` took the step from `state` to `next` as the action's `nth` successor. For coverage only. */
  readonly partOf?: (state: TlaState, next: TlaState, nth: number) => number | undefined
}

export interface TlaPredicate {
  readonly name: string
  readonly span: Span
  ev(c: Ctx): Value
  /** Why the predicate is FALSE in a state (explain.ts); `title` completes `Why …:`. For reports only. */
  readonly explain?: (state: TlaState, level: number, title: string) => Explanation | undefined
}

export interface TlaModelParts {
  readonly name: string
  readonly variables: readonly string[]
  /** The names numbered in state bytes (the spec's literals and the cfg's values); default none. */
  readonly names?: NameTable
  readonly init: TlaAction
  readonly actions: readonly TlaAction[]
  readonly invariants: readonly TlaPredicate[]
  /** CONSTRAINT: state predicates a successor must satisfy to be kept. */
  readonly constraints: readonly TlaPredicate[]
  /** ACTION_CONSTRAINT: action predicates a step must satisfy to be kept. */
  readonly actionConstraints: readonly TlaPredicate[]
  readonly view?: TlaPredicate
  readonly alias?: TlaPredicate
  /** The ALIAS's fields in the order the spec writes them, when it is a record constructor. */
  readonly aliasFields?: readonly string[]
  /** SYMMETRY: the permutation group (without the identity) whose orbits are stored as one state. */
  readonly symmetry?: readonly Perm[]
  /** POSTCONDITION: checked once, after a complete search. */
  readonly postcondition?: TlaPredicate
  /** TLCGet and TLCSet's side: when the spec uses them, states keep their level. */
  readonly tlc?: TlcRegisters
  /** CHECK_DEADLOCK (default TRUE). */
  readonly checkDeadlock?: boolean
  /** The text of the spec's files, for locations in messages. */
  readonly sourceText?: (file: string) => string | undefined
  /** The cfg's PROPERTY formulas and the spec's fairness (temporal.ts). */
  readonly temporal?: TemporalParts
  /** What the compiled closures tick inside enumerations, polling the search's limits. */
  readonly limits?: LimitWatch
}

/** Fields in the order the spec writes them (`order`), any others after them in their own order. */
function inWrittenOrder<T extends readonly [string, unknown]>(fields: readonly T[], order: readonly string[] | undefined): T[] {
  if (!order) return fields.slice()
  const rank = (k: string): number => {
    const i = order.indexOf(k)
    return i < 0 ? order.length : i
  }
  return fields.slice().sort((a, b) => rank(a[0]) - rank(b[0]))
}

/** Turns an evaluation error into a failure of the step, with the location TLC would name. */
function failure(e: unknown, what: string, text: (file: string) => string | undefined): unknown {
  if (e instanceof LocatedError) {
    const where = `The error occurred when TLC was evaluating ${what}, at ${tlcLocation(e.span, text(e.span.file))}.`
    if (e.assertion) return new TransitionFailure('assertion', 'Assert', `The first argument of Assert evaluated to FALSE; the second argument was:\n${e.message}\n${where}`, e.span)
    return new TransitionFailure('runtime-error', 'runtime-error', `${e.message}\n${where}`, e.span)
  }
  if (e instanceof EvalError) return new TransitionFailure('runtime-error', 'runtime-error', `${e.message}\nThe error occurred when TLC was evaluating ${what}.`)
  return e
}

export class TlaModel implements Model<TlaState, TlaStep> {
  readonly name: string
  readonly depthUnit = 'states' as const
  readonly language = 'tla'
  readonly checkDeadlock: boolean
  private readonly hasher = new ValueHasher()
  private props: readonly Property<TlaState>[]
  private readonly n: number
  private readonly canonicalizer: Canonicalizer | undefined
  private readonly text: (file: string) => string | undefined
  private readonly canonicalOf = new WeakMap<TlaState, readonly Value[]>()
  /** Each state's level (TLCGet("level")), kept only when the spec asks for it. */
  private readonly levels: WeakMap<TlaState, number> | undefined
  readonly liveness?: LivenessSpec<TlaState, TlaStep>
  /**
   * The state's own values as bytes, for the parallel search (encode gives the VIEW or a symmetry's
   * canonical member instead). Not when the spec reads TLCGet("level"): bytes do not keep it.
   */
  readonly transfer?: StateTransfer<TlaState>

  constructor(private readonly parts: TlaModelParts) {
    this.name = parts.name
    this.n = parts.variables.length
    this.checkDeadlock = parts.checkDeadlock ?? true
    this.canonicalizer = parts.symmetry ? new Canonicalizer(parts.symmetry) : undefined
    this.levels = parts.tlc?.used ? new WeakMap() : undefined
    this.text = parts.sourceText ?? (() => undefined)
    if (!this.levels) {
      const writer = new ValueWriter(parts.names)
      const reader = new ValueReader(parts.names)
      const n = this.n
      this.transfer = {
        encode: (state) => {
          writer.reset()
          for (let i = 0; i < n; i++) writer.write(state[i]!)
          return writer.bytes()
        },
        decode: (bytes) => reader.readAll(bytes, n),
      }
    }
    this.props = parts.invariants.map(
      (inv): Invariant<TlaState> => ({
        kind: 'invariant',
        name: inv.name,
        span: inv.span,
        holds: (s) => {
          let v: Value
          try {
            v = inv.ev({ state: s, next: [], level: this.levelOf(s) })
          } catch (e) {
            throw failure(e, `invariant ${inv.name}`, this.text)
          }
          if (typeof v !== 'boolean') throw new TransitionFailure('runtime-error', 'runtime-error', `invariant ${inv.name} is not a Boolean but ${show(v)}`, inv.span)
          return v
        },
      }),
    )
    const t = parts.temporal
    if (!t) return
    const truth = (p: TlaPredicate, c: Ctx, what: string): boolean => this.test(p, c, what)
    const state = (p: TlaPredicate, initialOnly: boolean): Invariant<TlaState> => ({
      kind: 'invariant',
      name: p.name,
      span: p.span,
      violation: 'property',
      ...(initialOnly ? { initialOnly } : {}),
      holds: (s) => truth(p, { state: s, next: [] }, 'the property'),
    })
    this.props = [
      ...this.props,
      ...t.initial.map((p) => state(p, true)),
      ...t.invariants.map((p) => state(p, false)),
      ...t.steps.map((p): Property<TlaState> => ({ kind: 'step', name: p.name, span: p.span, holds: (from, to) => truth(p, { state: from, next: to as Value[] }, 'the property') })),
    ]
    if (t.properties.length === 0) return
    this.liveness = {
      stateAtoms: t.stateAtoms.map((p) => ({ name: p.name, ...(p.bySteps === undefined ? {} : { bySteps: p.bySteps }), holds: (s: TlaState) => truth(p, { state: s, next: [] }, 'a temporal formula:') })),
      actionAtoms: t.actionAtoms.map((p) => ({ name: p.name, holds: (from: TlaState, _a: TlaStep | undefined, to: TlaState) => truth(p, { state: from, next: to as Value[] }, 'a temporal formula:') })),
      fairness: t.fairness,
      properties: t.properties,
    }
  }

  initStates(): readonly TlaState[] {
    const out: TlaState[] = []
    const c: Ctx = { state: [], next: new Array(this.n), level: 1 }
    try {
      this.parts.init.run(c, () => out.push(this.complete(c, this.parts.init, 1)))
    } catch (e) {
      throw failure(e, 'the initial predicate', this.text)
    }
    return out
  }

  actions(state: TlaState): readonly TlaStep[] {
    const out: TlaStep[] = []
    const acts = this.parts.actions
    const level = this.levelOf(state)
    for (let a = 0; a < acts.length; a++) {
      const act = acts[a]!
      const c: Ctx = { state, next: new Array(this.n), level }
      let nth = 0
      try {
        act.run(c, () => out.push({ next: this.complete(c, act, level + 1), action: a, nth: nth++ }))
      } catch (e) {
        throw failure(e, `action ${act.name}`, this.text)
      }
    }
    return out
  }

  nextState(_state: TlaState, step: TlaStep): TlaState {
    return step.next
  }

  /** TLC's state and action constraints: a successor outside them is generated but not kept. */
  within(from: TlaState | undefined, to: TlaState): boolean {
    const { constraints, actionConstraints } = this.parts
    for (const p of constraints) if (!this.test(p, { state: to, next: [], level: this.levelOf(to) }, 'constraint')) return false
    if (from) for (const p of actionConstraints) if (!this.test(p, { state: from, next: to as Value[], level: this.levelOf(from) }, 'action constraint')) return false
    return true
  }

  private test(p: TlaPredicate, c: Ctx, what: string): boolean {
    let v: Value
    try {
      v = p.ev(c)
    } catch (e) {
      throw failure(e, `${what} ${p.name}`, this.text)
    }
    if (typeof v !== 'boolean') throw new TransitionFailure('runtime-error', 'runtime-error', `${what} ${p.name} is not a Boolean but ${show(v)}`, p.span)
    return v
  }

  private levelOf(s: TlaState): number {
    return this.levels?.get(s) ?? 1
  }

  afterSearch(totals: SearchTotals): { name: string; message: string; span: Span } | undefined {
    const post = this.parts.postcondition
    if (!post) return undefined
    if (this.parts.tlc) this.parts.tlc.totals = totals
    let v: Value
    try {
      v = post.ev({ state: [], next: [] })
    } catch (e) {
      const m = e instanceof LocatedError || e instanceof EvalError ? e.message : String(e)
      return { name: post.name, message: `evaluating the postcondition '${post.name}' failed: ${m}`, span: post.span }
    }
    return v === true ? undefined : { name: post.name, message: `the postcondition '${post.name}' is ${v === false ? 'violated' : `not a Boolean but ${show(v)}`}`, span: post.span }
  }

  private complete(c: Ctx, act: TlaAction, level: number): TlaState {
    const next = c.next
    for (let i = 0; i < next.length; i++) {
      if (next[i] === undefined) {
        const missing = this.parts.variables.filter((_, k) => next[k] === undefined)
        const init = act.name === 'the initial predicate'
        const what = init ? 'An initial state is not completely specified by the initial predicate.' : `Successor state is not completely specified by action ${act.name} of the next-state relation.`
        throw new TransitionFailure('runtime-error', 'runtime-error', `${what} The following variable${missing.length > 1 ? 's are' : ' is'} not assigned: ${missing.join(', ')}.`, act.span)
      }
    }
    const out = next.slice() as Value[]
    this.levels?.set(out, level)
    return out
  }

  properties(): readonly Property<TlaState>[] {
    return this.props
  }

  watchLimits(poll: LimitPoll | undefined): void {
    if (this.parts.limits) this.parts.limits.poll = poll
  }

  /**
   * The state's 128-bit structural hash (value-hash.ts), which stands for its canonical bytes: the
   * search only fingerprints them, and hashing reuses what a successor shares with its state. The
   * parallel search moves states as their bytes (`transfer`).
   */
  encode(state: TlaState): Uint8Array {
    const view = this.parts.view
    const sym = this.canonicalizer
    if (view) {
      let v: Value
      try {
        v = view.ev({ state, next: [], level: this.levelOf(state) })
      } catch (e) {
        throw failure(e, `the VIEW ${view.name}`, this.text)
      }
      return this.hasher.stateBytes([sym ? sym.canonical([v])[0]! : v])
    }
    let values = state
    if (sym) {
      // The search encodes a new state twice (to look it up, then to queue it): canonicalize once.
      let c = this.canonicalOf.get(state)
      if (c === undefined) this.canonicalOf.set(state, (c = sym.canonical(state)))
      values = c
    }
    return this.hasher.stateBytes(values)
  }

  renderTrace(path: Path<TlaState, TlaStep>, options: TraceRenderOptions): string {
    const sources = options.sources ?? this.text
    return renderTlcTrace(
      {
        entries: (s) => this.entries(s),
        step: (step) => {
          const act = this.parts.actions[step.action]!
          return { name: act.name, span: act.span }
        },
      },
      path,
      { ...options, sources },
    )
  }

  /** A violated invariant's definition, expanded with the values of its parts in the last state. */
  explain(path: Path<TlaState, TlaStep>, violation: ViolationInfo): Explanation | undefined {
    if (path.failing) return undefined
    const state = path.steps.at(-1)?.state ?? path.init
    const at = `state ${path.steps.length + 1}`
    if (violation.kind === 'invariant') {
      const inv = this.parts.invariants.find((i) => i.name === violation.name)
      return inv?.explain?.(state, this.levelOf(state), `invariant ${inv.name} is FALSE in ${at}`)
    }
    if (violation.kind !== 'property' || !this.parts.temporal) return undefined
    // A PROPERTY's state predicate (checked on the initial states) or its []P part: the conjunct FALSE here.
    const t = this.parts.temporal
    const parts = [...(path.steps.length === 0 ? t.initial : []), ...t.invariants].filter((p) => p.name === violation.name)
    const level = this.levelOf(state)
    const failed = parts.find((p) => {
      try {
        return p.ev({ state, next: [], level }) === false
      } catch {
        return false
      }
    })
    return failed?.explain?.(state, level, `property ${failed.name} is FALSE in ${at}`)
  }

  /** The state's variables, or the ALIAS's fields when there is one. */
  private entries(state: TlaState): (readonly [string, Value])[] {
    const alias = this.parts.alias
    if (alias) {
      const v = alias.ev({ state, next: [], level: this.levelOf(state) })
      if (v instanceof RecordValue) return inWrittenOrder(v.keys.map((k, i) => [k, v.vals[i]!] as const), this.parts.aliasFields)
    }
    return this.parts.variables.map((name, i) => [name, state[i]!] as const)
  }

  label(_state: TlaState, step: TlaStep): StepLabel {
    const act = this.parts.actions[step.action]!
    const who = act.describe?.(_state, step.next, step.nth)
    return { action: who?.action ?? act.name, ...(who ? { process: who.process } : {}), span: act.span }
  }

  /**
   * Each disjunct of the next-state relation, for --coverage (TLC's -coverage counts per action),
   * the disjuncts inside `\E p \in S : A(p) \/ B(p)` apart.
   */
  coverage(): Coverage<TlaState, TlaStep> {
    const items: { name: string; span: Span }[] = []
    const first: number[] = []
    for (const a of this.parts.actions) {
      first.push(items.length)
      if (a.parts) items.push(...a.parts)
      else items.push({ name: a.name, span: a.span })
    }
    return {
      items,
      fired: (s, step) => {
        const a = this.parts.actions[step.action]!
        return [first[step.action]! + (a.partOf?.(s, step.next, step.nth) ?? 0)]
      },
    }
  }

  view(state: TlaState): Readonly<Record<string, unknown>> {
    const alias = this.parts.alias
    if (alias) {
      const v = plain(alias.ev({ state, next: [], level: this.levelOf(state) }))
      if (v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Set) && !(v instanceof Map)) return Object.fromEntries(inWrittenOrder(Object.entries(v), this.parts.aliasFields))
    }
    return Object.fromEntries(this.parts.variables.map((name, i) => [name, plain(state[i]!)]))
  }
}
