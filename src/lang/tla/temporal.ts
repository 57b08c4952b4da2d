/**
 * TLA+ temporal formulas, lowered as TLC checks them: the fairness conjuncts of the behaviour spec
 * (`WF_v(A)`, `SF_v(A)`, also under `\A x \in S` and through definitions and instances) become
 * fairness constraints; each PROPERTY is split into its conjuncts, and a state predicate is checked
 * on the initial states, `[]P` on every state, `[][A]_v` on every step, and anything else becomes
 * an LTL formula over state atoms (predicates, `ENABLED`) and action atoms (`<<A>>_v`, actions under
 * `[]` or `<>`), whose negation's automaton the liveness search uses. Quantifiers over finite sets
 * are expanded; definitions are expanded with their arguments.
 */
import type { FairnessConstraint, LivenessAutomaton, LivenessProperty } from '../../core/model.js'
import { error } from '../../diag/diagnostic.js'
import type { Span } from '../../diag/span.js'
import { and, always, atom, eventually, ff, iff, implies, not, or, translate, tt, type Formula } from '../../ltl/index.js'
import type { Bound, Expr } from './ast.js'
import { CompileError, LocatedError, type Compiler, type Ctx, type FormulaScope } from './compile.js'
import { explainTlaPredicate } from './explain.js'
import type { TlaPredicate } from './model.js'
import { EvalError, TupleValue, asFcn, elementsOf, show, type Value } from './values.js'

/** What the temporal parts of a spec and its properties lower to. */
export interface TemporalParts {
  /** State-level conjuncts of properties: checked on the initial states. */
  readonly initial: readonly TlaPredicate[]
  /** `[]P` conjuncts: checked on every state. */
  readonly invariants: readonly TlaPredicate[]
  /** `[][A]_v` conjuncts: checked on every step (`ev` reads `state` and `next`). */
  readonly steps: readonly TlaPredicate[]
  /** `bySteps`: derived from the graph (see core `StateAtom.bySteps`). */
  readonly stateAtoms: readonly (TlaPredicate & { readonly bySteps?: number })[]
  readonly actionAtoms: readonly TlaPredicate[]
  readonly fairness: readonly FairnessConstraint[]
  readonly properties: readonly LivenessProperty[]
}

type Lowered = { readonly ev: (c: Ctx) => Value; readonly level: number }

export class TemporalLowering {
  private readonly initial: TlaPredicate[] = []
  private readonly invariants: TlaPredicate[] = []
  private readonly steps: TlaPredicate[] = []
  private readonly stateAtoms: (TlaPredicate & { bySteps?: number })[] = []
  private readonly actionAtoms: TlaPredicate[] = []
  private readonly fairness: FairnessConstraint[] = []
  /** Temporal conjuncts of the spec other than fairness: assumed by every property. */
  private readonly assumptions: Formula[] = []
  private readonly liveness: { name: string; span: Span; formula: Formula }[] = []

  constructor(
    private readonly compiler: Compiler,
    /** The specs' texts, for explanations of violated state predicates (explain.ts). */
    private readonly sourceText: (file: string) => string | undefined = () => undefined,
  ) {}

  /** The fairness (and other temporal assumptions) of a behaviour spec `Init /\ [][Next]_v /\ ...`. */
  specification(scope: FormulaScope, spec: Expr): void {
    for (const { expr, scope: s } of this.conjuncts(spec, scope)) {
      if (expr.kind === 'fair') {
        const en = this.atomFor(s, this.enabledOf(expr), expr.span, 'state', 'ENABLED')
        const taken = this.atomFor(s, angle(expr), expr.span, 'action', 'taken')
        this.fairness.push({ name: `${expr.strong ? 'SF' : 'WF'}`, strong: expr.strong, enabled: en, taken })
        continue
      }
      const c = this.compile(s, expr)
      if (c.level <= 1) continue // the initial predicate
      if (isAlwaysStep(expr)) continue // [][Next]_v: the next-state relation
      if (c.level === 2) this.err('TLA143', 'an action in a behaviour spec must be of the form [][A]_v', expr.span)
      this.assumptions.push(this.formula(expr, s))
    }
  }

  /** One PROPERTY of the cfg, split into what is checked where. */
  property(name: string, span: Span, scope: FormulaScope, expr: Expr): void {
    for (const { expr: e, scope: s } of this.conjuncts(expr, scope)) {
      const c = this.compile(s, e)
      if (c.level <= 1) {
        this.initial.push({ name, span, ev: c.ev, explain: this.explainer(s, e) })
        continue
      }
      if (c.level === 2) this.err('TLA143', `the property '${name}' has an action that is not under [] (write [][A]_v)`, e.span)
      if (e.kind === 'op' && e.name === '[]' && e.args.length === 1 && !e.via) {
        const inner = this.compile(s, e.args[0]!)
        if (inner.level <= 1) {
          this.invariants.push({ name, span, ev: inner.ev, explain: this.explainer(s, e.args[0]!) })
          continue
        }
        if (inner.level === 2) {
          this.steps.push({ name, span, ev: inner.ev })
          continue
        }
      }
      this.liveness.push({ name, span, formula: this.formula(e, s) })
    }
  }

  /** Why a state predicate of a property is FALSE in a state, for reports. */
  private explainer(scope: FormulaScope, expr: Expr): NonNullable<TlaPredicate['explain']> {
    return (state, level, title) => explainTlaPredicate({ compiler: this.compiler, scope, expr, state, level, sourceText: this.sourceText }, title)
  }

  result(): TemporalParts {
    const ns = this.stateAtoms.length
    // Formulas number state atom i as 2i and action atom j as 2j+1; the engine wants i and ns+j.
    const engineId = (id: number): number => (id % 2 === 0 ? id / 2 : ns + (id - 1) / 2)
    const properties = this.liveness.map((p): LivenessProperty => {
      const negation = this.assumptions.reduce<Formula>((acc, a) => and(a, acc), not(p.formula))
      return { name: p.name, span: p.span, violations: automatonOf(negation, engineId) }
    })
    return {
      initial: this.initial,
      invariants: this.invariants,
      steps: this.steps,
      stateAtoms: this.stateAtoms,
      actionAtoms: this.actionAtoms,
      fairness: this.fairness,
      properties,
    }
  }

  // -------------------------------------------------------------------------------------------

  private err(code: string, message: string, span: Span): never {
    throw new CompileError(error(code, message, { span }))
  }

  private compile(s: FormulaScope, e: Expr): Lowered {
    return this.compiler.compileIn(s, e)
  }

  /** `ENABLED <<A>>_v` for a fairness formula. */
  private enabledOf(f: Extract<Expr, { kind: 'fair' }>): Expr {
    return { kind: 'op', name: 'ENABLED', args: [angle(f)], span: f.span }
  }

  /** Registers a state or action atom; returns its formula id (state 2i, action 2j+1). */
  private atomFor(s: FormulaScope, e: Expr, span: Span, kind: 'state' | 'action', name: string): number {
    const c = this.compile(s, e)
    const pred: TlaPredicate = { name, span: e.span, ev: c.ev }
    void span
    if (kind === 'state') {
      this.stateAtoms.push(pred)
      return this.stateAtoms.length - 1
    }
    this.actionAtoms.push(pred)
    return this.actionAtoms.length - 1
  }

  private stateAtom(s: FormulaScope, e: Expr): Formula {
    const i = this.atomFor(s, e, e.span, 'state', 'state')
    return atom(2 * i, `s${i}`)
  }

  /** A state atom that holds where some step of the model satisfies the action atom. */
  private derivedAtom(action: Formula): Formula {
    const j = ((action as { id: number }).id - 1) / 2
    this.stateAtoms.push({ name: 'ENABLED', span: this.actionAtoms[j]!.span, ev: () => false, bySteps: j })
    const i = this.stateAtoms.length - 1
    return atom(2 * i, `s${i}`)
  }

  private actionAtom(s: FormulaScope, e: Expr): Formula {
    const j = this.atomFor(s, e, e.span, 'action', 'action')
    return atom(2 * j + 1, `a${j}`)
  }

  /**
   * The top-level conjuncts of a formula, through definitions without parameters or with them,
   * instances, LET, labels and `\A` over finite sets, each with the scope it is to be read in.
   */
  private conjuncts(e: Expr, s: FormulaScope): { expr: Expr; scope: FormulaScope }[] {
    const out: { expr: Expr; scope: FormulaScope }[] = []
    const visit = (e: Expr, s: FormulaScope): void => {
      if (e.kind === 'conj') return e.items.forEach((i) => visit(i, s))
      if (e.kind === 'op' && e.name === '/\\' && e.args.length === 2 && !e.via) return e.args.forEach((i) => visit(i, s))
      if (e.kind === 'label') return visit(e.body, s)
      if (e.kind === 'let') return visit(e.body, this.compiler.bindLet(s, e.defs))
      if (this.compile(s, e).level <= 1) {
        out.push({ expr: e, scope: s })
        return
      }
      if (e.kind === 'quant' && e.quantifier === 'A') {
        for (const b of this.bindings(e.bounds, s)) visit(e.body, b)
        return
      }
      // As TLC does, a constant condition is decided now: `(x # y) => WF_v(A)` under `\A x, y`
      // is the fairness constraint or nothing, not a formula for the automaton.
      const guarded = e.kind === 'if' ? { cond: e.cond, yes: e.then, no: e.else } : e.kind === 'op' && e.name === '=>' && e.args.length === 2 && !e.via ? { cond: e.args[0]!, yes: e.args[1]!, no: undefined } : undefined
      const decided = guarded && this.constantTruth(s, guarded.cond)
      if (guarded && decided !== undefined) {
        const chosen = decided ? guarded.yes : guarded.no
        if (chosen) visit(chosen, s)
        return
      }
      const expanded = this.expand(e, s)
      if (expanded) return visit(expanded.expr, expanded.scope)
      out.push({ expr: e, scope: s })
    }
    visit(e, s)
    return out
  }

  /** The value of a constant-level Boolean expression; undefined if it is not one or fails. */
  private constantTruth(s: FormulaScope, e: Expr): boolean | undefined {
    const c = this.compile(s, e)
    if (c.level > 0) return undefined
    try {
      const v = c.ev({ state: [], next: [] })
      return typeof v === 'boolean' ? v : undefined
    } catch (err) {
      if (err instanceof EvalError || err instanceof LocatedError) return undefined
      throw err
    }
  }

  /**
   * A call of a user definition (perhaps through an instance) as its body in the definition's
   * scope, the parameters standing for the arguments; undefined for anything else.
   */
  private expand(e: Expr, s: FormulaScope): { expr: Expr; scope: FormulaScope } | undefined {
    if (e.kind !== 'op') return undefined
    let scope = s
    if (e.via && e.via.length > 0) {
      for (const step of e.via) {
        const inst = this.compiler.instanceIn(scope, step.name)
        if (!inst) return undefined
        if (inst.params) this.err('TLA144', `a temporal formula through the parameterised instance '${step.name}' is not supported`, e.span)
        scope = this.compiler.scopeIn(scope, inst.env)
      }
      return this.expand({ ...e, via: undefined }, scope) ?? { expr: { ...e, via: undefined }, scope }
    }
    const named = this.compiler.nameIn(scope, e.name)
    if (named.local || !named.entry || named.entry.kind !== 'def') return undefined
    const { def, env } = named.entry
    if (def.params.length !== e.args.length) return undefined
    let inner = this.compiler.scopeIn(scope, env)
    for (let i = 0; i < def.params.length; i++) {
      if (def.params[i]!.arity > 0) this.err('TLA144', `the temporal operator '${e.name}' takes an operator argument, which is not supported`, e.span)
      inner = this.compiler.bindExpr(inner, def.params[i]!.name, e.args[i]!, scope)
    }
    return { expr: def.body, scope: inner }
  }

  /** The scopes binding each combination of the bounds' values (constant, finite sets). */
  private bindings(bounds: readonly Bound[], s: FormulaScope): FormulaScope[] {
    let scopes = [s]
    for (const b of bounds) {
      const next: FormulaScope[] = []
      for (const sc of scopes) {
        const set = this.compile(sc, b.set)
        if (set.level > 0) this.err('TLA145', 'the bound of a quantifier over a temporal formula must be a constant set', b.set.span)
        let elems: readonly Value[]
        try {
          elems = elementsOf(set.ev({ state: [], next: [] }))
        } catch (e) {
          if (e instanceof EvalError || e instanceof LocatedError) this.err('TLA145', `the bound of a quantifier over a temporal formula cannot be enumerated: ${e.message}`, b.set.span)
          throw e
        }
        for (const v of elems) {
          if (!b.tuple) {
            next.push(this.compiler.bindValue(sc, b.names[0]!, v))
            continue
          }
          const t = asFcn(v, 'a tuple pattern’s element')
          if (!(t instanceof TupleValue) || t.elems.length !== b.names.length) this.err('TLA145', `${show(v)} does not match the tuple pattern`, b.set.span)
          next.push(b.names.reduce((acc, n, i) => this.compiler.bindValue(acc, n, t.elems[i]!), sc))
        }
      }
      scopes = next
    }
    return scopes
  }

  /** An LTL formula for a temporal formula (level 3), or a state atom for a state predicate. */
  private formula(e: Expr, s: FormulaScope): Formula {
    const c = this.compile(s, e)
    if (c.level <= 1) return this.stateAtom(s, e)
    if (c.level === 2) this.err('TLA143', 'an action here must be under [] or <> (as [][A]_v or <><<A>>_v)', e.span)
    const sub = (x: Expr): Formula => this.formula(x, s)
    /** The operand of [] or <>: an action becomes an action atom. */
    const operand = (x: Expr): Formula => (this.compile(s, x).level === 2 ? this.actionAtom(s, x) : sub(x))
    switch (e.kind) {
      case 'conj':
        return e.items.map(sub).reduce((a, b) => and(a, b))
      case 'disj':
        return e.items.map(sub).reduce((a, b) => or(a, b))
      case 'label':
        return sub(e.body)
      case 'let':
        return this.formula(e.body, this.compiler.bindLet(s, e.defs))
      case 'quant': {
        const parts = this.bindings(e.bounds, s).map((b) => this.formula(e.body, b))
        if (e.quantifier === 'A') return parts.length === 0 ? tt : parts.reduce((a, b) => and(a, b))
        return parts.length === 0 ? ff : parts.reduce((a, b) => or(a, b))
      }
      case 'if': {
        if (this.compile(s, e.cond).level > 1) break
        const cond = this.stateAtom(s, e.cond)
        return or(and(cond, sub(e.then)), and(not(cond), sub(e.else)))
      }
      case 'fair': {
        // In a property (a refinement, typically) the action is over the abstract spec's
        // variables, often substituted by expressions: it is enabled where a step takes it.
        const taken = this.actionAtom(s, angle(e))
        const en = this.derivedAtom(taken)
        const assumption = e.strong ? always(eventually(en)) : eventually(always(en))
        return implies(assumption, always(eventually(taken)))
      }
      case 'op': {
        if (!e.via || e.via.length === 0) {
          const named = this.compiler.nameIn(s, e.name)
          const builtin = named.local ? false : named.entry === undefined
          if (builtin) {
            const [a, b] = e.args
            switch (e.name) {
              case '[]':
                return always(operand(a!))
              case '<>':
                return eventually(operand(a!))
              case '~>':
                return always(implies(sub(a!), eventually(sub(b!))))
              case '~':
                return not(sub(a!))
              case '=>':
                return implies(sub(a!), sub(b!))
              case '<=>':
              case '\\equiv':
                return iff(sub(a!), sub(b!))
              case '/\\':
                return and(sub(a!), sub(b!))
              case '\\/':
                return or(sub(a!), sub(b!))
            }
          }
        }
        const expanded = this.expand(e, s)
        if (expanded && expanded.expr !== e) return this.formula(expanded.expr, expanded.scope)
        break
      }
      default:
        break
    }
    return this.err('TLA146', 'this temporal formula is not supported (weft checks [], <>, ~>, WF, SF, ENABLED, [][A]_v, <<A>>_v, /\\, \\/, ~, =>, and \\A, \\E over finite sets)', e.span)
  }
}

/** `<<A>>_v` of a fairness formula. */
function angle(f: Extract<Expr, { kind: 'fair' }>): Expr {
  return { kind: 'step', stutter: false, action: f.action, sub: f.sub, span: f.span }
}

function isAlwaysStep(e: Expr): boolean {
  return e.kind === 'op' && e.name === '[]' && e.args.length === 1 && e.args[0]!.kind === 'step' && e.args[0]!.stutter
}

/** The generalized Büchi automaton of a formula, its atoms renumbered for the engine. */
function automatonOf(f: Formula, engineId: (id: number) => number): LivenessAutomaton {
  const g = translate(f).generalized
  return {
    stateCount: g.stateCount,
    initial: g.initial,
    acceptanceSets: g.acceptanceSets,
    edges: g.edges.map((es) => es.map((e) => ({ to: e.to, acc: e.acc, guard: { pos: e.guard.pos.map(engineId), neg: e.guard.neg.map(engineId) } }))),
  }
}
