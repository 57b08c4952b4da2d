import { toAlternating, product, type AlternatingAutomaton, type AlternatingTransition } from './alternating.js'
import { atomsOf, type Atom, type Formula } from './formula.js'
import { guardImplies, guardToString, isSubset, isTrueGuard, trueGuard, type Guard } from './guard.js'
import { reduce, sccs, type Automaton, type Edge } from './reduce.js'
import { simplify } from './simplify.js'

export type { Guard } from './guard.js'

/** A transition: taken when the current state of the model satisfies the guard. */
export interface BuchiEdge {
  readonly guard: Guard
  readonly to: number
}

/**
 * How a search can use the automaton (Bloem, Ravi and Somenzi's classes):
 * - `terminal`: every accepting state has a `true` self-loop, so a run is accepted as soon as it reaches
 *   an accepting state. For the negation of a safety property such as `[]p`, a violation is a reachable
 *   accepting product state: breadth-first search finds it, with a shortest trace.
 * - `weak`: each strongly connected component is all accepting or all not; any cycle in an accepting
 *   component is an accepting cycle (a plain cycle check per component suffices).
 * - `strong`: neither; needs a nested depth-first or SCC-based search.
 */
export type Strength = 'terminal' | 'weak' | 'strong'

/** A state-based Büchi automaton: accepts the runs that visit accepting states infinitely often. */
export interface BuchiAutomaton {
  /** States are numbered 0 … stateCount-1. No states: the formula is unsatisfiable. */
  readonly stateCount: number
  readonly initial: readonly number[]
  readonly accepting: readonly boolean[]
  /** Outgoing edges per state; every guard is satisfiable. */
  readonly edges: readonly (readonly BuchiEdge[])[]
  /** The atoms the guards mention (with names for printing). */
  readonly atoms: readonly Atom[]
  readonly strength: Strength
}

export interface GeneralizedEdge extends BuchiEdge {
  /** The acceptance sets (0 … acceptanceSets-1) this edge belongs to, sorted. */
  readonly acc: readonly number[]
}

/**
 * A transition-based generalized Büchi automaton: accepts the runs that take, for every acceptance set,
 * edges of that set infinitely often (with no sets, every infinite run). An SCC-based emptiness check can
 * use it directly and skip degeneralization.
 */
export interface GeneralizedBuchi {
  readonly stateCount: number
  readonly initial: readonly number[]
  readonly edges: readonly (readonly GeneralizedEdge[])[]
  readonly acceptanceSets: number
  readonly atoms: readonly Atom[]
}

export interface Translation {
  /** The formula that was translated, after `simplify`. */
  readonly formula: Formula
  readonly alternating: AlternatingAutomaton
  readonly generalized: GeneralizedBuchi
  readonly buchi: BuchiAutomaton
}

/**
 * Translates a formula into a Büchi automaton that accepts exactly the words satisfying it, through a
 * very weak alternating automaton and a generalized Büchi automaton (the LTL2BA construction of Gastin
 * and Oddoux), each reduced by simulation. To check a property, translate its negation:
 * `translate(negate(property))`; an accepting run of the product with the model is a counterexample.
 *
 * Cost: exponential in the number of temporal subformulas in the worst case; milliseconds for the
 * formulas people write.
 */
export function translate(f: Formula): Translation {
  const formula = simplify(f)
  const atoms = atomsOf(formula)
  const alternating = toAlternating(formula)
  const tgba = reduce(toGeneralized(alternating))
  const compact = dropUniversalSets(tgba)
  const ba = reduce(degeneralize(compact))
  return { formula, alternating, generalized: exportGeneralized(compact, atoms), buchi: exportBuchi(ba, atoms) }
}

/** The Büchi automaton of a formula (`translate(f).buchi`). */
export function toBuchi(f: Formula): BuchiAutomaton {
  return translate(f).buchi
}

/** The generalized Büchi automaton of a formula (`translate(f).generalized`). */
export function toGeneralizedBuchi(f: Formula): GeneralizedBuchi {
  return translate(f).generalized
}

// ---------------------------------------------------------------------------------------------
// Alternating → generalized Büchi

/**
 * The subset construction on the alternating automaton: a state is a set of alternating states, all of
 * which must hold; its transitions are the products of theirs. Acceptance set j belongs to the j-th
 * until-state u: an edge (α, e') is in it when u is not in e', or u has a transition (β, e'') that is
 * taken here without staying in u: α implies β, u ∉ e'', e'' ⊆ e' (Gastin and Oddoux).
 */
export function toGeneralized(vwaa: AlternatingAutomaton): Automaton {
  const untils = vwaa.isUntil.flatMap((u, i) => (u ? [i] : []))
  const ids = new Map<string, number>()
  const sets: (readonly number[])[] = []
  const edges: Edge[][] = []
  const stateOf = (set: readonly number[]): number => {
    const key = set.join(',')
    let id = ids.get(key)
    if (id === undefined) {
      id = sets.length
      ids.set(key, id)
      sets.push(set)
    }
    return id
  }
  const initial = vwaa.initial.map(stateOf)
  for (let s = 0; s < sets.length; s++) {
    let trans: AlternatingTransition[] = [{ guard: trueGuard, to: [] }]
    for (const q of sets[s]!) trans = dedupe(product(trans, vwaa.delta[q]!))
    const withAcc = trans.map((t) => ({
      guard: t.guard,
      to: t.to,
      acc: untils.flatMap((u, j) => (acceptsFor(vwaa, u, t) ? [j] : [])),
    }))
    // Gastin–Oddoux: drop an edge when another has a weaker guard, fewer obligations and more sets.
    const kept = withAcc.filter((x, i) =>
      !withAcc.some((y, k) => k !== i && guardImplies(x.guard, y.guard) && isSubset(y.to, x.to) && isSubset(x.acc, y.acc) &&
        !(guardImplies(y.guard, x.guard) && isSubset(x.to, y.to) && isSubset(y.acc, x.acc) && k > i)),
    )
    edges[s] = kept.map((t) => ({ guard: t.guard, to: stateOf(t.to), acc: t.acc }))
  }
  return { states: sets.length, initial, edges, sets: untils.length }
}

function acceptsFor(vwaa: AlternatingAutomaton, u: number, t: AlternatingTransition): boolean {
  if (!t.to.includes(u)) return true
  return vwaa.delta[u]!.some((d) => guardImplies(t.guard, d.guard) && !d.to.includes(u) && isSubset(d.to, t.to))
}

function dedupe(ts: AlternatingTransition[]): AlternatingTransition[] {
  return [...new Map(ts.map((t) => [`${t.guard.pos.join(',')}/${t.guard.neg.join(',')}>${t.to.join(',')}`, t])).values()]
}

/** Removes acceptance sets that every edge belongs to, and renumbers the others. */
function dropUniversalSets(a: Automaton): Automaton {
  const all = a.edges.flat()
  const keep = Array.from({ length: a.sets }, (_, j) => !all.every((e) => e.acc.includes(j)))
  const map: number[] = []
  let n = 0
  keep.forEach((k, j) => {
    map[j] = k ? n++ : -1
  })
  const edges = a.edges.map((es) => es.map((e) => ({ ...e, acc: e.acc.filter((j) => keep[j]).map((j) => map[j]!) })))
  return { ...a, edges, sets: n }
}

// ---------------------------------------------------------------------------------------------
// Generalized → state-based Büchi

/**
 * Degeneralization with a level counter: state (q, l) waits for acceptance set l; an edge advances the
 * level past every consecutive set it belongs to; level k (= number of sets) is accepting and restarts at
 * 0. With no sets, every state is accepting.
 */
export function degeneralize(a: Automaton): Automaton {
  const k = a.sets
  if (k === 0) {
    return { states: a.states, initial: a.initial, edges: a.edges.map((es) => es.map((e) => ({ guard: e.guard, to: e.to, acc: [] }))), acceptingStates: new Array<boolean>(a.states).fill(true), sets: 0 }
  }
  const ids = new Map<string, number>()
  const pairs: [number, number][] = []
  const stateOf = (q: number, l: number): number => {
    const key = `${q}:${l}`
    let id = ids.get(key)
    if (id === undefined) {
      id = pairs.length
      ids.set(key, id)
      pairs.push([q, l])
    }
    return id
  }
  const initial = a.initial.map((q) => stateOf(q, 0))
  const edges: Edge[][] = []
  for (let s = 0; s < pairs.length; s++) {
    const [q, l] = pairs[s]!
    const start = l === k ? 0 : l
    edges[s] = a.edges[q]!.map((e) => {
      let j = start
      while (j < k && e.acc.includes(j)) j++
      return { guard: e.guard, to: stateOf(e.to, j), acc: [] }
    })
  }
  const acceptingStates = pairs.map(([, l]) => l === k)
  return { states: pairs.length, initial, edges, acceptingStates, sets: 0 }
}

// ---------------------------------------------------------------------------------------------
// Results

function exportGeneralized(a: Automaton, atoms: readonly Atom[]): GeneralizedBuchi {
  return {
    stateCount: a.states,
    initial: a.initial,
    edges: a.edges.map((es) => es.map((e) => ({ guard: e.guard, to: e.to, acc: e.acc }))),
    acceptanceSets: a.sets,
    atoms,
  }
}

function exportBuchi(a: Automaton, atoms: readonly Atom[]): BuchiAutomaton {
  const accepting = a.acceptingStates ?? new Array<boolean>(a.states).fill(true)
  const edges = a.edges.map((es) => es.map((e) => ({ guard: e.guard, to: e.to })))
  const used = new Set(edges.flat().flatMap((e) => [...e.guard.pos, ...e.guard.neg]))
  const base = { stateCount: a.states, initial: a.initial, accepting, edges, atoms: atoms.filter((x) => used.has(x.id)) }
  return { ...base, strength: strengthOf(base) }
}

/** The class of an automaton (see `Strength`). */
export function strengthOf(ba: Pick<BuchiAutomaton, 'stateCount' | 'accepting' | 'edges'>): Strength {
  const terminal = ba.accepting.every((acc, s) => !acc || ba.edges[s]!.some((e) => e.to === s && isTrueGuard(e.guard)))
  if (terminal) return 'terminal'
  const comps = sccs({ states: ba.stateCount, edges: ba.edges })
  const weak = comps.every((c) => c.every((s) => ba.accepting[s] === ba.accepting[c[0]!]))
  return weak ? 'weak' : 'strong'
}

/** Whether reaching an accepting state is enough for acceptance (breadth-first fast path). */
export function isTerminal(ba: BuchiAutomaton): boolean {
  return ba.strength === 'terminal'
}

export function edgeCount(a: { readonly edges: readonly (readonly unknown[])[] }): number {
  return a.edges.reduce((n, es) => n + es.length, 0)
}

/** The automaton as a SPIN never claim (for reading and debugging; atoms print by name). */
export function buchiToString(ba: BuchiAutomaton): string {
  const names = new Map(ba.atoms.map((a) => [a.id, a.name]))
  const name = (id: number): string => names.get(id) ?? `p${id}`
  const label = (s: number): string => `${ba.accepting[s] ? 'accept' : 'T0'}_S${s}`
  const lines = ['never {']
  if (ba.initial.length !== 1) {
    lines.push('init:', '  if')
    for (const s of ba.initial) lines.push(`  :: (1) -> goto ${label(s)}`)
    lines.push('  fi;')
  }
  const order = [...new Set([...ba.initial, ...Array.from({ length: ba.stateCount }, (_, i) => i)])]
  for (const s of order) {
    lines.push(`${label(s)}:`)
    const es = ba.edges[s]!
    if (es.length === 0) lines.push('  false;')
    else {
      lines.push('  if')
      for (const e of es) lines.push(`  :: (${guardToString(e.guard, name)}) -> goto ${label(e.to)}`)
      lines.push('  fi;')
    }
  }
  lines.push('}')
  return lines.join('\n')
}
