import type { Span } from '../../diag/span.js'
import { toBuchi } from '../../ltl/buchi.js'
import { negate } from '../../ltl/formula.js'
import { spinClaim, TlError, type SpinClaim } from '../../ltl/spin-tl-claim.js'
import type { TlNode } from '../../ltl/spin-tl-node.js'
import { fromTree } from '../../ltl/spin-syntax.js'
import type { Expr, LtlDecl, NeverDecl, Sequence, Step, Stmt } from './ast.js'
import { spinText, type SpinTree } from './ltl-text.js'

/**
 * The never claim SPIN 6.5.2 writes for an `ltl` block: the formula is written down as SPIN writes it
 * (`ltl-text.ts`), negated, and translated by the port of SPIN's translator (`spinClaim`), then laid
 * out as SPIN lays the claim out:
 *
 *   never name {    /* !(…) *\/
 *   accept_init:            (when the initial state accepts)
 *   T0_init:
 *     do
 *     :: (guard) -> goto T0_S3
 *     :: atomic { (guard) -> assert(!(guard)) }     (into accept_all: a violation now)
 *     od;
 *   …
 *   accept_all:
 *     skip
 *   }
 *
 * so that the product with the model, its state counts and its verdicts are pan's. Each predicate of
 * the claim (a parenthesised group SPIN reads as one) is evaluated as the formula it stands for.
 * Undefined for formulas SPIN does not translate (those with `X`, which SPIN 6.5.2 lacks); they get
 * `buchiClaim`.
 */
export function spinLtlClaim(decl: LtlDecl, name: string): NeverDecl | undefined {
  const written = spinText(decl.formula)
  if (written.usesNext) return undefined
  let claim: SpinClaim
  try {
    claim = spinClaim(written.text)
  } catch (e) {
    if (e instanceof TlError) return undefined
    throw e
  }
  let id = -4_000_000 - decl.id * 100_000
  const span: Span = decl.formula.span
  const node = <T extends { kind: string }>(n: T): T & { id: number; span: Span } => ({ ...n, id: id--, span })
  const step = (stmt: Stmt, labels: readonly string[] = []): Step => node({ kind: 'step' as const, labels: labels.map((l) => ({ name: l, span })), stmt })
  const seq = (...steps: Step[]): Sequence => node({ kind: 'sequence' as const, steps })
  const not = (e: Expr): Expr => node({ kind: 'unary' as const, op: '!' as const, operand: e })
  const bin = (op: '&&' | '||', l: Expr, r: Expr): Expr => node({ kind: 'binary' as const, op, left: l, right: r })
  const fromTree = (t: SpinTree): Expr => {
    switch (t.k) {
      case 'atom':
        return t.expr
      case 'const':
        return node({ kind: 'bool' as const, value: t.value })
      case '!':
        return not(fromTree(t.arg))
      case '&&':
      case '||':
        return bin(t.k, fromTree(t.l), fromTree(t.r))
      default:
        // A group with a temporal operator is never read as a predicate (SPIN's lexer looks for them).
        throw new Error(`a predicate with a temporal operator: ${written.text}`)
    }
  }
  const predicates = new Map<string, Expr>()
  for (const p of claim.predicates) {
    const t = written.sites.get(p.offset)
    // Every predicate starts at a '(' or an atom this module wrote.
    if (!t) throw new Error(`no formula at offset ${p.offset} of ${written.text}`)
    predicates.set(p.name, fromTree(t))
  }
  const cond = (n: TlNode): Expr => {
    switch (n.ntyp) {
      case 'pred':
        return predicates.get(n.sym!)!
      case 'not':
        return not(cond(n.lft!))
      case 'and':
      case 'or':
        return bin(n.ntyp === 'and' ? '&&' : '||', cond(n.lft!), cond(n.rgt!))
      case 'true':
      case 'false':
        return node({ kind: 'bool' as const, value: n.ntyp === 'true' })
      default:
        throw new Error(`a '${n.ntyp}' node in a guard of ${written.text}`)
    }
  }
  const guard = (conjuncts: readonly TlNode[]): Expr =>
    conjuncts.length === 0 ? node({ kind: 'number' as const, value: 1 }) : conjuncts.map(cond).reduce((l, r) => bin('&&', l, r))
  const body: Step[] = claim.states.map((s) => {
    const options = s.options.map((o) => {
      const test = step(node({ kind: 'exprStmt' as const, expr: guard(o.guard) }))
      if (o.to !== 'accept_all') return seq(test, step(node({ kind: 'goto' as const, label: o.to })))
      const fail = node({ kind: 'assert' as const, expr: not(guard(o.guard)) })
      return seq(step(node({ kind: 'atomic' as const, body: seq(test, step(fail)) })))
    })
    const never = seq(step(node({ kind: 'exprStmt' as const, expr: node({ kind: 'bool' as const, value: false }) })))
    return step(node({ kind: 'do' as const, options: options.length > 0 ? options : [never] }), s.labels)
  })
  if (claim.blocked) body.push(step(node({ kind: 'exprStmt' as const, expr: node({ kind: 'number' as const, value: 0 }) })))
  if (claim.acceptAll) body.push(step(node({ kind: 'skip' as const }), ['accept_all']))
  return { kind: 'never', id: id--, span: decl.span, name, body: seq(...body) }
}

/**
 * A never claim for any ltl formula (used for those SPIN does not translate, with `X`): the Büchi
 * automaton of its negation from weft's own translation (`translate`), written as the claim SPIN's
 * translator would write (`Ti: if :: guard -> goto Tj … fi`, accepting states labelled
 * `accept_…`). When the automaton is terminal (every accepting state has a `true` self-loop), an
 * accepting state is a violation as soon as it is reached, so the claim asserts instead, as SPIN's
 * claims for safety formulas do, and the product is a safety check (a shortest trace).
 */
export function buchiClaim(decl: LtlDecl, name: string): NeverDecl {
  const atoms: Expr[] = []
  const formula = fromTree(decl.formula, (a) => {
    atoms.push(a.expr)
    return atoms.length - 1
  })
  const ba = toBuchi(negate(formula))
  let id = -2_000_000 - decl.id * 10_000
  const span: Span = decl.formula.span
  const node = <T extends { kind: string }>(n: T): T & { id: number; span: Span } => ({ ...n, id: id--, span })
  const step = (stmt: Stmt, labels: string[] = []): Step => node({ kind: 'step' as const, labels: labels.map((l) => ({ name: l, span })), stmt })
  const seq = (...steps: Step[]): Sequence => node({ kind: 'sequence' as const, steps })
  const truth = (): Expr => node({ kind: 'number' as const, value: 1 })
  const guardOf = (pos: readonly number[], neg: readonly number[]): Expr => {
    const lits: Expr[] = [...pos.map((a) => atoms[a]!), ...neg.map((a) => node({ kind: 'unary' as const, op: '!' as const, operand: atoms[a]! }))]
    return lits.length === 0 ? truth() : lits.reduce((l, r) => node({ kind: 'binary' as const, op: '&&' as const, left: l, right: r }))
  }
  const terminal = ba.strength === 'terminal'
  const labelOf = (s: number): string => (ba.accepting[s] && !terminal ? `accept_S${s}` : `T${s}`)
  // The claim starts at its first location: the initial state, or with several, a location offering
  // the union of their edges (visited once, so it need not accept).
  const all = Array.from({ length: ba.stateCount }, (_, s) => ({ edges: ba.edges[s]!, label: labelOf(s) }))
  const first = ba.initial.length === 1 ? ba.initial[0]! : -1
  const states =
    first >= 0
      ? [all[first]!, ...all.filter((_, s) => s !== first)]
      : [{ edges: ba.initial.flatMap((s) => ba.edges[s]!), label: 'T_init' }, ...all]
  const steps: Step[] = states.map(({ edges, label }) => {
    const options = edges.map((e) => {
      const guard = node({ kind: 'exprStmt' as const, expr: guardOf(e.guard.pos, e.guard.neg) })
      if (terminal && ba.accepting[e.to]) {
        // Reaching an accepting state of a terminal automaton: the property is violated now.
        const fail = node({ kind: 'assert' as const, expr: node({ kind: 'number' as const, value: 0 }) })
        return seq(step(node({ kind: 'atomic' as const, body: seq(step(guard), step(fail)) })))
      }
      return seq(step(guard), step(node({ kind: 'goto' as const, label: labelOf(e.to) })))
    })
    const stmt: Stmt = options.length > 0 ? node({ kind: 'if' as const, options }) : node({ kind: 'exprStmt' as const, expr: node({ kind: 'number' as const, value: 0 }) })
    return step(stmt, [label])
  })
  return { kind: 'never', id: id--, span: decl.span, name, body: seq(...steps) }
}

/**
 * The claim pan adds for non-progress cycles (`-DNP`, `pan -l`): it waits, then guesses that from
 * now on no process passes a progress label, and accepts while that stays so:
 *
 *   never np_ { S0: do :: np_ -> goto accept_S1 :: (1) od; accept_S1: do :: np_ od }
 */
export function nonProgressClaim(span: Span): NeverDecl {
  let id = -3_000_000
  const node = <T extends { kind: string }>(n: T): T & { id: number; span: Span } => ({ ...n, id: id--, span })
  const step = (stmt: Stmt, labels: string[] = []): Step => node({ kind: 'step' as const, labels: labels.map((l) => ({ name: l, span })), stmt })
  const seq = (...steps: Step[]): Sequence => node({ kind: 'sequence' as const, steps })
  const np = (): Stmt => node({ kind: 'exprStmt' as const, expr: node({ kind: 'builtin' as const, name: 'np_' as const }) })
  const wait = node({ kind: 'do' as const, options: [seq(step(np()), step(node({ kind: 'goto' as const, label: 'accept_S1' }))), seq(step(node({ kind: 'exprStmt' as const, expr: node({ kind: 'number' as const, value: 1 }) })))] })
  const accept = node({ kind: 'do' as const, options: [seq(step(np()))] })
  return { kind: 'never', id: id--, span, name: 'np_', body: seq(step(wait, ['S0']), step(accept, ['accept_S1'])) }
}
