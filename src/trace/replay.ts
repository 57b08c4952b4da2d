import type { Model } from '../core/model.js'
import type { Path, PathStep } from '../core/path.js'
import { canonicalItf, toItfValue } from './itf.js'

export type ReplayResult<S, A> =
  | { readonly ok: true; readonly path: Path<S, A> }
  | { readonly ok: false; readonly reason: string; readonly matched: number; readonly total: number }

/**
 * Re-executes an ITF trace: its first state must be an initial state of the model, and each next
 * state the successor of the one before under some action. Only the variables the trace lists are
 * compared, so a trace from another tool replays as long as it names the same variables.
 */
export function replayItf<S, A>(model: Model<S, A>, trace: unknown): ReplayResult<S, A> {
  const shape = checkShape(trace)
  if (typeof shape === 'string') return { ok: false, reason: shape, matched: 0, total: 0 }
  const { vars, states } = shape
  const total = states.length
  // A `@` name the model does not have (the location of a claim the trace was checked against) is not compared.
  const fits = (s: S, k: number): boolean => {
    const view = model.view(s)
    const st = states[k]!
    return vars.every((v) => (v.startsWith('@') && !(v in view)) || canonicalItf(view[v] === undefined ? undefined : toItfValue(view[v])) === canonicalItf(st[v]))
  }
  const inits = model.initStates()
  const first = inits.findIndex((s) => fits(s, 0))
  if (first < 0) return { ok: false, reason: 'state 1 is not an initial state of the model', matched: 0, total }
  let state: S = inits[first]!
  const steps: PathStep<S, A>[] = []
  for (let k = 1; k < total; k++) {
    const acts = model.actions(state)
    let found: PathStep<S, A> | undefined
    for (let i = 0; i < acts.length && !found; i++) {
      let next: S | undefined
      try {
        next = model.nextState(state, acts[i]!)
      } catch {
        continue
      }
      if (next !== undefined && fits(next, k)) found = { action: acts[i]!, index: i, state: next }
    }
    if (!found) return { ok: false, reason: `no action leads from state ${k} to state ${k + 1}`, matched: k, total }
    steps.push(found)
    state = found.state
  }
  return { ok: true, path: { choices: [first, ...steps.map((s) => s.index)], init: inits[first]!, steps } }
}

function checkShape(trace: unknown): { vars: string[]; states: Record<string, unknown>[] } | string {
  if (typeof trace !== 'object' || trace === null) return 'it is not a JSON object'
  const t = trace as Record<string, unknown>
  if (!Array.isArray(t['states']) || t['states'].length === 0) return "it has no 'states' array"
  if (!t['states'].every((s) => typeof s === 'object' && s !== null)) return 'a state is not an object'
  const states = t['states'] as Record<string, unknown>[]
  const vars = Array.isArray(t['vars']) ? (t['vars'] as unknown[]).filter((v): v is string => typeof v === 'string') : Object.keys(states[0]!).filter((k) => k !== '#meta')
  return { vars, states }
}
