import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { explore } from '../../src/core/check.js'
import type { SearchResult } from '../../src/core/search/types.js'
import { reduceModel } from '../../src/lang/promela/reduce.js'
import { corpusDir, loadEntry, readManifest, type ManifestEntry } from '../support/promela-corpus.js'

/**
 * Partial-order reduction never changes a verdict: every corpus model's safety check (assertions,
 * invalid end states; claims left out, as `--no-ltl`) gets the same result with `--reduce` as
 * without, depth-first as pan searches. Entries whose canonical space is larger than LIMIT stored
 * states are left out to keep the run short. The table printed at the end sets the reduced counts
 * beside SPIN's default configuration's stored states; those come from pan's own reduction *and*
 * its statement merging (several statements of a process as one step), which weft does not do,
 * so they differ in kind and are shown only for scale.
 */
const LIMIT = Number(process.env['WEFT_REDUCE_LIMIT'] ?? 100_000)
/** A bound on each search, so that a model whose safety space is much larger than its claim's stays short. */
const MAX_STATES = 200_000

const manifest = readManifest()

interface Row {
  readonly name: string
  readonly verdict: string
  readonly full: number
  readonly reduced: number
  readonly spinDefault?: number
}

const verdictOf = (r: SearchResult): string => (r.violation ? (r.violation.name === r.violation.kind ? r.violation.kind : `${r.violation.kind} ${r.violation.name}`) : r.status)

describe('Promela partial-order reduction keeps every corpus verdict', () => {
  if (!manifest) {
    it.skip(`the corpus is not at ${corpusDir()} (set WEFT_CORPUS to run these tests)`, () => {})
    return
  }
  const entries = manifest.filter((e) => e.expect.canonical.stored <= LIMIT)
  // One check per model file (claim entries of one model share its safety check).
  const byFile = new Map<string, ManifestEntry>()
  for (const e of entries) if (!byFile.has(e.file) || e.mode === 'safety') byFile.set(e.file, e)
  const rows: Row[] = []
  const skipped: string[] = []

  for (const entry of byFile.values()) {
    it(entry.name, () => {
      const { loaded } = loadEntry(entry)
      assert.ok(loaded.model, `${entry.name} does not load`)
      const options = {
        strategy: 'dfs',
        // pan -E: no invalid end states.
        checkDeadlock: !entry.canonicalArgs.pan.includes('-E'),
        continueAfterViolation: false,
        maxStates: MAX_STATES,
      } as const
      const full = explore(loaded.model, options)
      const reduced = explore(reduceModel(loadEntry(entry).loaded.model!), options)
      if (full.status === 'incomplete' || reduced.status === 'incomplete') {
        // Only a violation found by one search decides; a search cut short decides nothing.
        assert.ok(!(full.status === 'ok' && reduced.violation) && !(reduced.status === 'ok' && full.violation), `${entry.name}: ${verdictOf(full)} without reduction, ${verdictOf(reduced)} with it`)
        skipped.push(`${entry.name} (${full.status === 'incomplete' ? 'without' : 'with'} reduction: over ${MAX_STATES} states)`)
        return
      }
      assert.equal(verdictOf(reduced), verdictOf(full), `${entry.name}: the verdict with reduction differs`)
      assert.ok(reduced.stats.distinct <= full.stats.distinct, `${entry.name}: more states with reduction`)
      const spin = entry.mode === 'safety' ? entry.expect.default : undefined
      rows.push({ name: entry.name, verdict: verdictOf(full), full: full.stats.distinct, reduced: reduced.stats.distinct, ...(spin ? { spinDefault: spin.stored } : {}) })
    })
  }

  it('prints the reduced counts beside SPIN default configuration', (t) => {
    const pad = (s: string | number, n: number): string => String(s).padStart(n)
    const lines = [`${'entry'.padEnd(44)} ${pad('weft', 9)} ${pad('--reduce', 9)} ${pad('SPIN dflt', 9)}  verdict`]
    for (const r of rows) lines.push(`${r.name.padEnd(44)} ${pad(r.full, 9)} ${pad(r.reduced, 9)} ${pad(r.spinDefault ?? '-', 9)}  ${r.verdict}`)
    const total = (f: (r: Row) => number): number => rows.reduce((a, r) => a + f(r), 0)
    lines.push(`${rows.length} models: ${total((r) => r.full)} states without reduction, ${total((r) => r.reduced)} with it`)
    lines.push("SPIN dflt: pan's default build (its reduction and its statement merging), safety entries only; not the same kind of count")
    if (skipped.length > 0) lines.push(`not compared: ${skipped.join(', ')}`)
    for (const line of lines) t.diagnostic(line)
    assert.equal(rows.length + skipped.length, byFile.size)
  })
})
