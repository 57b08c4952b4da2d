import { assertNever, formulaKey, type Formula } from './formula.js'
import { andGuards, guardImplies, guardKey, isSubset, literalGuard, mergeGuards, trueGuard, type Guard } from './guard.js'

/**
 * A very weak alternating automaton (Gastin and Oddoux, "Fast LTL to Büchi automata translation",
 * CAV 2001). Each state is a subformula; its transitions are a disjunction of (guard, conjunction of
 * target states). A run is a tree; it is accepting when no branch stays forever in an until-state
 * (`a U b`, `<>b`). "Very weak": every cycle is a self-loop, so runs can be tracked as sets of states.
 */
export interface AlternatingTransition {
  readonly guard: Guard
  /** Sorted state ids, all to hold from the next position on. */
  readonly to: readonly number[]
}

export interface AlternatingAutomaton {
  readonly formulas: readonly Formula[]
  readonly delta: readonly (readonly AlternatingTransition[])[]
  /** The initial configurations, a disjunction of conjunctions of states. */
  readonly initial: readonly (readonly number[])[]
  /** The until-states, which no branch may stay in forever. */
  readonly isUntil: readonly boolean[]
}

type Dnf = AlternatingTransition[]

/** Builds the alternating automaton of a formula in negation normal form (`toNnf` or `simplify`). */
export function toAlternating(f: Formula): AlternatingAutomaton {
  const b = new Builder()
  const initial = b.bar(f)
  return { formulas: b.formulas, delta: b.delta, initial, isUntil: b.isUntil }
}

class Builder {
  readonly formulas: Formula[] = []
  readonly delta: Dnf[] = []
  readonly isUntil: boolean[] = []
  private readonly ids = new Map<string, number>()
  private readonly memo = new Map<string, Dnf>()

  /** The state for a formula, created (with its transitions) on first use. */
  state(f: Formula): number {
    const key = formulaKey(f)
    const known = this.ids.get(key)
    if (known !== undefined) return known
    const id = this.formulas.length
    this.ids.set(key, id)
    this.formulas.push(f)
    this.delta.push([])
    this.isUntil.push(f.kind === 'until' || f.kind === 'eventually')
    this.delta[id] = this.transitions(f, id)
    return id
  }

  /** A formula as a disjunction of conjunctions of states (the boolean structure above the states). */
  bar(f: Formula): number[][] {
    switch (f.kind) {
      case 'true':
        return [[]]
      case 'false':
        return []
      case 'and': {
        const out: number[][] = []
        for (const l of this.bar(f.left)) for (const r of this.bar(f.right)) out.push(sortedUnion(l, r))
        return minimalSets(out)
      }
      case 'or':
        return minimalSets([...this.bar(f.left), ...this.bar(f.right)])
      default:
        return [[this.state(f)]]
    }
  }

  /** δ of a formula whose state (for U, V, W, [], <>) is `self`. */
  private transitions(f: Formula, self: number): Dnf {
    const loop: Dnf = [{ guard: trueGuard, to: [self] }]
    switch (f.kind) {
      case 'until': // b || (a && X(a U b))
      case 'weakUntil':
        return simplifyDnf([...this.delta0(f.right), ...product(this.delta0(f.left), loop)])
      case 'eventually': // b || X<>b
        return simplifyDnf([...this.delta0(f.arg), ...loop])
      case 'release': // b && (a || X(a V b))
        return simplifyDnf(product(this.delta0(f.right), [...this.delta0(f.left), ...loop]))
      case 'always': // b && X[]b
        return simplifyDnf(product(this.delta0(f.arg), loop))
      default:
        return this.delta0(f)
    }
  }

  /** δ of any formula in negation normal form (memoized). */
  private delta0(f: Formula): Dnf {
    const key = formulaKey(f)
    const known = this.memo.get(key)
    if (known) return known
    let d: Dnf
    switch (f.kind) {
      case 'true':
        d = [{ guard: trueGuard, to: [] }]
        break
      case 'false':
        d = []
        break
      case 'atom':
        d = [{ guard: literalGuard(f.id, true), to: [] }]
        break
      case 'not':
        if (f.arg.kind !== 'atom') throw new Error('toAlternating needs a formula in negation normal form')
        d = [{ guard: literalGuard(f.arg.id, false), to: [] }]
        break
      case 'and':
        d = simplifyDnf(product(this.delta0(f.left), this.delta0(f.right)))
        break
      case 'or':
        d = simplifyDnf([...this.delta0(f.left), ...this.delta0(f.right)])
        break
      case 'next':
        d = this.bar(f.arg).map((to) => ({ guard: trueGuard, to }))
        break
      case 'until':
      case 'weakUntil':
      case 'release':
      case 'always':
      case 'eventually':
        d = this.delta[this.state(f)]!
        break
      case 'implies':
      case 'iff':
        throw new Error('toAlternating needs a formula in negation normal form')
      default:
        return assertNever(f)
    }
    this.memo.set(key, d)
    return d
  }
}

function sortedUnion(a: readonly number[], b: readonly number[]): number[] {
  return [...new Set([...a, ...b])].sort((x, y) => x - y)
}

/** Drops the sets that contain another (a conjunction with more obligations is never needed). */
function minimalSets(sets: number[][]): number[][] {
  const uniq = [...new Map(sets.map((s) => [s.join(','), s])).values()]
  return uniq.filter((s) => !uniq.some((t) => t !== s && t.length < s.length && isSubset(t, s)))
}

/** The conjunction of two disjunctions: each pair with a satisfiable guard. */
export function product(a: readonly AlternatingTransition[], b: readonly AlternatingTransition[]): Dnf {
  const out: Dnf = []
  for (const x of a) {
    for (const y of b) {
      const guard = andGuards(x.guard, y.guard)
      if (guard) out.push({ guard, to: sortedUnion(x.to, y.to) })
    }
  }
  return out
}

/**
 * Removes duplicate and dominated transitions: (g1, e1) is not needed next to (g2, e2) when g1 implies
 * g2 and e2 is a subset of e1. Merges (g && p, e) with (g && !p, e) into (g, e).
 */
export function simplifyDnf(d: readonly AlternatingTransition[]): Dnf {
  let list = [...new Map(d.map((t) => [`${guardKey(t.guard)}>${t.to.join(',')}`, t])).values()]
  for (let changed = true; changed; ) {
    changed = false
    outer: for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const x = list[i]!
        const y = list[j]!
        if (x.to.join(',') !== y.to.join(',')) continue
        const m = mergeGuards(x.guard, y.guard)
        if (m) {
          list = [...list.filter((_, k) => k !== i && k !== j), { guard: m, to: x.to }]
          changed = true
          break outer
        }
      }
    }
  }
  const dominated = (x: AlternatingTransition, y: AlternatingTransition): boolean => guardImplies(x.guard, y.guard) && isSubset(y.to, x.to)
  return list.filter((x, i) => !list.some((y, j) => j !== i && dominated(x, y) && !(dominated(y, x) && j > i)))
}
