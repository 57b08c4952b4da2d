import type { Model } from '../model.js'
import type { SearchResult } from '../search/types.js'
import { createParallelShared, searchParallel, type LevelWorker, type ParallelSearchOptions } from './coordinator.js'
import { createDfsShared, DfsCoordinator, DfsWorker, type ToDfsWorker } from './depth-first.js'
import { LevelSearch } from './level-search.js'

/**
 * The parallel search with its workers in this thread, taking turns: the same phases, messages
 * and results as with worker threads, without the threads. For testing the algorithm on models
 * that are objects; a model with `decode` is required, as for worker threads.
 */
export async function searchParallelInThread<S, A>(model: Model<S, A>, workers: number, options: ParallelSearchOptions): Promise<SearchResult> {
  if (!model.decode) throw new Error('a parallel search needs a model that can decode its states')
  const shared = createParallelShared(workers)
  const searches = Array.from({ length: workers }, (_, i) => new LevelSearch(model, i, workers, options.checkDeadlock, shared.table.buffer, shared.control, options.continueAfterViolation))
  const handles: LevelWorker[] = searches.map((s) => ({
    initial: async () => s.initial(),
    expand: async (ranks, atBound, owners) => s.expand(ranks, atBound, owners),
    insert: async (sources, budget) => s.insert(sources, budget),
    resume: async (budget) => s.resume(budget),
    setTable: async (table) => s.setTable(table),
  }))
  return searchParallel(handles, shared, { ...options, ...(model.depthUnit ? { depthUnit: model.depthUnit } : {}) })
}

/**
 * The parallel depth-first search with its workers in this thread, each running `slice` steps
 * (at least 64) in turn: the same messages, pauses, table growth and sharing of work as with
 * worker threads, in an order the test picks. A model with `decode` is required.
 */
export async function searchParallelDfsInThread<S, A>(model: Model<S, A>, workers: number, options: ParallelSearchOptions, tuning: { slice?: number; initialCapacity?: number } = {}): Promise<SearchResult> {
  if (!model.decode) throw new Error('a parallel search needs a model that can decode its states')
  const shared = createDfsShared(workers, tuning.initialCapacity)
  const inboxes: ToDfsWorker[][] = Array.from({ length: workers }, () => [])
  const coordinator = new DfsCoordinator(
    inboxes.map((box) => ({ send: (m) => box.push(m) })),
    shared,
    { ...options, ...(model.depthUnit ? { depthUnit: model.depthUnit } : {}) },
  )
  const searches = Array.from({ length: workers }, (_, i) => new DfsWorker(model, i, options, shared.table.buffer, shared.control, (item) => coordinator.receive(i, { op: 'donate', item })))
  const running = searches.map(() => false)
  let settled = false
  const result = coordinator.finished.finally(() => (settled = true))
  searches.forEach((_, i) => coordinator.ready(i))
  for (let quiet = 0; !settled; ) {
    let busy = false
    searches.forEach((search, i) => {
      for (let m = inboxes[i]!.shift(); m !== undefined; m = inboxes[i]!.shift()) {
        if (m.op === 'table') search.setTable(m.table)
        else {
          if (m.op === 'start') search.start()
          else if (m.op === 'work') search.take(m.item)
          running[i] = true
        }
      }
      if (!running[i]) return
      busy = true
      const end = search.run(tuning.slice ?? 64)
      if (end === 'running') return
      running[i] = false
      coordinator.receive(i, { op: end, report: search.report() })
    })
    // Let the coordinator's promise settle once no worker has anything left to do.
    if (busy || inboxes.some((b) => b.length > 0)) quiet = 0
    else if (++quiet > 3) throw new Error('the parallel depth-first search neither finished nor gave out work')
    else await Promise.resolve()
  }
  return result
}
