import { existsSync, readFileSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { explore } from '../../src/core/check.js'
import type { Model } from '../../src/core/model.js'
import { claimProduct } from '../../src/lang/promela/claim.js'
import { loadPromela } from '../../src/lang/promela/load.js'
import { renderDiagnostics } from '../../src/diag/render.js'

/** The shared corpus: WEFT_CORPUS, or ../shared/corpus beside the repository. */
export function corpusDir(): string {
  const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
  return process.env['WEFT_CORPUS'] ?? join(repo, '..', 'shared', 'corpus')
}

export interface Expectation {
  readonly completed: boolean
  readonly errors: number
  readonly kind: string | null
  readonly stored: number
  readonly transitions: number
  readonly depth: number
}

export interface ManifestEntry {
  readonly name: string
  readonly file: string
  readonly mode: 'safety' | 'ltl' | 'np' | 'acceptance'
  readonly ltl?: string
  readonly canonicalArgs: { readonly spin: readonly string[]; readonly cc: readonly string[]; readonly pan: readonly string[] }
  readonly expect: { readonly canonical: Expectation; readonly canonicalNoStop?: Expectation }
}

export function readManifest(dir = corpusDir()): ManifestEntry[] | undefined {
  const path = join(dir, 'promela', 'manifest.json')
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as ManifestEntry[]) : undefined
}

export interface Outcome {
  readonly entry: ManifestEntry
  /** What differs from SPIN; empty when everything compared matches. */
  readonly mismatches: readonly string[]
  readonly weft: { readonly verdict: string; readonly distinct: number; readonly transitions: number; readonly seconds: number }
}

const SPIN_KINDS: Record<string, string> = { assertion: 'assertion', 'invalid end state': 'invalid-end-state', 'never claim violation': 'ltl' }

/** Runs one safety-mode manifest entry as pan's canonical configuration does, and compares. */
export function runEntry(entry: ManifestEntry, dir = corpusDir(), options: { continue?: boolean } = {}): Outcome {
  const file = join(dir, 'promela', entry.file)
  const text = readFileSync(file, 'utf8')
  const loaded = loadPromela({
    file,
    text,
    readFile: (name, from) => {
      const path = join(dirname(from), name)
      return existsSync(path) && !statSync(path).isDirectory() ? { name: path, text: readFileSync(path, 'utf8') } : undefined
    },
  })
  const expected = options.continue ? entry.expect.canonicalNoStop! : entry.expect.canonical
  if (!loaded.model) {
    const message = renderDiagnostics(loaded.diagnostics.slice(0, 3), (f) => loaded.sources.get(f)).split('\n').slice(0, 6).join(' | ')
    return { entry, mismatches: [`does not load: ${message}`], weft: { verdict: 'error', distinct: 0, transitions: 0, seconds: 0 } }
  }
  // A never claim (pan -a): the product with the claim, searched for its end and its accepting cycles.
  const claimed = entry.mode === 'acceptance' && (entry as { claim?: string }).claim === 'never' ? claimProduct(loaded.model, loaded.claims.find((c) => c.startsWith('never'))!) : undefined
  const r = explore<Int32Array, unknown>(claimed ?? (loaded.model as Model<Int32Array, unknown>), {
    strategy: claimed ? 'ndfs' : 'dfs',
    checkDeadlock: !claimed && !entry.canonicalArgs.pan.includes('-E'),
    continueAfterViolation: options.continue === true,
    timeLimit: 120,
  })
  const mismatches: string[] = []
  const verdict = r.violation ? r.violation.kind : r.status
  const spinVerdict = expected.errors > 0 ? (SPIN_KINDS[expected.kind ?? ''] ?? expected.kind ?? 'violation') : 'ok'
  if (r.status === 'incomplete') mismatches.push(`incomplete (${r.limit})`)
  else if (verdict !== spinVerdict && !(options.continue && r.violation)) mismatches.push(`verdict ${verdict}, SPIN ${spinVerdict}${r.violation ? ` (${r.violation.message})` : ''}`)
  const complete = expected.errors === 0 || options.continue === true
  if (complete && r.status !== 'incomplete') {
    if (r.stats.distinct !== expected.stored) mismatches.push(`stored ${r.stats.distinct}, SPIN ${expected.stored}`)
    if (r.stats.transitions !== expected.transitions) mismatches.push(`transitions ${r.stats.transitions}, SPIN ${expected.transitions}`)
  }
  return { entry, mismatches, weft: { verdict, distinct: r.stats.distinct, transitions: r.stats.transitions, seconds: r.stats.seconds } }
}

/** A table of the mismatches, one line per entry, for the test log. */
export function mismatchTable(outcomes: readonly Outcome[]): string {
  const bad = outcomes.filter((o) => o.mismatches.length > 0)
  if (bad.length === 0) return `all ${outcomes.length} entries match SPIN`
  return [`${bad.length} of ${outcomes.length} entries differ from SPIN:`, ...bad.map((o) => `  ${o.entry.name}${o.entry.ltl ? ` [${o.entry.ltl}]` : ''}: ${o.mismatches.join('; ')}`)].join('\n')
}
