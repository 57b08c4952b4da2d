import { CompiledAutomaton, type FairnessAtoms, type ProductAutomaton } from './fair-cycles.js'

/**
 * The on-the-fly emptiness check for fair accepting cycles when every fairness condition is weak:
 * a generalized Büchi condition, checked as the product is explored (Couvreur's SCC-based check
 * of 1999, in the generalized form of Renault, Duret-Lutz et al., "Three SCC-based emptiness
 * checks for generalized Büchi automata", 2013).
 *
 * The product's nodes are pairs (state, automaton state), numbered state * Q + q. Each product
 * edge carries marks: the acceptance sets of its automaton edge, and for each weakly fair action
 * the mark of that action when the step takes it or when the action is disabled in the state the
 * edge leaves. A cycle is fair and accepting exactly when it carries every mark (in a cycle, a node
 * where the action is disabled is the source of one of its edges). A depth-first search keeps a
 * stack of the roots of the partial components, each with the marks of the edges merged into it;
 * an edge back into the current stacks merges the components above its target, and the search
 * stops as soon as one component holds every mark. The graph is expanded state by state as the
 * search first enters a state, so that a violation near the initial states is found without
 * building the rest.
 *
 * Cost per product node: one Int32 (its number, or DEAD) plus the stacks; the marks of an edge are
 * computed when it is followed (a word per 32 marks on each root).
 */

/** A state graph that grows as it is expanded (`graph-builder.ts` behind a model, or a fixed graph). */
export interface GrowingGraph {
  readonly words: number
  readonly stutters: boolean
  readonly stateCount: number
  /** State s's edges, once it is expanded, are edgeStart[s] .. edgeEnd[s]-1 (arrays read again after each expansion). */
  readonly edgeStart: Int32Array
  readonly edgeEnd: Int32Array
  readonly edgeTarget: Int32Array
  readonly edgeMask: Uint32Array
  readonly stateMask: Uint32Array
  readonly stutterMask: Uint32Array
  /** Expands state s unless it has been: adds its edges (and the states they reach). False when the search must stop. */
  expand(s: number): boolean
}

/** The result: a fair accepting cycle among the expanded states, none in the whole product, or stopped by `expand`. */
export type OnTheFlyVerdict = 'found' | 'none' | 'stopped'

const DEAD = -1

/** Looks for a fair accepting cycle (weak fairness only) reachable from the pairs of `initial` states with the automaton's initial states. */
export function findFairCycleOnTheFly(g: GrowingGraph, initial: ArrayLike<number>, automaton: ProductAutomaton, fairness: readonly FairnessAtoms[]): OnTheFlyVerdict {
  if (fairness.some((f) => f.strong)) throw new Error('the on-the-fly fair-cycle check takes weak fairness only')
  const Q = automaton.stateCount
  if (Q === 0 || automaton.initial.length === 0) return 'none'
  const W = g.words
  const aut = new CompiledAutomaton(automaton, W)
  const sets = automaton.acceptanceSets
  const F = fairness.length
  const M = sets + F
  const MW = Math.max(1, Math.ceil(M / 32))
  const full = new Uint32Array(MW)
  for (let m = 0; m < M; m++) full[m >>> 5]! |= 1 << (m & 31)
  const enabledAtom = Int32Array.from(fairness, (f) => f.enabled)
  const takenAtom = Int32Array.from(fairness, (f) => f.taken)
  const stutter = g.stutters ? 1 : 0

  // Per node: 0 unvisited, its depth-first number, or DEAD once its component is done.
  let num = new Int32Array(Math.max(16, g.stateCount * Q))
  let count = 0
  // The depth-first stack: node, next (step, automaton edge) pair.
  let dfsNode = new Int32Array(256)
  let dfsNext = new Int32Array(256)
  let dfsLen = 0
  // The roots of the partial components: number, marks merged in, marks of the edge that entered it.
  let rootNum = new Int32Array(256)
  let rootAcc = new Uint32Array(256 * MW)
  let rootIn = new Uint32Array(256 * MW)
  let roots = 0
  // The nodes of the partial components, in order of number.
  let live = new Int32Array(256)
  let liveLen = 0
  const marks = new Uint32Array(MW)

  /** Enters node y (its state expanded first); false when the expansion stopped the search. */
  const enter = (y: number): boolean => {
    if (!g.expand((y / Q) | 0)) return false
    if (g.stateCount * Q > num.length) num = growTo(num, g.stateCount * Q)
    num[y] = ++count
    if (dfsLen === dfsNode.length) {
      dfsNode = growTo(dfsNode, dfsLen + 1)
      dfsNext = growTo(dfsNext, dfsLen + 1)
    }
    dfsNode[dfsLen] = y
    dfsNext[dfsLen++] = 0
    if (roots === rootNum.length) {
      rootNum = growTo(rootNum, roots + 1)
      rootAcc = growTo(rootAcc, (roots + 1) * MW)
      rootIn = growTo(rootIn, (roots + 1) * MW)
    }
    rootNum[roots] = count
    for (let w = 0; w < MW; w++) {
      rootAcc[roots * MW + w] = 0
      rootIn[roots * MW + w] = marks[w]!
    }
    roots++
    if (liveLen === live.length) live = growTo(live, liveLen + 1)
    live[liveLen++] = y
    return true
  }

  for (const s0 of Array.from(initial)) {
    for (const q0 of automaton.initial) {
      const root = s0 * Q + q0
      if (root < num.length && num[root] !== 0) continue
      marks.fill(0)
      if (!enter(root)) return 'stopped'
      while (dfsLen > 0) {
        const x = dfsNode[dfsLen - 1]!
        const k = dfsNext[dfsLen - 1]!
        const s = (x / Q) | 0
        const q = x - s * Q
        const first = aut.edgeFirst[q]!
        const nAut = aut.edgeFirst[q + 1]! - first
        const from = g.edgeStart[s]!
        const steps = g.edgeEnd[s]! - from + stutter
        if (k < steps * nAut) {
          dfsNext[dfsLen - 1] = k + 1
          const i = (k / nAut) | 0
          const j = first + (k - i * nAut)
          const e = from + i
          const stuttering = i === steps - stutter && stutter === 1
          const stepMask = stuttering ? g.stutterMask : g.edgeMask
          const at = stuttering ? s * W : e * W
          if (!aut.allows(j, g.stateMask, s * W, stepMask, at)) continue
          const y = (stuttering ? s : g.edgeTarget[e]!) * Q + aut.edgeTo[j]!
          const ny = y < num.length ? num[y]! : 0
          if (ny === DEAD) continue
          // The edge's marks: its acceptance sets, then each fair action taken or disabled.
          for (let w = 0; w < MW; w++) marks[w] = 0
          for (let m = 0; m < sets; m++) if (aut.inSet(j, m)) marks[m >>> 5]! |= 1 << (m & 31)
          for (let f = 0; f < F; f++) {
            const en = enabledAtom[f]!
            const tk = takenAtom[f]!
            const enabled = (g.stateMask[s * W + (en >>> 5)]! & (1 << (en & 31))) !== 0
            if (!enabled || (stepMask[at + (tk >>> 5)]! & (1 << (tk & 31))) !== 0) marks[(sets + f) >>> 5]! |= 1 << ((sets + f) & 31)
          }
          if (ny === 0) {
            if (!enter(y)) return 'stopped'
            continue
          }
          // An edge into a partial component on the stack: every component above y's merges into y's.
          while (ny < rootNum[roots - 1]!) {
            roots--
            for (let w = 0; w < MW; w++) marks[w]! |= rootAcc[roots * MW + w]! | rootIn[roots * MW + w]!
          }
          const r = (roots - 1) * MW
          let all = true
          for (let w = 0; w < MW; w++) {
            rootAcc[r + w]! |= marks[w]!
            if (rootAcc[r + w] !== full[w]) all = false
          }
          if (all) return 'found'
          continue
        }
        dfsLen--
        if (rootNum[roots - 1] !== num[x]) continue
        // x is the root of a complete component without every mark: its nodes are done.
        roots--
        const n = num[x]!
        while (liveLen > 0 && num[live[liveLen - 1]!]! >= n) num[live[--liveLen]!] = DEAD
      }
    }
  }
  return 'none'
}

function growTo<T extends Int32Array | Uint32Array>(a: T, need: number): T {
  let n = a.length
  while (n < need) n = n * 2
  const b = new (a.constructor as new (n: number) => T)(n)
  b.set(a)
  return b
}
