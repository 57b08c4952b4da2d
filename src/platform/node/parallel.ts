import { Worker } from 'node:worker_threads'
import type { Model } from '../../core/model.js'
import { createParallelShared, searchParallel, type LevelWorker, type ParallelSearchOptions } from '../../core/parallel/coordinator.js'
import { createDfsShared, deadlineOf, DfsCoordinator, type FromDfsWorker, type ToDfsWorker } from '../../core/parallel/depth-first.js'
import type { ExpandReply, InsertReply } from '../../core/parallel/level-search.js'
import type { RecordBlock } from '../../core/parallel/records.js'
import type { SearchResult } from '../../core/search/types.js'
import { claimProduct } from '../../lang/promela/claim.js'
import { PromelaModel } from '../../lang/promela/model.js'
import { loadModelFile, type Constants } from './load-model.js'

/**
 * A model as a worker thread can load it by itself: its file, the `-D` constants, the TLA+ cfg,
 * and for Promela the claim whose product with the system is searched.
 */
export interface ModelSource {
  readonly file: string
  readonly constants?: Constants
  readonly config?: string
  /** Promela: the ltl formula or never claim to search the product with. */
  readonly claim?: string
}

/** What each worker thread is started with. */
export interface WorkerData {
  readonly source: ModelSource
  readonly index: number
  readonly workers: number
  readonly checkDeadlock: boolean
  readonly continueAfterViolation: boolean
  readonly table: SharedArrayBuffer
  readonly control: SharedArrayBuffer
  /** `dfs`: the parallel depth-first search (with the depth bound, which it enforces itself); else the level-synchronous breadth-first one. */
  readonly strategy?: 'dfs'
  readonly maxDepth?: number
}

/** Loads the model a source describes (in any thread). */
export async function loadSource(source: ModelSource): Promise<Model<unknown, unknown>> {
  const { model } = await loadModelFile(source.file, source.constants ?? {}, source.config === undefined ? {} : { config: source.config })
  if (source.claim === undefined) return model
  const product = model instanceof PromelaModel ? claimProduct(model, source.claim) : undefined
  if (!product) throw new Error(`the model has no claim '${source.claim}' to search`)
  return product as unknown as Model<unknown, unknown>
}

/**
 * Breadth-first search over `workers` worker threads that share one seen set. Each thread loads
 * the model from `source` itself (a few hundred milliseconds each, in parallel), so this pays off
 * for searches of more than a few seconds. Counts, verdicts and the reported violation are those
 * of one worker.
 */
export async function searchInWorkers(source: ModelSource, workers: number, options: ParallelSearchOptions): Promise<SearchResult> {
  const shared = createParallelShared(workers)
  const threads = Array.from(
    { length: workers },
    (_, index) =>
      new Worker(new URL('./search-worker.js', import.meta.url), {
        workerData: { source, index, workers, checkDeadlock: options.checkDeadlock, continueAfterViolation: options.continueAfterViolation, table: shared.table.buffer, control: shared.control.buffer } satisfies WorkerData,
      }),
  )
  try {
    const handles = await Promise.all(threads.map(connect))
    return await searchParallel(handles, shared, options)
  } finally {
    await Promise.all(threads.map((t) => t.terminate()))
  }
}

/**
 * Depth-first search over `workers` worker threads that share one seen set, each loading the
 * model from `source` itself (see `core/parallel/depth-first.ts`): a complete search has the
 * counts of one worker; which violation is met first depends on the workers' timing.
 */
export async function searchInWorkersDfs(source: ModelSource, workers: number, options: ParallelSearchOptions): Promise<SearchResult> {
  const shared = createDfsShared(workers)
  const common = { source, workers, checkDeadlock: options.checkDeadlock, continueAfterViolation: options.continueAfterViolation, table: shared.table.buffer, control: shared.control.buffer, strategy: 'dfs' as const }
  const threads = Array.from({ length: workers }, (_, index) => new Worker(new URL('./search-worker.js', import.meta.url), { workerData: { ...common, index, ...(options.maxDepth === undefined ? {} : { maxDepth: options.maxDepth }) } satisfies WorkerData }))
  const coordinator = new DfsCoordinator(
    threads.map((t) => ({ send: (m: ToDfsWorker) => t.postMessage(m) })),
    shared,
    options,
  )
  // The search starts as soon as the first worker has loaded the model; the others join when they have.
  const loaded = threads.map(() => false)
  threads.forEach((t, w) => {
    const fail = (e: Error): void => coordinator.fail(e)
    t.on('error', fail)
    t.on('exit', (code) => fail(new Error(`a search worker stopped (exit code ${code})`)))
    t.on('message', (m: FromDfsWorker | { op: 'ready' } | { op: 'error'; error: string }) => {
      if (m.op === 'ready') {
        loaded[w] = true
        coordinator.ready(w)
      } else if (m.op === 'error') fail(new Error(loaded[w] ? `a search worker failed: ${m.error}` : `a search worker could not load the model: ${m.error}`))
      else coordinator.receive(w, m)
    })
  })
  const deadline = deadlineOf(options)
  const lastProgress = { at: performance.now() }
  const timer = setInterval(() => coordinator.poll(deadline, lastProgress), POLL_MS)
  try {
    return await coordinator.finished
  } finally {
    clearInterval(timer)
    await Promise.all(threads.map((t) => t.terminate()))
  }
}

/** How often the clock, memory and progress are looked at, in milliseconds. */
const POLL_MS = 50

type Reply = { id: number; ready?: boolean; reply?: ExpandReply | InsertReply; error?: string }

/** Waits for a worker to load its model, then wraps it as a `LevelWorker` (one request at a time). */
function connect(thread: Worker): Promise<LevelWorker> {
  return new Promise((resolveReady, rejectReady) => {
    let next = 1
    const waiting = new Map<number, { resolve: (r: unknown) => void; reject: (e: Error) => void }>()
    const fail = (e: Error): void => {
      rejectReady(e)
      for (const w of waiting.values()) w.reject(e)
      waiting.clear()
    }
    thread.on('error', fail)
    thread.on('exit', (code) => fail(new Error(`a search worker stopped (exit code ${code})`)))
    thread.on('message', (m: Reply) => {
      if (m.id === 0) {
        if (m.error !== undefined) rejectReady(new Error(`a search worker could not load the model: ${m.error}`))
        else resolveReady(handle)
        return
      }
      const w = waiting.get(m.id)
      waiting.delete(m.id)
      if (m.error !== undefined) w?.reject(new Error(`a search worker failed: ${m.error}`))
      else w?.resolve(m.reply)
    })
    const request = <T>(message: Record<string, unknown>, transfer: ArrayBuffer[] = []): Promise<T> =>
      new Promise<T>((resolve, reject) => {
        const id = next++
        waiting.set(id, { resolve: resolve as (r: unknown) => void, reject })
        thread.postMessage({ ...message, id }, transfer)
      })
    const handle: LevelWorker = {
      initial: () => request<ExpandReply>({ op: 'initial' }),
      expand: (ranks, atBound, owners) => request<ExpandReply>({ op: 'expand', ranks, atBound, owners }, [ranks.buffer as ArrayBuffer]),
      insert: (sources: RecordBlock[], budget) => request<InsertReply>({ op: 'insert', sources, budget }, sources.map((s) => s.buffer)),
      resume: (budget) => request<InsertReply>({ op: 'resume', budget }),
      setTable: (table) => request<void>({ op: 'table', table }),
    }
  })
}
