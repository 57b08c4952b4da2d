/**
 * Why a TLA+ state predicate is FALSE in a state, for the end of a counterexample
 * (`Model.explain`): the predicate's definition expanded one level at a time, each sub-expression
 * with its value in TLC's notation. A conjunction shows its first FALSE conjunct, a disjunction
 * each FALSE disjunct (or its first TRUE one), `\A x \in S : P` the first `x` that falsifies `P`
 * (and `\E` the first that satisfies it), `IF` and `CASE` the branch taken, and an operator its
 * arguments. Literals are not repeated; the depth and the number of lines are bounded
 * (`core/explain.ts`), so a large invariant stays about one screen.
 *
 * Sub-expressions are compiled and evaluated here, when rendering, never in the search loop.
 */
import { ExplanationBuilder } from '../../core/explain.js'
import type { Explanation } from '../../core/model.js'
import type { Bound, Expr } from './ast.js'
import type { Compiler, FormulaScope } from './compile.js'
import { TupleValue, asFcn, elementsOf, show, type Value } from './values.js'

/** How deep definitions and sub-expressions are expanded. */
const MAX_DEPTH = 8
/** The most items of one conjunction, disjunction or argument list shown. */
const MAX_WIDTH = 8
/** The most bindings tried when looking for a quantifier's witness. */
const MAX_BINDINGS = 100_000

type Outcome = { readonly ok: true; readonly value: Value } | { readonly ok: false; readonly error: string }

export interface TlaExplainInput {
  readonly compiler: Compiler
  /** The scope the predicate is resolved in (a module's, or a temporal formula's with its bound names). */
  readonly scope: FormulaScope
  /** The predicate: as the cfg names it (a definition), or a part of a PROPERTY (`P` of `[]P`). */
  readonly expr: Expr
  readonly state: readonly Value[]
  /** The state's level (TLCGet("level")). */
  readonly level: number
  readonly sourceText: (file: string) => string | undefined
}

/** The explanation of a predicate in a state; `title` completes `Why …:`. */
export function explainTlaPredicate(input: TlaExplainInput, title: string): Explanation | undefined {
  const ex = new TlaExplainer(input)
  // A name the cfg gives is expanded without repeating its value; any other predicate shows its own.
  ex.explain(input.expr, input.scope, 0, input.expr.kind !== 'op' || input.expr.args.length > 0)
  return ex.out.build(title)
}

class TlaExplainer {
  readonly out = new ExplanationBuilder()

  constructor(private readonly input: TlaExplainInput) {}

  /**
   * Adds `e = value` at `depth` (unless `self` is false: the caller printed it), then the parts
   * that decide the value one level deeper.
   */
  explain(e: Expr, s: FormulaScope, depth: number, self: boolean, note?: string): void {
    if (depth > MAX_DEPTH || this.out.full) return
    if (isLiteral(e)) return
    const v = this.evaluate(e, s)
    if (self) this.out.add(depth, this.text(e), v.ok ? show(v.value) : `error: ${v.error}`, note)
    if (!v.ok) return
    this.parts(e, s, self ? depth + 1 : depth, v.value)
  }

  private parts(e: Expr, s: FormulaScope, depth: number, v: Value): void {
    switch (e.kind) {
      case 'op':
        return this.operator(e, s, depth)
      case 'label':
        return this.explain(e.body, s, depth, true)
      case 'let':
        return this.explain(e.body, this.input.compiler.bindLet(s, e.defs), depth, true)
      case 'conj':
      case 'disj':
        return this.junction(e, s, depth, v)
      case 'quant':
        return this.quantifier(e, s, depth, v)
      case 'if': {
        const c = this.evaluate(e.cond, s)
        this.explain(e.cond, s, depth, true)
        if (c.ok && typeof c.value === 'boolean') this.explain(c.value ? e.then : e.else, s, depth, true, `the ${c.value ? 'THEN' : 'ELSE'} branch`)
        return
      }
      case 'case': {
        for (const arm of e.arms) {
          const g = this.evaluate(arm.guard, s)
          if (g.ok && g.value === true) {
            this.explain(arm.guard, s, depth, true, 'the first guard that holds')
            return this.explain(arm.body, s, depth, true)
          }
        }
        if (e.other) this.explain(e.other, s, depth, true, 'OTHER: no guard holds')
        return
      }
      case 'apply':
        return this.each([e.fcn, ...e.args], s, depth)
      case 'dot':
        return this.explain(e.target, s, depth, true)
      case 'tuple':
      case 'setEnum':
        return this.each(e.elems, s, depth)
      default:
        // Set and function constructors, CHOOSE, EXCEPT: their value says enough.
        return
    }
  }

  /** A name or an operator application: a definition is expanded, a built-in operator shows its arguments. */
  private operator(e: Extract<Expr, { kind: 'op' }>, s: FormulaScope, depth: number): void {
    const c = this.input.compiler
    if (e.via && e.via.length > 0) return this.each(e.args, s, depth)
    const named = c.nameIn(s, e.name)
    if (named.local) return
    const entry = named.entry
    if (!entry) return this.each(e.args, s, depth)
    if (entry.kind !== 'def' || entry.def.params.length !== e.args.length || entry.def.params.some((p) => p.arity > 0)) return
    const { def, env } = entry
    const header = def.params.length === 0 ? def.name : `${def.name}(${def.params.map((p) => p.name).join(', ')})`
    this.out.add(depth, `${header} == ${this.text(def.body)}`)
    let inner = c.scopeIn(s, env)
    for (let i = 0; i < def.params.length; i++) {
      const arg = e.args[i]!
      const value = this.evaluate(arg, s)
      // The parameter stands for its argument's value here, as TLC evaluates a call.
      if (value.ok) {
        inner = c.bindValue(inner, def.params[i]!.name, value.value)
        this.out.add(depth, def.params[i]!.name, show(value.value))
      } else inner = c.bindExpr(inner, def.params[i]!.name, arg, s)
    }
    // A bulleted list's value is the definition's own (shown by the caller); its items say more.
    const body = def.body.kind === 'label' ? def.body.body : def.body
    this.explain(body, inner, depth, body.kind !== 'conj' && body.kind !== 'disj')
  }

  /** A conjunction shows the conjunct that makes it FALSE; a disjunction the disjunct that makes it TRUE; otherwise every item. */
  private junction(e: Extract<Expr, { kind: 'conj' | 'disj' }>, s: FormulaScope, depth: number, v: Value): void {
    if (typeof v !== 'boolean') return
    const conj = e.kind === 'conj'
    const n = e.items.length
    const word = conj ? 'conjunct' : 'disjunct'
    if (v !== conj) {
      // Decided by one item: the first with the value of the whole.
      for (let i = 0; i < n; i++) {
        const item = e.items[i]!
        const iv = this.evaluate(item, s)
        if (iv.ok && iv.value === v) return this.explain(item, s, depth, true, `${word} ${i + 1} of ${n} is ${v ? 'TRUE' : 'FALSE'}`)
      }
      return
    }
    // Every item has the value of the whole: show them all (within bounds).
    e.items.slice(0, MAX_WIDTH).forEach((item) => this.explain(item, s, depth, true))
    if (n > MAX_WIDTH) this.out.add(depth, `(${n - MAX_WIDTH} more ${word}s, each ${v ? 'TRUE' : 'FALSE'})`)
  }

  /** `\A` that is FALSE and `\E` that is TRUE have a witness: the first binding that decides. */
  private quantifier(e: Extract<Expr, { kind: 'quant' }>, s: FormulaScope, depth: number, v: Value): void {
    if (typeof v !== 'boolean') return
    const forall = e.quantifier === 'A'
    for (const b of e.bounds) this.explain(b.set, s, depth, true)
    if (v === forall) return
    const witness = this.witness(e.bounds, s, (scope) => {
      const body = this.evaluate(e.body, scope)
      return body.ok && body.value === !forall
    })
    if (!witness) return
    witness.names.forEach(([name, value]) => this.out.add(depth, name, show(value), forall ? 'the first element for which the body is FALSE' : 'the first element for which the body is TRUE'))
    this.explain(e.body, witness.scope, depth, true)
  }

  /** The first binding of the bounds (in TLC's enumeration order) for which `test` holds. */
  private witness(bounds: readonly Bound[], s: FormulaScope, test: (scope: FormulaScope) => boolean): { scope: FormulaScope; names: [string, Value][] } | undefined {
    const c = this.input.compiler
    let tried = 0
    const go = (i: number, scope: FormulaScope, names: [string, Value][]): { scope: FormulaScope; names: [string, Value][] } | undefined => {
      if (i === bounds.length) return ++tried <= MAX_BINDINGS && test(scope) ? { scope, names } : undefined
      const b = bounds[i]!
      const set = this.evaluate(b.set, scope)
      if (!set.ok) return undefined
      let elems: readonly Value[]
      try {
        elems = elementsOf(set.value)
      } catch {
        return undefined
      }
      for (const el of elems) {
        if (tried > MAX_BINDINGS) return undefined
        // `x, y \in S` comes as one bound per name; only a tuple pattern binds several names.
        let bound: [string, Value][]
        if (!b.tuple) bound = b.names.map((n) => [n, el])
        else {
          const t = asFcn(el, 'a tuple pattern’s element')
          if (!(t instanceof TupleValue) || t.elems.length !== b.names.length) return undefined
          bound = b.names.map((n, k) => [n, t.elems[k]!])
        }
        const next = bound.reduce((acc, [n, val]) => c.bindValue(acc, n, val), scope)
        const found = go(i + 1, next, [...names, ...bound])
        if (found) return found
      }
      return undefined
    }
    return go(0, s, [])
  }

  private each(items: readonly Expr[], s: FormulaScope, depth: number): void {
    for (const item of items.slice(0, MAX_WIDTH)) this.explain(item, s, depth, true)
  }

  private evaluate(e: Expr, s: FormulaScope): Outcome {
    try {
      const { ev } = this.input.compiler.compileIn(s, e)
      return { ok: true, value: ev({ state: this.input.state, next: [], level: this.input.level }) }
    } catch (err) {
      return { ok: false, error: err instanceof Error ? err.message.split('\n')[0]! : String(err) }
    }
  }

  /** The expression as written in the spec. */
  private text(e: Expr): string {
    const src = this.input.sourceText(e.span.file)
    if (src !== undefined && e.span.end > e.span.start) return src.slice(e.span.start, e.span.end)
    return e.kind === 'op' ? e.name : e.kind
  }
}

function isLiteral(e: Expr): boolean {
  return e.kind === 'num' || e.kind === 'str' || e.kind === 'bool'
}
