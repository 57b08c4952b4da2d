import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { graphModel, type Graph } from '../../../test/support/graph-model.js'
import { randomGraph } from '../../../test/support/random-graph.js'
import { explore } from '../check.js'
import type { Model } from '../model.js'
import type { Discovery, SearchOptions } from '../search/types.js'
import { searchParallelDfsInThread } from './in-thread.js'

const dfs: SearchOptions = { strategy: 'dfs', checkDeadlock: true, continueAfterViolation: false }

/**
 * Follows a violation's ChoicePath through the graph and checks that it shows what it claims: a
 * path of enabled steps, ending in a bad state, a terminal state that is no valid end, or a
 * failing step.
 */
function assertReal(g: Graph, model: Model<number, number>, v: Discovery, label: string): void {
  let s = g.inits[v.choices[0]!]!
  assert.notEqual(s, undefined, `${label}: initial state`)
  for (const a of v.choices.slice(1)) {
    const t = g.edges[s]![a]
    assert.ok(t !== undefined && t >= 0, `${label}: step ${s}:${a} is enabled`)
    s = t
  }
  if (v.failingAction !== undefined) {
    assert.ok(g.failing?.[`${s}:${v.failingAction}`], `${label}: step ${s}:${v.failingAction} fails`)
  } else if (v.kind === 'deadlock') {
    assert.ok(model.actions(s).every((a) => g.edges[s]![a]! < 0) && !g.validEnd?.includes(s), `${label}: ${s} is a deadlock`)
  } else if (v.kind === 'invariant') {
    assert.ok(g.bad?.includes(s), `${label}: ${s} is bad`)
  } else assert.fail(`${label}: unexpected ${v.kind} without a failing step`)
}

describe('parallel depth-first search (workers in one thread)', () => {
  it('stores, generates and counts errors as one worker does, and reports only real violations', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat(),
        fc.integer({ min: 40, max: 3000 }),
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 64, max: 400 }),
        fc.constantFrom(16, 64, 1 << 16),
        async (seed, size, deadlock, cont, workers, slice, initialCapacity) => {
          const g = randomGraph(seed, size)
          const model = graphModel(g)
          const options: SearchOptions = { ...dfs, checkDeadlock: deadlock, continueAfterViolation: cont }
          const one = explore(model, options)
          const many = await searchParallelDfsInThread(model, workers, options, { slice, initialCapacity })
          const label = `seed ${seed}, ${size} nodes, ${workers} workers`
          assert.equal(many.status, one.status, `${label}: status`)
          if (one.status === 'ok' || cont) {
            assert.deepEqual([many.stats.distinct, many.stats.transitions, many.violations], [one.stats.distinct, one.stats.transitions, one.violations], `${label}: counts`)
          }
          if (many.violation) assertReal(g, model, many.violation, label)
        },
      ),
      { numRuns: 300 },
    )
  })

  it('shares work: on a wide graph every worker adds states', async () => {
    // A binary tree of 2^14 - 1 nodes: each worker gets subtrees of its own.
    const n = (1 << 14) - 1
    const g: Graph = { nodes: n, inits: [0], edges: Array.from({ length: n }, (_, i) => (2 * i + 2 < n ? [2 * i + 1, 2 * i + 2] : [])), validEnd: [] }
    const options = { ...dfs, checkDeadlock: false }
    const one = explore(graphModel(g), options)
    let shared = 0
    const model = graphModel(g)
    const counting: Model<number, number> = { ...model, decode: (b) => (shared++, model.decode!(b)) }
    const many = await searchParallelDfsInThread(counting, 3, options, { slice: 64 })
    assert.equal(one.stats.distinct, n)
    assert.deepEqual([many.status, many.stats.distinct, many.stats.transitions], ['ok', n, one.stats.transitions])
    assert.ok(shared >= 2, `work was handed over ${shared} times`)
  })

  it('grows the shared table past its first size while the workers pause', async () => {
    const n = 200_000
    const g: Graph = { nodes: n, inits: [0], edges: Array.from({ length: n }, (_, i) => [(i + 1) % n, (i * 31 + 7) % n]), validEnd: [] }
    const one = explore(graphModel(g), dfs)
    const many = await searchParallelDfsInThread(graphModel(g), 2, dfs, { slice: 1000 })
    assert.deepEqual([many.status, many.stats.distinct, many.stats.transitions], ['ok', n, one.stats.transitions])
    assert.ok(many.stats.seenSetBytes > 1 << 20)
  })

  it('stops at max-states, incomplete, with no more states than allowed', async () => {
    const g: Graph = { nodes: 5000, inits: [0], edges: Array.from({ length: 5000 }, (_, i) => [(i + 1) % 5000, (i * 7 + 3) % 5000]) }
    for (const workers of [1, 2, 3]) {
      const r = await searchParallelDfsInThread(graphModel(g), workers, { ...dfs, maxStates: 1700 }, { initialCapacity: 64 })
      assert.deepEqual([r.status, r.limit], ['incomplete', 'max-states'])
      assert.ok(r.stats.distinct <= 1700 && r.stats.distinct > 1600, `${r.stats.distinct} states`)
    }
  })

  it('is incomplete when the depth bound cuts states off', async () => {
    const g: Graph = { nodes: 300, inits: [0], edges: Array.from({ length: 300 }, (_, i) => (i < 299 ? [i + 1] : [])), validEnd: [299] }
    const r = await searchParallelDfsInThread(graphModel(g), 2, { ...dfs, maxDepth: 100 })
    assert.deepEqual([r.status, r.limit, r.stats.distinct], ['incomplete', 'max-depth', 100])
  })
})
