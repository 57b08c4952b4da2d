import type { Graph } from './graph-model.js'

/**
 * A random graph from a seed (so that worker threads can rebuild the same one from a constant):
 * some disabled, failing and bad edges and nodes, valid ends and several initial states.
 */
export function randomGraph(seed: number, maxNodes = 40): Graph {
  const next = xorshift(seed)
  const nodes = 1 + next(maxNodes)
  const inits = Array.from({ length: 1 + next(3) }, () => next(nodes))
  const edges = Array.from({ length: nodes }, () => Array.from({ length: next(5) }, () => (next(8) === 0 ? -1 : next(nodes))))
  const bad = Array.from({ length: next(3) }, () => next(nodes))
  const validEnd = Array.from({ length: next(nodes + 1) }, () => next(nodes))
  const failing: Record<string, 'assert' | 'error'> = {}
  for (let i = next(3); i > 0; i--) failing[`${next(nodes)}:${next(4)}`] = next(2) === 0 ? 'assert' : 'error'
  return { nodes, inits, edges, bad, validEnd, failing }
}

/** A random number generator from a seed (xorshift32): next(k) is below k. */
export function xorshift(seed: number): (k: number) => number {
  let x = seed >>> 0 || 1
  return (k) => {
    x ^= x << 13
    x >>>= 0
    x ^= x >>> 17
    x ^= x << 5
    x >>>= 0
    return x % k
  }
}
