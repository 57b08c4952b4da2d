import type { BuchiAutomaton, GeneralizedBuchi } from './buchi.js'
import { assertNever, type Formula } from './formula.js'
import { guardHolds } from './guard.js'

/**
 * Ultimately periodic words `prefix · loop^ω`, and what holds on them: the reference semantics of LTL
 * and of the automata. Use them to check a translation, or that a counterexample lasso really violates
 * a property. Each letter is the set of atom ids that hold there.
 */
export interface Lasso {
  readonly prefix: readonly (readonly number[])[]
  /** Non-empty. */
  readonly loop: readonly (readonly number[])[]
}

function positions(w: Lasso): { letters: (readonly number[])[]; succ: (i: number) => number } {
  if (w.loop.length === 0) throw new Error('a lasso needs a non-empty loop')
  const letters = [...w.prefix, ...w.loop]
  const last = letters.length - 1
  return { letters, succ: (i) => (i === last ? w.prefix.length : i + 1) }
}

/**
 * Whether the formula holds on the word (at position 0): each subformula is evaluated at every position
 * of the lasso, until and eventually as least fixpoints, release, weak until and always as greatest ones.
 * Cost: O(|formula| · |lasso|²).
 */
export function holdsOnLasso(f: Formula, w: Lasso): boolean {
  const { letters, succ } = positions(w)
  const n = letters.length
  const fix = (init: boolean, step: (i: number, next: readonly boolean[]) => boolean): boolean[] => {
    let v = new Array<boolean>(n).fill(init)
    for (let round = 0; round <= n; round++) {
      const nv = v.map((_, i) => step(i, v))
      if (nv.every((x, i) => x === v[i])) break
      v = nv
    }
    return v
  }
  const ev = (g: Formula): boolean[] => {
    switch (g.kind) {
      case 'true':
        return new Array<boolean>(n).fill(true)
      case 'false':
        return new Array<boolean>(n).fill(false)
      case 'atom':
        return letters.map((l) => l.includes(g.id))
      case 'not':
        return ev(g.arg).map((x) => !x)
      case 'next': {
        const a = ev(g.arg)
        return a.map((_, i) => a[succ(i)]!)
      }
      case 'eventually': {
        const a = ev(g.arg)
        return fix(false, (i, v) => a[i]! || v[succ(i)]!)
      }
      case 'always': {
        const a = ev(g.arg)
        return fix(true, (i, v) => a[i]! && v[succ(i)]!)
      }
      case 'and':
      case 'or':
      case 'implies':
      case 'iff': {
        const a = ev(g.left)
        const b = ev(g.right)
        const op = g.kind
        return a.map((x, i) => {
          const y = b[i]!
          return op === 'and' ? x && y : op === 'or' ? x || y : op === 'implies' ? !x || y : x === y
        })
      }
      case 'until': {
        const a = ev(g.left)
        const b = ev(g.right)
        return fix(false, (i, v) => b[i]! || (a[i]! && v[succ(i)]!))
      }
      case 'weakUntil': {
        const a = ev(g.left)
        const b = ev(g.right)
        return fix(true, (i, v) => b[i]! || (a[i]! && v[succ(i)]!))
      }
      case 'release': {
        const a = ev(g.left)
        const b = ev(g.right)
        return fix(true, (i, v) => b[i]! && (a[i]! || v[succ(i)]!))
      }
      default:
        return assertNever(g)
    }
  }
  return ev(f)[0]!
}

/**
 * Whether the automaton accepts the word: in the product of its states with the lasso's positions, an
 * accepting product state on a loop position is reachable and lies on a cycle.
 */
export function buchiAcceptsLasso(ba: BuchiAutomaton, w: Lasso): boolean {
  const { letters, succ } = positions(w)
  const n = letters.length
  const node = (q: number, i: number): number => q * n + i
  const succs = (x: number): number[] => {
    const q = Math.floor(x / n)
    const i = x % n
    const letter = letters[i]!
    return ba.edges[q]!.filter((e) => guardHolds(e.guard, (id) => letter.includes(id))).map((e) => node(e.to, succ(i)))
  }
  const reach = closure(ba.initial.map((q) => node(q, 0)), succs)
  for (const x of reach) {
    const q = Math.floor(x / n)
    if (!ba.accepting[q] || x % n < w.prefix.length) continue
    if (closure(succs(x), succs).has(x)) return true
  }
  return false
}

/**
 * Whether the generalized automaton accepts the word: some reachable strongly connected part of the
 * product with the lasso has internal edges of every acceptance set.
 */
export function generalizedAcceptsLasso(g: GeneralizedBuchi, w: Lasso): boolean {
  const { letters, succ } = positions(w)
  const n = letters.length
  const node = (q: number, i: number): number => q * n + i
  type PEdge = { to: number; acc: readonly number[] }
  const succs = (x: number): PEdge[] => {
    const q = Math.floor(x / n)
    const i = x % n
    const letter = letters[i]!
    return g.edges[q]!.filter((e) => guardHolds(e.guard, (id) => letter.includes(id))).map((e) => ({ to: node(e.to, succ(i)), acc: e.acc }))
  }
  const reach = closure(g.initial.map((q) => node(q, 0)), (x) => succs(x).map((e) => e.to))
  for (const x of reach) {
    // The product states that x reaches and that reach x form x's component.
    const fwd = closure([x], (y) => succs(y).map((e) => e.to))
    const comp = [...fwd].filter((y) => closure([y], (z) => succs(z).map((e) => e.to)).has(x))
    const inComp = new Set(comp)
    const sets = new Set<number>()
    let internal = false
    for (const y of comp) {
      for (const e of succs(y)) {
        if (!inComp.has(e.to)) continue
        internal = true
        for (const j of e.acc) sets.add(j)
      }
    }
    if (internal && sets.size === g.acceptanceSets) return true
  }
  return false
}

function closure(start: readonly number[], succs: (x: number) => readonly number[]): Set<number> {
  const seen = new Set<number>(start)
  const stack = [...start]
  while (stack.length > 0) {
    const x = stack.pop()!
    for (const y of succs(x)) {
      if (!seen.has(y)) {
        seen.add(y)
        stack.push(y)
      }
    }
  }
  return seen
}
