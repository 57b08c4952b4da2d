import type { Span } from '../../diag/span.js'
import { toBuchi } from '../../ltl/buchi.js'
import { negate } from '../../ltl/formula.js'
import { fromTree } from '../../ltl/spin-syntax.js'
import type { Expr, LtlDecl, LtlFormula, NeverDecl, Sequence, Step, Stmt } from './ast.js'

/**
 * Never claims for `ltl` formulas of the form `[] p` (p without temporal operators), built as the
 * tree of the claim SPIN's translator writes for them, so that the product, its state counts and
 * its verdicts are SPIN's:
 *
 *   never name {    /* !([] p) *\/
 *   T0_init:
 *     do
 *     :: atomic { !(p) -> assert(p) }
 *     :: (1) -> goto T0_init
 *     od;
 *   accept_all:
 *     skip
 *   }
 *
 * Other formulas need the general translation and give undefined here.
 */
export function safetyClaim(decl: LtlDecl, name: string): NeverDecl | undefined {
  const f = decl.formula
  if (f.kind !== 'ltlUnary' || f.op !== '[]') return undefined
  const p = stateFormula(f.operand)
  if (!p) return undefined
  let id = -1_000_000 - decl.id * 1000
  const span: Span = f.span
  const node = <T extends { kind: string }>(n: T): T & { id: number; span: Span } => ({ ...n, id: id--, span })
  const step = (stmt: Stmt, labels: string[] = []): Step => node({ kind: 'step' as const, labels: labels.map((l) => ({ name: l, span })), stmt })
  const seq = (...steps: Step[]): Sequence => node({ kind: 'sequence' as const, steps })
  const not = (e: Expr): Expr => node({ kind: 'unary' as const, op: '!' as const, operand: e })
  const violated = seq(
    step(
      node({
        kind: 'atomic' as const,
        body: seq(step(node({ kind: 'exprStmt' as const, expr: not(p) })), step(node({ kind: 'assert' as const, expr: p }))),
      }),
    ),
  )
  const loop = seq(step(node({ kind: 'exprStmt' as const, expr: node({ kind: 'number' as const, value: 1 }) })), step(node({ kind: 'goto' as const, label: 'T0_init' })))
  const body = seq(step(node({ kind: 'do' as const, options: [violated, loop] }), ['T0_init']), step(node({ kind: 'skip' as const }), ['accept_all']))
  return { kind: 'never', id: id--, span: decl.span, name, body }
}

/** The formula as a Promela expression, when it has no temporal operator. */
function stateFormula(f: LtlFormula): Expr | undefined {
  const mk = <T extends object>(n: T): T & { id: number; span: Span } => ({ ...n, id: -1, span: f.span })
  switch (f.kind) {
    case 'ltlAtom':
      return f.expr
    case 'ltlConst':
      return mk({ kind: 'bool' as const, value: f.value })
    case 'ltlUnary': {
      if (f.op !== '!') return undefined
      const a = stateFormula(f.operand)
      return a && mk({ kind: 'unary' as const, op: '!' as const, operand: a })
    }
    case 'ltlBinary': {
      const a = stateFormula(f.left)
      const b = stateFormula(f.right)
      if (!a || !b) return undefined
      const not = (e: Expr): Expr => mk({ kind: 'unary' as const, op: '!' as const, operand: e })
      const and = (l: Expr, r: Expr): Expr => mk({ kind: 'binary' as const, op: '&&' as const, left: l, right: r })
      const or = (l: Expr, r: Expr): Expr => mk({ kind: 'binary' as const, op: '||' as const, left: l, right: r })
      switch (f.op) {
        case '&&':
          return and(a, b)
        case '||':
          return or(a, b)
        case '->':
          return or(not(a), b)
        case '<->':
          return or(and(a, b), and(not(a), not(b)))
        default:
          return undefined
      }
    }
  }
}

/**
 * A never claim for any ltl formula: the Büchi automaton of its negation, written as the claim
 * SPIN's translator would write (`Ti: if :: guard -> goto Tj … fi`, accepting states labelled
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
