import type { Model } from './model.js'
import { searchBfs } from './search/bfs.js'
import { searchDfs } from './search/dfs.js'
import { searchLiveness } from './search/liveness.js'
import { searchNdfs } from './search/ndfs.js'
import type { SearchOptions, SearchResult } from './search/types.js'

/**
 * Explores every reachable state of a model with the chosen strategy. A model with temporal
 * properties (`Model.liveness`) is searched breadth-first into a graph that is then checked for
 * fair cycles, whatever the strategy asked.
 */
export function explore<S, A>(model: Model<S, A>, options: SearchOptions): SearchResult {
  if (model.liveness && model.liveness.properties.length > 0 && options.strategy !== 'ndfs') return searchLiveness(model, options)
  switch (options.strategy) {
    case 'bfs':
      return searchBfs(model, options)
    case 'dfs':
      return searchDfs(model, options)
    case 'ndfs':
      return searchNdfs(model, options)
  }
}
