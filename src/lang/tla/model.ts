/**
 * A TLA+ spec with its cfg as an engine `Model`: states are arrays of values (one per variable),
 * successors are computed action by action as TLC computes them, and the canonical bytes of a
 * state are its values (or its VIEW) written by `ValueWriter`.
 */
import type { Invariant, LivenessSpec, Model, Property, StepLabel } from '../../core/model.js'
import { TransitionFailure } from '../../core/model.js'
import type { Span } from '../../diag/span.js'
import { LocatedError, type Ctx } from './compile.js'
import type { TemporalParts } from './temporal.js'
import { EvalError, ValueWriter, plain, show, type Value } from './values.js'

export type TlaState = readonly Value[]

export interface TlaStep {
  readonly next: TlaState
  /** Index of the action (a disjunct of the next-state relation) that took the step. */
  readonly action: number
}

export interface TlaAction {
  readonly name: string
  readonly span: Span
  run(c: Ctx, k: () => void): void
}

export interface TlaPredicate {
  readonly name: string
  readonly span: Span
  ev(c: Ctx): Value
}

export interface TlaModelParts {
  readonly name: string
  readonly variables: readonly string[]
  readonly init: TlaAction
  readonly actions: readonly TlaAction[]
  readonly invariants: readonly TlaPredicate[]
  /** CONSTRAINT: state predicates a successor must satisfy to be kept. */
  readonly constraints: readonly TlaPredicate[]
  /** ACTION_CONSTRAINT: action predicates a step must satisfy to be kept. */
  readonly actionConstraints: readonly TlaPredicate[]
  readonly view?: TlaPredicate
  readonly alias?: TlaPredicate
  /** CHECK_DEADLOCK (default TRUE). */
  readonly checkDeadlock?: boolean
  /** The cfg's PROPERTY formulas and the spec's fairness (temporal.ts). */
  readonly temporal?: TemporalParts
}

/** Turns an evaluation error into a failure of the step, with the location TLC would name. */
function failure(e: unknown, what: string): unknown {
  if (e instanceof LocatedError) return new TransitionFailure(e.assertion ? 'assertion' : 'runtime-error', e.assertion ? 'Assert' : 'runtime-error', `${e.message} (while evaluating ${what})`, e.span)
  if (e instanceof EvalError) return new TransitionFailure('runtime-error', 'runtime-error', `${e.message} (while evaluating ${what})`)
  return e
}

export class TlaModel implements Model<TlaState, TlaStep> {
  readonly name: string
  readonly depthUnit = 'states' as const
  readonly language = 'tla'
  readonly checkDeadlock: boolean
  private readonly writer = new ValueWriter()
  private props: readonly Property<TlaState>[]
  private readonly n: number
  readonly liveness?: LivenessSpec<TlaState, TlaStep>

  constructor(private readonly parts: TlaModelParts) {
    this.name = parts.name
    this.n = parts.variables.length
    this.checkDeadlock = parts.checkDeadlock ?? true
    this.props = parts.invariants.map(
      (inv): Invariant<TlaState> => ({
        kind: 'invariant',
        name: inv.name,
        span: inv.span,
        holds: (s) => {
          let v: Value
          try {
            v = inv.ev({ state: s, next: [] })
          } catch (e) {
            throw failure(e, `invariant ${inv.name}`)
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
    const c: Ctx = { state: [], next: new Array(this.n) }
    try {
      this.parts.init.run(c, () => out.push(this.complete(c, this.parts.init)))
    } catch (e) {
      throw failure(e, 'the initial predicate')
    }
    return out
  }

  actions(state: TlaState): readonly TlaStep[] {
    const out: TlaStep[] = []
    const acts = this.parts.actions
    for (let a = 0; a < acts.length; a++) {
      const act = acts[a]!
      const c: Ctx = { state, next: new Array(this.n) }
      try {
        act.run(c, () => out.push({ next: this.complete(c, act), action: a }))
      } catch (e) {
        throw failure(e, `action ${act.name}`)
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
    for (const p of constraints) if (!this.test(p, { state: to, next: [] }, 'constraint')) return false
    if (from) for (const p of actionConstraints) if (!this.test(p, { state: from, next: to as Value[] }, 'action constraint')) return false
    return true
  }

  private test(p: TlaPredicate, c: Ctx, what: string): boolean {
    let v: Value
    try {
      v = p.ev(c)
    } catch (e) {
      throw failure(e, `${what} ${p.name}`)
    }
    if (typeof v !== 'boolean') throw new TransitionFailure('runtime-error', 'runtime-error', `${what} ${p.name} is not a Boolean but ${show(v)}`, p.span)
    return v
  }

  private complete(c: Ctx, act: TlaAction): TlaState {
    const next = c.next
    for (let i = 0; i < next.length; i++) {
      if (next[i] === undefined) {
        throw new TransitionFailure(
          'runtime-error',
          'runtime-error',
          `the successor state is not completely specified by ${act.name}: ${this.parts.variables[i]}${act.name === 'the initial predicate' ? '' : "'"} is not assigned`,
          act.span,
        )
      }
    }
    return next.slice() as Value[]
  }

  properties(): readonly Property<TlaState>[] {
    return this.props
  }

  encode(state: TlaState): Uint8Array {
    const w = this.writer
    w.reset()
    const view = this.parts.view
    if (view) {
      try {
        w.write(view.ev({ state, next: [] }))
      } catch (e) {
        throw failure(e, `the VIEW ${view.name}`)
      }
      return w.bytes()
    }
    for (let i = 0; i < state.length; i++) w.write(state[i]!)
    return w.bytes()
  }

  label(_state: TlaState, step: TlaStep): StepLabel {
    const act = this.parts.actions[step.action]!
    return { action: act.name, span: act.span }
  }

  view(state: TlaState): Readonly<Record<string, unknown>> {
    const alias = this.parts.alias
    if (alias) {
      const v = plain(alias.ev({ state, next: [] }))
      if (v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Set) && !(v instanceof Map)) return v as Record<string, unknown>
    }
    return Object.fromEntries(this.parts.variables.map((name, i) => [name, plain(state[i]!)]))
  }
}
