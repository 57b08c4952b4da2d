import { existsSync, readFileSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { explore } from '../../src/core/check.js'
import { searchInWorkers, searchInWorkersDfs } from '../../src/platform/node/parallel.js'
import type { Model } from '../../src/core/model.js'
import { acceptLabelModel, claimProduct, nonProgressProduct, type ClaimProduct } from '../../src/lang/promela/claim.js'
import type { PromelaModel } from '../../src/lang/promela/model.js'
import { loadPromela } from '../../src/lang/promela/load.js'
import { renderDiagnostics } from '../../src/diag/render.js'

/** The shared corpus: WEFT_CORPUS, or ../shared/corpus beside the repository. */
export function corpusDir(): string {
  const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
  return process.env['WEFT_CORPUS'] ?? join(repo, '..', 'shared', 'corpus')
}

export interface Expectation {
  /** SPIN's default configuration only (`expect.default`): states matched. */
  readonly matched?: number
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
  /** `default`: SPIN's own defaults (partial-order reduction and statement merging on); `canonical`: neither. */
  readonly expect: { readonly canonical: Expectation; readonly canonicalNoStop?: Expectation; readonly default?: Expectation }
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

const SPIN_KINDS: Record<string, string> = {
  assertion: 'assertion',
  'invalid end state': 'invalid-end-state',
  'never claim violation': 'ltl',
  'ref to uninitialized chan name (len)': 'runtime-error',
  'acceptance cycle': 'acceptance-cycle',
  'non-progress cycle': 'non-progress-cycle',
}

/** Whether weft can run an entry yet: every mode (safety, ltl and never claims, accept labels, non-progress). */
export function isSupported(entry: ManifestEntry, dir = corpusDir()): boolean {
  if (entry.mode !== 'ltl') return true
  const { loaded } = loadEntry(entry, dir)
  return loaded.model !== undefined && claimOf(entry, loaded.model, loaded.claims) !== undefined
}

function claimOf(entry: ManifestEntry, model: PromelaModel, claims: readonly string[]): ClaimProduct | undefined {
  if (entry.mode === 'acceptance' && (entry as { claim?: string }).claim === 'never') return claimProduct(model, claims.find((c) => c.startsWith('never'))!)
  if (entry.mode === 'ltl' && entry.ltl) return claimProduct(model, entry.ltl)
  if (entry.mode === 'np') return nonProgressProduct(model)
  return undefined
}

function includeFrom(name: string, from: string): { name: string; text: string } | undefined {
  const path = join(dirname(from), name)
  return existsSync(path) && !statSync(path).isDirectory() ? { name: path, text: readFileSync(path, 'utf8') } : undefined
}

/** Worker threads for the conformance runs (WEFT_CONFORMANCE_WORKERS, default 1). */
export const CONFORMANCE_WORKERS = Number(process.env['WEFT_CONFORMANCE_WORKERS'] ?? 1)

/** Loads an entry's model (with the files it includes, from beside it). */
export function loadEntry(entry: ManifestEntry, dir = corpusDir()): { file: string; loaded: ReturnType<typeof loadPromela> } {
  const file = join(dir, 'promela', entry.file)
  return { file, loaded: loadPromela({ file, text: readFileSync(file, 'utf8'), readFile: includeFrom }) }
}

/** Runs one safety-mode manifest entry as pan's canonical configuration does, and compares. */
export async function runEntry(entry: ManifestEntry, dir = corpusDir(), options: { continue?: boolean; bfs?: boolean } = {}): Promise<Outcome> {
  const { file, loaded } = loadEntry(entry, dir)
  const expected = options.continue ? entry.expect.canonicalNoStop! : entry.expect.canonical
  if (!loaded.model) {
    const message = renderDiagnostics(loaded.diagnostics.slice(0, 3), (f) => loaded.sources.get(f)).split('\n').slice(0, 6).join(' | ')
    return { entry, mismatches: [`does not load: ${message}`], weft: { verdict: 'error', distinct: 0, transitions: 0, seconds: 0 } }
  }
  // A claim (pan -a [-N name]): the product with the claim, searched for its end, its failed asserts and its accepting cycles.
  const claimed = claimOf(entry, loaded.model, loaded.claims)
  // pan -a without a claim: cycles through the processes' accept labels.
  const acceptLabels = entry.mode === 'acceptance' && !claimed ? acceptLabelModel(loaded.model) : undefined
  const strategy = (claimed && !claimed.isSafety) || acceptLabels ? 'ndfs' : options.bfs ? 'bfs' : 'dfs'
  const search = {
    checkDeadlock: !claimed && !acceptLabels && !entry.canonicalArgs.pan.includes('-E'),
    continueAfterViolation: options.continue === true,
    timeLimit: Number(process.env['WEFT_CONFORMANCE_TIME_LIMIT'] ?? 300),
  }
  // WEFT_CONFORMANCE_WORKERS=N: the searches that need no cycle detection run on N worker threads (depth-first, or breadth-first when asked).
  const usedWorkers = CONFORMANCE_WORKERS > 1 && strategy !== 'ndfs' && entry.mode !== 'np'
  const source = { file, ...(claimed ? { claim: entry.mode === 'ltl' ? entry.ltl! : loaded.claims.find((c) => c.startsWith('never'))! } : {}) }
  const r = usedWorkers
    ? await (strategy === 'dfs' ? searchInWorkersDfs : searchInWorkers)(source, CONFORMANCE_WORKERS, { ...search, depthUnit: 'steps' })
    : explore<Int32Array, unknown>(claimed ?? acceptLabels ?? (loaded.model as Model<Int32Array, unknown>), { ...search, strategy })
  const mismatches: string[] = []
  const verdict = r.violation ? r.violation.kind : r.status
  const spinKind = SPIN_KINDS[expected.kind ?? ''] ?? expected.kind ?? 'violation'
  // With a claim, SPIN reports the claim's assert as an assertion and its cycles as acceptance cycles: weft says ltl.
  const byClaim = claimed !== undefined && entry.mode !== 'np'
  const spinVerdict = expected.errors === 0 ? 'ok' : byClaim && spinKind !== 'runtime-error' ? 'ltl' : spinKind
  if (r.status === 'incomplete') mismatches.push(`incomplete (${r.limit})`)
  else if (verdict !== spinVerdict && !(options.continue && r.violation)) mismatches.push(`verdict ${verdict}, SPIN ${spinVerdict}${r.violation ? ` (${r.violation.message})` : ''}`)
  const complete = expected.errors === 0 || options.continue === true
  if (complete && r.status !== 'incomplete') {
    if (!asPanPrints(r.stats.distinct, expected.stored)) mismatches.push(`stored ${r.stats.distinct}, SPIN ${expected.stored}`)
    if (!asPanPrints(r.stats.transitions, expected.transitions)) mismatches.push(`transitions ${r.stats.transitions}, SPIN ${expected.transitions}`)
    // pan -c0 counts every (state, failing step) pair, and every invalid end state.
    if (options.continue && r.violations !== expected.errors) mismatches.push(`errors ${r.violations}, SPIN ${expected.errors}`)
    // "depth reached" depends on the search order: it compares only for a one-thread depth-first search, which follows SPIN's order.
    if (!usedWorkers && strategy !== 'bfs' && r.stats.depth !== expected.depth) mismatches.push(`depth ${r.stats.depth}, SPIN ${expected.depth}`)
  }
  return { entry, mismatches, weft: { verdict, distinct: r.stats.distinct, transitions: r.stats.transitions, seconds: r.stats.seconds } }
}

/**
 * Whether a count equals the figure pan printed for it: pan prints its statistics with `%9.8g`,
 * eight significant digits, so a count of 100,000,000 or more is rounded as C's printf rounds,
 * half to even (137,090,947 transitions print as 137,090,950, and 111,909,365 as 111,909,360).
 */
export function asPanPrints(count: number, printed: number): boolean {
  const digits = String(Math.trunc(count)).length
  if (digits <= 8) return count === printed
  const scale = 10 ** (digits - 8)
  let q = Math.floor(count / scale)
  const twice = 2 * (count - q * scale)
  if (twice > scale || (twice === scale && q % 2 === 1)) q++
  return q * scale === printed
}

/** A table of the mismatches, one line per entry, for the test log. */
export function mismatchTable(outcomes: readonly Outcome[]): string {
  const bad = outcomes.filter((o) => o.mismatches.length > 0)
  if (bad.length === 0) return `all ${outcomes.length} entries match SPIN`
  return [`${bad.length} of ${outcomes.length} entries differ from SPIN:`, ...bad.map((o) => `  ${o.entry.name}${o.entry.ltl ? ` [${o.entry.ltl}]` : ''}: ${o.mismatches.join('; ')}`)].join('\n')
}
