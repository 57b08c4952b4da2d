import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { graphModel, type Graph } from '../../../test/support/graph-model.js'
import { randomGraph } from '../../../test/support/random-graph.js'
import { explore } from '../check.js'
import type { SearchOptions, SearchResult } from '../search/types.js'
import { mergeKeys } from './coordinator.js'
import { searchParallelInThread } from './in-thread.js'

const base: SearchOptions = { strategy: 'bfs', checkDeadlock: true, continueAfterViolation: false }

/** What must not depend on the number of workers. */
function sameAsOneWorker(one: SearchResult, many: SearchResult, label: string): void {
  assert.equal(many.status, one.status, `${label}: status`)
  assert.equal(many.limit, one.limit, `${label}: limit`)
  if (one.violation) {
    // the same violation, so the same (shortest) trace
    assert.deepEqual(
      { kind: many.violation?.kind, name: many.violation?.name, choices: many.violation?.choices, failingAction: many.violation?.failingAction },
      { kind: one.violation.kind, name: one.violation.name, choices: one.violation.choices, failingAction: one.violation.failingAction },
      `${label}: violation`,
    )
  } else {
    assert.deepEqual([many.stats.distinct, many.stats.transitions, many.stats.depth], [one.stats.distinct, one.stats.transitions, one.stats.depth], `${label}: counts`)
  }
}

describe('parallel breadth-first search (workers in one thread)', () => {
  it('gives the counts, verdict and violation of the one-worker search for every worker count', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.boolean(), fc.boolean(), fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }), fc.boolean(), async (seed, deadlock, cont, maxDepth, bytes) => {
        const graph = graphModel(randomGraph(seed))
        // With Model.nextEncoded the workers take successors as bytes only.
        const model: typeof graph = bytes
          ? {
              ...graph,
              nextEncoded: (s, a) => {
                const t = graph.nextState(s, a)
                return t === undefined ? undefined : graph.encode(t)
              },
            }
          : graph
        const options: SearchOptions = { ...base, checkDeadlock: deadlock, continueAfterViolation: cont, ...(maxDepth === undefined ? {} : { maxDepth }) }
        const one = explore(model, options)
        for (const workers of [1, 2, 3, 5]) {
          const many = await searchParallelInThread(model, workers, options)
          sameAsOneWorker(one, many, `seed ${seed}, ${workers} workers`)
          if (cont) {
            assert.equal(many.violations, one.violations, `seed ${seed}, ${workers} workers: violations`)
            assert.deepEqual([many.stats.distinct, many.stats.transitions], [one.stats.distinct, one.stats.transitions])
          }
        }
      }),
      { numRuns: 300 },
    )
  })

  it('stops at max-states with exactly that many states, as one worker does', async () => {
    const g: Graph = { nodes: 50, inits: [0], edges: Array.from({ length: 50 }, (_, i) => [(i + 1) % 50, (i * 7 + 3) % 50]) }
    for (const workers of [1, 2, 4]) {
      const r = await searchParallelInThread(graphModel(g), workers, { ...base, maxStates: 17 })
      assert.equal(r.status, 'incomplete')
      assert.equal(r.limit, 'max-states')
      assert.equal(r.stats.distinct, 17)
    }
  })

  it('grows the shared table past its first size', async () => {
    // 200,000 nodes in a ring with chords: more than the 52,428 entries the first table holds
    const n = 200_000
    const g: Graph = { nodes: n, inits: [0], edges: Array.from({ length: n }, (_, i) => [(i + 1) % n, (i * 31 + 7) % n]), validEnd: [] }
    const one = explore(graphModel(g), base)
    const many = await searchParallelInThread(graphModel(g), 3, base)
    assert.equal(one.status, 'ok')
    sameAsOneWorker(one, many, 'ring')
    assert.equal(many.stats.distinct, n)
    assert.ok(many.stats.seenSetBytes > 1 << 19)
  })

  it('merges sorted key lists into one order, with each owner’s ranks', () => {
    const a = Int32Array.from([0, 1, 0, 3, 2, 0])
    const b = Int32Array.from([0, 2, 1, 0])
    const { links, ranks } = mergeKeys([a, b])
    assert.deepEqual(Array.from(links), [0, 1, 0, 2, 0, 3, 1, 0, 2, 0])
    assert.deepEqual(Array.from(ranks[0]!), [0, 2, 4])
    assert.deepEqual(Array.from(ranks[1]!), [1, 3])
  })
})
