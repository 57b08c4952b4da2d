/**
 * The formula trees of SPIN's LTL translator (`spin -f`, and SPIN's `ltl` blocks), with its rewriting:
 * conjunctions and disjunctions kept right-linked and sorted by the text of their operands, duplicates
 * and absorbed operands dropped, negations pushed to the predicates.
 *
 * The translator's results (which states exist, in which order, with which guards) depend on exactly
 * how these trees are built and shared, so nodes are mutable records linked as SPIN links them: `lft`
 * and `rgt` for the tree, `nxt` for the lists the tableau keeps (`spin-tl-tableau.ts`). Every
 * operation here follows the behaviour of SPIN 6.5.2, quirks included, and is checked against its
 * output by `test/ltl/spin-claims.test.ts`.
 */

/** `deleted` marks an operand that `canonicalForm` drops. */
export type TlType = 'and' | 'or' | 'U' | 'V' | 'not' | 'pred' | 'true' | 'false' | 'implies' | 'equiv' | 'deleted'

export interface TlNode {
  ntyp: TlType
  /** The name of a predicate (and of the nodes `canonicalForm` collapses into one). */
  sym?: string | undefined
  lft?: TlNode | undefined
  rgt?: TlNode | undefined
  nxt?: TlNode | undefined
}

/** A translation error (SPIN prints it and stops). */
export class TlError extends Error {}

export function mk(ntyp: TlType, lft?: TlNode, rgt?: TlNode): TlNode {
  return { ntyp, lft, rgt }
}

export const mkTrue = (): TlNode => mk('true')
export const mkFalse = (): TlNode => mk('false')

/** A copy of the node itself, sharing its children (not its list link). */
export function shallow(p: TlNode | undefined): TlNode | undefined {
  return p && { ntyp: p.ntyp, sym: p.sym, lft: p.lft, rgt: p.rgt }
}

/** A copy of the whole tree (not of the list link). */
export function dup(n: TlNode | undefined): TlNode | undefined {
  return n && { ntyp: n.ntyp, sym: n.sym, lft: dup(n.lft), rgt: dup(n.rgt) }
}

export function dup1(n: TlNode): TlNode {
  return dup(n)!
}

export function strcmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

const dumpOp: Partial<Record<TlType, string>> = { U: 'U', V: 'V', or: '|', and: '&' }

/** The compact text SPIN sorts operands by and compares tableau nodes with. */
export function textKey(n: TlNode | undefined): string | undefined {
  if (!n) return undefined
  if (n.ntyp === 'pred') return n.sym!
  const out: string[] = []
  const walk = (m: TlNode | undefined): void => {
    if (!m) return
    switch (m.ntyp) {
      case 'pred':
        out.push(m.sym!)
        return
      case 'U':
      case 'V':
      case 'or':
      case 'and':
        out.push(dumpOp[m.ntyp]!)
        walk(m.rgt)
        walk(m.lft)
        return
      case 'not':
        out.push('!')
        walk(m.lft)
        return
      case 'true':
        out.push('T')
        return
      case 'false':
        out.push('F')
        return
      default:
        out.push('?')
    }
  }
  walk(n)
  return out.join('')
}

/** The formula as SPIN prints it in a claim: `(p)`, `! ((p))`, `((p) && (q))`. */
export function printNode(n: TlNode | undefined): string {
  if (!n) return ''
  switch (n.ntyp) {
    case 'or':
      return `(${printNode(n.lft)} || ${printNode(n.rgt)})`
    case 'and':
      return `(${printNode(n.lft)} && ${printNode(n.rgt)})`
    case 'U':
      return `(${printNode(n.lft)} U ${printNode(n.rgt)})`
    case 'V':
      return `(${printNode(n.lft)} V ${printNode(n.rgt)})`
    case 'not':
      return `! (${printNode(n.lft)})`
    case 'false':
      return 'false'
    case 'true':
      return 'true'
    case 'pred':
      return `(${n.sym!})`
    case 'deleted':
      return ' D '
    default:
      return ''
  }
}

// ---------------------------------------------------------------------------------------------
// Equality: exact (`sameTree`), and up to the order and grouping of && and || (`equalNode`)

function symsDiffer(a: TlNode, b: TlNode): boolean {
  return a.sym !== undefined && b.sym !== undefined && a.sym !== b.sym
}

/** Equal trees; a missing operand equals `true`. Falls back to `sameForm`. */
export function equalNode(a: TlNode | undefined, b: TlNode | undefined): boolean {
  if (!a && !b) return true
  if (!a || !b) return (a ?? b)!.ntyp === 'true'
  if (a.ntyp !== b.ntyp || symsDiffer(a, b)) return false
  if (equalNode(a.lft, b.lft) && equalNode(a.rgt, b.rgt)) return true
  return sameForm(a, b)
}

function sameForm(a: TlNode | undefined, b: TlNode | undefined): boolean {
  if (!a && !b) return true
  if (!a || !b) return false
  if (a.ntyp !== b.ntyp || symsDiffer(a, b)) return false
  switch (a.ntyp) {
    case 'true':
    case 'false':
      return true
    case 'pred':
      return a.sym === b.sym
    case 'not':
      return sameForm(a.lft, b.lft)
    case 'U':
    case 'V':
      return sameForm(a.lft, b.lft) && sameForm(a.rgt, b.rgt)
    case 'and':
    case 'or':
      return allOperands(a.ntyp, a, b) && allOperands(a.ntyp, b, a)
    default:
      // Deleted and implication nodes never reach a comparison.
      throw new Error(`cannot compare a '${a.ntyp}' node`)
  }
}

function oneOperand(ntyp: TlType, x: TlNode | undefined, inTree: TlNode | undefined): boolean {
  if (!x) return true
  if (!inTree) return false
  if (sameForm(x, inTree)) return true
  if (inTree.ntyp !== ntyp) return false
  return oneOperand(ntyp, x, inTree.lft) || oneOperand(ntyp, x, inTree.rgt)
}

function allOperands(ntyp: TlType, from: TlNode | undefined, inTree: TlNode | undefined): boolean {
  if (!from) return true
  if (from.ntyp !== ntyp) return oneOperand(ntyp, from, inTree)
  if (!oneOperand(ntyp, from.lft, inTree)) return false
  return allOperands(ntyp, from.rgt, inTree)
}

/** The same tree, node for node. */
export function sameTree(a: TlNode | undefined, b: TlNode | undefined): boolean {
  if (!a && !b) return true
  if (!a || !b) return false
  if (a.ntyp !== b.ntyp || symsDiffer(a, b)) return false
  return sameTree(a.lft, b.lft) && sameTree(a.rgt, b.rgt)
}

function anyTerm(srch: TlNode, inTree: TlNode | undefined): boolean {
  if (!inTree) return false
  if (inTree.ntyp === 'and') return anyTerm(srch, inTree.lft) || anyTerm(srch, inTree.rgt)
  return equalNode(inTree, srch)
}

function anyAnd(srch: TlNode, inTree: TlNode | undefined): boolean {
  if (!inTree) return false
  if (srch.ntyp === 'and') return anyAnd(srch.lft!, inTree) && anyAnd(srch.rgt!, inTree)
  return anyTerm(srch, inTree)
}

function anyOr(srch: TlNode, inTree: TlNode | undefined): boolean {
  if (!inTree) return false
  if (inTree.ntyp === 'or') return anyOr(srch, inTree.lft) || anyOr(srch, inTree.rgt)
  return equalNode(inTree, srch)
}

/**
 * `and`: every conjunct of `srch` is a conjunct of `inTree`; `or`: `srch` is a disjunct of `inTree`;
 * `term`: `srch` is a conjunct of `inTree`.
 */
export function anywhere(tok: 'and' | 'or' | 'term', srch: TlNode, inTree: TlNode | undefined): boolean {
  if (!inTree) return false
  return tok === 'and' ? anyAnd(srch, inTree) : tok === 'or' ? anyOr(srch, inTree) : anyTerm(srch, inTree)
}

/** Rotates chains of && and of || so that they lean right (in place). */
export function rightLinked(n: TlNode | undefined): TlNode | undefined {
  if (!n) return n
  if (n.ntyp === 'and' || n.ntyp === 'or') {
    while (n.lft && n.lft.ntyp === n.ntyp) {
      const tmp: TlNode = n.lft
      n.lft = tmp.rgt
      tmp.rgt = n
      n = tmp
    }
  }
  n.lft = rightLinked(n.lft)
  n.rgt = rightLinked(n.rgt)
  return n
}

// ---------------------------------------------------------------------------------------------
// Rewriting, with SPIN's cache of canonical forms (one per translation)

interface CacheEntry {
  readonly before: TlNode
  after: TlNode
  same: boolean
}

export class Rewriter {
  /** Newest last; searched newest first. */
  private readonly stored: CacheEntry[] = []
  private can: TlNode | undefined

  /** `canonical(rightLinked(n))`. */
  rewrite(n: TlNode | undefined): TlNode | undefined {
    return this.canonical(rightLinked(n))
  }

  rewrite1(n: TlNode): TlNode {
    return this.rewrite(n)!
  }

  /** The negation of `a`, pushed down to the predicates. */
  not(a: TlNode | undefined): TlNode {
    return this.pushNegation(mk('not', a))
  }

  private inCache(n: TlNode): TlNode | undefined {
    for (let i = this.stored.length - 1; i >= 0; i--) {
      const d = this.stored[i]!
      if (equalNode(d.before, n)) {
        if (d.same && sameTree(n, d.before)) return n
        return dup(d.after)
      }
    }
    return undefined
  }

  private cached(n: TlNode | undefined): TlNode | undefined {
    if (!n) return n
    const m = this.inCache(n)
    if (m) return m
    const before = dup1(n)
    const d: CacheEntry = { before, after: this.canonicalForm(n), same: false }
    if (sameTree(d.before, d.after)) {
      d.same = true
      d.after = d.before
    }
    this.stored.push(d)
    return dup(d.after)
  }

  canonical(n: TlNode | undefined): TlNode | undefined {
    if (!n) return n
    const m = this.inCache(n)
    if (m) return m
    n.rgt = this.canonical(n.rgt)
    n.lft = this.canonical(n.lft)
    return this.cached(n)
  }

  /** Pushes a `not` node's negation into its operand (SPIN's push_negation), then rewrites. */
  pushNegation(n: TlNode): TlNode {
    const arg = n.lft!
    const flip: Partial<Record<TlType, TlType>> = { V: 'U', U: 'V', and: 'or', or: 'and' }
    switch (arg.ntyp) {
      case 'true':
        n.lft = undefined
        n.ntyp = 'false'
        break
      case 'false':
        n.lft = undefined
        n.ntyp = 'true'
        break
      case 'not':
        n = arg.lft!
        break
      case 'V':
      case 'U':
      case 'and':
      case 'or': {
        n.ntyp = flip[arg.ntyp]!
        const m = arg.rgt
        arg.rgt = undefined
        n.rgt = this.not(m)
        arg.ntyp = 'not'
        n.lft = this.pushNegation(arg)
        break
      }
      default:
        break
    }
    return this.rewrite1(n)
  }

  /**
   * Sorts the operands of a && or || chain by their text, drops duplicates, constants that do not
   * matter and absorbed operands (SPIN's Canonical). Returns the node unchanged if it is not a chain.
   */
  private canonicalForm(n: TlNode): TlNode {
    const tok = n.ntyp
    if (tok !== 'and' && tok !== 'or') return n
    this.can = undefined
    this.addOperand(tok, n)
    const next = (m: TlNode): TlNode | undefined => (m.ntyp === tok ? m.rgt : undefined)
    const item = (m: TlNode): TlNode => (m.ntyp === tok ? m.lft! : m)
    const unit: TlType = tok === 'and' ? 'true' : 'false'
    const zero: TlType = tok === 'and' ? 'false' : 'true'
    let dflt: TlNode | undefined
    let zeroed = false
    for (let m: TlNode | undefined = this.can; m; m = next(m)) {
      const k1 = item(m)
      if (k1.ntyp === unit) {
        markDeleted(tok, m)
        dflt = mk(unit)
        continue
      }
      if (k1.ntyp === zero) {
        this.can = mk(zero)
        zeroed = true
        break
      }
    }
    if (!zeroed) {
      const dual = tok === 'and' ? 'or' : 'and'
      for (let m: TlNode | undefined = this.can; m; m = next(m)) {
        for (let p: TlNode | undefined = this.can; p; p = next(p)) {
          if (p === m || p.ntyp === 'deleted' || m.ntyp === 'deleted') continue
          const k1 = item(m)
          const k2 = item(p)
          if (equalNode(k1, k2) || anywhere(dual, k1, k2)) markDeleted(tok, p)
        }
      }
      let prev: TlNode | undefined
      for (let m: TlNode | undefined = this.can; m; ) {
        if (m.ntyp === 'deleted') {
          const k2 = m.rgt
          if (!prev) {
            m = this.can = this.can!.rgt
          } else {
            m = prev.rgt = k2
            // The last operand went: the chain node before it becomes that operand's sibling.
            if (!prev.rgt && prev.lft && (prev.ntyp === 'and' || prev.ntyp === 'or')) {
              const k1 = prev.lft
              prev.ntyp = k1.ntyp
              prev.sym = k1.sym
              prev.rgt = k1.rgt
              prev.lft = k1.lft
            }
          }
          continue
        }
        prev = m
        m = m.rgt
      }
    }
    if (!this.can) {
      // Only constants that do not matter were there; SPIN keeps one of them.
      if (!dflt) throw new Error('canonical form of an empty chain')
      return dflt
    }
    return this.can
  }

  /** Inserts the operands of a chain into `this.can`, keeping it sorted by text (SPIN's addcan). */
  private addOperand(tok: TlType, n: TlNode | undefined): void {
    if (!n) return
    if (n.ntyp === tok) {
      this.addOperand(tok, n.rgt)
      this.addOperand(tok, n.lft)
      return
    }
    const N = dup1(n)
    if (!this.can) {
      this.can = N
      return
    }
    const s = textKey(N)!
    let get: () => TlNode
    let set: (x: TlNode) => void
    if (this.can.ntyp !== tok) {
      get = () => this.can!
      set = (x) => {
        this.can = x
      }
    } else {
      let prev: TlNode | undefined
      let at: TlNode | undefined
      for (let m: TlNode = this.can; m.ntyp === tok && m.rgt; prev = m, m = m.rgt) {
        const t = textKey(m.lft)
        const cmp = t !== undefined ? strcmp(s, t) : 0
        if (cmp === 0) return
        if (cmp < 0) {
          if (!prev) {
            this.can = mk(tok, N, this.can)
            return
          }
          at = prev
          break
        }
      }
      // Insert after `at`, or at the end of the chain (after the last chain node).
      const owner = at ?? lastChainNode(this.can, tok)
      get = () => owner.rgt!
      set = (x) => {
        owner.rgt = x
      }
    }
    const cur = get()
    const cmp = strcmp(s, textKey(cur)!)
    if (cmp === 0) return
    set(cmp < 0 ? mk(tok, N, cur) : mk(tok, cur, N))
  }
}

/** The chain node whose `rgt` ends the chain: where SPIN's loop over a chain stops, less one step. */
function lastChainNode(can: TlNode, tok: TlType): TlNode {
  let prev: TlNode = can
  for (let m: TlNode = can; m.ntyp === tok && m.rgt; m = m.rgt) prev = m
  return prev
}

function markDeleted(tok: TlType, m: TlNode): void {
  if (m.ntyp !== tok) m.rgt = undefined
  m.ntyp = 'deleted'
}
