import type { Model } from '../model.js'
import type { SearchResult } from '../search/types.js'
import { createParallelShared, searchParallel, type LevelWorker, type ParallelSearchOptions } from './coordinator.js'
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
