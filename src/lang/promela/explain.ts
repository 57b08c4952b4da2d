/**
 * Why a Promela property failed, for the end of a counterexample (`Model.explain`): for a failed
 * `assert(e)`, the sub-expressions of `e` (variables, array elements and their indices,
 * comparisons) with their values in the state where it failed; for a violated `ltl` formula or
 * `never` claim, the values of the formula's atoms (the expressions embedded in the ltl block, or
 * the conditions of the claim) in the last state.
 *
 * Sub-expressions are compiled when first explained (never in the search loop), in the scope of
 * the statement they belong to.
 */
import { ExplanationBuilder } from '../../core/explain.js'
import type { Explanation, ViolationInfo } from '../../core/model.js'
import type { Path } from '../../core/path.js'
import type { Span } from '../../diag/span.js'
import type { Expr, LtlDecl, NeverDecl } from './ast.js'
import { compileExpr, type Ev, type Scope } from './expr.js'
import type { ClaimProduct, ProductStep } from './claim.js'
import type { PmlStep, Program } from './model.js'
import { Exec } from './vector.js'
import { walk } from './walk.js'

/** Adds the lines explaining an expression (or a claim's atoms) in the state `x` is at. */
export type ExplainIn = (x: Exec, out: ExplanationBuilder, sources: ReadonlyMap<string, string>) => void

/** How deep sub-expressions are shown. */
const MAX_DEPTH = 6

/** The value of a Promela expression as Promela writes it: `true`/`false` for a condition, else the number. */
function shownValue(e: Expr, v: number): string {
  return isCondition(e) ? (v !== 0 ? 'true' : 'false') : String(v)
}

function isCondition(e: Expr): boolean {
  switch (e.kind) {
    case 'binary':
      return ['<', '<=', '>', '>=', '==', '!=', '&&', '||'].includes(e.op)
    case 'unary':
      return e.op === '!'
    case 'bool':
    case 'poll':
      return true
    case 'chanQuery':
      return e.op !== 'len'
    case 'call':
      return e.fn === 'enabled'
    default:
      return false
  }
}

/** The text of a span, whole words (a span ending in a macro's name points at its first character only). */
export function spanText(sources: ReadonlyMap<string, string>, span: Span): string {
  const text = sources.get(span.file) ?? ''
  let end = span.end
  while (end < text.length && /\w/.test(text[end - 1] ?? '') && /\w/.test(text[end]!)) end++
  return text.slice(span.start, end).replace(/\s+/g, ' ').trim()
}

/** Explains `expr` and its sub-expressions, compiled lazily in `scope` (an assert's, attached to its statement in statements.ts). */
export function expressionExplainer(expr: Expr, scope: Scope): ExplainIn {
  const quiet: Scope = { ...scope, report: () => {} }
  const compiled = new Map<Expr, Ev>()
  const ev = (e: Expr): Ev => {
    let c = compiled.get(e)
    if (!c) compiled.set(e, (c = compileExpr(e, quiet)))
    return c
  }
  const explain = (e: Expr, x: Exec, out: ExplanationBuilder, sources: ReadonlyMap<string, string>, depth: number): void => {
    if (depth > MAX_DEPTH || e.kind === 'number' || e.kind === 'bool') return
    let v: number
    try {
      v = ev(e)(x)
    } catch (err) {
      out.add(depth, spanText(sources, e.span), `error: ${err instanceof Error ? err.message : String(err)}`)
      return
    }
    if (!out.add(depth, spanText(sources, e.span), shownValue(e, v))) return
    for (const sub of parts(e, v, (p) => ev(p)(x))) explain(sub, x, out, sources, depth + 1)
  }
  return (x, out, sources) => explain(expr, x, out, sources, 0)
}

/** The sub-expressions that decide an expression's value. */
function parts(e: Expr, v: number, value: (e: Expr) => number): Expr[] {
  switch (e.kind) {
    case 'binary':
      // A && that is false, or a || that is true, is decided by its first operand when that one agrees.
      if ((e.op === '&&' && v === 0) || (e.op === '||' && v !== 0)) {
        try {
          if ((value(e.left) !== 0) === (v !== 0)) return [e.left]
        } catch {
          return [e.left]
        }
        return [e.right]
      }
      return [e.left, e.right]
    case 'unary':
      return [e.operand]
    case 'cond': {
      try {
        return [e.test, value(e.test) !== 0 ? e.then : e.else]
      } catch {
        return [e.test]
      }
    }
    case 'ref':
      return [...(e.index ? [e.index] : []), ...e.fields.flatMap((f) => (f.index ? [f.index] : []))]
    case 'remoteVar':
      return e.pid ? [e.pid] : []
    case 'call':
      return [...e.args]
    default:
      return []
  }
}

/**
 * The atoms of an `ltl` formula (its embedded expressions), or the conditions of a `never` claim's
 * statements, explained in the global scope.
 */
export function claimExplainer(decl: LtlDecl | NeverDecl, scope: Scope, sources: ReadonlyMap<string, string>): ExplainIn {
  const exprs: Expr[] = []
  if (decl.kind === 'ltl') {
    walk(decl.formula, (n) => {
      if (n.kind === 'ltlAtom') exprs.push(n['expr'] as Expr)
    })
  } else {
    walk(decl.body, (n) => {
      if (n.kind === 'exprStmt') exprs.push(n['expr'] as Expr)
    })
  }
  // Source order, each text once; constants (`(1)`, `true`) say nothing.
  const seen = new Set<string>()
  const atoms = exprs
    .filter((e) => e.kind !== 'number' && e.kind !== 'bool')
    .sort((a, b) => a.span.start - b.span.start)
    .filter((e) => {
      const t = spanText(sources, e.span)
      if (seen.has(t)) return false
      seen.add(t)
      return true
    })
    .map((e) => expressionExplainer(e, scope))
  const header = decl.kind === 'ltl' ? `ltl ${decl.name ?? ''} { ${spanText(sources, decl.formula.span)} }`.replace('ltl  {', 'ltl {') : undefined
  return (x, out, src) => {
    if (header) out.add(0, header)
    for (const a of atoms) a(x, out, src)
  }
}

/**
 * Explains the failing step of a Promela path: its moves are replayed on a copy of the state until
 * the assert that fails, whose expression is then explained in that state.
 */
export function explainFailingStep(program: Program, v: Int32Array, step: PmlStep, at: string): Explanation | undefined {
  const x = new Exec(program.layout)
  x.load(v.slice())
  for (const m of step.moves) {
    x.as(m.pid)
    const t = m.t
    if (t.explain) {
      let failed = false
      try {
        t.effect(x)
      } catch {
        failed = true
      }
      if (failed) {
        x.as(m.pid)
        const out = new ExplanationBuilder()
        t.explain(x, out, program.sources)
        const proc = program.symbols.procs[x.proctype(m.pid)]!.name
        return out.build(`${t.text} fails in ${at} (${proc === ':init:' ? 'init' : proc}(${m.pid}))`)
      }
      continue
    }
    // Process creation and removal and d_steps are not replayed: they cannot precede an assert in one step's moves that matters here.
    if (t.kind === 'end' || t.kind === 'dStep' || t.kind === 'run') return undefined
    try {
      t.effect(x)
    } catch {
      return undefined
    }
    x.v[x.procOff[m.pid]! + 1] = t.to
  }
  return undefined
}

/** Explains a violated claim: its atoms in the system state `sys`. */
export function explainClaim(program: Program, name: string, sys: Int32Array, at: string): Explanation | undefined {
  const explain = program.claimExplainers?.get(name)
  if (!explain) return undefined
  const x = new Exec(program.layout)
  x.load(sys)
  x.pid = 0
  x.base = 0
  const out = new ExplanationBuilder()
  explain(x, out, program.sources)
  return out.build(`the claim '${name}' is violated in ${at} (the values of its atoms)`)
}

/**
 * `Model.explain` for a Promela model without its claim: a failed assert, or (for a trace of a
 * claim's violation replayed on the model alone) the claim's atoms in the last state.
 */
export function explainPromela(program: Program, path: Path<Int32Array, PmlStep>, violation: ViolationInfo): Explanation | undefined {
  const v = path.steps.at(-1)?.state ?? path.init
  const at = `state ${path.steps.length + 1}`
  if (path.failing) return explainFailingStep(program, v, path.failing.action, at)
  return violation.kind === 'ltl' ? explainClaim(program, violation.name, v, at) : undefined
}

/** `Model.explain` for a model with a claim: a failed assert of the system, or the claim's atoms in the last state. */
export function explainProduct(product: ClaimProduct, path: Path<Int32Array, ProductStep>, violation: ViolationInfo): Explanation | undefined {
  const v = path.steps.at(-1)?.state ?? path.init
  const sys = v.subarray(0, v.length - 1)
  const at = `state ${path.steps.length + 1}`
  const program = product.system.program
  const failing = path.failing?.action
  if (failing?.system && failing.claim.failure === undefined) return explainFailingStep(program, sys, failing.system, at)
  if (violation.kind !== 'ltl' && violation.kind !== 'acceptance-cycle') return undefined
  return explainClaim(program, product.claimName, sys, at)
}
