import type { Coverage, Explanation, Invariant, Model, SourcePoint, StepLabel, ViolationInfo } from '../../core/model.js'
import type { Path } from '../../core/path.js'
import { TransitionFailure } from '../../core/model.js'
import { StateCodec, freezeDeep } from './codec.js'
import { actionSite, explainCall, firstParam } from './explain.js'
import { isTemporalProperty, lowerTemporal, type Fairness, type TemporalProperty } from './temporal.js'

export { always, eventually, leadsTo, type Fairness, type TemporalProperty } from './temporal.js'

/** What an action returns: the next state, or `undefined` (or `null`, `false`) when it is not enabled. */
export type Next<S> = S | undefined | null | false

/** An action without parameters: one possible step. */
export type ActionFn<S> = (state: S) => Next<S>

/** An action with parameters: one possible step per parameter value, such as one per process. */
export interface ParamAction<S, P> {
  /** The values, or a function of the state giving them (in a deterministic order). */
  readonly params: readonly P[] | ((state: S) => readonly P[])
  readonly step: (state: S, param: P) => Next<S>
  /** The process that takes the step, for traces and diagrams: a prefix (`'enactor'` gives `enactor 2`) or a function. */
  readonly process?: string | ((param: P) => string)
  /** Fairness for the temporal properties, for each parameter value on its own (`params` must then be an array). */
  readonly fair?: Fairness
}

/** An action without parameters that names the process taking it. */
export interface ProcessAction<S> {
  readonly step: (state: S) => Next<S>
  /** The process that takes the step, e.g. `planner`. */
  readonly process: string
  /**
   * Fairness for the temporal properties: `weak`, a behaviour in which the action stays enabled
   * from some point on takes it infinitely often; `strong`, one in which it is enabled infinitely
   * often takes it infinitely often. Without it, a behaviour may stop taking the action.
   */
  readonly fair?: Fairness
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ActionSpec<S> = ActionFn<S> | ProcessAction<S> | ParamAction<S, any>

export interface ModelSpec<S> {
  /** Shown in reports; defaults to the file name. */
  readonly name?: string
  /** The initial state, or a function returning all initial states in a fixed order. */
  readonly init: S | (() => Iterable<S>)
  /** The actions, by name. Their order here is the order of a ChoicePath's indices. */
  readonly actions: Readonly<Record<string, ActionSpec<S>>>
  /** State predicates that must hold in every reachable state, by name. */
  readonly invariants?: Readonly<Record<string, (state: S) => boolean>>
  /** Terminal states where this holds are fine; any other terminal state is a deadlock. */
  readonly validEnd?: (state: S) => boolean
  /**
   * Temporal properties, by name: `always(p)`, `eventually(p)`, `leadsTo(p, q)`. They are checked
   * over infinite behaviours, which may stop (stutter forever) anywhere unless actions are `fair`.
   */
  readonly properties?: Readonly<Record<string, TemporalProperty<S>>>
}

/** One possible step: an action and, for a parameterised action, its parameter. */
export interface TsAction {
  readonly name: string
  readonly param?: unknown
  readonly hasParam: boolean
}

/** A model written in TypeScript, ready for `check`, `simulate` or the `weft` command. */
export interface TsModel<S> extends Model<S, TsAction> {
  readonly language: 'typescript'
}

/**
 * Fails the current step with an assertion violation when `condition` is false. Use it inside an
 * action for a check that belongs to the step rather than to the state.
 */
export function assert(condition: unknown, message = 'assertion'): asserts condition {
  if (!condition) throw new TransitionFailure('assertion', message, `assertion violated: ${message}`)
}

/** An error in a model's definition itself, found when the model is defined (before any search). */
export class ModelDefinitionError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ModelDefinitionError'
  }
}

/**
 * Defines a model from plain functions. States are plain data; actions return a new state and
 * never change the one they are given (states are frozen, so a change throws).
 *
 * ```ts
 * export default defineModel({
 *   init: { x: 0 },
 *   actions: { inc: (s) => s.x < 3 && { x: s.x + 1 } },
 *   invariants: { small: (s) => s.x <= 3 },
 * })
 * ```
 */
export function defineModel<S>(spec: ModelSpec<S>): TsModel<S> {
  validate(spec)
  const codec = new StateCodec()
  const names = Object.keys(spec.actions)
  const entries = names.map((name) => ({ name, spec: spec.actions[name]! }))
  const allStatic = entries.every((e) => !('params' in e.spec) || Array.isArray(e.spec.params))
  const staticActions: readonly TsAction[] | undefined = allStatic ? Object.freeze(entries.flatMap((e) => expand(e.name, e.spec, undefined))) : undefined
  const byName = new Map(entries.map((e) => [e.name, e.spec]))
  const invariants: Invariant<S>[] = Object.entries(spec.invariants ?? {}).map(([name, holds]) => ({ kind: 'invariant', name, holds }))
  const validEnd = spec.validEnd
  const coverageIndex = new Map(names.map((name, i) => [name, i]))
  const coverage: Coverage<S, TsAction> = {
    items: entries.map((e) => ({ name: e.name, ...(typeof e.spec !== 'function' && typeof e.spec.process === 'string' ? { group: e.spec.process } : {}) })),
    fired: (_state, action) => [coverageIndex.get(action.name)!],
  }
  const temporal = lowerTemporal<S>(spec.properties ?? {}, entries, (s) => codec.encode(s))
  const sites = new Map<string, SourcePoint | undefined>()

  const model: TsModel<S> = {
    language: 'typescript',
    name: spec.name ?? 'model',
    initStates(): readonly S[] {
      const init = spec.init
      const states = typeof init === 'function' ? [...(init as () => Iterable<S>)()] : [init]
      return states.map((s) => freezeDeep(s))
    },
    actions(state: S): readonly TsAction[] {
      return staticActions ?? entries.flatMap((e) => expand(e.name, e.spec, state))
    },
    nextState(state: S, action: TsAction): S | undefined {
      const next = run(byName.get(action.name)!, state, action)
      if (next === undefined || next === null || next === false) return undefined
      return freezeDeep(next)
    },
    properties: () => [...invariants, ...temporal.invariants],
    coverage: () => coverage,
    ...(temporal.liveness ? { liveness: temporal.liveness } : {}),
    encode: (state: S) => codec.encode(state),
    decode: (bytes: Uint8Array) => codec.decode(bytes) as S,
    ...(validEnd ? { endStates: { kind: 'deadlock' as const, isValid: validEnd } } : {}),
    label(state: S, action: TsAction): StepLabel {
      const a = byName.get(action.name)!
      // Where the action is: found once per action, by running it on a recording copy of the state (explain.ts).
      if (!sites.has(action.name)) sites.set(action.name, actionSite(state, typeof a === 'function' ? a : a.step, action.hasParam ? [action.param] : []))
      const site = sites.get(action.name)
      const at = site ? { at: site } : {}
      if (typeof a === 'function') return { action: action.name, ...at }
      if (!('params' in a)) return { action: action.name, process: a.process, ...at }
      // The parameter names the process, so the label repeats it only when no process is named.
      if (a.process === undefined) return { action: `${action.name}(${formatParam(action.param)})`, ...at }
      const process = typeof a.process === 'string' ? `${a.process} ${formatParam(action.param)}` : a.process(action.param)
      return { action: action.name, process, ...at }
    },
    explain(path: Path<S, TsAction>, violation: ViolationInfo): Explanation | undefined {
      return explainTs(spec, byName, path, violation, (s, a) => model.label(s, a))
    },
    view(state: S): Readonly<Record<string, unknown>> {
      return typeof state === 'object' && state !== null && !Array.isArray(state) && !(state instanceof Set) && !(state instanceof Map)
        ? (state as Record<string, unknown>)
        : { state }
    },
  }
  return model
}

/**
 * Why a violation happened: a failed invariant (or `always` property) run again on the last state,
 * or the failing action run again on the state it failed in, listing what it read (explain.ts).
 */
function explainTs<S>(
  spec: ModelSpec<S>,
  byName: ReadonlyMap<string, ActionSpec<S>>,
  path: Path<S, TsAction>,
  violation: ViolationInfo,
  label: (s: S, a: TsAction) => StepLabel,
): Explanation | undefined {
  const state = path.steps.at(-1)?.state ?? path.init
  const at = `state ${path.steps.length + 1}`
  if (path.failing) {
    const action = path.failing.action
    const a = byName.get(action.name)!
    const fn = typeof a === 'function' ? a : a.step
    const root = firstParam(fn)
    const l = label(state, action)
    const call = `${action.name}(${root}${action.hasParam ? `, ${formatParam(action.param)}` : ''})`
    return explainCall(root, state, (s) => run(a, s as S, action), call, `the step '${l.process ? `${l.process}: ` : ''}${l.action}' fails in ${at}`)
  }
  if (violation.kind !== 'invariant' && violation.kind !== 'property') return undefined
  const p = violation.kind === 'invariant' ? spec.invariants?.[violation.name] : spec.properties?.[violation.name]
  const fn = typeof p === 'function' ? p : p && isTemporalProperty(p) && p.op === 'always' ? p.p : undefined
  if (!fn) return undefined
  const root = firstParam(fn)
  return explainCall(root, state, (s) => fn(s as S), `${violation.name}(${root})`, `${violation.kind === 'invariant' ? 'invariant' : 'property'} '${violation.name}' fails in ${at}`)
}

/** Runs an action's step function on a state. */
function run<S>(a: ActionSpec<S>, state: S, action: TsAction): Next<S> {
  return typeof a === 'function' ? a(state) : 'params' in a ? a.step(state, action.param) : a.step(state)
}

function expand<S>(name: string, spec: ActionSpec<S>, state: S | undefined): TsAction[] {
  if (!('params' in spec)) return [{ name, hasParam: false }]
  const params = typeof spec.params === 'function' ? spec.params(state as S) : spec.params
  return params.map((param) => ({ name, param, hasParam: true }))
}

function formatParam(p: unknown): string {
  if (typeof p === 'string') return p
  if (typeof p === 'number' || typeof p === 'boolean' || typeof p === 'bigint' || p === null) return String(p)
  return JSON.stringify(p)
}

function validate<S>(spec: ModelSpec<S>): void {
  if (typeof spec !== 'object' || spec === null) throw new ModelDefinitionError('defineModel expects an object with init and actions')
  if (!('init' in spec) || spec.init === undefined) throw new ModelDefinitionError("the model has no 'init': give the initial state, or a function returning the initial states")
  if (typeof spec.actions !== 'object' || spec.actions === null || Object.keys(spec.actions).length === 0) {
    throw new ModelDefinitionError("the model has no 'actions': give an object of named actions")
  }
  for (const [name, a] of Object.entries(spec.actions)) {
    if (typeof a === 'function') continue
    const ok =
      typeof a === 'object' &&
      a !== null &&
      typeof a.step === 'function' &&
      ('params' in a ? typeof a.params === 'function' || Array.isArray(a.params) : typeof a.process === 'string')
    if (!ok) {
      throw new ModelDefinitionError(`action '${name}' must be a function, an object with 'step' and 'process', or an object with 'params' (an array or a function) and 'step'`)
    }
    const fair = (a as { fair?: unknown }).fair
    if (fair !== undefined && fair !== 'weak' && fair !== 'strong') throw new ModelDefinitionError(`action '${name}': 'fair' must be 'weak' or 'strong'`)
    if (fair !== undefined && 'params' in a && !Array.isArray(a.params)) throw new ModelDefinitionError(`action '${name}' is fair, so its 'params' must be an array (fairness is per parameter value)`)
  }
  for (const [name, p] of Object.entries(spec.invariants ?? {})) {
    if (typeof p !== 'function') throw new ModelDefinitionError(`invariant '${name}' must be a function of the state`)
  }
  for (const [name, p] of Object.entries(spec.properties ?? {})) {
    if (!isTemporalProperty(p)) throw new ModelDefinitionError(`property '${name}' must be made by always(p), eventually(p) or leadsTo(p, q)`)
  }
  if (spec.validEnd !== undefined && typeof spec.validEnd !== 'function') throw new ModelDefinitionError("'validEnd' must be a function of the state")
}

/** Whether a module export is a model (from defineModel or a hand-written Model). */
export function isModel(v: unknown): v is Model<unknown, unknown> {
  if (typeof v !== 'object' || v === null) return false
  const m = v as Record<string, unknown>
  return ['initStates', 'actions', 'nextState', 'properties', 'encode', 'label', 'view'].every((k) => typeof m[k] === 'function')
}
