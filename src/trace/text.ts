import type { SourceLookup } from '../diag/render.js'
import type { Explanation, Model, StepLabel } from '../core/model.js'
import type { Path } from '../core/path.js'
import { canonicalItf, toItfValue } from './itf.js'
import { explanationLines } from './explain.js'
import { stepLocation } from './location.js'
import { formatValue } from './format.js'

export interface TextTraceOptions {
  readonly sources?: SourceLookup
  /** What the failing step reports, when the last step itself failed. */
  readonly failure?: string
  /** For a lasso: the index (from 0) of the state where the cycle starts. */
  readonly loop?: number
  /** The violation the trace leads to, for models with their own layout (`Model.renderTrace`). */
  readonly violation?: { readonly kind: string; readonly name: string; readonly message: string }
  /** Why the violation happened (`Model.explain`), printed after the trace. */
  readonly explanation?: Explanation
  /** For a model's own layout that prints whole states (TLA+): only what each step changes. */
  readonly changesOnly?: boolean
}

/**
 * A trace as text: the initial state in full, then each step with the process and action that took
 * it, its source location, and only the variables that changed; then, when given, why the
 * violation happened.
 */
export function renderTextTrace<S, A>(model: Model<S, A>, path: Path<S, A>, options: TextTraceOptions = {}): string {
  const steps = model.renderTrace ? model.renderTrace(path, options) : renderSteps(model, path, options)
  return options.explanation ? `${steps}\n\n${explanationLines(options.explanation).join('\n')}` : steps
}

function renderSteps<S, A>(model: Model<S, A>, path: Path<S, A>, options: TextTraceOptions): string {
  const sources = options.sources ?? (() => undefined)
  const lines: string[] = []
  const init = model.view(path.init)
  if (options.loop === 0) lines.push('-- the cycle starts here --')
  lines.push('State 1: initial state')
  for (const k of Object.keys(init)) if (shown(k)) lines.push(`  ${k} = ${formatValue(init[k])}`)
  let prev = path.init
  let prevView = init
  path.steps.forEach((step, i) => {
    const label = model.label(prev, step.action)
    if (options.loop === i + 1) lines.push('-- the cycle starts here --')
    const back = options.loop !== undefined && options.loop < path.steps.length && i === path.steps.length - 1 ? ` (back to state ${options.loop + 1})` : ''
    lines.push(`State ${i + 2}: ${describeStep(label, sources)}${back}`)
    const view = model.view(step.state)
    const changed = Object.keys(view).filter((k) => shown(k) && canonicalItf(toItfValue(view[k])) !== canonicalItf(toItfValue(prevView[k])))
    for (const k of changed) lines.push(`  ${k} = ${formatValue(view[k])}`)
    if (changed.length === 0) lines.push('  (no variable changed)')
    prev = step.state
    prevView = view
  })
  if (options.loop !== undefined && options.loop === path.steps.length) lines.push(`State ${path.steps.length + 2}: stuttering (back to state ${options.loop + 1}, forever)`)
  if (path.failing) {
    const label = model.label(prev, path.failing.action)
    lines.push(`Failing step: ${describeStep(label, sources)}`)
    if (options.failure) lines.push(`  ${options.failure}`)
  }
  return lines.join('\n')
}

/** Keys starting with `@` are part of the state (control locations) but not shown: each step already says where it is. */
function shown(key: string): boolean {
  return !key.startsWith('@')
}

function describeStep(label: StepLabel, sources: SourceLookup): string {
  const who = label.process ? `${label.process}: ` : ''
  const at = stepLocation(label, sources)
  return `${who}${label.action}${at ? ` at ${at}` : ''}`
}
