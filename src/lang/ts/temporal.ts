/**
 * Temporal properties and fairness for models written in TypeScript. `always(p)` is checked on
 * every state (breadth-first: shortest counterexamples); `eventually(p)` and `leadsTo(p, q)` over
 * infinite behaviours by the liveness search, under the fairness of the actions marked `fair`
 * (per parameter value for a parameterised action).
 */
import type { ActionAtom, FairnessConstraint, Invariant, LivenessProperty, LivenessSpec, StateAtom } from '../../core/model.js'
import { always as G, eventually as F, implies, not, atom, translate, type Formula } from '../../ltl/index.js'

export type Fairness = 'weak' | 'strong'

const brand = Symbol.for('weft.TemporalProperty')

/** A temporal property, made by `always`, `eventually` or `leadsTo`. */
export interface TemporalProperty<S> {
  readonly [brand]: true
  readonly op: 'always' | 'eventually' | 'leadsTo'
  readonly p: (state: S) => boolean
  readonly q?: (state: S) => boolean
}

/** `[] p`: p holds in every reachable state (checked as an invariant, reported as a property). */
export function always<S>(p: (state: S) => boolean): TemporalProperty<S> {
  return { [brand]: true, op: 'always', p }
}

/** `<> p`: every behaviour reaches a state where p holds. Needs fairness to exclude behaviours that stop early. */
export function eventually<S>(p: (state: S) => boolean): TemporalProperty<S> {
  return { [brand]: true, op: 'eventually', p }
}

/** `p ~> q`: whenever p holds, q holds then or later. */
export function leadsTo<S>(p: (state: S) => boolean, q: (state: S) => boolean): TemporalProperty<S> {
  return { [brand]: true, op: 'leadsTo', p, q }
}

export function isTemporalProperty(v: unknown): v is TemporalProperty<unknown> {
  return typeof v === 'object' && v !== null && (v as Record<symbol, unknown>)[brand] === true
}

interface ActionEntry {
  readonly name: string
  readonly spec: unknown
}

interface Step {
  readonly name: string
  readonly param?: unknown
}

/**
 * The invariants (`always`) and the liveness spec (the rest) of a model's properties; fairness
 * comes from the actions' `fair`. `encode` gives a state's canonical bytes: a step that leaves the
 * state unchanged neither enables nor takes a fair action (as `<<A>>_vars` in TLA+).
 */
export function lowerTemporal<S>(
  properties: Readonly<Record<string, TemporalProperty<S>>>,
  actions: readonly ActionEntry[],
  encode: (s: S) => Uint8Array,
): { invariants: Invariant<S>[]; liveness?: LivenessSpec<S, Step> } {
  const invariants: Invariant<S>[] = []
  const stateAtoms: StateAtom<S>[] = []
  const formulas: { name: string; formula: Formula }[] = []
  const stateAtom = (name: string, holds: (s: S) => boolean): Formula => {
    stateAtoms.push({ name, holds })
    return atom(stateAtoms.length - 1, name)
  }
  for (const [name, prop] of Object.entries(properties)) {
    if (prop.op === 'always') {
      invariants.push({ kind: 'invariant', name, holds: prop.p, violation: 'property' })
      continue
    }
    const p = stateAtom(`${name}.p`, prop.p)
    formulas.push({ name, formula: prop.op === 'eventually' ? F(p) : G(implies(p, F(stateAtom(`${name}.q`, prop.q!)))) })
  }
  if (formulas.length === 0) return { invariants }

  const same = (a: S, b: S): boolean => {
    const x = encode(a).slice()
    const y = encode(b)
    if (x.length !== y.length) return false
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false
    return true
  }
  const actionAtoms: ActionAtom<S, Step>[] = []
  const fairness: FairnessConstraint[] = []
  for (const { name, spec } of actions) {
    const a = spec as { fair?: Fairness; params?: readonly unknown[]; step: (s: S, p?: unknown) => unknown }
    if (typeof spec === 'function' || a.fair === undefined) continue
    const values = a.params === undefined ? [undefined] : a.params
    for (const param of values) {
      const hasParam = a.params !== undefined
      const label = hasParam ? `${name}(${String(param)})` : name
      stateAtoms.push({
        name: `ENABLED ${label}`,
        holds: (s) => {
          const t = hasParam ? a.step(s, param) : a.step(s)
          return t !== undefined && t !== null && t !== false && !same(s, t as S)
        },
      })
      actionAtoms.push({
        name: label,
        holds: (from, step, to) => step !== undefined && step.name === name && (!hasParam || step.param === param) && !same(from, to),
      })
      fairness.push({ name: label, strong: a.fair === 'strong', enabled: stateAtoms.length - 1, taken: actionAtoms.length - 1 })
    }
  }
  const liveness: LivenessProperty[] = formulas.map(({ name, formula }) => {
    const g = translate(not(formula)).generalized
    return { name, violations: { stateCount: g.stateCount, initial: g.initial, acceptanceSets: g.acceptanceSets, edges: g.edges } }
  })
  return { invariants, liveness: { stateAtoms, actionAtoms, fairness, properties: liveness } }
}
