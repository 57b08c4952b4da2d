import type { Model } from './model.js'
import { searchBfs } from './search/bfs.js'
import { searchDfs } from './search/dfs.js'
import { searchNdfs } from './search/ndfs.js'
import type { SearchOptions, SearchResult } from './search/types.js'

/** Explores every reachable state of a model with the chosen strategy. */
export function explore<S, A>(model: Model<S, A>, options: SearchOptions): SearchResult {
  switch (options.strategy) {
    case 'bfs':
      return searchBfs(model, options)
    case 'dfs':
      return searchDfs(model, options)
    case 'ndfs':
      return searchNdfs(model, options)
  }
}
