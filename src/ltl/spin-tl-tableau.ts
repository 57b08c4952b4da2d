import {
  anywhere, dup, dup1, equalNode, mk, rightLinked, shallow, textKey, TlError, type Rewriter, type TlNode,
} from './spin-tl-node.js'

/**
 * The tableau of SPIN's translator (Gerth, Peled, Vardi and Wolper, "Simple on-the-fly automatic
 * verification of linear temporal logic", PSTV 1995): graph nodes hold the formulas still to be
 * expanded (`New`), those already true now (`Old`) and those to hold from the next step on (`Next`);
 * a node with nothing left to expand is kept unless one with the same `Old` and `Next` exists. Each
 * until formula then gets an acceptance class (a generalized Büchi condition), and SPIN's counter
 * construction turns the classes into Büchi states named `T<k>_S<n>` and `accept_S<n>`.
 *
 * Names, numbering and list orders follow SPIN 6.5.2, because the Büchi automaton SPIN writes (and so
 * the product with a model, and its state counts) depends on them.
 */
export interface Graph {
  readonly name: string
  /** Predecessor names, head first. */
  incoming: string[]
  outgoing: string[]
  oldKey?: string | undefined
  nextKey?: string | undefined
  New?: TlNode | undefined
  Old?: TlNode | undefined
  Other?: TlNode | undefined
  Next?: TlNode | undefined
  readonly isRed: number[]
  readonly isGreen: number[]
}

/** One transition as the tableau emits it, before SPIN's clean-up (`spin-tl-claim.ts`). */
export interface RawTransition {
  readonly from: string
  readonly fromGraph: Graph
  readonly cond: TlNode | undefined
  readonly to: string
}

export interface Tableau {
  /** In the order SPIN emits them. */
  readonly transitions: readonly RawTransition[]
  /** The number of acceptance classes used (0: every state accepts). */
  readonly maxRed: number
}

/** Throws `TlError` after `limit` expansion steps (SPIN would go on, for minutes or hours). */
export function tableau(formula: TlNode, rw: Rewriter, limit = Infinity): Tableau {
  return new TableauBuilder(rw, limit).run(formula)
}

function dedupReversed(names: readonly string[]): string[] {
  const out: string[] = []
  for (const n of names) if (!out.includes(n)) out.unshift(n)
  return out
}

function concatNames(a: readonly string[], b: readonly string[]): string[] {
  const rest = b.filter((n) => !a.includes(n))
  if (a.length === 0) return rest
  if (rest.length === 0) return [...a]
  if (rest.length === 1) return [rest[0]!, ...a]
  return [...a, ...rest]
}

class TableauBuilder {
  private stateCount = 0
  /** Head first. */
  private readonly nodes: Graph[] = []
  private readonly stack: Graph[] = []
  private readonly mapped: { from: string; to: Graph }[] = []
  private redCount = 0
  private labelCount = 0
  private maxRed = 0
  private readonly out: RawTransition[] = []

  constructor(
    private readonly rw: Rewriter,
    private readonly limit: number,
  ) {}

  run(p: TlNode): Tableau {
    p = this.twoCases(p)!
    const op = dup1(p)
    this.newGraph(undefined, ['init'], p, undefined, undefined)
    let steps = 0
    for (let g = this.stack.pop(); g; g = this.stack.pop()) {
      if (++steps > this.limit) throw new TlError(`the tableau needs more than ${this.limit} steps`)
      this.expand(g)
    }
    this.fixInit(p)
    this.liveness(this.flatten(op))
    this.makeBuchi()
    return { transitions: this.out, maxRed: this.maxRed }
  }

  /** `[]a && []b = [](a && b)` and `<>a || <>b = <>(a || b)`, bottom-up. */
  private twoCases(p: TlNode | undefined): TlNode | undefined {
    if (!p) return p
    switch (p.ntyp) {
      case 'and':
      case 'or':
      case 'U':
      case 'V':
        p.lft = this.twoCases(p.lft)
        p.rgt = this.twoCases(p.rgt)
        break
      case 'not':
        p.lft = this.twoCases(p.lft)
        break
      default:
        break
    }
    const l = p.lft
    const r = p.rgt
    if (p.ntyp === 'and' && l!.ntyp === 'V' && l!.lft!.ntyp === 'false' && r!.ntyp === 'V' && r!.lft!.ntyp === 'false') {
      return mk('V', mk('false'), mk('and', l!.rgt, r!.rgt))
    }
    if (p.ntyp === 'or' && l!.ntyp === 'U' && l!.lft!.ntyp === 'true' && r!.ntyp === 'U' && r!.lft!.ntyp === 'true') {
      return mk('U', mk('true'), mk('or', l!.rgt, r!.rgt))
    }
    return p
  }

  /** The formulas of a list, as one conjunction, rewritten (a copy). */
  private flatten(p: TlNode | undefined): TlNode | undefined {
    let z: TlNode | undefined
    for (let q = p; q; q = q.nxt) {
      const r = dup1(q)
      z = z ? mk('and', r, z) : r
    }
    return z && this.rw.rewrite(z)
  }

  private copyList(n: TlNode | undefined): TlNode | undefined {
    let head: TlNode | undefined
    let last: TlNode | undefined
    for (let n1 = n; n1; n1 = n1.nxt) {
      const n2 = dup1(n1)
      if (last) last.nxt = n2
      else head = n2
      last = n2
    }
    return head
  }

  private newGraph(name: string | undefined, incoming: readonly string[] | undefined, isNew: TlNode | undefined, isOld: TlNode | undefined, next: TlNode | undefined): void {
    const g: Graph = { name: name ?? `S${this.stateCount++}`, incoming: [], outgoing: [], isRed: [], isGreen: [] }
    if (incoming && incoming.length > 0) g.incoming = dedupReversed(incoming)
    if (isNew) g.New = this.flatten(isNew)
    if (isOld) g.Old = this.copyList(isOld)
    if (next) g.Next = this.flatten(next)
    this.stack.push(g)
  }

  private findGraph(name: string): Graph | undefined {
    return this.nodes.find((p) => p.name === name) ?? this.mapped.find((m) => m.from === name)?.to
  }

  /** Whether a fully expanded node equals a kept one (then it is merged into it); else keeps it. */
  private notNew(g: Graph): boolean {
    const flatOld = this.flatten(g.Old)
    g.Other = g.Old
    g.Old = flatOld
    g.oldKey = textKey(g.Old)
    g.nextKey = textKey(this.flatten(g.Next))
    for (const q1 of this.nodes) {
      if (q1.oldKey !== g.oldKey || q1.nextKey !== g.nextKey) continue
      if (g.incoming.length > 0) q1.incoming = concatNames(g.incoming, q1.incoming)
      for (let n2 = g.Other; n2; n2 = n2.nxt) {
        let n1 = q1.Other
        while (n1 && !equalNode(n1, n2)) n1 = n1.nxt
        if (!n1) {
          const n3 = dup1(n2)
          n3.nxt = q1.Other
          q1.Other = n3
        }
      }
      this.mapped.unshift({ from: g.name, to: q1 })
      return true
    }
    this.nodes.unshift(g)
    return false
  }

  private expand(g: Graph): void {
    if (!g.New) {
      if (this.notNew(g)) return
      if (g.Next) this.newGraph(undefined, [g.name], g.Next, undefined, undefined)
      return
    }
    if (g.New.ntyp === 'and') {
      // Split the conjunction into the list: its left operand, its right operand, then the rest.
      if (g.New.nxt) {
        let n2 = g.New.rgt!
        while (n2.nxt) n2 = n2.nxt
        n2.nxt = g.New.nxt
      }
      const n1 = g.New.lft!
      let n2 = n1
      while (n2.nxt) n2 = n2.nxt
      n2.nxt = g.New.rgt
      g.New = n1
      this.stack.push(g)
      return
    }
    let canRelease = false
    const now = g.New
    g.New = g.New.nxt
    now.nxt = undefined
    if (now.ntyp !== 'true') {
      if (g.Old) {
        // SPIN compares with every formula in Old but the last.
        let n1 = g.Old
        for (; n1.nxt; n1 = n1.nxt) {
          if (equalNode(now, n1)) {
            canRelease = true
            break
          }
        }
        if (!canRelease) n1.nxt = now
      } else g.Old = now
    }
    switch (now.ntyp) {
      case 'V': {
        // a V b: either b and a now, or b now and a V b next.
        const n1 = now.rgt!
        n1.nxt = g.New
        const nx = canRelease ? now : shallow(now)!
        nx.nxt = g.Next
        const n2 = now.lft!
        n2.nxt = shallow(now.rgt)
        n2.nxt!.nxt = g.New
        g.New = this.flatten(n2)
        this.stack.push(g)
        this.newGraph(undefined, g.incoming, n1, g.Old, nx)
        return
      }
      case 'U':
      case 'or': {
        // a U b: either b now, or a now and a U b next; a || b: either.
        const n1 = now.lft!
        let nx: TlNode | undefined
        if (now.ntyp === 'U') {
          nx = canRelease ? now : shallow(now)!
          nx.nxt = g.Next
        } else nx = g.Next
        const n2 = now.rgt!
        n2.nxt = g.New
        n1.nxt = g.New
        this.newGraph(undefined, g.incoming, n1, g.Old, nx)
        g.New = this.flatten(n2)
        this.stack.push(g)
        return
      }
      default:
        this.stack.push(g)
    }
  }

  private fixInit(orig: TlNode): void {
    this.newGraph('init', undefined, undefined, undefined, undefined)
    const p1 = this.stack.pop()!
    p1.Other = p1.Old = orig
    this.nodes.unshift(p1)
    for (const g of this.nodes) {
      for (const from of g.incoming) this.findGraph(from)?.outgoing.unshift(g.name)
      g.incoming = []
    }
  }

  // --- acceptance classes: one per until formula; red where it is pending, green where fulfilled ---

  private liveness(n: TlNode | undefined): void {
    if (!n) return
    if (n.ntyp === 'U') {
      this.redCount++
      this.markRed(n)
      this.markGreen(n.rgt)
    }
    switch (n.ntyp) {
      case 'U':
      case 'V':
      case 'or':
      case 'and':
        this.liveness(n.lft)
        this.liveness(n.rgt)
        break
      default:
        break
    }
  }

  private hasClause(tok: 'and' | 'term', p: Graph, n: TlNode): boolean {
    if (n.ntyp === 'and') return this.hasClause(tok, p, n.lft!) && this.hasClause(tok, p, n.rgt!)
    if (n.ntyp === 'or') return this.hasClause(tok, p, n.lft!) || this.hasClause(tok, p, n.rgt!)
    for (let q = p.Other; q; q = q.nxt) {
      const qq = rightLinked(q)
      if (anywhere(tok, n, qq)) return true
    }
    return false
  }

  private markRed(n: TlNode): void {
    n = rightLinked(n)!
    for (const p of this.nodes) {
      if (p.outgoing.length > 0 && this.hasClause('term', p, n)) {
        p.isRed.push(this.redCount)
        this.labelCount++
        this.maxRed = this.redCount
      }
    }
  }

  private markGreen(n: TlNode | undefined): void {
    if (!n) return
    n = rightLinked(n)!
    for (;;) {
      for (const p of this.nodes) {
        if (p.outgoing.length > 0 && this.hasClause('and', p, n)) {
          p.isGreen.push(this.redCount)
          this.labelCount++
        }
      }
      if (n.ntyp !== 'U') return
      n = n.rgt!
    }
  }

  /** How many acceptance classes from `count` on a step into `p` passes (SPIN's choueka). */
  private classesPassed(p: Graph, count: number): number {
    let incr = 0
    for (let j = count; j <= this.maxRed; j++) {
      if (p.isGreen.includes(j)) {
        incr++
        continue
      }
      if (p.isRed.includes(j)) break
      incr++
    }
    return incr
  }

  private prefixOf(count: number, target: Graph): string {
    if (this.labelCount === 0 || this.maxRed === 0) return 'accept'
    if (count >= this.maxRed) return 'T0'
    const incr = this.classesPassed(target, count + 1)
    return incr + count >= this.maxRed ? 'accept' : `T${count + incr}`
  }

  private makeBuchi(): void {
    for (let k = 0; k <= this.maxRed; k++) {
      for (const p of this.nodes) {
        if (p.outgoing.length === 0) continue
        if (k !== 0 && p.name === 'init' && this.maxRed !== 0) continue
        const from = k === this.maxRed && p.name !== 'init' ? `accept_${p.name}` : `T${k}_${p.name}`
        for (const s of p.outgoing) {
          const r = this.findGraph(s)
          if (!r) continue
          const to = r.outgoing.length > 0 ? `${this.prefixOf(k, r)}_${s}` : 'accept_all'
          this.out.push({ from, fromGraph: p, cond: dup(r.Old), to })
        }
      }
    }
  }
}
