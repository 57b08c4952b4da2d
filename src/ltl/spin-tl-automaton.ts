import { strengthOf, type BuchiAutomaton, type BuchiEdge } from './buchi.js'
import { assertNever, atomsOf, toNnf, type Formula } from './formula.js'
import { andGuards, trueGuard, type Guard } from './guard.js'
import type { SpinClaim } from './spin-tl-claim.js'
import type { TlNode } from './spin-tl-node.js'

/**
 * The text SPIN hands its translator for a formula, as it writes an `ltl` block down: operands in
 * parentheses, `a -> b` as `(! (a)) || (b)`, `a W b` as `([] (a)) || ((a) U (b))`, constants as `1`
 * and `0`, atoms by name. With `negated` (what a check translates) it is `!(…)` around that. Formulas
 * with `X` have no such text (SPIN 6.5.2 does not translate them): undefined.
 */
export function spinFormulaText(f: Formula, negated = true): string | undefined {
  const go = (g: Formula): string | undefined => {
    const wrap = (x: Formula): string | undefined => {
      const t = go(x)
      return t === undefined ? undefined : `(${t})`
    }
    const bin = (l: string | undefined, op: string, r: string | undefined): string | undefined => (l === undefined || r === undefined ? undefined : `${l} ${op} ${r}`)
    switch (g.kind) {
      case 'true':
        return '1'
      case 'false':
        return '0'
      case 'atom':
        return g.name
      case 'next':
        return undefined
      case 'not':
      case 'always':
      case 'eventually': {
        const a = wrap(g.arg)
        return a === undefined ? undefined : `${g.kind === 'not' ? '!' : g.kind === 'always' ? '[]' : '<>'} ${a}`
      }
      case 'and':
        return bin(wrap(g.left), '&&', wrap(g.right))
      case 'or':
        return bin(wrap(g.left), '||', wrap(g.right))
      case 'iff':
        return bin(wrap(g.left), '<->', wrap(g.right))
      case 'until':
        return bin(wrap(g.left), 'U', wrap(g.right))
      case 'release':
        return bin(wrap(g.left), 'V', wrap(g.right))
      case 'implies': {
        const l = go(g.left)
        return bin(l === undefined ? undefined : `(! (${l}))`, '||', wrap(g.right))
      }
      case 'weakUntil': {
        const l = go(g.left)
        const r = go(g.right)
        return l === undefined || r === undefined ? undefined : `([] (${l})) || ((${l}) U (${r}))`
      }
      default:
        return assertNever(g)
    }
  }
  const text = go(f)
  return text === undefined ? undefined : negated ? `!(${text})` : text
}

/**
 * A claim as a state-based Büchi automaton, to reason about what it accepts: its states in SPIN's
 * order (then `accept_all`, with a `true` self-loop, when the claim has it), accepting where a label
 * starts with `accept`, and each option split into one edge per disjunct of its guard. `meaning` gives
 * the propositional formula a predicate stands for (over the atoms of the automaton).
 */
export function spinClaimAutomaton(claim: SpinClaim, meaning: (predicate: string) => Formula): BuchiAutomaton {
  const names = claim.states.map((s) => s.labels)
  if (claim.acceptAll) names.push(['accept_all'])
  const index = new Map<string, number>()
  names.forEach((labels, i) => labels.forEach((l) => index.set(l, i)))
  const atoms = new Map<string, Formula>()
  const predicate = (name: string): Formula => {
    let f = atoms.get(name)
    if (!f) atoms.set(name, (f = toNnf(meaning(name))))
    return f
  }
  const edges: BuchiEdge[][] = names.map(() => [])
  claim.states.forEach((s, i) => {
    for (const o of s.options) {
      const to = index.get(o.to)
      // Every target of an option is a printed state or accept_all.
      if (to === undefined) throw new Error(`no state '${o.to}' in the claim`)
      let guards: Guard[] = [trueGuard]
      for (const c of o.guard) guards = conjoin(guards, condGuards(c, predicate))
      for (const guard of guards) edges[i]!.push({ guard, to })
    }
  })
  if (claim.acceptAll) edges[names.length - 1]!.push({ guard: trueGuard, to: names.length - 1 })
  const accepting = names.map((labels) => labels.some((l) => l.startsWith('accept')))
  const shape = { stateCount: names.length, accepting, edges }
  const used = [...atoms.values()].flatMap(atomsOf)
  return {
    ...shape,
    initial: names.length > 0 ? [0] : [],
    atoms: [...new Map(used.map((a) => [a.id, a])).values()].sort((a, b) => a.id - b.id),
    strength: strengthOf(shape),
  }
}

function conjoin(a: readonly Guard[], b: readonly Guard[]): Guard[] {
  return a.flatMap((x) => b.flatMap((y) => {
    const g = andGuards(x, y)
    return g ? [g] : []
  }))
}

/** A guard condition as a disjunction of conjunctions of literals. */
function condGuards(n: TlNode, predicate: (name: string) => Formula): Guard[] {
  switch (n.ntyp) {
    case 'pred':
      return dnf(predicate(n.sym!))
    case 'not':
      if (n.lft!.ntyp !== 'pred') throw new Error('a negation SPIN did not push to a predicate')
      return dnf(toNnf({ kind: 'not', arg: predicate(n.lft!.sym!) }))
    case 'and':
      return conjoin(condGuards(n.lft!, predicate), condGuards(n.rgt!, predicate))
    case 'or':
      return [...condGuards(n.lft!, predicate), ...condGuards(n.rgt!, predicate)]
    case 'true':
      return [trueGuard]
    case 'false':
      return []
    default:
      throw new Error(`a '${n.ntyp}' node in a guard`)
  }
}

/** The disjunctive normal form of a propositional formula in negation normal form. */
function dnf(f: Formula): Guard[] {
  switch (f.kind) {
    case 'true':
      return [trueGuard]
    case 'false':
      return []
    case 'atom':
      return [{ pos: [f.id], neg: [] }]
    case 'not':
      if (f.arg.kind !== 'atom') throw new Error('dnf needs negation normal form')
      return [{ pos: [], neg: [f.arg.id] }]
    case 'and':
      return conjoin(dnf(f.left), dnf(f.right))
    case 'or':
      return [...dnf(f.left), ...dnf(f.right)]
    default:
      throw new Error(`a temporal operator in a predicate: '${f.kind}'`)
  }
}
