import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { bruteForce, caseArb, validLasso } from '../../../test/support/fair-graph.js'
import { graphModel } from '../../../test/support/graph-model.js'
import type { LivenessAutomaton, LivenessSpec, Model } from '../model.js'
import { searchBfs } from './bfs.js'
import { findFairLasso, type ProductAutomaton, type StateGraph } from './fair-cycles.js'
import { searchLiveness } from './liveness.js'
import { defaultSearchOptions } from './types.js'

describe('fair accepting cycles', () => {
  it('agree with a brute-force search on random graphs, automata and fairness, and give valid lassos', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const lasso = findFairLasso(c.graph, c.automaton, c.fairness)
        assert.equal(lasso !== undefined, bruteForce(c))
        if (lasso) assert.equal(validLasso(c, lasso), undefined)
      }),
      { numRuns: 3000, seed: 7 },
    )
  })

  it('needs the strong-fairness refinement: a cycle that avoids the enabled state is still fair', () => {
    // 0 <-> 1, 1 <-> 2; SF action enabled only in 2 and never taken; accept every edge.
    const graph: StateGraph = {
      stateCount: 3,
      words: 1,
      initial: Int32Array.of(0),
      edgeStart: Int32Array.of(0, 1, 3, 4),
      edgeTarget: Int32Array.of(1, 0, 2, 1),
      edgeMask: Uint32Array.of(0, 0, 0, 0),
      stateMask: Uint32Array.of(0, 0, 1),
      stutterMask: Uint32Array.of(0, 0, 0),
    }
    const all: ProductAutomaton = { stateCount: 1, initial: [0], acceptanceSets: 0, edges: [[{ to: 0, guard: { pos: [], neg: [] }, acc: [] }]] }
    const strong = findFairLasso(graph, all, [{ strong: true, enabled: 0, taken: 1 }])
    assert.ok(strong)
    assert.ok(!strong.states.includes(2), 'the cycle avoids the state where the action is enabled')
    // Weak fairness is met by passing through a state where it is disabled.
    assert.ok(findFairLasso(graph, all, [{ strong: false, enabled: 0, taken: 1 }]))
  })
})

/**
 * `[]<> at2` (violated by the behaviours of the automaton of `<>[] !at2`) on 0 -> 1, 1 -> 0 | 2,
 * 2 -> 0: violated by stuttering without fairness; by 0 1 0 1 ... under weak fairness of every
 * step and of 1 -> 2 (which is disabled in 0); it holds when 1 -> 2 is strongly fair.
 */
function livenessModel(fair: 'none' | 'weak' | 'strong'): Model<number, number> {
  const base = graphModel({ nodes: 3, inits: [0], edges: [[1], [0, 2], [0]] })
  const eventuallyAlwaysNot2: LivenessAutomaton = {
    stateCount: 2,
    initial: [0],
    acceptanceSets: 1,
    edges: [
      [
        { to: 0, guard: { pos: [], neg: [] }, acc: [] },
        { to: 1, guard: { pos: [], neg: [0] }, acc: [] },
      ],
      [{ to: 1, guard: { pos: [], neg: [0] }, acc: [0] }],
    ],
  }
  const liveness: LivenessSpec<number, number> = {
    stateAtoms: [
      { name: 'at2', holds: (s) => s === 2 },
      { name: 'ENABLED step', holds: () => true },
      { name: 'ENABLED to2', holds: (s) => s === 1 },
    ],
    actionAtoms: [
      { name: 'step', holds: (_s, a) => a !== undefined },
      { name: 'to2', holds: (s, a, t) => a !== undefined && s === 1 && t === 2 },
    ],
    fairness:
      fair === 'none'
        ? []
        : [
            { name: 'WF(step)', strong: false, enabled: 1, taken: 0 },
            { name: 'F(to2)', strong: fair === 'strong', enabled: 2, taken: 1 },
          ],
    properties: [{ name: 'infinitelyOften2', violations: eventuallyAlwaysNot2 }],
  }
  return { ...base, liveness }
}

describe('liveness search', () => {
  it('counts as the breadth-first search does, and finds a stuttering lasso without fairness', () => {
    const safety = searchBfs(graphModel({ nodes: 3, inits: [0], edges: [[1], [0, 2], [0]] }), defaultSearchOptions)
    const r = searchLiveness(livenessModel('none'), defaultSearchOptions)
    assert.equal(r.status, 'violation')
    assert.equal(r.violation?.kind, 'property')
    assert.equal(r.violation?.name, 'infinitelyOften2')
    assert.deepEqual([r.stats.distinct, r.stats.transitions, r.stats.depth], [safety.stats.distinct, safety.stats.transitions, safety.stats.depth])
    assert.deepEqual([r.stats.distinct, r.stats.transitions, r.stats.depth], [3, 5, 3])
    // The shortest lasso stutters in the initial state forever.
    assert.deepEqual(r.violation?.choices, [0])
    assert.equal(r.violation?.loop, 0)
  })

  it('under weak fairness the counterexample cycles through the state where 1 -> 2 is disabled', () => {
    const r = searchLiveness(livenessModel('weak'), defaultSearchOptions)
    assert.equal(r.status, 'violation')
    assert.deepEqual(r.violation?.choices, [0, 0, 0])
    assert.equal(r.violation?.loop, 0)
  })

  it('holds under strong fairness of 1 -> 2', () => {
    const r = searchLiveness(livenessModel('strong'), defaultSearchOptions)
    assert.equal(r.status, 'ok')
    assert.deepEqual([r.stats.distinct, r.stats.transitions], [3, 5])
  })
  it('without stuttering (Promela), only the model\'s own cycles count, and the violation keeps the property\'s kind', () => {
    // Without fairness the stutter in state 0 was the counterexample; without stutters it is 0 1 0 1 ...
    const base = livenessModel('none')
    const noStutter: Model<number, number> = {
      ...base,
      liveness: { ...base.liveness!, stutters: false, properties: base.liveness!.properties.map((p) => ({ ...p, violation: { kind: 'ltl' as const, message: 'an accepting cycle' } })) },
    }
    const r = searchLiveness(noStutter, defaultSearchOptions)
    assert.equal(r.status, 'violation')
    assert.equal(r.violation?.kind, 'ltl')
    assert.equal(r.violation?.message, 'an accepting cycle')
    // 0 1 0 1 ...: never the step 1 -> 2 (action 1 of state 1), and a cycle after the prefix.
    assert.ok(r.violation?.choices.every((c) => c === 0))
    assert.ok(r.violation?.loop !== undefined && r.violation.loop < r.violation.choices.length - 1)
    // A state without successors is no cycle when it cannot stutter: 0 -> 1 -> 2 (stuck) holds.
    const line = graphModel({ nodes: 3, inits: [0], edges: [[1], [2], []] })
    const stuck = searchLiveness({ ...line, liveness: { ...noStutter.liveness!, fairness: [] } }, { ...defaultSearchOptions, checkDeadlock: false })
    assert.equal(stuck.status, 'ok')
  })
})
