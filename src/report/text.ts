import type { Model } from '../core/model.js'
import type { Path } from '../core/path.js'
import type { SourceLookup } from '../diag/render.js'
import { renderTextTrace } from '../trace/text.js'
import { renderCoverage } from './coverage.js'
import type { CheckSummary, StoreSummary } from './summary.js'

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
      if (simulated) lines.push(`No violation in ${fmt(stats?.transitions ?? 0)} simulated steps.`)
      else if (stats?.store) lines.push(`No violation found in the ${fmt(stats.distinct)} states stored. The search is partial (${storeName(stats.store)}): states may have been missed.`)
      else lines.push(`No violation: every property holds in all ${fmt(stats?.distinct ?? 0)} reachable states.`)
      break
    case 'incomplete':
      lines.push(`Incomplete: the search stopped at the ${summary.limit ?? 'limit'} before it finished; no violation found so far.`)
      break
    case 'violation': {
      const v = summary.violation!
      // An approximate store may have missed the states of a shorter one.
      const shortest =
        v.loop !== undefined ? ', a lasso: a prefix, then a cycle repeated forever' : options.mode.startsWith('breadth-first') && !stats?.store ? ', a shortest counterexample' : ''
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
      ...(stats.store ? storeLines(stats.store, stats.collisionProbability) : [`Probability that a fingerprint collision hid a state: ${stats.collisionProbability.toPrecision(2)}`]),
      ...(stats.spilledBytes ? [`The breadth-first frontier spilled ${mib(stats.spilledBytes)} to disk.`] : []),
    )
  } else if (stats) {
    lines.push('', `${fmt(stats.transitions)} steps, ${stats.seconds.toFixed(2)} s`)
  }
  if (summary.coverage) lines.push('', renderCoverage(summary.coverage))
  return lines.join('\n')
}

function storeName(store: StoreSummary): string {
  return store.mode === 'bitstate' ? `bitstate, ${mib(store.bytes)} bit array` : 'hash compaction, 40-bit fingerprints'
}

/** What pan reports for -DBITSTATE (hash factor, bits per state) and -DHC, with the estimate of what was missed. */
function storeLines(store: StoreSummary, missProbability: number): string[] {
  const lines: string[] = []
  if (store.mode === 'bitstate') {
    lines.push(
      `Bitstate: ${mib(store.bytes)} bit array, ${store.hashFunctions} bit${store.hashFunctions === 1 ? '' : 's'} set per state (-k${store.hashFunctions}), hash factor ${store.hashFactor!.toFixed(1)} (best if > 100), ${pct(store.fill!)} of bits set`,
    )
  } else {
    lines.push(`Hash compaction: 40 bits kept per state, ${mib(store.bytes)} table`)
  }
  lines.push(
    `States expected missed: ${store.expectedMissed.toPrecision(2)}; probability that any was missed: ${missProbability.toPrecision(2)}; expected coverage: ${pct(store.expectedCoverage)}`,
  )
  return lines
}

function pct(x: number): string {
  return `${(x * 100).toFixed(x >= 0.9999 || x <= 0.0001 ? 4 : 2)} %`
}

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(bytes >= 2 ** 20 ? 0 : 2)} MiB`
}

function fmt(n: number): string {
  return n.toLocaleString('en-US')
}
