import type { Model } from '../core/model.js'
import type { Path } from '../core/path.js'
import type { SourceLookup } from '../diag/render.js'
import { renderTextTrace } from '../trace/text.js'
import { renderCoverage } from './coverage.js'
import type { CheckSummary } from './summary.js'

export interface TextReportOptions {
  /** How the search ran: `breadth-first`, `depth-first`, `simulation, seed 3`. */
  readonly mode: string
  readonly sources?: SourceLookup
  readonly traceOut?: string | undefined
  /** TLA+: each state with only the variables its step changed, not TLC's whole states. */
  readonly changesOnly?: boolean
}

/** The human-readable report of a check or simulation: the verdict, the trace, the statistics. */
export function renderSummary<S, A>(model: Model<S, A>, summary: CheckSummary, path: Path<S, A> | undefined, options: TextReportOptions): string {
  const lines: string[] = [`weft ${summary.weft} · ${summary.model} (${summary.language}) · ${options.mode}`, '']
  const stats = summary.stats
  const simulated = options.mode.startsWith('simulation')
  switch (summary.result) {
    case 'ok':
      lines.push(simulated ? `No violation in ${fmt(stats?.transitions ?? 0)} simulated steps.` : `No violation: every property holds in all ${fmt(stats?.distinct ?? 0)} reachable states.`)
      break
    case 'incomplete':
      lines.push(`Incomplete: the search stopped at the ${summary.limit ?? 'limit'} before it finished; no violation found so far.`)
      break
    case 'violation': {
      const v = summary.violation!
      const shortest =
        v.loop !== undefined ? ', a lasso: a prefix, then a cycle repeated forever' : options.mode.startsWith('breadth-first') ? ', a shortest counterexample' : ''
      lines.push(`Violation (${v.kind}): ${v.message}`)
      lines.push(`Trace of ${v.length} state${v.length === 1 ? '' : 's'}${shortest}:`, '')
      if (path) {
        const failure = path.failing ? `fails: ${v.message}` : undefined
        lines.push(
          renderTextTrace(model, path, {
            ...(options.sources ? { sources: options.sources } : {}),
            ...(failure ? { failure } : {}),
            ...(v.loop === undefined ? {} : { loop: v.loop }),
            violation: { kind: v.kind, name: v.name, message: v.message },
            ...(v.explanation ? { explanation: v.explanation } : {}),
            ...(options.changesOnly ? { changesOnly: true } : {}),
          }),
        )
      }
      lines.push('', `Choice path: ${v.path}`)
      if (options.traceOut) lines.push(`Trace written to ${options.traceOut} (replay it with: weft replay ${summary.model} ${options.traceOut})`)
      if (summary.violations && summary.violations > 1) lines.push(`${fmt(summary.violations)} violations in all.`)
      break
    }
    case 'error':
      lines.push(`Error: ${summary.error?.message ?? ''}`)
      break
  }
  if (stats && !simulated) {
    lines.push(
      '',
      `${fmt(stats.distinct)} distinct states, ${fmt(stats.transitions)} transitions, depth ${fmt(stats.depth)}, ${stats.seconds.toFixed(2)} s (${fmt(stats.statesPerSecond)} states/s)`,
      `Probability that a fingerprint collision hid a state: ${stats.collisionProbability.toPrecision(2)}`,
    )
  } else if (stats) {
    lines.push('', `${fmt(stats.transitions)} steps, ${stats.seconds.toFixed(2)} s`)
  }
  if (summary.coverage) lines.push('', renderCoverage(summary.coverage))
  return lines.join('\n')
}

function fmt(n: number): string {
  return n.toLocaleString('en-US')
}
