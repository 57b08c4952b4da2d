import { totalmem } from 'node:os'
import { getHeapStatistics } from 'node:v8'

/**
 * A probe for the search: true when the JS heap is 85 % full or the process uses 85 % of the
 * machine's memory (typed arrays live outside the heap), so that the search can stop cleanly and
 * report what it found instead of being killed.
 */
export function memoryProbe(limitBytes?: number): () => boolean {
  const heapLimit = getHeapStatistics().heap_size_limit
  const rssLimit = limitBytes ?? totalmem() * 0.85
  return () => {
    const heap = getHeapStatistics()
    return heap.used_heap_size > heapLimit * 0.85 || process.memoryUsage.rss() > rssLimit
  }
}
