import { anywhere, dup, equalNode, mk, printNode, Rewriter, strcmp, TlError, type TlNode } from './spin-tl-node.js'
import { TlParser, type PredicateSite } from './spin-tl-parse.js'
import { tableau, type RawTransition } from './spin-tl-tableau.js'

/**
 * The never claim SPIN 6.5.2 writes for an LTL formula (`spin -f TEXT`; for an `ltl` block, TEXT is
 * `!(…)` around the formula as SPIN prints it): the tableau of `spin-tl-tableau.ts`, then SPIN's own
 * clean-up of the Büchi automaton (contradictory guards dropped, equal states merged, transitions to
 * the same state joined, states that loop into each other under equal guards merged), then the claim
 * in SPIN's layout: the initial state first, each state's options in SPIN's order, transitions into
 * `accept_all` written as `atomic { g -> assert(!g) }`.
 *
 * Use it to get the same product (and so the same state counts) as pan; `translate` (`buchi.ts`) gives
 * a smaller automaton for the same formula. Cost: exponential in the formula in the worst case, like
 * any tableau; milliseconds for the formulas people write.
 */
export interface SpinClaim {
  /** The states in the order SPIN prints them; the first is the initial state. */
  readonly states: readonly SpinClaimState[]
  /** SPIN found no state at all and wrote `0 /* false *\/;` (a claim that blocks at once). */
  readonly blocked: boolean
  /** Whether the claim ends with `accept_all: skip`. */
  readonly acceptAll: boolean
  /** Every predicate of the formula, with where it starts in the text (first occurrence). */
  readonly predicates: readonly PredicateSite[]
}

export interface SpinClaimState {
  /** The state's labels, in order (`accept_init`, `T0_init`; `accept_S4`; …). */
  readonly labels: readonly string[]
  /** The options of its `do … od`, in order; none: `:: false`. */
  readonly options: readonly SpinClaimOption[]
}

export interface SpinClaimOption {
  /** The conjuncts of the guard, in order; none: `(1)`. Each is a predicate, `!`, `||` or `false`. */
  readonly guard: readonly TlNode[]
  /** The target label, or `accept_all` (then the option asserts the negated guard). */
  readonly to: string
}

/**
 * Translates formula text as `spin -f TEXT` does; throws `TlError` where SPIN reports an error, and
 * when the tableau takes more than `limit` steps (some formulas with nested `<->` keep SPIN busy for
 * hours; a few thousand steps are plenty for the formulas people write).
 */
export function spinClaim(text: string, limit = 100_000): SpinClaim {
  checkBalanced(text)
  const rw = new Rewriter()
  const predicates: PredicateSite[] = []
  const formula = new TlParser(text.replace(/[\t\n]/g, ' '), rw, (site) => {
    if (!predicates.some((p) => p.name === site.name)) predicates.push(site)
  }).parse()
  const t = tableau(formula, rw, limit)
  return { ...new Cleanup(rw, t.maxRed).run(t.transitions), predicates }
}

export { TlError }

/** SPIN first checks that parentheses balance (a parenthesis between quotes, `'('`, does not count). */
function checkBalanced(text: string): void {
  let depth = 0
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (c !== '(' && c !== ')') continue
    const quoted = i > 0 && ((text[i - 1] === '"' && text[i + 1] === '"') || (text[i - 1] === "'" && text[i + 1] === "'"))
    if (!quoted) depth += c === '(' ? 1 : -1
  }
  if (depth !== 0) throw new TlError(`parentheses not balanced in '${text}'`)
}

interface Transition {
  name: string
  cond: TlNode | undefined
  redundant: boolean
  marked: boolean
}

interface State {
  readonly name: string
  /** Head first (SPIN prepends, then prints from the tail). */
  readonly trans: Transition[]
  redundant: boolean
  accepting: boolean
  reachable: boolean
}

const startsAccept = (s: string): boolean => s.startsWith('accept')

/** Drops what is not a state formula (untils and releases) from a condition (SPIN's Prune). */
function prune(p: TlNode | undefined): TlNode | undefined {
  if (!p) return p
  switch (p.ntyp) {
    case 'pred':
    case 'not':
    case 'false':
    case 'true':
      return p
    case 'or':
      p.lft = prune(p.lft)
      if (!p.lft) return undefined
      p.rgt = prune(p.rgt)
      if (!p.rgt) return undefined
      return p
    case 'and':
      p.lft = prune(p.lft)
      if (!p.lft) return prune(p.rgt)
      p.rgt = prune(p.rgt)
      if (!p.rgt) return p.lft
      return p
    default:
      return undefined
  }
}

/** `false` when a chain of literals holds a predicate and its negation (SPIN's unclutter). */
function unclutter(n: TlNode | undefined): TlNode | undefined {
  const literal = (t: TlNode): boolean => t.ntyp === 'pred' || t.ntyp === 'not'
  for (let t = n; t; t = t.rgt) {
    if (t.rgt) {
      if (t.ntyp !== 'and' || !t.lft || !literal(t.lft)) return n
    } else if (!literal(t)) return n
  }
  for (let t = n; t; t = t.rgt) {
    const v = t.rgt ? t.lft! : t
    if (v.ntyp !== 'not' || v.lft!.ntyp !== 'pred') continue
    for (let s = n; s; s = s.rgt) {
      if (s === t) continue
      const u = s.rgt ? s.lft! : s
      if (u.ntyp === 'pred' && u.sym === v.lft!.sym) return mk('false')
    }
  }
  return n
}

class Cleanup {
  /** Head first. */
  private readonly never: State[] = []
  private hitsAll = false

  constructor(
    private readonly rw: Rewriter,
    private readonly maxRed: number,
  ) {}

  run(raw: readonly RawTransition[]): Omit<SpinClaim, 'predicates'> {
    for (const r of raw) this.addTransition(r.from, r.cond, r.to)
    for (const p of this.never) {
      p.trans.forEach((s, i) => {
        s.cond = unclutter(s.cond)
        if (s.cond?.ntyp === 'false' && (i !== 0 || p.trans.length > 1)) s.redundant = true
      })
    }
    let b = this.find('T0_init')
    if (b && this.maxRed === 0) b.accepting = true
    this.mergeStates(false)
    b = this.find('T0_init')
    for (;;) {
      this.clearReach()
      this.dfs(b)
      this.mergeTransitions()
      if (this.mergeStates(true) === 0) break
    }
    this.buckyBalls()
    this.clearReach()
    this.dfs(b)
    return { states: this.output(b), acceptAll: this.hitsAll, blocked: !b && this.never.length === 0 }
  }

  private addTransition(from: string, op: TlNode | undefined, to: string): void {
    let cond = prune(op)
    if (cond) cond = this.rw.rewrite(cond)
    const t: Transition = { name: to, cond, redundant: false, marked: false }
    const b = this.never.find((s) => s.name === from)
    if (b) b.trans.unshift(t)
    else this.never.unshift({ name: from, trans: [t], redundant: false, accepting: startsAccept(from), reachable: false })
  }

  /** The state of a name; `T<k>_S<n>` also finds `accept_S<n>`. */
  private find(name: string): State | undefined {
    const b = this.never.find((s) => s.name === name)
    if (b || name === 'accept_all' || startsAccept(name)) return b
    const i = name.indexOf('_')
    return i < 0 ? undefined : this.find(`accept${name.slice(i)}`)
  }

  private dfs(b: State | undefined): void {
    if (!b || b.reachable) return
    b.reachable = true
    for (const t of b.trans) {
      if (t.redundant) continue
      this.dfs(this.find(t.name))
      if (t.name === 'accept_all') this.hitsAll = true
    }
  }

  private clearReach(): void {
    for (const p of this.never) p.reachable = false
    this.hitsAll = false
  }

  private retarget(from: string, to: string): void {
    for (const b of this.never) {
      if (b.name === from) b.redundant = true
      else for (const t of b.trans) if (t.name === from) t.name = to
    }
  }

  /** Retargets `c` to `d`, and with a single class also its `T0_` alias. */
  private replace(c: State, d: State): void {
    this.retarget(c.name, d.name)
    if (startsAccept(c.name) && this.maxRed === 0) this.retarget(`T0${c.name.slice(6)}`, d.name)
  }

  /** Joins two transitions to the same state into one, guarded by the disjunction. */
  private mergeTransitions(): void {
    for (const b of this.never) {
      if (!b.reachable) continue
      b.trans.forEach((s, i) => {
        if (s.redundant) return
        for (const t of b.trans.slice(i + 1)) {
          if (t.redundant || s.name !== t.name) continue
          t.cond = !s.cond || !t.cond ? mk('true') : mk('or', s.cond, t.cond)
          t.cond = this.rw.rewrite(t.cond)
          s.redundant = true
          break
        }
      })
    }
  }

  private sameTransition(s: Transition, t: Transition): boolean {
    return s.name === t.name && equalCond(s.cond, t.cond)
  }

  /** Whether two states have the same live transitions (and the same acceptance). */
  private allMatch(a: State, b: State): boolean {
    if (a.accepting !== b.accepting) return false
    return this.matchBoth(a, b, (s, t) => this.sameTransition(s, t), (s, t) => this.sameTransition(s, t), false)
  }

  /**
   * Every live transition of `a` pairs with one of `b` (which gets marked), and every unmarked live
   * transition of `b` with one of `a` (marked too when `markBack`: SPIN's merging of looping states
   * leaves those marks on `a`, where they hide transitions from later comparisons with `a` second).
   */
  private matchBoth(a: State, b: State, ab: (s: Transition, t: Transition) => boolean, ba: (s: Transition, t: Transition) => boolean, markBack: boolean): boolean {
    let ok = true
    for (const s of a.trans) {
      if (s.redundant) continue
      const t = b.trans.find((t) => !t.redundant && ab(s, t))
      if (!t) {
        ok = false
        break
      }
      t.marked = true
    }
    if (ok) {
      for (const s of b.trans) {
        if (s.redundant || s.marked) continue
        const t = a.trans.find((t) => !t.redundant && ba(s, t))
        if (!t) {
          ok = false
          break
        }
        if (markBack) t.marked = true
      }
    }
    for (const s of b.trans) s.marked = false
    return ok
  }

  /**
   * Rounds (at most 10, while something merges) over the pairs a, b of live states, b after a in the
   * list; `merge` merges a pair if it can, and then a's round is over.
   */
  private mergeRounds(live: (s: State) => boolean, merge: (a: State, b: State) => boolean): number {
    let count = 0
    let merged: number
    do {
      merged = 0
      count++
      this.never.forEach((a, i) => {
        if (!live(a) || a.redundant) return
        for (const b of this.never.slice(i + 1)) {
          if (!live(b) || b.redundant) continue
          if (merge(a, b)) {
            merged++
            break
          }
        }
      })
    } while (merged > 0 && count < 10)
    return count - 1
  }

  /** Merges states with the same transitions; returns the number of rounds that merged. */
  private mergeStates(reachableOnly: boolean): number {
    return this.mergeRounds(
      (s) => !reachableOnly || s.reachable,
      (a, b) => {
        if (!this.allMatch(a, b)) return false
        this.replace(a, b)
        return true
      },
    )
  }

  /** Two states whose transitions agree, where each loops into the other, are one state. */
  private buckyBalls(): void {
    const pair = (x: State, y: State) => (s: Transition, t: Transition): boolean =>
      equalCond(s.cond, t.cond) && ((s.name === y.name && t.name === x.name) || (s.name === t.name && s.name === 'accept_all'))
    this.mergeRounds(
      (s) => s.reachable,
      (a, b) => {
        if (!this.matchBoth(a, b, pair(a, b), pair(b, a), true)) return false
        let c = a
        let d = b
        if (a.accepting && !b.accepting) {
          if (b.name === 'T0_init') b.accepting = true
          else {
            c = b
            d = a
          }
        }
        this.replace(c, d)
        return true
      },
    )
  }

  private output(b: State | undefined): SpinClaimState[] {
    const out: SpinClaimState[] = []
    const print = (s: State | undefined, first: boolean): void => {
      if (!s || !s.reachable) return
      s.reachable = false
      const labels = first && s.accepting ? ['accept_init', s.name] : [s.name]
      if (startsAccept(s.name) && this.maxRed === 0) labels.push(`T0${s.name.slice(6)}`)
      const options = [...s.trans].reverse().filter((t) => !t.redundant).map((t) => ({ guard: this.conjuncts(t.cond), to: t.name }))
      out.push({ labels, options })
    }
    print(b, true)
    for (const s of this.never) print(s, false)
    return out
  }

  /** The conjuncts SPIN prints for a guard (its dump_cond). */
  private conjuncts(cond: TlNode | undefined): TlNode[] {
    const out: TlNode[] = []
    const walk = (pp: TlNode | undefined): void => {
      if (!pp) return
      const q = this.rw.rewrite(dup(pp))!
      if (q.ntyp === 'pred' || q.ntyp === 'not' || q.ntyp === 'or' || q.ntyp === 'false') out.push(q)
      else if (q.ntyp === 'V' && !anywhere('and', q.rgt!, cond)) walk(q.rgt)
      else if (q.ntyp === 'and') {
        walk(q.lft)
        walk(q.rgt)
      }
    }
    walk(cond)
    return out
  }
}

/** Equal guards; a missing guard is `true`. */
const equalCond = equalNode

// ---------------------------------------------------------------------------------------------
// SPIN's text

/** The claim as `spin -f` prints it (`name` empty gives SPIN's `never  {`). */
export function spinClaimText(claim: SpinClaim, formulaText: string, name = ''): string {
  const lines = [`never ${name} {    /* ${formulaText} */`]
  if (claim.blocked) lines.push('\t0 /* false */;')
  for (const s of claim.states) {
    for (const l of s.labels) lines.push(`${l}:`)
    lines.push('\tdo')
    if (s.options.length === 0) lines.push('\t:: false')
    for (const o of s.options) {
      const g = o.guard.length === 0 ? '1' : o.guard.map(printNode).join(' && ')
      lines.push(o.to === 'accept_all' ? `\t:: atomic { (${g}) -> assert(!(${g})) }` : `\t:: (${g}) -> goto ${o.to}`)
    }
    lines.push('\tod;')
  }
  if (claim.acceptAll) lines.push('accept_all:', '\tskip')
  lines.push('}')
  return lines.join('\n') + '\n'
}

/** Predicates in SPIN's sort order (by name), for tests and printing. */
export function predicateNames(claim: SpinClaim): string[] {
  return claim.predicates.map((p) => p.name).sort(strcmp)
}
