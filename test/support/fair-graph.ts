import fc from 'fast-check'
import { randomGraph, xorshift } from './random-graph.js'
import { STUTTER, type FairnessAtoms, type GraphLasso, type ProductAutomaton, type StateGraph } from '../../src/core/search/fair-cycles.js'

/**
 * Small random state graphs with atoms, automata and fairness conditions, a brute-force reference
 * for fair accepting cycles, and a judge of lassos: for the fair-cycle searches' tests.
 */

// Atoms 0, 1 are state atoms; 2, 3 action atoms.
const ATOMS = 4

export interface Case {
  graph: StateGraph
  automaton: ProductAutomaton
  fairness: FairnessAtoms[]
}

const bits = (n: number): fc.Arbitrary<number> => fc.integer({ min: 0, max: (1 << n) - 1 })

export const caseArb: fc.Arbitrary<Case> = fc
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
export function steps(g: StateGraph, s: number): { step: number; to: number; letter: number }[] {
  const out: { step: number; to: number; letter: number }[] = []
  for (let e = g.edgeStart[s]!; e < g.edgeStart[s + 1]!; e++) out.push({ step: e, to: g.edgeTarget[e]!, letter: g.stateMask[s]! | g.edgeMask[e]! })
  if (g.stutters !== false) out.push({ step: STUTTER, to: s, letter: g.stateMask[s]! | g.stutterMask[s]! })
  return out
}

export const holds = (guard: { pos: readonly number[]; neg: readonly number[] }, letter: number): boolean =>
  guard.pos.every((p) => (letter & (1 << p)) !== 0) && guard.neg.every((p) => (letter & (1 << p)) === 0)

/**
 * The reference: a fair accepting behaviour exists exactly when some reachable set of product
 * nodes is strongly connected through its internal edges (at least one), and its internal edges
 * and nodes meet the acceptance and fairness conditions (a cycle can visit all of them forever).
 */
export function bruteForce({ graph: g, automaton: a, fairness }: Case): boolean {
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
export function validLasso({ graph: g, automaton: a, fairness }: Case, l: GraphLasso): string | undefined {
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

/**
 * A larger case from a seed: the edges of `randomGraph` (up to `maxNodes` states), with random
 * atoms, a random automaton of up to 3 states and 2 acceptance sets, and up to 3 weak fairness
 * conditions (too large for the brute force: compare searches with each other).
 */
export function weakCaseFromSeed(seed: number, maxNodes = 40): Case {
  const next = xorshift(Math.imul(seed, 2654435761))
  const g = randomGraph(seed, maxNodes)
  const edgeStart = new Int32Array(g.nodes + 1)
  const targets: number[] = []
  const masks: number[] = []
  g.edges.forEach((succ, s) => {
    edgeStart[s] = targets.length
    for (const t of succ) {
      if (t < 0) continue
      targets.push(t)
      masks.push(next(4) << 2)
    }
  })
  edgeStart[g.nodes] = targets.length
  const q = 1 + next(3)
  const sets = next(3)
  const edges = Array.from({ length: q }, () =>
    Array.from({ length: 1 + next(3) }, () => {
      const lits = Array.from({ length: ATOMS }, () => (next(3) === 0 ? 1 + next(2) : 0))
      return {
        to: next(q),
        guard: { pos: lits.flatMap((l, i) => (l === 1 ? [i] : [])), neg: lits.flatMap((l, i) => (l === 2 ? [i] : [])) },
        acc: Array.from({ length: sets }, (_, i) => i).filter(() => next(2) === 0),
      }
    }),
  )
  return {
    graph: {
      stateCount: g.nodes,
      words: 1,
      initial: Int32Array.from(new Set(g.inits)),
      edgeStart,
      edgeTarget: Int32Array.from(targets),
      edgeMask: Uint32Array.from(masks),
      stateMask: Uint32Array.from({ length: g.nodes }, () => next(4)),
      stutterMask: Uint32Array.from({ length: g.nodes }, () => next(4) << 2),
      stutters: next(2) === 0,
    },
    automaton: { stateCount: q, initial: [0], acceptanceSets: sets, edges },
    fairness: Array.from({ length: next(4) }, () => ({ strong: false, enabled: next(2), taken: 2 + next(2) })),
  }
}
