/**
 * One benchmark case, run in a fresh node process (so that one case's heap, JIT feedback and
 * loaded modules do not colour the next): builds the model, runs `explore()` once, and returns the
 * search statistics together with what the orchestrator needs to check the counts.
 */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { explore } from '../src/core/check.js'
import type { Model } from '../src/core/model.js'
import type { SearchOptions, SearchResult, StoreChoice } from '../src/core/search/types.js'
import type { StoreReport } from '../src/core/store/seen-set.js'
import { counterModel, expectedCounts, type Expected } from './synthetic.js'

/** The repository root: this file runs as dist/bench/cases.js. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url))

/** SPIN's canonical figures for a Promela case, from the corpus manifest. */
export interface SpinFigures {
  readonly stored: number
  readonly transitions: number
  /** pan's own search time on a machine of this kind (not measured side by side). */
  readonly panSeconds: number
}

/** TLC 2.20's figures for a TLA+ case (the corpus manifest, or measured once for the examples). */
export interface TlcFigures {
  readonly distinct: number
  readonly generated: number
  /** Wall time of the java process, JVM start (about 0.7 s) included; undefined when not measured. */
  readonly tlcSeconds?: number
}

export type CaseSpec =
  | {
      readonly kind: 'synthetic'
      readonly name: string
      readonly strategy: 'bfs' | 'dfs'
      readonly ranges: readonly number[]
      readonly workers?: number
      /** An approximate store (bitstate, hash compaction) instead of the exact one. */
      readonly store?: StoreChoice
      /** Spill the breadth-first frontier past this many bytes to a temporary file. */
      readonly frontierBytes?: number
    }
  | {
      readonly kind: 'promela'
      readonly name: string
      /** `ndfs`: the nested depth-first search pan -a runs, for a claim. */
      readonly strategy: 'bfs' | 'dfs' | 'ndfs'
      /** Absolute, or relative to the repository root. */
      readonly file: string
      readonly defines: Readonly<Record<string, string>>
      /** Check this ltl formula or never claim (the product pan -a explores). */
      readonly ltl?: string
      /** Under weak fairness (weft --fair, pan -a -f): the fair-cycle search over the whole product graph. */
      readonly fair?: boolean
      readonly spin?: SpinFigures
      readonly workers?: number
      /** With partial-order reduction (weft --reduce; safety checks only, so without `ltl`). */
      readonly reduce?: boolean
    }
  | {
      readonly kind: 'tla'
      readonly name: string
      readonly strategy: 'bfs'
      /** The spec and its cfg, absolute or relative to the repository root. */
      readonly file: string
      readonly cfg: string
      readonly tlc?: TlcFigures
      readonly workers?: number
    }
  | {
      readonly kind: 'dns'
      readonly name: string
      readonly strategy: 'bfs' | 'dfs'
      readonly file: string
      readonly constants: Readonly<Record<string, number>>
      readonly workers?: number
    }

export interface CaseResult {
  readonly name: string
  readonly kind: CaseSpec['kind']
  readonly model: string
  readonly strategy: 'bfs' | 'dfs' | 'ndfs'
  /** Worker threads (breadth-first search only). */
  readonly workers: number
  readonly status: SearchResult['status']
  readonly limit?: string
  readonly violation?: string
  readonly distinct: number
  readonly transitions: number
  readonly depth: number
  /** The engine's own search time (stats.seconds): excludes loading the model and starting node. */
  readonly seconds: number
  readonly statesPerSecond: number
  /**
   * CPU time of the case's process during the search (every thread: the search, the garbage
   * collector's helpers and the compiler), and the states per CPU second. On a machine shared with
   * other work the wall-clock rate drops with the load; this one does not, and on an idle machine
   * a one-worker search's wall time is at most its CPU time.
   */
  readonly cpuSeconds: number
  readonly statesPerCpuSecond: number
  readonly transitionsPerSecond: number
  readonly seenSetBytes: number
  readonly traceBytes: number
  readonly seenBytesPerState: number
  readonly traceBytesPerState: number
  readonly collisionProbability: number
  /** An approximate store's figures (bitstate, hash compaction). */
  readonly store?: StoreReport
  /** Bytes the breadth-first frontier spilled to disk. */
  readonly spilledBytes?: number
  /** Seconds to load (and for TypeScript models, transpile) the model, before the search. */
  readonly loadSeconds: number
  /** Peak resident set of the case's process, in bytes. */
  readonly peakRssBytes: number
  /** For the synthetic model: the analytically known counts. */
  readonly expected?: Expected
  readonly constants?: Readonly<Record<string, number>>
  readonly spin?: SpinFigures
  readonly tlc?: TlcFigures
}

export async function runCase(spec: CaseSpec): Promise<CaseResult> {
  const t0 = performance.now()
  let model: Model<unknown, unknown>
  let expected: Expected | undefined
  let checkDeadlock = true
  if (spec.kind === 'synthetic') {
    model = counterModel(spec.ranges) as Model<unknown, unknown>
    expected = expectedCounts(spec.ranges)
  } else if (spec.kind === 'promela') {
    const { loadPromela } = await import('../src/lang/promela/load.js')
    const file = resolve(repoRoot, spec.file)
    const loaded = loadPromela({
      file,
      text: readFileSync(file, 'utf8'),
      defines: spec.defines,
      readFile: (name, from) => {
        const path = join(dirname(from), name)
        return existsSync(path) ? { name: path, text: readFileSync(path, 'utf8') } : undefined
      },
    })
    if (!loaded.model) throw new Error(`${spec.file} does not load: ${loaded.diagnostics.map((d) => d.message).join('; ')}`)
    const { claimProduct } = await import('../src/lang/promela/claim.js')
    const product = spec.ltl ? claimProduct(loaded.model, spec.ltl) : undefined
    if (spec.ltl && !product) throw new Error(`${spec.file} has no claim '${spec.ltl}' weft can check`)
    const { fairProduct } = await import('../src/lang/promela/fair.js')
    if (spec.fair && !product) throw new Error(`${spec.name}: fairness needs a claim`)
    if (spec.reduce && product) throw new Error(`${spec.name}: partial-order reduction is for safety checks, without a claim`)
    const { reduceModel } = await import('../src/lang/promela/reduce.js')
    const system = spec.reduce ? reduceModel(loaded.model) : loaded.model
    model = (spec.fair ? fairProduct(product!) : (product ?? system)) as unknown as Model<unknown, unknown>
    checkDeadlock = !product
  } else if (spec.kind === 'tla') {
    const { loadModelFile } = await import('../src/platform/node/load-model.js')
    const loaded = await loadModelFile(resolve(repoRoot, spec.file), {}, { config: resolve(repoRoot, spec.cfg) })
    model = loaded.model
    checkDeadlock = model.checkDeadlock !== false
  } else {
    const { loadScriptModel } = await import('../src/platform/node/load-model.js')
    model = await loadScriptModel(resolve(repoRoot, spec.file), spec.constants)
  }
  const loadSeconds = (performance.now() - t0) / 1000
  const workers = spec.workers ?? 1
  const cpu0 = process.cpuUsage()
  let result: SearchResult
  if (workers > 1) {
    // Each worker thread loads the model from its file (its load time is inside the search time).
    const { searchInWorkers, searchInWorkersDfs } = await import('../src/platform/node/parallel.js')
    const source =
      spec.kind === 'synthetic'
        ? { file: fileURLToPath(new URL('./synthetic-model.js', import.meta.url)), constants: { RANGES: spec.ranges.join(',') } }
        : spec.kind === 'promela'
          ? { file: resolve(repoRoot, spec.file), constants: spec.defines, ...(spec.ltl ? { claim: spec.ltl } : {}) }
          : spec.kind === 'tla'
            ? { file: resolve(repoRoot, spec.file), config: resolve(repoRoot, spec.cfg) }
            : { file: resolve(repoRoot, spec.file), constants: spec.constants }
    result = await (spec.strategy === 'dfs' ? searchInWorkersDfs : searchInWorkers)(source, workers, { checkDeadlock, continueAfterViolation: false, ...(model.depthUnit ? { depthUnit: model.depthUnit } : {}) })
  } else {
    const options: SearchOptions = { strategy: spec.strategy, checkDeadlock, continueAfterViolation: false }
    if (spec.kind === 'synthetic' && spec.frontierBytes !== undefined) {
      const { fileSpill } = await import('../src/platform/node/spill-file.js')
      result = explore(model, { ...options, frontierSpill: fileSpill(spec.frontierBytes) })
    } else {
      result = explore(model, { ...options, ...(spec.kind === 'synthetic' && spec.store ? { store: spec.store } : {}) })
    }
  }
  const cpu = process.cpuUsage(cpu0)
  const cpuSeconds = (cpu.user + cpu.system) / 1e6
  const s = result.stats
  return {
    name: spec.name,
    kind: spec.kind,
    model: model.name,
    strategy: spec.strategy,
    workers,
    status: result.status,
    ...(result.limit ? { limit: result.limit } : {}),
    ...(result.violation ? { violation: `${result.violation.kind}: ${result.violation.message}` } : {}),
    distinct: s.distinct,
    transitions: s.transitions,
    depth: s.depth,
    seconds: s.seconds,
    statesPerSecond: s.seconds > 0 ? s.distinct / s.seconds : 0,
    cpuSeconds,
    statesPerCpuSecond: cpuSeconds > 0 ? s.distinct / cpuSeconds : 0,
    transitionsPerSecond: s.seconds > 0 ? s.transitions / s.seconds : 0,
    seenSetBytes: s.seenSetBytes,
    traceBytes: s.traceBytes,
    seenBytesPerState: s.distinct > 0 ? s.seenSetBytes / s.distinct : 0,
    traceBytesPerState: s.distinct > 0 ? s.traceBytes / s.distinct : 0,
    collisionProbability: s.collisionProbability,
    ...(s.store && s.store.mode !== 'exact' ? { store: s.store } : {}),
    ...(s.spilledBytes ? { spilledBytes: s.spilledBytes } : {}),
    loadSeconds,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    ...(expected ? { expected } : {}),
    ...(spec.kind === 'dns' ? { constants: spec.constants } : {}),
    ...(spec.kind === 'promela' && spec.spin ? { spin: spec.spin } : {}),
    ...(spec.kind === 'tla' && spec.tlc ? { tlc: spec.tlc } : {}),
  }
}
