/**
 * Traces as TLC prints them: the violation in TLC's words, then every state in full,
 * `State 1: <Initial predicate>`, `State 2: <Action line L, col C to line L2, col C2 of module M>`,
 * each variable as `/\ name = value` in TLC's value syntax (or the ALIAS's fields, when the cfg
 * gives one).
 */
import type { TraceRenderOptions } from '../../core/model.js'
import type { Path } from '../../core/path.js'
import { lineColAt, type Span } from '../../diag/span.js'
import { show, type Value } from './values.js'

/** `line 3, col 9 to line 3, col 20 of module Spec`, as TLC locates an expression (the end column is its last character). */
export function tlcLocation(span: Span, text: string | undefined): string {
  const module = moduleOf(span.file)
  if (text === undefined) return `module ${module}`
  let end = span.end
  while (end > span.start + 1 && /\s/.test(text[end - 1]!)) end--
  const a = lineColAt(text, span.start)
  const b = lineColAt(text, Math.max(span.start, end - 1))
  return `line ${a.line}, col ${a.col} to line ${b.line}, col ${b.col} of module ${module}`
}

function moduleOf(file: string): string {
  const base = file.split(/[\\/]/).pop() ?? file
  return base.replace(/\.tla$/, '')
}

/** How a state prints: named values, in order. */
export type StateLines = (state: readonly Value[]) => readonly (readonly [string, Value])[]

/** One state as TLC prints it: `/\ x = 1` per variable, or `x = 1` when there is only one. */
export function tlcState(entries: readonly (readonly [string, Value])[], variables = entries.length): string {
  if (variables === 1) return `${entries[0]![0]} = ${show(entries[0]![1])}`
  return entries.map(([k, v]) => `/\\ ${k} = ${show(v)}`).join('\n')
}

/** The first line TLC prints for a violation. */
export function tlcHeadline(v: NonNullable<TraceRenderOptions['violation']>): string {
  switch (v.kind) {
    case 'invariant':
      return `Error: Invariant ${v.name} is violated.`
    case 'deadlock':
      return 'Error: Deadlock reached.'
    case 'assertion':
      return `Error: ${v.message}`
    default:
      return `Error: ${v.message}`
  }
}

export interface TlcTraceParts<A> {
  readonly entries: StateLines
  /** The action that took a step: its name and where TLC locates it. */
  readonly step: (action: A) => { readonly name: string; readonly span: Span }
}

export function renderTlcTrace<A>(parts: TlcTraceParts<A>, path: Path<readonly Value[], A>, options: TraceRenderOptions): string {
  const sources = options.sources ?? (() => undefined)
  const out: string[] = []
  if (options.violation) out.push(tlcHeadline(options.violation))
  out.push(options.loop === undefined ? 'Error: The behavior up to this point is:' : 'Error: The following behavior constitutes a counter-example:')
  const states: string[] = [`State 1: <Initial predicate>\n${tlcState(parts.entries(path.init))}`]
  let before = parts.entries(path.init)
  path.steps.forEach((s, i) => {
    const { name, span } = parts.step(s.action)
    const entries = parts.entries(s.state)
    // With changesOnly, a variable is left out when it prints as it did in the state before.
    const shown = options.changesOnly ? entries.filter(([k, v], j) => before[j]?.[0] !== k || show(before[j]![1]) !== show(v)) : entries
    before = entries
    states.push(`State ${i + 2}: <${name} ${tlcLocation(span, sources(span.file))}>\n${shown.length === 0 ? '(no variable changed)' : tlcState(shown, entries.length)}`)
  })
  if (options.loop !== undefined) {
    // A lasso whose cycle is its last state alone is that state stuttering forever, which TLC prints as such.
    const n = path.steps.length + 2
    states.push(options.loop === path.steps.length ? `State ${n}: Stuttering` : `State ${n}: Back to state ${options.loop + 1}`)
  }
  out.push(states.join('\n\n'))
  if (path.failing) {
    const { name, span } = parts.step(path.failing.action)
    out.push('', `The next step, ${name} at ${tlcLocation(span, sources(span.file))}, fails.`)
  }
  return out.join('\n')
}
