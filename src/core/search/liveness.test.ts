import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { graphModel } from '../../../test/support/graph-model.js'
import type { LivenessAutomaton, LivenessSpec, Model } from '../model.js'
import { searchBfs } from './bfs.js'
import { findFairLasso, STUTTER, type FairnessAtoms, type GraphLasso, type ProductAutomaton, type StateGraph } from './fair-cycles.js'
import { searchLiveness } from './liveness.js'
import { defaultSearchOptions } from './types.js'

// Atoms 0, 1 are state atoms; 2, 3 action atoms.
const ATOMS = 4

interface Case {
  graph: StateGraph
  automaton: ProductAutomaton
  fairness: FairnessAtoms[]
}

const bits = (n: number): fc.Arbitrary<number> => fc.integer({ min: 0, max: (1 << n) - 1 })

const caseArb: fc.Arbitrary<Case> = fc
  .record({
    n: fc.integer({ min: 1, max: 4 }),
    q: fc.integer({ min: 1, max: 3 }),
    sets: fc.integer({ min: 0, max: 2 }),
  })
  .chain(({ n, q, sets }) =>
    fc.record({
      succ: fc.array(fc.array(fc.record({ to: fc.integer({ min: 0, max: n - 1 }), mask: bits(2) }), { maxLength: 3 }), { minLength: n, maxLength: n }),
      stateMask: fc.array(bits(2), { minLength: n, maxLength: n }),
      stutterMask: fc.array(bits(2), { minLength: n, maxLength: n }),
      inits: fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { minLength: 1, maxLength: 2 }),
      // Promela graphs have no implicit stuttering step.
      stutters: fc.boolean(),
      autInit: fc.uniqueArray(fc.integer({ min: 0, max: q - 1 }), { minLength: 1, maxLength: 2 }),
      autEdges: fc.array(
        fc.array(
          fc.record({
            to: fc.integer({ min: 0, max: q - 1 }),
            // per atom: 0 absent, 1 positive, 2 negative
            lits: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: ATOMS, maxLength: ATOMS }),
            acc: bits(sets),
          }),
          { maxLength: 3 },
        ),
        { minLength: q, maxLength: q },
      ),
      fairness: fc.array(fc.record({ strong: fc.boolean(), enabled: fc.integer({ min: 0, max: 1 }), taken: fc.integer({ min: 2, max: 3 }) }), { maxLength: 2 }),
    }).map((r): Case => {
      const edgeStart = new Int32Array(n + 1)
      const targets: number[] = []
      const masks: number[] = []
      r.succ.forEach((es, s) => {
        edgeStart[s] = targets.length
        for (const e of es) {
          targets.push(e.to)
          masks.push(e.mask << 2)
        }
      })
      edgeStart[n] = targets.length
      return {
        graph: {
          stateCount: n,
          words: 1,
          initial: Int32Array.from(r.inits),
          edgeStart,
          edgeTarget: Int32Array.from(targets),
          edgeMask: Uint32Array.from(masks),
          stateMask: Uint32Array.from(r.stateMask),
          stutterMask: Uint32Array.from(r.stutterMask.map((m) => m << 2)),
          stutters: r.stutters,
        },
        automaton: {
          stateCount: q,
          initial: r.autInit,
          acceptanceSets: sets,
          edges: r.autEdges.map((es) =>
            es.map((e) => ({
              to: e.to,
              guard: { pos: e.lits.flatMap((l, i) => (l === 1 ? [i] : [])), neg: e.lits.flatMap((l, i) => (l === 2 ? [i] : [])) },
              acc: Array.from({ length: sets }, (_, i) => i).filter((i) => (e.acc & (1 << i)) !== 0),
            })),
          ),
        },
        fairness: r.fairness,
      }
    }),
  )

/** The steps of a state: its edges, then the stutter (unless the graph has none); each with its target and letter. */
function steps(g: StateGraph, s: number): { step: number; to: number; letter: number }[] {
  const out: { step: number; to: number; letter: number }[] = []
  for (let e = g.edgeStart[s]!; e < g.edgeStart[s + 1]!; e++) out.push({ step: e, to: g.edgeTarget[e]!, letter: g.stateMask[s]! | g.edgeMask[e]! })
  if (g.stutters !== false) out.push({ step: STUTTER, to: s, letter: g.stateMask[s]! | g.stutterMask[s]! })
  return out
}

const holds = (guard: { pos: readonly number[]; neg: readonly number[] }, letter: number): boolean =>
  guard.pos.every((p) => (letter & (1 << p)) !== 0) && guard.neg.every((p) => (letter & (1 << p)) === 0)

/**
 * The reference: a fair accepting behaviour exists exactly when some reachable set of product
 * nodes is strongly connected through its internal edges (at least one), and its internal edges
 * and nodes meet the acceptance and fairness conditions (a cycle can visit all of them forever).
 */
function bruteForce({ graph: g, automaton: a, fairness }: Case): boolean {
  const Q = a.stateCount
  type PEdge = { to: number; acc: readonly number[]; letter: number }
  const succ = (x: number): PEdge[] => {
    const s = Math.floor(x / Q)
    const q = x % Q
    const out: PEdge[] = []
    for (const st of steps(g, s)) for (const e of a.edges[q]!) if (holds(e.guard, st.letter)) out.push({ to: st.to * Q + e.to, acc: e.acc, letter: st.letter })
    return out
  }
  const reach = new Set<number>()
  const todo = [...g.initial].flatMap((s) => a.initial.map((q) => s * Q + q))
  for (const x of todo) reach.add(x)
  while (todo.length > 0) for (const e of succ(todo.pop()!)) if (!reach.has(e.to)) reach.add(e.to), todo.push(e.to)
  const nodes = [...reach]
  for (let m = 1; m < 1 << nodes.length; m++) {
    const c = new Set(nodes.filter((_, i) => (m & (1 << i)) !== 0))
    const internal = [...c].flatMap((x) => succ(x).filter((e) => c.has(e.to)).map((e) => ({ from: x, ...e })))
    if (internal.length === 0) continue
    const first = [...c][0]!
    const from = (x: number, rev: boolean): Set<number> => {
      const seen = new Set([x])
      const st = [x]
      while (st.length > 0) {
        const y = st.pop()!
        for (const e of internal) {
          const [u, v] = rev ? [e.to, e.from] : [e.from, e.to]
          if (u === y && !seen.has(v)) seen.add(v), st.push(v)
        }
      }
      return seen
    }
    if (from(first, false).size !== c.size || from(first, true).size !== c.size) continue
    let ok = true
    for (let i = 0; i < a.acceptanceSets; i++) if (!internal.some((e) => e.acc.includes(i))) ok = false
    for (const f of fairness) {
      const taken = internal.some((e) => (e.letter & (1 << f.taken)) !== 0)
      const enabledAt = [...c].map((x) => (g.stateMask[Math.floor(x / Q)]! & (1 << f.enabled)) !== 0)
      if (f.strong ? enabledAt.some((b) => b) && !taken : enabledAt.every((b) => b) && !taken) ok = false
    }
    if (ok) return true
  }
  return false
}

/** Whether a lasso is a behaviour of the graph that is fair and that the automaton accepts. */
function validLasso({ graph: g, automaton: a, fairness }: Case, l: GraphLasso): string | undefined {
  if (!g.initial.includes(l.start)) return 'does not start in an initial state'
  const L = l.steps.length
  if (L === 0 || l.loop >= L) return 'has no cycle'
  const at: number[] = [l.start]
  const letters: number[] = []
  for (let i = 0; i < L; i++) {
    const st = steps(g, at[i]!).find((x) => x.step === l.steps[i])
    if (!st) return `step ${i} is not a step of state ${at[i]}`
    if (st.to !== l.states[i]) return `step ${i} goes to ${st.to}, not ${l.states[i]}`
    letters.push(st.letter)
    at.push(st.to)
  }
  if (at[L] !== at[l.loop]) return 'the cycle does not close'
  for (const f of fairness) {
    const cyc = letters.slice(l.loop)
    const taken = cyc.some((x) => (x & (1 << f.taken)) !== 0)
    const enabled = at.slice(l.loop, L).map((s) => (g.stateMask[s]! & (1 << f.enabled)) !== 0)
    if (!taken && (f.strong ? enabled.some((b) => b) : enabled.every((b) => b))) return 'is not fair'
  }
  // Product of the automaton with the lasso's positions: an accepting component on the cycle.
  const next = (i: number): number => (i === L - 1 ? l.loop : i + 1)
  const succ = (x: number): { to: number; acc: readonly number[] }[] => {
    const q = Math.floor(x / L)
    const i = x % L
    return a.edges[q]!.filter((e) => holds(e.guard, letters[i]!)).map((e) => ({ to: e.to * L + next(i), acc: e.acc }))
  }
  const closure = (start: number[]): Set<number> => {
    const seen = new Set(start)
    const st = [...start]
    while (st.length > 0) for (const e of succ(st.pop()!)) if (!seen.has(e.to)) seen.add(e.to), st.push(e.to)
    return seen
  }
  for (const x of closure(a.initial.map((q) => q * L))) {
    if (x % L < l.loop) continue
    const comp = [...closure([x])].filter((y) => closure([y]).has(x))
    const inComp = new Set(comp)
    const sets = new Set<number>()
    let internal = false
    for (const y of comp) for (const e of succ(y)) if (inComp.has(e.to)) ((internal = true), e.acc.forEach((j) => sets.add(j)))
    if (internal && sets.size === a.acceptanceSets) return undefined
  }
  return 'is not accepted by the automaton'
}

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
