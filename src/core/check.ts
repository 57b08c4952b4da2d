import type { Model } from './model.js'
import { searchBfs } from './search/bfs.js'
import { searchDfs } from './search/dfs.js'
import { searchLiveness } from './search/liveness.js'
import { canSearchOnTheFly, searchLivenessOnTheFly } from './search/liveness-on-the-fly.js'
import { searchNdfs } from './search/ndfs.js'
import type { SearchOptions, SearchResult } from './search/types.js'

/** Explores every reachable state of a model with the chosen strategy, then runs the model's `afterSearch` check on a complete search. */
export function explore<S, A>(model: Model<S, A>, options: SearchOptions): SearchResult {
  const live = model.liveness !== undefined && model.liveness.properties.length > 0 && options.strategy !== 'ndfs'
  if ((options.store?.mode ?? 'exact') !== 'exact' && (live || options.strategy === 'ndfs')) {
    throw new RangeError(`${options.store!.mode} storage is for breadth-first and depth-first safety searches, not for ${live ? 'liveness' : 'cycle'} searches`)
  }
  if (live) return canSearchOnTheFly(model, options) ? searchLivenessOnTheFly(model, options) : searchLiveness(model, options)
  const result = search(model, options)
  if (result.status !== 'ok' || !model.afterSearch) return result
  const { distinct, transitions, depth } = result.stats
  const failed = model.afterSearch({ distinct, transitions, depth })
  if (!failed) return result
  return { ...result, status: 'violation', violations: 1, violation: { kind: 'property', name: failed.name, message: failed.message, choices: [], ...(failed.span ? { span: failed.span } : {}) } }
}

function search<S, A>(model: Model<S, A>, options: SearchOptions): SearchResult {
  switch (options.strategy) {
    case 'bfs':
      return searchBfs(model, options)
    case 'dfs':
      return searchDfs(model, options)
    case 'ndfs':
      return searchNdfs(model, options)
  }
}
