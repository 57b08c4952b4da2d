import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { runCheckAsync } from '../../src/node.js'
import { InputError } from '../../src/diag/diagnostic.js'
import { renderDiagnostics } from '../../src/diag/render.js'
import { loadModelFile } from '../../src/platform/node/load-model.js'
import { corpusDir } from './promela-corpus.js'

export interface TlaEntry {
  readonly name: string
  readonly dir: string
  readonly tla: string
  readonly cfg: string
  readonly expect: {
    readonly result: 'ok' | 'invariant' | 'property' | 'deadlock' | 'error'
    readonly violated?: string
    readonly distinct: number
    readonly generated: number
    readonly depth: number
    readonly traceLength?: number
  }
  readonly tlcSeconds: number
  readonly features: readonly string[]
  readonly tier?: string
}

export function readTlaManifest(dir = corpusDir()): TlaEntry[] | undefined {
  const path = join(dir, 'tla', 'manifest.json')
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as TlaEntry[]) : undefined
}

export interface TlaOutcome {
  readonly entry: TlaEntry
  /** What differs from TLC; empty when everything compared matches. */
  readonly mismatches: readonly string[]
  readonly weft: { readonly verdict: string; readonly distinct: number; readonly transitions: number; readonly depth: number; readonly seconds: number }
}

const VERDICTS: Record<string, string> = { ok: 'ok', invariant: 'invariant', deadlock: 'deadlock', property: 'property', error: 'runtime-error' }

export interface TlaRunOptions {
  /**
   * Check the invariants alone: the cfg's PROPERTY lines are dropped (the state graph, and so
   * the distinct count, does not depend on them).
   */
  readonly withoutProperties?: boolean
}

/**
 * Runs one manifest entry as `weft check` would (breadth-first, the cfg beside the spec) and
 * compares it with TLC: the verdict and the violated name always; distinct states, states
 * generated and depth for complete searches; the trace length for violations found breadth-first.
 * Under SYMMETRY only the verdict and the distinct count are compared: which member of an orbit
 * is expanded decides the other two.
 */
export async function runTlaEntry(entry: TlaEntry, dir = corpusDir(), options: TlaRunOptions = {}): Promise<TlaOutcome> {
  const file = join(dir, 'tla', entry.tla)
  let config = join(dir, 'tla', entry.cfg)
  if (options.withoutProperties) {
    const text = readFileSync(config, 'utf8').replace(/^\s*PROPERT(Y|IES)\b.*$/gm, '')
    config = join(mkdtempSync(join(tmpdir(), 'weft-cfg-')), basename(config))
    writeFileSync(config, text)
  }
  const symmetric = entry.features.includes('symmetry')
  let loaded
  try {
    loaded = await loadModelFile(file, {}, { config })
  } catch (e) {
    if (!(e instanceof InputError)) throw e
    const text = renderDiagnostics(e.diagnostics, (f) => (existsSync(f) ? readFileSync(f, 'utf8') : undefined))
    return { entry, mismatches: [`does not load: ${text.split('\n').slice(0, 4).join(' | ')}`], weft: { verdict: 'error', distinct: 0, transitions: 0, depth: 0, seconds: 0 } }
  }
  const workers = Number(process.env['WEFT_CONFORMANCE_WORKERS'] ?? 1)
  const { summary } = await runCheckAsync(loaded.model, { strategy: 'bfs', timeLimit: Number(process.env['WEFT_CONFORMANCE_TIME_LIMIT'] ?? 600), workers, source: { file, config } })
  const v = summary.violation
  const verdict = summary.result === 'ok' ? 'ok' : v ? v.kind : summary.result
  const stats = summary.stats ?? { distinct: 0, transitions: 0, depth: 0, seconds: 0 }
  const weft = { verdict, distinct: stats.distinct, transitions: stats.transitions, depth: stats.depth, seconds: stats.seconds }
  const mismatches: string[] = []
  const want = VERDICTS[entry.expect.result]
  if (verdict !== want) mismatches.push(`verdict ${verdict}${v ? ` (${v.message})` : ''}, TLC ${entry.expect.result}`)
  else if (entry.expect.violated && v && v.name !== entry.expect.violated) mismatches.push(`violated ${v.name}, TLC ${entry.expect.violated}`)
  if (verdict === 'ok' && want === 'ok') {
    if (stats.distinct !== entry.expect.distinct) mismatches.push(`distinct ${stats.distinct}, TLC ${entry.expect.distinct}`)
    if (!symmetric && stats.transitions !== entry.expect.generated) mismatches.push(`generated ${stats.transitions}, TLC ${entry.expect.generated}`)
    if (!symmetric && stats.depth !== entry.expect.depth) mismatches.push(`depth ${stats.depth}, TLC ${entry.expect.depth}`)
  }
  if (v && verdict === want && entry.expect.traceLength !== undefined && (want === 'invariant' || want === 'deadlock') && v.length !== entry.expect.traceLength) {
    mismatches.push(`trace length ${v.length}, TLC ${entry.expect.traceLength}`)
  }
  return { entry, mismatches, weft }
}
