import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { graphModel, hasAcceptingCycle, reachable, type Graph } from '../../../test/support/graph-model.js'
import { explore } from '../check.js'
import { followChoices } from '../path.js'
import { defaultSearchOptions } from './types.js'

const ndfs = { ...defaultSearchOptions, strategy: 'ndfs' as const, checkDeadlock: false }

describe('nested depth-first search', () => {
  it('finds an accepting cycle and reports it as a lasso', () => {
    // 0 -> 1 -> 2 -> 3 -> 1, accepting at 2
    const g: Graph = { nodes: 4, inits: [0], edges: [[1], [2], [3], [1]], accepting: [2] }
    const r = explore(graphModel(g), ndfs)
    assert.equal(r.status, 'violation')
    assert.equal(r.violation?.kind, 'acceptance-cycle')
    assert.deepEqual(r.violation?.choices, [0, 0, 0, 0, 0])
    assert.equal(r.violation?.loop, 1)
  })

  it('an accepting state that is not on a cycle is no violation', () => {
    const g: Graph = { nodes: 4, inits: [0], edges: [[1], [2], [3], [3]], accepting: [1, 2] }
    const r = explore(graphModel(g), ndfs)
    assert.equal(r.status, 'ok')
    assert.equal(r.stats.distinct, 4)
  })

  it('agrees with plain reachability on random graphs, and its lassos replay', () => {
    const graphs = fc.integer({ min: 1, max: 16 }).chain((n) =>
      fc.record({
        nodes: fc.constant(n),
        inits: fc.array(fc.nat(n - 1), { minLength: 1, maxLength: 2 }),
        edges: fc.array(fc.array(fc.integer({ min: -1, max: n - 1 }), { maxLength: 3 }), { minLength: n, maxLength: n }),
        accepting: fc.array(fc.nat(n - 1), { maxLength: 3 }),
      }),
    )
    fc.assert(
      fc.property(graphs, (g) => {
        const model = graphModel(g)
        const r = explore(model, ndfs)
        assert.equal(r.status === 'violation', hasAcceptingCycle(g))
        if (r.status === 'ok') assert.equal(r.stats.distinct, reachable(g).distinct)
        if (r.violation) {
          const path = followChoices(model, r.violation.choices)
          const states = [path.init, ...path.steps.map((s) => s.state)]
          const loop = r.violation.loop!
          assert.equal(states.at(-1), states[loop], 'the lasso closes on its loop state')
          assert.ok(states.slice(loop, -1).some((s) => g.accepting!.includes(s)), 'the cycle passes an accepting state')
        }
      }),
      { numRuns: 500 },
    )
  })
})
