import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { bruteForce, caseArb, validLasso, weakCaseFromSeed, type Case } from '../../../test/support/fair-graph.js'
import { findFairLasso, type StateGraph } from './fair-cycles.js'
import { findFairCycleOnTheFly, type GrowingGraph, type OnTheFlyVerdict } from './fair-on-the-fly.js'

/** The on-the-fly check on a fixed graph, expanding its states as the search enters them; with the graph it saw. */
function onTheFly(c: Case): { verdict: OnTheFlyVerdict; seen: StateGraph; expanded: number } {
  const g = c.graph
  const expanded = new Uint8Array(g.stateCount)
  let count = 0
  const growing: GrowingGraph = {
    words: g.words,
    stutters: g.stutters !== false,
    stateCount: g.stateCount,
    edgeStart: g.edgeStart,
    edgeEnd: g.edgeStart.subarray(1),
    edgeTarget: g.edgeTarget,
    edgeMask: g.edgeMask,
    stateMask: g.stateMask,
    stutterMask: g.stutterMask,
    expand(s) {
      if (expanded[s] === 0) count++
      expanded[s] = 1
      return true
    },
  }
  const verdict = findFairCycleOnTheFly(growing, g.initial, c.automaton, c.fairness)
  // The graph as far as it was expanded: the others are open (no steps at all).
  return { verdict, seen: { ...g, open: expanded.map((x) => 1 - x) }, expanded: count }
}

/** The on-the-fly verdict agrees with the whole-graph search, and the lasso of the graph it saw is a fair accepted behaviour of the whole graph. */
function agrees(c: Case): void {
  const whole = findFairLasso(c.graph, c.automaton, c.fairness)
  const { verdict, seen } = onTheFly(c)
  assert.equal(verdict, whole ? 'found' : 'none')
  if (verdict !== 'found') return
  const lasso = findFairLasso(seen, c.automaton, c.fairness)
  assert.ok(lasso, 'the expanded part holds the cycle found')
  assert.equal(validLasso(c, lasso), undefined)
}

const weakOnly = caseArb.map((c): Case => ({ ...c, fairness: c.fairness.map((f) => ({ ...f, strong: false })) }))

describe('on-the-fly fair cycles (weak fairness, generalized Büchi)', () => {
  it('agree with the brute force and the whole-graph search on small random cases, with valid lassos', () => {
    fc.assert(
      fc.property(weakOnly, (c) => {
        assert.equal(onTheFly(c).verdict === 'found', bruteForce(c))
        agrees(c)
      }),
      { numRuns: 3000, seed: 11 },
    )
  })

  it('agree with the whole-graph search on larger random graphs with random marks, with valid lassos', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 0x7fffffff }), (seed) => agrees(weakCaseFromSeed(seed))),
      { numRuns: 2000, seed: 5 },
    )
  })

  it('stop at the first fair accepting cycle, before the rest of the graph', () => {
    // 0 <-> 1 is a fair accepting cycle; 0 -> 2 -> 3 -> ... -> n-1 -> n-1 is a long tail without one.
    const n = 100000
    const edgeStart = new Int32Array(n + 1)
    const targets: number[] = []
    for (let s = 0; s < n; s++) {
      edgeStart[s] = targets.length
      if (s === 0) targets.push(1, 2)
      else if (s === 1) targets.push(0)
      else targets.push(Math.min(s + 1, n - 1))
    }
    edgeStart[n] = targets.length
    // Edges out of 0 and 1 accept (state atom 0); the weak fairness condition (always enabled: atom 2) is taken by 1 -> 0 (atom 1).
    const edgeMask = Uint32Array.from(targets, (_, e) => (e === 2 ? 2 : 0))
    const c: Case = {
      graph: { stateCount: n, words: 1, initial: Int32Array.of(0), edgeStart, edgeTarget: Int32Array.from(targets), edgeMask, stateMask: Uint32Array.from({ length: n }, (_, s) => (s < 2 ? 1 : 0) | 4), stutterMask: new Uint32Array(n), stutters: false },
      automaton: { stateCount: 1, initial: [0], acceptanceSets: 1, edges: [[{ to: 0, guard: { pos: [0], neg: [] }, acc: [0] }, { to: 0, guard: { pos: [], neg: [0] }, acc: [] }]] },
      fairness: [{ strong: false, enabled: 2, taken: 1 }],
    }
    const r = onTheFly(c)
    assert.equal(r.verdict, 'found')
    assert.ok(r.expanded <= 2, `expanded ${r.expanded} states`)
    agrees(c)
    // When 1 -> 0 does not take the action, no cycle is fair, and every state is searched.
    const unfair: Case = { ...c, graph: { ...c.graph, edgeMask: new Uint32Array(targets.length) } }
    const none = onTheFly(unfair)
    assert.equal(none.verdict, 'none')
    assert.equal(none.expanded, n)
  })

  it('refuses strong fairness, which needs the whole graph', () => {
    const c = weakCaseFromSeed(3)
    assert.throws(() => findFairCycleOnTheFly({ ...c.graph, stutters: true, edgeEnd: c.graph.edgeStart.subarray(1), expand: () => true }, c.graph.initial, c.automaton, [{ strong: true, enabled: 0, taken: 2 }]), /weak fairness only/)
  })
})
