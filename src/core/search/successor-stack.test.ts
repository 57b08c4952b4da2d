import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { graphModel, type Graph } from '../../../test/support/graph-model.js'
import type { Model } from '../model.js'
import { explore } from '../check.js'
import { defaultSearchOptions, type SearchOptions } from './types.js'

/**
 * The graph model with the depth-first fast paths: successors as bytes (`nextEncoded`, `keepNext`)
 * and all of a state's successors at once (`successorsEncodedFor`), which throws on a failing edge
 * as `nextState` does, so that the search takes that state action by action. Steps weigh by their
 * target node, so that depth in steps differs from stack levels.
 */
function fastGraphModel(g: Graph): Model<number, number> {
  const m = graphModel(g, { depthUnit: 'steps' })
  let last: number | undefined
  return {
    ...m,
    nextEncoded(s, a) {
      last = m.nextState(s, a)
      return last === undefined ? undefined : m.encode(last)
    },
    keepNext: () => last!,
    successorsEncodedFor(s, actions, sink) {
      for (let i = 0; i < actions.length; i++) {
        const t = m.nextState(s, actions[i]!)
        if (t === undefined) continue
        const b = m.encode(t)
        sink.bytes.set(b, sink.add(i, b.length))
      }
    },
    stepWeight: (s, a) => 1 + ((g.edges[s]![a]! + 1) % 3),
  }
}

const plain = (g: Graph): Model<number, number> => {
  const m = graphModel(g, { depthUnit: 'steps' })
  return { ...m, stepWeight: (s, a) => 1 + ((g.edges[s]![a]! + 1) % 3) }
}

const graphs = fc.integer({ min: 1, max: 14 }).chain((n) =>
  fc.record({
    nodes: fc.constant(n),
    inits: fc.array(fc.nat(n - 1), { minLength: 1, maxLength: 2 }),
    edges: fc.array(fc.array(fc.integer({ min: -1, max: n - 1 }), { maxLength: 4 }), { minLength: n, maxLength: n }),
    bad: fc.array(fc.nat(n - 1), { maxLength: 1 }),
    validEnd: fc.array(fc.nat(n - 1), { maxLength: n }),
    accepting: fc.array(fc.nat(n - 1), { maxLength: 2 }),
    failing: fc.dictionary(
      fc.tuple(fc.nat(n - 1), fc.nat(3)).map(([s, i]) => `${s}:${i}`),
      fc.constantFrom('assert' as const, 'error' as const),
      { maxKeys: 2 },
    ),
  }),
)

function same(fast: Model<number, number>, slow: Model<number, number>, options: SearchOptions): void {
  const a = explore(slow, options)
  const b = explore(fast, options)
  assert.deepEqual([b.status, b.violations, b.limit, b.stats.distinct, b.stats.transitions, b.stats.depth], [a.status, a.violations, a.limit, a.stats.distinct, a.stats.transitions, a.stats.depth])
  assert.deepEqual(b.violation, a.violation)
}

describe('depth-first searches on all successors at once (Model.successorsEncodedFor)', () => {
  it('depth-first search gives the counts, depth, verdict and trace of the search action by action', () => {
    fc.assert(
      fc.property(graphs, fc.boolean(), fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }), (g, cont, maxDepth) => {
        const safety: Graph = { ...g, accepting: [] }
        same(fastGraphModel(safety), plain(safety), { ...defaultSearchOptions, strategy: 'dfs', continueAfterViolation: cont, ...(maxDepth === undefined ? {} : { maxDepth }) })
      }),
      { numRuns: 400 },
    )
  })

  it('nested depth-first search gives the counts, depth, verdict and lasso of the search action by action', () => {
    fc.assert(
      fc.property(graphs, fc.boolean(), fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }), (g, cont, maxDepth) => {
        const live: Graph = { ...g, bad: [] }
        same(fastGraphModel(live), plain(live), { ...defaultSearchOptions, strategy: 'ndfs', checkDeadlock: false, continueAfterViolation: cont, ...(maxDepth === undefined ? {} : { maxDepth }) })
      }),
      { numRuns: 400 },
    )
  })

  it('a state budget stops both searches at the same count', () => {
    fc.assert(
      fc.property(graphs, fc.integer({ min: 1, max: 8 }), (g, maxStates) => {
        const safety: Graph = { ...g, accepting: [], bad: [], failing: {} }
        same(fastGraphModel(safety), plain(safety), { ...defaultSearchOptions, strategy: 'dfs', checkDeadlock: false, maxStates })
      }),
      { numRuns: 200 },
    )
  })
})
