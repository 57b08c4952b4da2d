/** weft for Node: the public API plus loading model files, worker threads and stopping cleanly when memory runs low. */
import { runCheck, searchOptionsOf, summarizeCheck, type CheckOptions, type Outcome } from './api.js'
import type { Model } from './core/model.js'
import type { CheckSummary } from './report/summary.js'
import { memoryProbe } from './platform/node/memory.js'
import { searchInWorkers, searchInWorkersDfs, type ModelSource } from './platform/node/parallel.js'
import { DEFAULT_FRONTIER_BYTES, fileSpill } from './platform/node/spill-file.js'

export * from './index.js'
export { loadScriptModel } from './platform/node/load-model.js'
export type { Constants } from './platform/node/load-model.js'
export { memoryProbe } from './platform/node/memory.js'
export type { ModelSource } from './platform/node/parallel.js'

export interface NodeCheckOptions extends CheckOptions {
  /**
   * Where the model comes from, so that worker threads can load it themselves (`workers` above
   * 1). It must describe the same model as the one passed; without it the search uses one worker.
   */
  readonly source?: ModelSource
  /** Stop cleanly (incomplete, limit `memory`) when the process uses more than this many bytes. */
  readonly memoryLimit?: number
  /**
   * Bytes of breadth-first frontier kept in memory before chunks move to a temporary file (default
   * a quarter of `memoryLimit`, or 1 GiB). One worker only.
   */
  readonly frontierMemory?: number
}

/**
 * `runCheck` on `options.workers` worker threads when the model has a `source` and can decode its
 * states and the search is breadth-first or depth-first; on one worker otherwise. Breadth-first,
 * the counts, the verdict and the reported violation are the same for every number of workers;
 * depth-first, the counts of a complete search are, but which violation is met first may vary.
 */
export async function runCheckAsync<S, A>(model: Model<S, A>, options: NodeCheckOptions = {}): Promise<Outcome<S, A>> {
  const workers = options.workers ?? 1
  const strategy = options.strategy ?? 'bfs'
  if (workers <= 1 || !options.source || !(model.decode || model.transfer) || strategy === 'ndfs' || !parallelChecks(model, options, strategy)) {
    return runCheck(model, { ...options, frontierSpill: options.frontierSpill ?? fileSpill(frontierBudget(options)) })
  }
  const { strategy: _, ...search } = searchOptionsOf(model, options)
  const parallel = { ...search, ...(model.depthUnit ? { depthUnit: model.depthUnit } : {}) }
  const result = await (strategy === 'dfs' ? searchInWorkersDfs(options.source, workers, parallel) : searchInWorkers(options.source, workers, parallel))
  return summarizeCheck(model, options, result)
}

/**
 * Whether the parallel search checks everything this model and these options ask for: it checks
 * invariants on every state, deadlocks and constraints (and what a product with a claim makes of
 * them), but not liveness, a check after the search, or coverage, and it stores states exactly
 * with its frontier in memory (no `store`, no `frontierMemory`); those run on one worker. The
 * depth-first one, which runs the one-worker loop, also checks step properties and properties of
 * the initial states alone.
 */
function parallelChecks<S, A>(model: Model<S, A>, options: NodeCheckOptions, strategy: 'bfs' | 'dfs'): boolean {
  if ((options.store?.mode ?? 'exact') !== 'exact' || options.frontierMemory !== undefined) return false
  if (options.coverage || model.afterSearch || (model.liveness && model.liveness.properties.length > 0)) return false
  return strategy === 'dfs' || model.properties().every((p) => p.kind !== 'step' && !(p.kind === 'invariant' && p.initialOnly))
}

/** The frontier's budget in memory: as given, else a quarter of the memory limit, else 1 GiB. */
function frontierBudget(options: NodeCheckOptions): number {
  return options.frontierMemory ?? (options.memoryLimit === undefined ? DEFAULT_FRONTIER_BYTES : Math.floor(options.memoryLimit / 4))
}

/** `check` with a memory probe, so that a search near the machine's (or the given) memory limit ends as `incomplete`. */
export async function check<S, A>(model: Model<S, A>, options: NodeCheckOptions = {}): Promise<CheckSummary> {
  return (await runCheckAsync(model, { memoryExhausted: memoryProbe(options.memoryLimit), ...options })).summary
}
