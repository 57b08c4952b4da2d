import type { CoverageItem } from '../core/model.js'
import type { SourceLookup } from '../diag/render.js'
import { lineColAt } from '../diag/span.js'

/** One action or statement and how often the check fired it. */
export interface CoverageEntry {
  readonly name: string
  /** The proctype (Promela) or process (TypeScript) it belongs to. */
  readonly group?: string
  readonly file?: string
  /** 1-based. */
  readonly line?: number
  readonly count: number
}

/** What `--coverage` adds to the summary: every item with its count; those at 0 never fired (dead code). */
export interface CoverageSummary {
  /** `statement` (Promela) or `action` (TypeScript actions, TLA+ disjuncts). */
  readonly unit: 'statement' | 'action'
  readonly total: number
  readonly fired: number
  readonly items: readonly CoverageEntry[]
}

export function summarizeCoverage(items: readonly CoverageItem[], counts: ArrayLike<number>, unit: CoverageSummary['unit'], sources?: SourceLookup): CoverageSummary {
  const entries = items.map((it, i): CoverageEntry => {
    const text = it.span && sources ? sources(it.span.file) : undefined
    const line = it.span && text !== undefined ? lineColAt(text, it.span.start).line : undefined
    return { name: it.name, ...(it.group ? { group: it.group } : {}), ...(it.span ? { file: it.span.file } : {}), ...(line === undefined ? {} : { line }), count: counts[i]! }
  })
  return { unit, total: entries.length, fired: entries.filter((e) => e.count > 0).length, items: entries }
}

/**
 * The coverage table: each item with its count, then those that never fired, as SPIN's
 * unreached-code report lists them.
 */
export function renderCoverage(c: CoverageSummary): string {
  const plural = `${c.unit}s`
  const where = (e: CoverageEntry): string => (e.file ? `${e.file}${e.line === undefined ? '' : `:${e.line}`}` : '')
  const rows = c.items.map((e) => [e.group ?? '', where(e), oneLine(e.name), e.count.toLocaleString('en-US')])
  const widths = [0, 1, 2].map((k) => Math.min(48, Math.max(0, ...rows.map((r) => r[k]!.length))))
  const countWidth = Math.max(...rows.map((r) => r[3]!.length), 1)
  const columns = [0, 1, 2].filter((k) => k === 2 || rows.some((r) => r[k] !== ''))
  const line = (r: string[]): string => `  ${columns.map((k) => r[k]!.padEnd(widths[k]!)).join('  ')}  ${r[3]!.padStart(countWidth)}`.replace(/\s+$/, '')
  const out = [`Coverage: ${c.fired} of ${c.total} ${plural} fired${c.total > c.fired ? ` (${c.total - c.fired} never did)` : ''}`]
  for (const r of rows) out.push(line(r))
  const dead = c.items.filter((e) => e.count === 0)
  if (dead.length > 0) {
    out.push(`Never fired (unreached ${plural}):`)
    for (const e of dead) out.push(`  ${[e.group ? `${e.group}:` : '', where(e), oneLine(e.name)].filter((x) => x !== '').join(' ')}`)
  }
  return out.join('\n')
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > 48 ? `${flat.slice(0, 45)}...` : flat
}
