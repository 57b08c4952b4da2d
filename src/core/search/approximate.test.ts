import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { counterModel, expectedCounts } from '../../../bench/synthetic.js'
import { graphModel, type Graph } from '../../../test/support/graph-model.js'
import { randomGraph } from '../../../test/support/random-graph.js'
import { explore } from '../check.js'
import { followChoices } from '../path.js'
import { defaultSearchOptions, type SearchOptions, type SearchResult, type StoreChoice } from './types.js'

const strategies = ['bfs', 'dfs'] as const
const bigBitstate: StoreChoice = { mode: 'bitstate', bytes: 1 << 20, hashFunctions: 3 }
const compact: StoreChoice = { mode: 'hash-compact' }

function same(a: SearchResult, b: SearchResult, what: string): void {
  assert.equal(a.status, b.status, what)
  assert.equal(a.violations, b.violations, what)
  assert.deepEqual(a.violation, b.violation, what)
  assert.equal(a.stats.distinct, b.stats.distinct, what)
  assert.equal(a.stats.transitions, b.stats.transitions, what)
  assert.equal(a.stats.depth, b.stats.depth, what)
}

/** Whether a reported violation is real: its path replays to a bad node, a failing edge, or a terminal node that is no valid end. */
function isReal(g: Graph, r: SearchResult): boolean {
  const v = r.violation!
  const path = followChoices(graphModel(g), v.choices, v.failingAction)
  const last = path.steps.at(-1)?.state ?? path.init
  switch (v.kind) {
    case 'invariant':
      return (g.bad ?? []).includes(last)
    case 'deadlock':
      return g.edges[last]!.every((t) => t < 0) && !(g.validEnd ?? []).includes(last)
    case 'assertion':
    case 'runtime-error':
      return path.failing !== undefined && g.failing?.[`${last}:${path.failing.index}`] !== undefined
    default:
      return false
  }
}

describe('bitstate and hash-compact search', () => {
  for (const strategy of strategies) {
    const exact: SearchOptions = { ...defaultSearchOptions, strategy }

    it(`${strategy}: with a large bit array or 40-bit keys, the exact counts, verdicts and traces on random graphs`, () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.boolean(), (seed, go) => {
          const g = randomGraph(seed)
          const options = { ...exact, continueAfterViolation: go }
          const want = explore(graphModel(g), options)
          for (const store of [bigBitstate, compact]) same(explore(graphModel(g), { ...options, store }), want, `seed ${seed}, ${store.mode}`)
        }),
        { numRuns: 150 },
      )
    })

    it(`${strategy}: with a large bit array or 40-bit keys, the synthetic model's exact counts`, () => {
      const ranges = [12, 10, 9, 8]
      const want = expectedCounts(ranges)
      for (const store of [bigBitstate, compact]) {
        const r = explore(counterModel(ranges), { ...exact, store })
        assert.equal(r.status, 'ok')
        assert.equal(r.stats.distinct, want.distinct)
        assert.equal(r.stats.transitions, want.transitions)
        if (strategy === 'bfs') assert.equal(r.stats.depth, want.bfsDepth)
        assert.equal(r.stats.store?.mode, store.mode)
        assert.ok(r.stats.store!.expectedCoverage > 0.999999)
        assert.equal(r.stats.collisionProbability, r.stats.store!.missProbability)
      }
    })

    it(`${strategy}: a tiny bit array stores fewer states, says so in its estimate, and finds no violation the model does not have`, () => {
      const ranges = [12, 10, 9, 8]
      const r = explore(counterModel(ranges), { ...exact, store: { mode: 'bitstate', bytes: 256, hashFunctions: 3 } })
      const all = expectedCounts(ranges).distinct
      assert.equal(r.status, 'ok')
      assert.ok(r.stats.distinct < all, `${r.stats.distinct} of ${all}`)
      const s = r.stats.store!
      assert.equal(s.mode, 'bitstate')
      assert.equal(s.hashFactor, 2048 / r.stats.distinct)
      assert.ok(s.expectedCoverage < 0.9, `coverage ${s.expectedCoverage}`)
      assert.ok(s.missProbability > 0.99)
      assert.ok(s.expectedMissed > 1)
      assert.equal(r.stats.seenSetBytes, 256)
    })

    it(`${strategy}: any array size and k: every violation reported is real, and none is invented where the model has none`, () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 4 }), fc.boolean(), (seed, bytes, k, go) => {
          const g = randomGraph(seed, 80)
          const options = { ...exact, continueAfterViolation: go }
          const want = explore(graphModel(g), options)
          const r = explore(graphModel(g), { ...options, store: { mode: 'bitstate', bytes: bytes * 4, hashFunctions: k } })
          if (r.status === 'violation') assert.ok(isReal(g, r), `seed ${seed}: ${JSON.stringify(r.violation)}`)
          if (want.status === 'ok') assert.equal(r.status, 'ok', `seed ${seed}`)
          // A search that went to the end stored every reachable state once; this one stored some of them.
          if (want.status === 'ok' || go) {
            assert.ok(r.stats.distinct <= want.stats.distinct)
            assert.ok(r.violations <= want.violations)
          }
        }),
        { numRuns: 200 },
      )
    })
  }

  it('is refused for cycle and liveness searches, whose graphs must be exact', () => {
    const g: Graph = { nodes: 2, inits: [0], edges: [[1], [0]], accepting: [1] }
    assert.throws(() => explore(graphModel(g), { ...defaultSearchOptions, strategy: 'ndfs', store: compact }), /hash-compact storage is for breadth-first and depth-first safety searches, not for cycle searches/)
  })
})
