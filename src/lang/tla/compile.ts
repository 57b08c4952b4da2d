/**
 * Lowering TLA+ expressions to closures, once per model: a value closure `(ctx, frame) => Value`
 * for every expression, and for actions (and the initial predicate) a successor closure that
 * enumerates assignments the way TLC does: `\/` and `\E` fork, `x' = e` assigns an unassigned
 * `x'` and tests an assigned one, `x' \in S` enumerates S, `UNCHANGED v` assigns each variable of
 * v its current value. Each completed assignment is handed to a continuation.
 *
 * Names are resolved while compiling: bound variables and operator parameters live in numbered
 * slots of a frame (one per call of a top-level definition); module-level names live in an `Env`
 * (one per module and per instance of a module); what is left is a built-in operator.
 */
import { error, type Diagnostic } from '../../diag/diagnostic.js'
import { nearestName } from '../../diag/suggest.js'
import type { Span } from '../../diag/span.js'
import type { Bound, Definition, Expr, FcnDef, InstanceDef, Module, OpDef } from './ast.js'
import { BUILTINS, ProductSet, type Builtin, type OpValue } from './builtins.js'
import { LimitWatch } from './limits.js'
import { TlcRegisters } from './tlc-get.js'
import { ValueHasher } from './value-hash.js'
import {
  EMPTY_SET,
  EvalError,
  FcnSet,
  FcnValue,
  FilteredSet,
  InfiniteSet,
  LazyFcn,
  LazySet,
  RecordSet,
  RecordValue,
  SeqSet,
  SetValue,
  SubsetSet,
  TupleValue,
  apply,
  asBool,
  asSet,
  eachSubset,
  asFcn,
  elementsOf,
  enumerate,
  equals,
  fail,
  indexInDomain,
  isMember,
  makeFcn,
  makeSet,
  show,
  type Value,
} from './values.js'

/** The evaluation context: the current state, and the next state as far as it is assigned. */
export interface Ctx {
  state: readonly Value[]
  next: (Value | undefined)[]
  /** The current state's level (its depth, 1 for an initial state), for TLCGet("level"). */
  level?: number
}

export type Frame = unknown[]
export type Ev = (c: Ctx, f: Frame) => Value
export type Act = (c: Ctx, f: Frame, k: () => void) => void

/** 0 constant, 1 state, 2 action, 3 temporal: TLA+'s levels, used to decide what is an action and what can be computed once. */
export type Level = 0 | 1 | 2 | 3

export interface Compiled {
  readonly ev: Ev
  readonly level: Level
}

/** A compile error: a diagnostic for bad input found while lowering (an unknown name, a wrong arity). */
export class CompileError extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message)
  }
}

/** An evaluation error with the source location of the innermost expression it came from. */
export class LocatedError extends Error {
  constructor(
    message: string,
    readonly span: Span,
    readonly assertion = false,
  ) {
    super(message)
    this.name = 'EvalError'
  }
}

// ---------------------------------------------------------------------------------------------
// Module-level names

export type Entry =
  | { readonly kind: 'def'; readonly def: OpDef; readonly env: Env; readonly cache: Map<string, unknown> }
  | { readonly kind: 'fcndef'; readonly def: FcnDef; readonly env: Env; readonly cache: Map<string, unknown> }
  | { readonly kind: 'const'; readonly name: string; readonly arity: number; readonly span: Span; value?: Value | OpValue }
  | { readonly kind: 'var'; readonly name: string; readonly index: number; readonly span: Span }
  | { readonly kind: 'instance'; readonly def: InstanceDef; readonly env: Env; readonly params?: InstanceParams }
  /** A constant or variable of an instantiated module, replaced by an expression of the instantiating one. */
  | { readonly kind: 'subst'; readonly expr: Expr; readonly env: Env; readonly params?: InstanceParams; readonly cache: Map<string, unknown> }
  | { readonly kind: 'param'; readonly params: InstanceParams; readonly index: number }

/** The parameters of `M(x, y) == INSTANCE ...`, whose values are pushed while `M(a, b)!Op` runs. */
export interface InstanceParams {
  readonly names: readonly string[]
  readonly stack: Value[][]
}

export interface Env {
  readonly module: Module
  readonly names: Map<string, Entry>
}

/**
 * An operator constant of an instantiated module replaced (by name, implicitly or with WITH) by a
 * definition of the instantiating module, called with arguments: that definition, so that a call
 * in an action is expanded as the definition's own call would be. Any other entry is returned as is.
 */
function substitutedDefinition(entry: Entry | undefined, argCount: number): Entry | undefined {
  let at = entry
  for (let hops = 0; argCount > 0 && at?.kind === 'subst' && hops < 64; hops++) {
    const expr = at.expr
    if (expr.kind !== 'op' || expr.args.length > 0 || (expr.via && expr.via.length > 0)) return entry
    at = at.env.names.get(expr.name)
  }
  return at?.kind === 'def' ? at : entry
}

// ---------------------------------------------------------------------------------------------
// Local scopes

type Local =
  | { readonly kind: 'slot'; readonly slot: number }
  | { readonly kind: 'opslot'; readonly slot: number; readonly arity: number }
  /**
   * A LET definition; `memo` is the frame slot that keeps a definition without parameters once it
   * is computed, until the LET is entered again (TLC evaluates a LET definition once, lazily).
   */
  | { readonly kind: 'let'; readonly def: OpDef | FcnDef; readonly scope: Scope; readonly slots: readonly number[]; readonly cache: Map<string, unknown>; readonly memo?: number }
  | { readonly kind: 'at'; readonly slot: number }
  /** A name with one fixed value: a bound variable of a temporal quantifier, expanded (temporal.ts). */
  | { readonly kind: 'value'; readonly value: Value }

interface Layout {
  size: number
}

/** How variables are read: in the current state, or in the next state (under a prime, and in the initial predicate). */
type Reads = 'cur' | 'next'

/** A compile scope, opaque outside this file (temporal.ts builds formulas in one). */
export type FormulaScope = Scope

interface Scope {
  readonly env: Env
  readonly locals: ReadonlyMap<string, Local>
  readonly layout: Layout
  readonly reads: Reads
}

const NO_LOCALS: ReadonlyMap<string, Local> = new Map()

function withLocals(s: Scope, add: [string, Local][]): Scope {
  const locals = new Map(s.locals)
  for (const [k, v] of add) locals.set(k, v)
  return { ...s, locals }
}

function alloc(s: Scope): number {
  return s.layout.size++
}

const maxLevel = (...ls: Level[]): Level => Math.max(0, ...ls) as Level

/** Thrown by a continuation to stop an enumeration early (ENABLED). */
const FOUND = Symbol('found')

/** Definitions are kept for their last inputs (`lastValueMemo`) in specs of at most this many variables. */
const MEMO_VARS = 31

/**
 * What the evaluation running has read: bit i of `cur` for variable i, of `next` for its primed
 * value; `impure` counts reads of what is not in the state (TLCGet, an instance's parameters) and
 * values that close over the context (lazy functions and filters), after which nothing is kept.
 */
export interface Deps {
  cur: number
  next: number
  impure: number
}

/** A definition compiled as an action: `run` in a `frame` whose first slots hold the arguments. */
interface DefAction {
  readonly frame: () => Frame
  readonly run: Act
  /** The body, once compiled (not yet while a recursive definition compiles). */
  readonly body: () => Act | undefined
}

/** A definition's compiled body: `run` with its arguments; `memoized` for one without parameters. */
interface DefBody {
  readonly run: (c: Ctx, args: unknown[]) => Value
  /** A new frame for the body, to put the arguments in, and the body run in such a frame. */
  readonly frame: () => Frame
  readonly runIn: (c: Ctx, frame: Frame) => Value
  readonly level: Level
  readonly memoized: () => (c: Ctx) => Value
}

export class Compiler {
  readonly diagnostics: Diagnostic[] = []

  /** TLCGet and TLCSet's registers and statistics. */
  readonly tlc = new TlcRegisters()

  /** The search's limits, ticked once per element of every enumeration. */
  readonly limits = new LimitWatch()

  /** The actions that only test a value (`action`'s guards), with that value: conjunctions test them in place. */
  private readonly guards = new WeakMap<Act, { ev: Ev; span: Span; what: string }>()
  /** The actions that only assign one variable (`x' = e`, `UNCHANGED x`): conjunctions run what follows them without a continuation. */
  private readonly assignments = new WeakMap<Act, Assignment>()
  private readonly fieldLists = new Map<string, readonly string[]>()

  /** Hashes the elements of constant sets for lookups (`memberTest`). */
  private readonly hasher = new ValueHasher()

  /** The variables the evaluation running has read (`lastValueMemo`). */
  readonly deps: Deps = { cur: 0, next: 0, impure: 0 }

  constructor(readonly varCount: number) {}

  // -------------------------------------------------------------------------------------------
  // Entry points

  /** A top-level expression with no bound variables (an invariant, a constraint, a cfg formula). */
  topValue(env: Env, expr: Expr, reads: Reads = 'cur'): { ev: (c: Ctx) => Value; level: Level } {
    const layout: Layout = { size: 0 }
    const compiled = this.value(expr, { env, locals: NO_LOCALS, layout, reads })
    return {
      ev: (c) => compiled.ev(c, new Array(layout.size)),
      level: compiled.level,
    }
  }

  /** A top-level action (or, with `init`, the initial predicate): calls `k` for each assignment it allows. */
  topAction(env: Env, expr: Expr, init: boolean): (c: Ctx, k: () => void) => void {
    const layout: Layout = { size: 0 }
    const act = this.action(expr, { env, locals: NO_LOCALS, layout, reads: init ? 'next' : 'cur' }, init)
    return (c, k) => act(c, new Array(layout.size), k)
  }

  /**
   * An action `\E x \in S, ... : A` run as `topAction` runs it, giving `k` the values bound to the
   * quantifier's variables for each assignment: which process (the bound value) took a step. For
   * traces only, never in the search loop.
   */
  topActionBindings(env: Env, expr: Expr & { kind: 'quant' }): (c: Ctx, k: (values: readonly Value[]) => void) => void {
    const layout: Layout = { size: 0 }
    const s: Scope = { env, locals: NO_LOCALS, layout, reads: 'cur' }
    const { bind, scope } = this.bounds(expr.bounds, s)
    const body = this.action(expr.body, scope, false)
    const slots = expr.bounds.flatMap((b) => b.names.map((n) => (scope.locals.get(n) as { slot: number }).slot))
    return (c, k) => {
      const fr: Frame = new Array(layout.size)
      bind(c, fr, () => {
        body(c, fr, () => k(slots.map((sl) => fr[sl] as Value)))
        return true
      })
    }
  }

  /** A scope for a temporal formula of a module (temporal.ts); scopes derived from it share one frame layout. */
  formulaScope(env: Env): FormulaScope {
    return { env, locals: NO_LOCALS, layout: { size: 0 }, reads: 'cur' }
  }

  /** The same frame layout in another module's environment, with no local names (a definition's body). */
  scopeIn(s: FormulaScope, env: Env): FormulaScope {
    return { env, locals: NO_LOCALS, layout: s.layout, reads: 'cur' }
  }

  /** `s` with `name` bound to a value (a quantified variable of a temporal formula, expanded). */
  bindValue(s: FormulaScope, name: string, value: Value): FormulaScope {
    return withLocals(s, [[name, { kind: 'value', value }]])
  }

  /** `s` with `name` standing for `expr` in scope `of` (a definition's parameter, given an argument). */
  bindExpr(s: FormulaScope, name: string, expr: Expr, of: FormulaScope): FormulaScope {
    const def: OpDef = { kind: 'opdef', name, params: [], body: expr, local: true, span: expr.span }
    return withLocals(s, [[name, { kind: 'let', def, scope: of, slots: [], cache: new Map() }]])
  }

  /** `s` with the definitions of a LET. */
  bindLet(s: FormulaScope, defs: readonly Definition[]): FormulaScope {
    return this.letScope(defs, s)
  }

  /** Compiles a state or action expression of a temporal formula: `ev` reads `c.state` and, for actions, `c.next`. */
  compileIn(s: FormulaScope, expr: Expr): { ev: (c: Ctx) => Value; level: Level } {
    const compiled = this.value(expr, s)
    const layout = s.layout
    return { ev: (c) => compiled.ev(c, new Array(layout.size)), level: compiled.level }
  }

  /** The instance a name of scope `s` refers to (`M` in `M!Op`), if it is one. */
  instanceIn(s: FormulaScope, name: string): Extract<Entry, { kind: 'instance' }> | undefined {
    if (s.locals.has(name)) return undefined
    const entry = s.env.names.get(name)
    return entry?.kind === 'instance' ? entry : undefined
  }

  /** What a plain name of scope `s` is: a local (bound) name, or a module-level entry. */
  nameIn(s: FormulaScope, name: string): { local: true } | { local: false; entry: Entry | undefined } {
    if (s.locals.has(name)) return { local: true }
    return { local: false, entry: s.env.names.get(name) }
  }

  /** Resolves a module-level name, for the cfg. */
  lookup(env: Env, name: string): Entry | undefined {
    return env.names.get(name)
  }

  /** The value of a zero-argument definition or constant, computed in the constant context. */
  constantValue(env: Env, name: string, span: Span): Value {
    const { ev } = this.topValue(env, { kind: 'op', name, args: [], span })
    return ev({ state: [], next: [] })
  }

  /** A definition as an operator value, for a cfg's `F <- Def` on an operator constant. */
  operator(env: Env, name: string, arity: number, span: Span): OpValue {
    const layout: Layout = { size: 0 }
    const c = this.operatorArg({ kind: 'op', name, args: [], span }, { env, locals: NO_LOCALS, layout, reads: 'cur' }, arity)
    return c.ev({ state: [], next: [] }, new Array(layout.size)) as unknown as OpValue
  }

  // -------------------------------------------------------------------------------------------
  // Values

  /** One array per list of field names, shared by the records built from it: comparing two such records skips their names. */
  private fieldNames(keys: string[]): readonly string[] {
    const key = keys.join('\0')
    let shared = this.fieldLists.get(key)
    if (!shared) this.fieldLists.set(key, (shared = keys))
    return shared
  }

  private err(code: string, message: string, span: Span, hint?: string): never {
    throw new CompileError(error(code, message, { span, ...(hint ? { hint } : {}) }))
  }

  /**
   * Compiles `e` to a value closure. A compound expression of constant level that names nothing
   * bound around it (`{2, 3}`, `(0 .. N + 1) \X (0 .. N + 1)`) has one value, computed when it is
   * first needed and then kept; one that fails is computed (and fails) each time.
   */
  value(e: Expr, s: Scope): Compiled {
    const c = this.valueOf(e, s)
    if (c.level !== 0 || !HOISTED.has(e.kind) || (e.kind === 'op' && e.args.length === 0) || usesAny(e, s.locals)) return c
    return { ev: constantOnce(c.ev, this.deps), level: 0 }
  }

  private valueOf(e: Expr, s: Scope): Compiled {
    switch (e.kind) {
      case 'num': {
        const v = e.value
        return { ev: () => v, level: 0 }
      }
      case 'str': {
        const v = e.value
        return { ev: () => v, level: 0 }
      }
      case 'bool': {
        const v = e.value
        return { ev: () => v, level: 0 }
      }
      case 'op':
        return this.opValue(e, s)
      case 'if': {
        const c = this.value(e.cond, s)
        const t = this.value(e.then, s)
        const f = this.value(e.else, s)
        const cond = c.ev
        const th = t.ev
        const el = f.ev
        const span = e.cond.span
        return { ev: (x, fr) => (bool(cond(x, fr), span, 'the condition of IF') ? th(x, fr) : el(x, fr)), level: maxLevel(c.level, t.level, f.level) }
      }
      case 'case': {
        const arms = e.arms.map((a) => ({ g: this.value(a.guard, s), b: this.value(a.body, s), span: a.guard.span }))
        const other = e.other ? this.value(e.other, s) : undefined
        const span = e.span
        return {
          ev: (x, fr) => {
            for (const a of arms) if (bool(a.g.ev(x, fr), a.span, 'a CASE guard')) return a.b.ev(x, fr)
            if (other) return other.ev(x, fr)
            return located(() => fail('no CASE guard is true, and there is no OTHER arm'), span)
          },
          level: maxLevel(...arms.map((a) => a.g.level), ...arms.map((a) => a.b.level), other?.level ?? 0),
        }
      }
      case 'let': {
        const { scope, memos } = this.letExpression(e.defs, s)
        const body = this.value(e.body, scope)
        if (memos.length === 0) return body
        return {
          ev: (x, fr) => {
            for (let i = 0; i < memos.length; i++) fr[memos[i]!] = undefined
            return body.ev(x, fr)
          },
          level: body.level,
        }
      }
      case 'conj':
      case 'disj': {
        const items = e.items.map((i) => ({ c: this.value(i, s), span: i.span }))
        const isConj = e.kind === 'conj'
        return {
          ev: (x, fr) => {
            for (let i = 0; i < items.length; i++) {
              const it = items[i]!
              const b = bool(it.c.ev(x, fr), it.span, isConj ? 'a conjunct' : 'a disjunct')
              if (b !== isConj) return b
            }
            return isConj
          },
          level: maxLevel(...items.map((i) => i.c.level)),
        }
      }
      case 'quant': {
        const { bind, scope, level: bl } = this.bounds(e.bounds, s)
        const body = this.value(e.body, scope)
        const all = e.quantifier === 'A'
        const span = e.body.span
        return {
          ev: (x, fr) => {
            let result = all
            bind(x, fr, () => {
              const b = bool(body.ev(x, fr), span, 'the body of a quantifier')
              if (b !== all) {
                result = b
                return false
              }
              return true
            })
            return result
          },
          level: maxLevel(bl, body.level),
        }
      }
      case 'uquant':
        if (e.quantifier === 'TA' || e.quantifier === 'TE') return this.err('TLA210', 'temporal quantifiers (\\AA, \\EE) are not supported', e.span)
        return this.err('TLA211', `an unbounded quantifier (\\${e.quantifier} x : ...) cannot be evaluated by TLC`, e.span, 'bound it: \\E x \\in S : ...')
      case 'choose': {
        const span = e.span
        if (e.bound.set === undefined) return this.err('TLA212', 'an unbounded CHOOSE x : P cannot be evaluated by TLC', span, 'bound it (CHOOSE x \\in S : P), or give the definition a value in the cfg')
        const { bind, scope, level: bl } = this.bounds([e.bound as Bound], s)
        const body = this.value(e.body, scope)
        const pattern = this.patternReader(e.bound as Bound, scope)
        // CHOOSE x \in S : TRUE is S's first element, when S is a normalized set.
        const anyOf = e.body.kind === 'bool' && e.body.value && !e.bound.tuple ? this.value(e.bound.set, s).ev : undefined
        return {
          ev: (x, fr) => {
            let set: Value | undefined
            if (anyOf) {
              set = anyOf(x, fr)
              if (set instanceof SetValue && set.elems.length > 0) return set.elems[0]!
            }
            let found: Value | undefined
            bind(x, fr, () => {
              if (bool(body.ev(x, fr), e.body.span, 'the body of CHOOSE')) {
                found = pattern(fr)
                return false
              }
              return true
            }, set)
            if (found === undefined) return located(() => fail('Attempted to compute the value of an expression of form\nCHOOSE x \\in S: P, but no element of S satisfied P.'), span)
            return found
          },
          level: maxLevel(bl, body.level),
        }
      }
      case 'setEnum': {
        const elems = e.elems.map((x) => this.value(x, s))
        const evs = elems.map((el) => el.ev)
        const n = evs.length
        const level = maxLevel(...elems.map((x) => x.level))
        if (n === 0) return { ev: () => EMPTY_SET, level }
        // {m}: one element is a normalized set as it is.
        if (n === 1) {
          const only = evs[0]!
          return { ev: (x, fr) => new SetValue([only(x, fr)]), level }
        }
        return {
          ev: (x, fr) => {
            const out: Value[] = new Array(n)
            for (let i = 0; i < n; i++) out[i] = evs[i]!(x, fr)
            return makeSet(out)
          },
          level,
        }
      }
      case 'setFilter': {
        const set = this.value(e.bound.set, s)
        const { bind, scope } = this.bounds([e.bound], s)
        const pred = this.value(e.pred, scope)
        const pattern = this.patternReader(e.bound, scope)
        const names = e.bound
        const deps = this.deps
        return {
          ev: (x, fr) => {
            const base = set.ev(x, fr)
            if (base instanceof InfiniteSet || base instanceof SeqSet) {
              if (names.tuple) return fail('a filter with a tuple pattern over an infinite set')
              // A closure over this context: no definition computed from it may be kept.
              deps.impure++
              const slot = (scope.locals.get(names.names[0]!) as { slot: number }).slot
              return new FilteredSet(base, (v) => {
                fr[slot] = v
                return bool(pred.ev(x, fr), e.pred.span, 'a set filter')
              })
            }
            const out: Value[] = []
            bind(x, fr, () => {
              if (bool(pred.ev(x, fr), e.pred.span, 'a set filter')) out.push(pattern(fr))
              return true
            }, base)
            // Some of a normalized set's elements, in its order: still normalized.
            return base instanceof SetValue && !names.tuple ? new SetValue(out) : makeSet(out)
          },
          level: maxLevel(set.level, pred.level),
        }
      }
      case 'setMap': {
        const { bind, scope, level: bl } = this.bounds(e.bounds, s)
        const body = this.value(e.body, scope)
        return {
          ev: (x, fr) => {
            const out: Value[] = []
            bind(x, fr, () => {
              out.push(body.ev(x, fr))
              return true
            })
            return makeSet(out)
          },
          level: maxLevel(bl, body.level),
        }
      }
      case 'fcn':
        return this.fcnConstructor(e.bounds, e.body, s, undefined)
      case 'fcnSet': {
        const d = this.value(e.dom, s)
        const r = this.value(e.rng, s)
        return { ev: (x, fr) => new FcnSet(d.ev(x, fr), r.ev(x, fr)), level: maxLevel(d.level, r.level) }
      }
      case 'record': {
        const sorted = [...e.fields].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
        const keys = this.fieldNames(sorted.map((f) => f.name))
        const vals = sorted.map((f) => this.value(f.value, s))
        const fields = vals.map((v) => v.ev)
        // Field names are strings, and a record has at least one: makeFcn would make a record.
        return {
          ev: (x, fr) => {
            const out: Value[] = new Array(fields.length)
            for (let i = 0; i < fields.length; i++) out[i] = fields[i]!(x, fr)
            return new RecordValue(keys, out)
          },
          level: maxLevel(...vals.map((v) => v.level)),
        }
      }
      case 'recordSet': {
        const sorted = [...e.fields].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
        const keys = this.fieldNames(sorted.map((f) => f.name))
        const sets = sorted.map((f) => this.value(f.value, s))
        return { ev: (x, fr) => new RecordSet(keys, sets.map((v) => v.ev(x, fr))), level: maxLevel(...sets.map((v) => v.level)) }
      }
      case 'dot': {
        const t = this.value(e.target, s)
        const field = e.field
        const span = e.span
        // Records from one constructor share their field names: the last ones seen here, and where the field is in them.
        let keys: readonly string[] | undefined
        let at = -1
        return {
          ev: (x, fr) => {
            const r = t.ev(x, fr)
            if (r instanceof RecordValue) {
              if (r.keys === keys) return r.vals[at]!
              const i = r.keys.indexOf(field)
              if (i >= 0) {
                keys = r.keys
                at = i
                return r.vals[i]!
              }
            }
            try {
              return apply(r, field)
            } catch (err) {
              if (err instanceof EvalError) throw new LocatedError(`Attempted to access nonexistent field '${field}' of record\n${show(r)}`, span)
              throw err
            }
          },
          level: t.level,
        }
      }
      case 'apply': {
        const f = this.value(e.fcn, s)
        const args = e.args.map((a) => this.value(a, s))
        const span = e.span
        const level = maxLevel(f.level, ...args.map((a) => a.level))
        if (args.length === 1) {
          const a0 = args[0]!.ev
          const fe = f.ev
          return {
            ev: (x, fr) => {
              try {
                return apply(fe(x, fr), a0(x, fr))
              } catch (err) {
                throw relocated(err, span)
              }
            },
            level,
          }
        }
        return { ev: (x, fr) => located(() => apply(f.ev(x, fr), new TupleValue(args.map((a) => a.ev(x, fr)))), span), level }
      }
      case 'except':
        return this.except(e, s)
      case 'at': {
        const at = s.locals.get('@')
        if (!at || at.kind !== 'at') return this.err('TLA213', '@ is only meaningful on the right of an EXCEPT update', e.span)
        const slot = at.slot
        return { ev: (_x, fr) => fr[slot] as Value, level: 0 }
      }
      case 'tuple': {
        const elems = e.elems.map((x) => this.value(x, s))
        const evs = elems.map((el) => el.ev)
        const n = evs.length
        return {
          ev: (x, fr) => {
            const out: Value[] = new Array(n)
            for (let i = 0; i < n; i++) out[i] = evs[i]!(x, fr)
            return new TupleValue(out)
          },
          level: maxLevel(...elems.map((x) => x.level)),
        }
      }
      case 'lambda':
        return this.err('TLA214', 'a LAMBDA can only be passed as an operator argument', e.span)
      case 'step': {
        // [A]_v as a value: A \/ v' = v ; <<A>>_v: A /\ v' # v
        const a = this.value(e.action, s)
        const v = this.value(e.sub, s)
        const vn = this.value(e.sub, { ...s, reads: 'next' })
        const stutter = e.stutter
        return {
          ev: (x, fr) => {
            const changed = !equals(v.ev(x, fr), vn.ev(x, fr))
            if (stutter) return !changed || asBool(a.ev(x, fr), 'an action')
            return changed && asBool(a.ev(x, fr), 'an action')
          },
          level: 2,
        }
      }
      case 'fair':
        return { ev: () => fail('a fairness formula is a temporal formula, not a value'), level: 3 }
      case 'label':
        return this.value(e.body, s)
    }
  }

  /** An `op` node: a bound variable, a definition, a constant or variable, an instance member or a built-in. */
  private opValue(e: Extract<Expr, { kind: 'op' }>, s: Scope): Compiled {
    const span = e.span
    if (e.via && e.via.length > 0) return this.viaInstance(e, s, (env, scope) => this.opValue({ ...e, via: undefined }, { ...scope, env }))
    const local = s.locals.get(e.name)
    if (local) return this.localValue(e, local, s)
    const entry = s.env.names.get(e.name)
    if (entry) return this.entryValue(e, entry, s)
    return this.builtinValue(e, s, span)
  }

  private localValue(e: Extract<Expr, { kind: 'op' }>, local: Local, s: Scope): Compiled {
    switch (local.kind) {
      case 'slot':
      case 'at': {
        this.arity(e, 0)
        const slot = local.slot
        return { ev: (_x, fr) => fr[slot] as Value, level: 0 }
      }
      case 'opslot': {
        this.arity(e, local.arity)
        const slot = local.slot
        const args = e.args.map((a) => this.value(a, s))
        const span = e.span
        return { ev: (x, fr) => located(() => (fr[slot] as OpValue).call(args.map((a) => a.ev(x, fr))), span), level: maxLevel(1, ...args.map((a) => a.level)) }
      }
      case 'let':
        return this.letCall(e, local, s)
      case 'value': {
        this.arity(e, 0)
        const v = local.value
        return { ev: () => v, level: 0 }
      }
    }
  }

  private entryValue(e: Extract<Expr, { kind: 'op' }>, entry: Entry, s: Scope): Compiled {
    const span = e.span
    switch (entry.kind) {
      case 'var': {
        this.arity(e, 0)
        const i = entry.index
        const name = entry.name
        const deps = this.deps
        const bit = i < MEMO_VARS ? 1 << i : 0
        if (s.reads === 'cur') {
          return {
            ev: (c) => {
              deps.cur |= bit
              return c.state[i]!
            },
            level: 1,
          }
        }
        return {
          ev: (c) => {
            const v = c.next[i]
            if (v === undefined) throw new LocatedError(`the value of ${name}' is not yet determined here`, span)
            deps.next |= bit
            return v
          },
          level: 1,
        }
      }
      case 'const': {
        if (entry.arity > 0) {
          this.arity(e, entry.arity)
          const args = e.args.map((a) => this.value(a, s))
          return {
            ev: (x, fr) => {
              const opv = entry.value as OpValue | undefined
              if (!opv) throw new LocatedError(`the constant operator ${entry.name} has no definition in the cfg`, span)
              return located(() => opv.call(args.map((a) => a.ev(x, fr))), span)
            },
            level: maxLevel(0, ...args.map((a) => a.level)),
          }
        }
        this.arity(e, 0)
        return {
          ev: () => {
            const v = entry.value
            if (v === undefined) throw new LocatedError(`the constant ${entry.name} has no value in the cfg`, span)
            return v as Value
          },
          level: 0,
        }
      }
      case 'def':
        return this.defCall(e, entry, s)
      case 'fcndef': {
        this.arity(e, 0)
        return this.fcnDefValue(entry, s.reads)
      }
      case 'subst': {
        if (e.args.length === 0) return this.substValue(entry, s.reads)
        // An operator constant of an instantiated module, replaced by an operator of the instantiating one.
        const layout: Layout = { size: 0 }
        const opv = this.operatorArg(entry.expr, { env: entry.env, locals: NO_LOCALS, layout, reads: s.reads }, e.args.length)
        const args = e.args.map((a) => this.value(a, s))
        return {
          ev: (x, fr) => {
            const op = opv.ev(x, new Array(layout.size)) as unknown as OpValue
            return located(() => op.call(args.map((a) => a.ev(x, fr))), span)
          },
          level: maxLevel(1, ...args.map((a) => a.level)),
        }
      }
      case 'param': {
        this.arity(e, 0)
        const { params, index } = entry
        const deps = this.deps
        return {
          ev: () => {
            deps.impure++
            return params.stack[params.stack.length - 1]![index]!
          },
          // The argument may differ from one use of the instance to the next (I(x)!Op): never constant.
          level: 1,
        }
      }
      case 'instance':
        return this.err('TLA104', `'${e.name}' is a module instance; name one of its definitions, as ${e.name}!Op`, span)
    }
  }

  private builtinValue(e: Extract<Expr, { kind: 'op' }>, s: Scope, span: Span): Compiled {
    switch (e.name) {
      case '=>': {
        this.arity(e, 2)
        const [a, b] = e.args.map((x) => this.value(x, s)) as [Compiled, Compiled]
        return { ev: (x, fr) => !bool(a.ev(x, fr), e.args[0]!.span, 'the left side of =>') || bool(b.ev(x, fr), e.args[1]!.span, 'the right side of =>'), level: maxLevel(a.level, b.level) }
      }
      case "'": {
        this.arity(e, 1)
        const inner = this.value(e.args[0]!, { ...s, reads: 'next' })
        return { ev: inner.ev, level: 2 }
      }
      case 'UNCHANGED': {
        this.arity(e, 1)
        const cur = this.value(e.args[0]!, s)
        const nxt = this.value(e.args[0]!, { ...s, reads: 'next' })
        return { ev: (x, fr) => equals(cur.ev(x, fr), nxt.ev(x, fr)), level: 2 }
      }
      case 'ENABLED': {
        this.arity(e, 1)
        const act = this.action(e.args[0]!, { ...s, reads: 'cur' }, false)
        const n = this.varCount
        const deps = this.deps
        return {
          ev: (x, fr) => {
            // UNCHANGED inside reads the state directly: count every variable as read.
            deps.cur = -1
            const sub: Ctx = { state: x.state, next: new Array(n) }
            try {
              act(sub, fr, () => {
                throw FOUND
              })
            } catch (err) {
              if (err === FOUND) return true
              throw err
            }
            return false
          },
          level: 1,
        }
      }
      case '[]':
      case '<>':
      case '~>':
        return { ev: () => fail(`the temporal operator ${e.name} has no value in a single state`), level: 3 }
      case '\\X': {
        const sets = e.args.map((a) => this.value(a, s))
        return { ev: (x, fr) => new ProductSet(sets.map((a) => a.ev(x, fr))), level: maxLevel(...sets.map((a) => a.level)) }
      }
    }
    if ((e.name === 'TLCGet' || e.name === 'TLCSet') && !s.env.names.has(e.name)) return this.tlcAccess(e, s)
    const b: Builtin | undefined = BUILTINS[e.name]
    if (!b) {
      const near = /^[A-Za-z_]\w*$/.test(e.name) ? nearestName(e.name, [...s.locals.keys(), ...s.env.names.keys(), ...Object.keys(BUILTINS)].filter((n) => /^[A-Za-z_]/.test(n))) : undefined
      return this.err('TLA101', `unknown name '${e.name}'`, span, unknownHint(e.name) ?? (near ? `did you mean '${near}'?` : undefined))
    }
    if (b.arity >= 0 && e.args.length !== b.arity) {
      return this.err('TLA102', `'${e.name}' takes ${b.arity} argument${b.arity === 1 ? '' : 's'}, not ${e.args.length}`, span)
    }
    const special = this.specialBuiltin(e, b, s, span)
    if (special) return special
    const opArgs = b.opArgs ?? []
    const args = e.args.map((a, i) => (opArgs.includes(i) ? this.operatorArg(a, s, 1) : this.value(a, s)))
    const level = maxLevel(...args.map((a) => a.level))
    const fn = b.fn
    if (args.length === 0) {
      let memo: Value | undefined
      return { ev: () => (memo ??= located(() => fn([]), span)), level }
    }
    if (args.length === 1) {
      const a0 = args[0]!.ev
      return {
        ev: (x, fr) => {
          try {
            return fn([a0(x, fr)])
          } catch (err) {
            throw relocated(err, span)
          }
        },
        level,
      }
    }
    const fn2 = b.fn2
    if (fn2 && args.length === 2) {
      const a0 = args[0]!.ev
      const a1 = args[1]!.ev
      return {
        ev: (x, fr) => {
          try {
            return fn2(a0(x, fr), a1(x, fr))
          } catch (err) {
            throw relocated(err, span)
          }
        },
        level,
      }
    }
    if (args.length === 2) {
      const a0 = args[0]!.ev
      const a1 = args[1]!.ev
      return {
        ev: (x, fr) => {
          try {
            return fn([a0(x, fr), a1(x, fr)])
          } catch (err) {
            throw relocated(err, span)
          }
        },
        level,
      }
    }
    return { ev: (x, fr) => located(() => fn(args.map((a) => a.ev(x, fr))), span), level }
  }

  /**
   * The commonest operators in forms that skip the generic call: `=` and `#` against a literal
   * (`pc[self] = "Done"`) compare with ===, which is TLA+ equality for a Boolean, number or
   * string; `\in` and `\notin` a constant set of such values look the element up in a JS Set;
   * `~` negates a Boolean. Anything else, errors included, goes through the builtin.
   */
  private specialBuiltin(e: Extract<Expr, { kind: 'op' }>, b: Builtin, s: Scope, span: Span): Compiled | undefined {
    if (e.args.length === 1 && e.name === '~') {
      const a = this.value(e.args[0]!, s)
      const a0 = a.ev
      const fn = b.fn
      return {
        ev: (x, fr) => {
          try {
            const v = a0(x, fr)
            return typeof v === 'boolean' ? !v : fn([v])
          } catch (err) {
            throw relocated(err, span)
          }
        },
        level: a.level,
      }
    }
    if (e.args.length !== 2) return undefined
    if ((e.name === '=' || e.name === '#') && (isEmptySet(e.args[0]!) || isEmptySet(e.args[1]!))) {
      // S = {}: a normalized set is empty when it has no elements; a lazy one is compared as usual.
      const other = this.value(isEmptySet(e.args[1]!) ? e.args[0]! : e.args[1]!, s)
      const o = other.ev
      const eq = e.name === '='
      return {
        ev: (x, fr) => {
          try {
            const v = o(x, fr)
            return (v instanceof SetValue ? v.elems.length === 0 : equals(v, EMPTY_SET)) === eq
          } catch (err) {
            throw relocated(err, span)
          }
        },
        level: other.level,
      }
    }
    if (e.name === '=' || e.name === '#') {
      const right = literalOf(e.args[1]!)
      const left = right === undefined ? literalOf(e.args[0]!) : undefined
      const lit = right ?? left
      if (lit === undefined) return undefined
      const other = this.value(right !== undefined ? e.args[0]! : e.args[1]!, s)
      const o = other.ev
      const eq = e.name === '='
      return {
        ev: (x, fr) => {
          try {
            return (o(x, fr) === lit) === eq
          } catch (err) {
            throw relocated(err, span)
          }
        },
        level: other.level,
      }
    }
    // x \in SUBSET C is x \subseteq C: each element of x looked up in C.
    const right = e.args[1]!
    const subsetOf = e.name === '\\subseteq' ? right : e.name === '\\in' && right.kind === 'op' && right.name === 'SUBSET' && right.args.length === 1 && !right.via ? right.args[0]! : undefined
    if ((e.name === '\\in' || e.name === '\\notin' || subsetOf) && !usesAny(right, s.locals)) {
      const setC = this.value(subsetOf ?? right, s)
      if (setC.level !== 0) return undefined
      const elem = this.value(e.args[0]!, s)
      const a0 = elem.ev
      const set = setC.ev
      const fn2 = b.fn2!
      const isIn = e.name !== '\\notin'
      const hasher = this.hasher
      // Looks an element up in the constant set, once it is computed; null when the set is not a normalized one.
      let has: ((v: Value) => boolean) | null | undefined
      const whole = subsetOf === undefined ? undefined : e.name === '\\subseteq' ? 'the left side of \\subseteq' : 'an element of SUBSET'
      return {
        ev: (x, fr) => {
          try {
            const v = a0(x, fr)
            if (has === undefined) has = memberTest(set(x, fr), hasher)
            if (has === null) return fn2(v, e.name === '\\in' && subsetOf ? new SubsetSet(set(x, fr)) : set(x, fr))
            if (whole === undefined) return has(v) === isIn
            const elems = asSet(v, whole).elems
            for (let i = 0; i < elems.length; i++) if (!has(elems[i]!)) return false
            return true
          } catch (err) {
            throw relocated(err, span)
          }
        },
        level: elem.level,
      }
    }
    return undefined
  }

  /** TLCGet(k) and TLCSet(k, v): evaluated every time (they read the checker, not the state). */
  private tlcAccess(e: Extract<Expr, { kind: 'op' }>, s: Scope): Compiled {
    const get = e.name === 'TLCGet'
    this.arity(e, get ? 1 : 2)
    const args = e.args.map((a) => this.value(a, s))
    const tlc = this.tlc
    tlc.used = true
    const span = e.span
    const k = args[0]!.ev
    const deps = this.deps
    if (get) {
      return {
        ev: (x, fr) => {
          deps.impure++
          return located(() => tlc.get(k(x, fr), x.level), span)
        },
        level: 1,
      }
    }
    const val = args[1]!.ev
    return {
      ev: (x, fr) => {
        deps.impure++
        return located(() => tlc.set(k(x, fr), val(x, fr)), span)
      },
      level: 1,
    }
  }

  private arity(e: Extract<Expr, { kind: 'op' }>, n: number): void {
    if (e.args.length !== n) this.err('TLA102', `'${e.name}' takes ${n} argument${n === 1 ? '' : 's'}, not ${e.args.length}`, e.span)
  }

  /** An argument passed where an operator of `arity` arguments is expected: a name, a LAMBDA or an operator symbol. */
  private operatorArg(a: Expr, s: Scope, arity: number): Compiled {
    if (a.kind === 'lambda') {
      if (a.params.length !== arity) this.err('TLA102', `the LAMBDA takes ${a.params.length} arguments where ${arity} are expected`, a.span)
      const slots = a.params.map(() => alloc(s))
      const body = this.value(a.body, withLocals(s, a.params.map((p, i) => [p, { kind: 'slot', slot: slots[i]! }])))
      return frameOperator('LAMBDA', arity, slots, body)
    }
    if (a.kind !== 'op' || a.args.length > 0) return this.err('TLA103', `an operator of ${arity} argument${arity === 1 ? '' : 's'} is expected here`, a.span)
    const name = a.name
    const params = Array.from({ length: arity }, (_, i) => `#${i}`)
    const call: Expr = { kind: 'op', name, args: params.map((p) => ({ kind: 'op', name: p, args: [], span: a.span })), ...(a.via ? { via: a.via } : {}), span: a.span }
    const slots = params.map(() => alloc(s))
    const body = this.value(call, withLocals(s, params.map((p, i) => [p, { kind: 'slot', slot: slots[i]! }])))
    return frameOperator(name, arity, slots, body)
  }

  /** The arguments of a call, as slot writers: values, or operators for operator parameters. */
  private callArgs(e: Extract<Expr, { kind: 'op' }>, params: readonly { name: string; arity: number }[], s: Scope): Compiled[] {
    if (e.args.length !== params.length) {
      this.err('TLA102', `'${e.name}' takes ${params.length} argument${params.length === 1 ? '' : 's'}, not ${e.args.length}`, e.span)
    }
    return e.args.map((a, i) => (params[i]!.arity > 0 ? this.operatorArg(a, s, params[i]!.arity) : this.value(a, s)))
  }

  /** A call of a top-level definition: a fresh frame per call; a constant definition without parameters is computed once. */
  private defCall(e: Extract<Expr, { kind: 'op' }>, entry: Extract<Entry, { kind: 'def' }>, s: Scope): Compiled {
    const args = this.callArgs(e, entry.def.params, s)
    const body = this.defBody(entry, s.reads)
    const span = e.span
    if (args.length === 0) {
      if (body.level === 0) {
        let memo: Value | undefined
        return { ev: (x) => (memo ??= body.run(x, [])), level: 0 }
      }
      if (this.varCount <= MEMO_VARS) return { ev: body.memoized(), level: body.level }
      return { ev: (x) => body.run(x, []), level: body.level }
    }
    const level = maxLevel(body.level, ...args.map((a) => a.level))
    const evs = args.map((a) => a.ev)
    const n = evs.length
    return {
      ev: (x, fr) => {
        // The arguments go straight into the definition's new frame.
        const own = body.frame()
        for (let i = 0; i < n; i++) own[i] = evs[i]!(x, fr)
        try {
          return body.runIn(x, own)
        } catch (err) {
          throw relocated(err, span)
        }
      },
      level,
    }
  }

  /** A definition's body compiled in its own frame; recursion goes through the cache entry, which exists before the body is compiled. */
  private defBody(entry: Extract<Entry, { kind: 'def' }>, reads: Reads): DefBody {
    const key = `ev:${reads}`
    const cached = entry.cache.get(key) as DefBody | undefined
    if (cached) return cached
    const layout: Layout = { size: entry.def.params.length }
    let memo: ((c: Ctx) => Value) | undefined
    const deps = this.deps
    const holder: DefBody & { ev?: Ev; level: Level } = {
      level: 1,
      frame: () => new Array(layout.size),
      runIn: (c, fr) => holder.ev!(c, fr),
      run: (c, args) => {
        const fr = new Array(layout.size)
        for (let i = 0; i < args.length; i++) fr[i] = args[i]
        return holder.ev!(c, fr)
      },
      memoized: () => (memo ??= lastValueMemo(deps, (c) => holder.run(c, []))),
    }
    entry.cache.set(key, holder)
    const locals = new Map<string, Local>()
    entry.def.params.forEach((p, i) => locals.set(p.name, p.arity > 0 ? { kind: 'opslot', slot: i, arity: p.arity } : { kind: 'slot', slot: i }))
    let compiled: Compiled
    try {
      compiled = this.value(entry.def.body, { env: entry.env, locals, layout, reads })
    } catch (e) {
      entry.cache.delete(key)
      throw e
    }
    holder.ev = compiled.ev
    holder.level = compiled.level
    return holder
  }

  /** `f[x \in S] == e`: a function, lazily evaluated (it may be recursive, or over an infinite domain). */
  private fcnDefValue(entry: Extract<Entry, { kind: 'fcndef' }>, reads: Reads): Compiled {
    const key = `fcn:${reads}`
    const cached = entry.cache.get(key) as Compiled | undefined
    if (cached) return cached
    let self: Value | undefined
    const holder = { ev: ((c: Ctx) => fnValue(c)) as Ev, level: 1 as Level }
    entry.cache.set(key, holder)
    const layout: Layout = { size: 0 }
    const scope: Scope = { env: entry.env, locals: NO_LOCALS, layout, reads }
    // A constant function is made once (below) and keeps the values it computes.
    const built = this.fcnConstructor(entry.def.bounds, entry.def.body, scope, entry.def.name, true)
    const fnValue = (c: Ctx): Value => {
      if (built.level === 0) return (self ??= built.ev(c, new Array(layout.size)))
      return built.ev(c, new Array(layout.size))
    }
    holder.level = built.level
    return holder
  }

  private substValue(entry: Extract<Entry, { kind: 'subst' }>, reads: Reads): Compiled {
    const key = `ev:${reads}`
    const cached = entry.cache.get(key) as Compiled | undefined
    if (cached) return cached
    const layout: Layout = { size: 0 }
    const c = this.value(entry.expr, { env: entry.env, locals: NO_LOCALS, layout, reads })
    const out: Compiled = { ev: (x) => c.ev(x, new Array(layout.size)), level: c.level }
    entry.cache.set(key, out)
    return out
  }

  /** `M!Op` and `M(a, b)!Op`: resolves in the instance's environment, pushing the instance's arguments while it runs. */
  private viaInstance<T extends Compiled | Act>(e: Extract<Expr, { kind: 'op' }>, s: Scope, inner: (env: Env, scope: Scope) => T): T {
    let env = s.env
    const pushes: { params: InstanceParams; args: Compiled[] }[] = []
    for (const step of e.via!) {
      const entry = (step === e.via![0] ? (s.locals.get(step.name) ? undefined : env.names.get(step.name)) : env.names.get(step.name))
      if (!entry || entry.kind !== 'instance') return this.err('TLA105', `'${step.name}' is not a module instance`, e.span)
      if (entry.params) {
        if (step.args.length !== entry.params.names.length) this.err('TLA102', `instance '${step.name}' takes ${entry.params.names.length} arguments, not ${step.args.length}`, e.span)
        pushes.push({ params: entry.params, args: step.args.map((a) => this.value(a, s)) })
      }
      env = entry.env
    }
    const compiled = inner(env, { ...s, env, locals: s.locals })
    if (pushes.length === 0) return compiled
    if (typeof compiled === 'function') {
      const act = compiled as Act
      return ((x: Ctx, fr: Frame, k: () => void) => {
        for (const p of pushes) p.params.stack.push(p.args.map((a) => a.ev(x, fr)))
        try {
          act(x, fr, k)
        } finally {
          for (const p of pushes) p.params.stack.pop()
        }
      }) as T
    }
    const c = compiled as Compiled
    return {
      ev: (x: Ctx, fr: Frame) => {
        const frames = pushes.map((p) => p.args.map((a) => a.ev(x, fr)))
        const within = <V>(f: () => V): V => {
          pushes.forEach((p, i) => p.params.stack.push(frames[i]!))
          try {
            return f()
          } finally {
            for (const p of pushes) p.params.stack.pop()
          }
        }
        return keepingParams(within(() => c.ev(x, fr)), within)
      },
      level: maxLevel(1, c.level),
    } as T
  }

  // -------------------------------------------------------------------------------------------
  // LET, bounds, functions, EXCEPT

  private letScope(defs: readonly Definition[], s: Scope, memos?: number[]): Scope {
    let scope = s
    for (const d of defs) {
      if (d.kind === 'instance') this.err('TLA215', 'INSTANCE inside LET is not supported', d.span)
      const slots = d.kind === 'opdef' ? d.params.map(() => alloc(s)) : []
      const memo = memos && d.kind === 'opdef' && d.params.length === 0 ? alloc(s) : undefined
      if (memo !== undefined) memos!.push(memo)
      // The definition sees itself (RECURSIVE) and the earlier ones.
      const local: { kind: 'let'; def: OpDef | FcnDef; scope: Scope; slots: number[]; cache: Map<string, unknown>; memo?: number } = { kind: 'let', def: d, scope, slots, cache: new Map(), ...(memo === undefined ? {} : { memo }) }
      scope = withLocals(scope, [[d.name, local]])
      local.scope = scope
    }
    return scope
  }

  /** A LET expression's scope, and the memo slots its body must clear each time it is entered. */
  private letExpression(defs: readonly Definition[], s: Scope): { scope: Scope; memos: number[] } {
    const memos: number[] = []
    const scope = this.letScope(defs, s, memos)
    return { scope, memos }
  }

  private letCall(e: Extract<Expr, { kind: 'op' }>, local: Extract<Local, { kind: 'let' }>, s: Scope): Compiled {
    const def = local.def
    const reads = s.reads
    if (def.kind === 'fcndef') {
      this.arity(e, 0)
      const key = `fcn:${reads}`
      let c = local.cache.get(key) as Compiled | undefined
      if (!c) {
        const holder: { ev: Ev; level: Level } = { ev: (x, fr) => inner.ev(x, fr), level: 1 }
        local.cache.set(key, holder)
        const inner = this.fcnConstructor(def.bounds, def.body, { ...local.scope, reads }, def.name)
        holder.level = inner.level
        c = holder
      }
      return c
    }
    const args = this.callArgs(e, def.params, s)
    const key = `ev:${reads}`
    let body = local.cache.get(key) as Compiled | undefined
    if (!body) {
      // A constant definition that uses nothing bound around it (LET nbrs == {-1, 0, 1} \X ...)
      // has one value: it is computed once.
      let once = false
      let memo: Value | undefined
      // Otherwise one without parameters and without primes is kept in its memo slot once computed,
      // until its LET is entered again: the names it uses cannot change in between. (In the
      // initial predicate variables are still being assigned, so there it is not kept.)
      let slot: number | undefined
      const holder: { ev: Ev; level: Level } = {
        ev: (x, fr) => {
          if (once) return (memo ??= inner.ev(x, fr))
          if (slot === undefined) return inner.ev(x, fr)
          let v = fr[slot] as Value | undefined
          if (v === undefined) fr[slot] = v = inner.ev(x, fr)
          return v
        },
        level: 1,
      }
      local.cache.set(key, holder)
      const params = withLocals({ ...local.scope, reads }, def.params.map((p, i) => [p.name, p.arity > 0 ? { kind: 'opslot', slot: local.slots[i]!, arity: p.arity } : { kind: 'slot', slot: local.slots[i]! }]))
      const inner = this.value(def.body, params)
      holder.level = inner.level
      once = def.params.length === 0 && inner.level === 0 && !usesAny(def.body, local.scope.locals)
      if (!once && local.memo !== undefined && reads === 'cur' && inner.level <= 1) slot = local.memo
      body = holder
    }
    const slots = local.slots
    if (slots.length === 0) return body
    const b = body
    return {
      ev: (x, fr) => {
        // The body shares the frame of the definition it is local to; a call (perhaps a recursive
        // one) may overwrite any slot of it, so the whole frame is restored afterwards.
        const vals = args.map((a) => a.ev(x, fr))
        const saved = fr.slice()
        for (let i = 0; i < slots.length; i++) fr[slots[i]!] = vals[i]
        try {
          return b.ev(x, fr)
        } finally {
          for (let i = 0; i < saved.length; i++) fr[i] = saved[i]
        }
      },
      level: maxLevel(b.level, ...args.map((a) => a.level)),
    }
  }

  /**
   * Bounds `x \in S, <<a, b>> \in T`: a binder that runs `body` for each combination (in TLC's
   * order: the first bound varies slowest) until it returns false.
   */
  private bounds(bounds: readonly Bound[], s: Scope): { bind: (c: Ctx, f: Frame, body: () => boolean, firstSet?: Value) => boolean; scope: Scope; level: Level } {
    let scope = s
    const steps: { set: Compiled; slots: number[]; tuple: boolean; span: Span }[] = []
    let level: Level = 0
    for (const b of bounds) {
      const set = this.value(b.set, scope === s ? s : scope)
      level = maxLevel(level, set.level)
      const slots = b.names.map(() => alloc(s))
      steps.push({ set, slots, tuple: b.tuple, span: b.set.span })
      scope = withLocals(scope, b.names.map((n, i) => [n, { kind: 'slot', slot: slots[i]! }]))
    }
    const one = steps.length === 1 && !steps[0]!.tuple ? steps[0]! : undefined
    if (one) {
      // The common case, one variable over one set: a plain loop.
      const slot = one.slots[0]!
      const setEv = one.set.ev
      const span = one.span
      const limits = this.limits
      const bindOne = (c: Ctx, f: Frame, body: () => boolean, firstSet?: Value): boolean => {
        const setVal = firstSet !== undefined ? firstSet : setEv(c, f)
        let elems: readonly Value[]
        if (setVal instanceof SetValue) elems = setVal.elems
        else if (setVal instanceof SubsetSet) {
          // SUBSET S is streamed: \E R \in SUBSET S and {R \in SUBSET S : P} never build the powerset.
          let base: readonly Value[]
          try {
            base = setVal.streamable()
          } catch (err) {
            throw relocated(err, span)
          }
          return eachSubset(base, (v) => {
            limits.tick()
            f[slot] = v
            return body()
          })
        } else {
          if (setVal instanceof InfiniteSet || setVal instanceof SeqSet) throw new LocatedError(`TLC encountered a non-enumerable quantifier bound\n${show(setVal)}.`, span)
          try {
            elems = elementsOf(setVal)
          } catch (err) {
            throw relocated(err, span)
          }
        }
        for (let k = 0; k < elems.length; k++) {
          limits.tick()
          f[slot] = elems[k]
          if (!body()) return false
        }
        return true
      }
      return { bind: bindOne, scope, level }
    }
    const limits = this.limits
    const run = (c: Ctx, f: Frame, body: () => boolean, i: number, firstSet: Value | undefined): boolean => {
      if (i === steps.length) return body()
      const st = steps[i]!
      const setVal = i === 0 && firstSet !== undefined ? firstSet : st.set.ev(c, f)
      let elems: readonly Value[]
      if (setVal instanceof SetValue) elems = setVal.elems
      else {
        if (setVal instanceof InfiniteSet || setVal instanceof SeqSet) throw new LocatedError(`TLC encountered a non-enumerable quantifier bound\n${show(setVal)}.`, st.span)
        try {
          elems = elementsOf(setVal)
        } catch (err) {
          throw relocated(err, st.span)
        }
      }
      for (let k = 0; k < elems.length; k++) {
        const v = elems[k]!
        limits.tick()
        if (st.tuple) {
          const t = v instanceof TupleValue ? v : located(() => asFcn(v, 'a tuple pattern’s element'), st.span)
          const slots = st.slots
          if (!(t instanceof TupleValue) || t.elems.length !== slots.length) throw new LocatedError(`${show(v)} does not match the tuple pattern`, st.span)
          for (let j = 0; j < slots.length; j++) f[slots[j]!] = t.elems[j]
        } else f[st.slots[0]!] = v
        if (!run(c, f, body, i + 1, undefined)) return false
      }
      return true
    }
    return { bind: (c, f, body, firstSet) => run(c, f, body, 0, firstSet), scope, level }
  }

  /** The value bound by a CHOOSE or filter pattern: the variable, or the tuple of the pattern's variables. */
  private patternReader(b: Bound, scope: Scope): (f: Frame) => Value {
    const slots = b.names.map((n) => (scope.locals.get(n) as { slot: number }).slot)
    if (!b.tuple) {
      const slot = slots[0]!
      return (f) => f[slot] as Value
    }
    return (f) => new TupleValue(slots.map((sl) => f[sl] as Value))
  }

  /** `[x \in S |-> e]`, and recursive function definitions (`self` names the function inside its body). */
  private fcnConstructor(bounds: readonly Bound[], body: Expr, s: Scope, self: string | undefined, memoConstant = false): Compiled {
    const sets = bounds.map((b) => this.value(b.set, s))
    const slots = bounds.map((b) => b.names.map(() => alloc(s)))
    const selfSlot = self !== undefined ? alloc(s) : -1
    const locals: [string, Local][] = []
    bounds.forEach((b, i) => b.names.forEach((n, j) => locals.push([n, { kind: 'slot', slot: slots[i]![j]! }])))
    if (self !== undefined) locals.push([self, { kind: 'slot', slot: selfSlot }])
    const inner = this.value(body, withLocals(s, locals))
    const single = bounds.length === 1 && (bounds[0]!.tuple || bounds[0]!.names.length === 1)
    const destructure = (f: Frame, t: Value | undefined, sl: readonly number[]): void => {
      if (!(t instanceof TupleValue) || t.elems.length !== sl.length) fail(`${t === undefined ? 'nothing' : show(t)} does not match the tuple pattern`)
      for (let j = 0; j < sl.length; j++) f[sl[j]!] = t.elems[j]
    }
    const level = maxLevel(inner.level, ...sets.map((x) => x.level))
    // A constant function's value at an argument depends on nothing else.
    const memo = memoConstant && level === 0
    const deps = this.deps
    const bindArg = (f: Frame, arg: Value): void => {
      if (single) {
        if (bounds[0]!.tuple) destructure(f, arg, slots[0]!)
        else f[slots[0]![0]!] = arg
        return
      }
      const parts = arg instanceof TupleValue ? arg.elems : fail(`${show(arg)} is not a tuple of the function's arguments`)
      let k = 0
      bounds.forEach((b, i) => {
        if (b.tuple) destructure(f, parts[k++], slots[i]!)
        else slots[i]!.forEach((sl) => (f[sl] = parts[k++]))
      })
    }
    // `[x \in S |-> e]` over a finite S: the body is evaluated for each element in one copy of the
    // frame, x's slot rebound each time, as a quantifier does; a closure the body makes over the
    // frame (`Deps.impure`) keeps that copy, and the next element gets a new one.
    const plainSlot = single && !bounds[0]!.tuple && self === undefined && !memo ? slots[0]![0]! : -1
    const plainSet = sets[0]!.ev
    const plainBody = inner.ev
    return {
      ev: (c, f) => {
        if (plainSlot >= 0) {
          const d = plainSet(c, f)
          if (d instanceof SetValue || (d instanceof LazySet && !(d instanceof InfiniteSet) && !(d instanceof SeqSet))) {
            const dom = enumerate(d).elems
            const vals: Value[] = new Array(dom.length)
            let fr = f.slice()
            for (let i = 0; i < dom.length; i++) {
              fr[plainSlot] = dom[i]
              const impure = deps.impure
              vals[i] = plainBody(c, fr)
              if (deps.impure !== impure) fr = f.slice()
            }
            return makeFcn(dom, vals)
          }
        }
        const domains = sets.map((x) => x.ev(c, f))
        const domain: Value = single ? domains[0]! : new ProductSet(bounds.flatMap((b, i) => (b.tuple ? [domains[i]!] : b.names.map(() => domains[i]!))))
        const at = (arg: Value): Value => {
          const fr = f.slice()
          bindArg(fr, arg)
          if (selfSlot >= 0) fr[selfSlot] = lazy
          if (!memo) return inner.ev(c, fr)
          const impure = deps.impure
          const v = inner.ev(c, fr)
          if (deps.impure === impure) lazy.remember(arg, v)
          return v
        }
        const lazy = new LazyFcn(domain, at, memo)
        if (self !== undefined || domain instanceof InfiniteSet || domain instanceof SeqSet) {
          // A closure over this context: no definition computed from it may be kept.
          deps.impure++
          return lazy
        }
        return lazy.force()
      },
      level,
    }
  }

  private except(e: Extract<Expr, { kind: 'except' }>, s: Scope): Compiled {
    const target = this.value(e.target, s)
    const atSlot = alloc(s)
    const inner = withLocals(s, [['@', { kind: 'at', slot: atSlot }]])
    const updates = e.updates.map((u) => ({
      path: u.path.map((p): { field: string } | { args: Compiled[] } => (p.kind === 'field' ? { field: p.name } : { args: p.args.map((a) => this.value(a, s)) })),
      value: this.value(u.value, inner),
    }))
    const span = e.span
    const level = maxLevel(target.level, ...updates.map((u) => u.value.level), ...updates.flatMap((u) => u.path.flatMap((p) => ('args' in p ? p.args.map((a) => a.level) : []))))
    return {
      ev: (c, f) => {
        let result = target.ev(c, f)
        for (let j = 0; j < updates.length; j++) {
          const u = updates[j]!
          const path = u.path
          const keys: Value[] = new Array(path.length)
          for (let i = 0; i < path.length; i++) {
            const p = path[i]!
            keys[i] = 'field' in p ? p.field : p.args.length === 1 ? p.args[0]!.ev(c, f) : new TupleValue(p.args.map((a) => a.ev(c, f)))
          }
          const value = u.value.ev
          try {
            result = updateAt(result, keys, 0, (old) => {
              f[atSlot] = old
              return value(c, f)
            })
          } catch (err) {
            throw relocated(err, span)
          }
        }
        return result
      },
      level,
    }
  }

  // -------------------------------------------------------------------------------------------
  // Actions

  /**
   * Compiles `e` as an action: its closure calls `k` once per way the (partial) next state can be
   * completed. With `init`, `e` is the initial predicate and unprimed variables are assigned.
   *
   * This follows TLC's successor computation exactly, because its "states generated" counts every
   * way: conjunctions are taken in order, disjunctions and `\E` fork whatever their level (so two
   * true guards in a disjunction give the same successor twice), definitions are expanded, and
   * once every variable is assigned the remaining conjuncts are only evaluated.
   */
  action(e: Expr, s: Scope, init: boolean): Act {
    const guard = (): Act => {
      const c = this.value(e, s)
      const span = e.span
      const what = init ? 'the initial predicate' : 'an action'
      const act: Act = (x, fr, k) => {
        if (bool(c.ev(x, fr), span, what)) k()
      }
      this.guards.set(act, { ev: c.ev, span, what })
      return act
    }
    switch (e.kind) {
      case 'conj': {
        const acts = e.items.map((i) => this.action(i, s, init))
        const vals = e.items.map((i) => ({ c: this.value(i, s), span: i.span }))
        const what = init ? 'a conjunct of the initial predicate' : 'a conjunct of an action'
        const n = this.varCount
        const step = (i: number): Act => {
          if (i === acts.length) return (_x, _fr, k) => k()
          const head = acts[i]!
          const rest = step(i + 1)
          // A conjunct that assigns nothing is tested in place, without a continuation.
          const g = this.guards.get(head)
          if (g) {
            const test = g.ev
            const span = g.span
            const gwhat = g.what
            if (i === 0) {
              return (x, fr, k) => {
                if (bool(test(x, fr), span, gwhat)) rest(x, fr, k)
              }
            }
            return (x, fr, k) => {
              if (!allAssigned(x.next, n)) {
                if (bool(test(x, fr), span, gwhat)) rest(x, fr, k)
                return
              }
              for (let j = i; j < vals.length; j++) if (!bool(vals[j]!.c.ev(x, fr), vals[j]!.span, what)) return
              k()
            }
          }
          // An assignment goes on with the rest itself; whether all is assigned, `rest` asks.
          const assigns = this.assignments.get(head)
          if (assigns) return assignThen(assigns, rest)
          if (i === 0) return (x, fr, k) => head(x, fr, () => rest(x, fr, k))
          return (x, fr, k) => {
            if (!allAssigned(x.next, n)) return head(x, fr, () => rest(x, fr, k))
            for (let j = i; j < vals.length; j++) if (!bool(vals[j]!.c.ev(x, fr), vals[j]!.span, what)) return
            k()
          }
        }
        return step(0)
      }
      case 'disj': {
        const items = e.items.map((i) => this.action(i, s, init))
        return (x, fr, k) => {
          for (let i = 0; i < items.length; i++) items[i]!(x, fr, k)
        }
      }
      case 'quant': {
        const { bind, scope } = this.bounds(e.bounds, s)
        const body = this.action(e.body, scope, init)
        if (e.quantifier === 'E') {
          return (x, fr, k) => {
            bind(x, fr, () => {
              body(x, fr, k)
              return true
            })
          }
        }
        // \A x \in S : A(x) as an action: the conjunction A(s1) /\ A(s2) /\ ... in S's order.
        const slots = e.bounds.flatMap((b) => b.names.map((n) => (scope.locals.get(n) as { slot: number }).slot))
        return (x, fr, k) => {
          const combos: unknown[][] = []
          bind(x, fr, () => {
            combos.push(slots.map((sl) => fr[sl]))
            return true
          })
          const run = (i: number): void => {
            if (i === combos.length) return k()
            const combo = combos[i]!
            slots.forEach((sl, j) => (fr[sl] = combo[j]))
            body(x, fr, () => {
              const mine = slots.map((sl) => fr[sl])
              try {
                run(i + 1)
              } finally {
                slots.forEach((sl, j) => (fr[sl] = mine[j]))
              }
            })
          }
          run(0)
        }
      }
      case 'if': {
        const cond = this.value(e.cond, s)
        const th = this.action(e.then, s, init)
        const el = this.action(e.else, s, init)
        const span = e.cond.span
        return (x, fr, k) => (bool(cond.ev(x, fr), span, 'the condition of IF') ? th(x, fr, k) : el(x, fr, k))
      }
      case 'case': {
        const arms = e.arms.map((a) => ({ g: this.value(a.guard, s), b: this.action(a.body, s, init), span: a.guard.span }))
        const other = e.other ? this.action(e.other, s, init) : undefined
        const span = e.span
        return (x, fr, k) => {
          for (const a of arms) if (bool(a.g.ev(x, fr), a.span, 'a CASE guard')) return a.b(x, fr, k)
          if (other) return other(x, fr, k)
          throw new LocatedError('no CASE guard is true, and there is no OTHER arm', span)
        }
      }
      case 'let': {
        const { scope, memos } = this.letExpression(e.defs, s)
        const body = this.action(e.body, scope, init)
        if (memos.length === 0) return body
        return (x, fr, k) => {
          for (let i = 0; i < memos.length; i++) fr[memos[i]!] = undefined
          body(x, fr, k)
        }
      }
      case 'label':
        return this.action(e.body, s, init)
      case 'step': {
        const a = this.action(e.action, s, init)
        if (e.stutter) {
          const unchanged = this.unchanged(e.sub, s)
          return (x, fr, k) => {
            a(x, fr, k)
            unchanged(x, fr, k)
          }
        }
        const cur = this.value(e.sub, s)
        const nxt = this.value(e.sub, { ...s, reads: 'next' })
        return (x, fr, k) =>
          a(x, fr, () => {
            if (!equals(cur.ev(x, fr), nxt.ev(x, fr))) k()
          })
      }
      case 'op':
        return this.opAction(e, s, init, guard)
      default:
        return guard()
    }
  }

  private opAction(e: Extract<Expr, { kind: 'op' }>, s: Scope, init: boolean, guard: () => Act): Act {
    if (e.via && e.via.length > 0) return this.viaInstance(e, s, (env, scope) => this.opAction({ ...e, via: undefined }, { ...scope, env }, init, guard))
    // x' = e and x' \in S (in the initial predicate: x = e and x \in S)
    if ((e.name === '=' || e.name === '\\in') && e.args.length === 2) {
      const target = this.assignable(e.args[0]!, s, init)
      if (target !== undefined) {
        const rhs = this.value(e.args[1]!, s)
        const span = e.span
        const limits = this.limits
        if (e.name === '=') return this.assignment({ target, rhs: rhs.ev })
        return (x, fr, k) => {
          const set = rhs.ev(x, fr)
          const cur = x.next[target]
          if (cur !== undefined) {
            if (located(() => isMember(cur, set), span)) k()
            return
          }
          try {
            if (set instanceof SubsetSet) {
              const base = located(() => set.streamable(), span)
              eachSubset(base, (v) => {
                limits.tick()
                x.next[target] = v
                k()
                return true
              })
              return
            }
            const elems = located(() => elementsOf(set), span)
            for (const v of elems) {
              limits.tick()
              x.next[target] = v
              k()
            }
          } finally {
            x.next[target] = undefined
          }
        }
      }
      return guard()
    }
    if (e.name === 'UNCHANGED' && e.args.length === 1 && !init) return this.unchanged(e.args[0]!, s)
    if (e.name === '=>' && e.args.length === 2) {
      const cond = this.value(e.args[0]!, s)
      const then = this.action(e.args[1]!, s, init)
      const span = e.args[0]!.span
      return (x, fr, k) => (bool(cond.ev(x, fr), span, 'the left side of =>') ? then(x, fr, k) : k())
    }
    // A definition is expanded: its body is taken as an action, in a new frame (LET: in its slots).
    const local = s.locals.get(e.name)
    if (local?.kind === 'let' && local.def.kind === 'opdef') {
      const def = local.def
      const args = this.callArgs(e, def.params, s)
      const inner = withLocals(local.scope, def.params.map((p, i) => [p.name, p.arity > 0 ? { kind: 'opslot', slot: local.slots[i]!, arity: p.arity } : { kind: 'slot', slot: local.slots[i]! }]))
      const body = this.action(def.body, { ...inner, reads: s.reads }, init)
      const slots = local.slots
      if (slots.length === 0) return body
      return (x, fr, k) => {
        const vals = args.map((a) => a.ev(x, fr))
        const saved = fr.slice()
        const restore = (from: unknown[]): void => {
          for (let i = 0; i < from.length; i++) fr[i] = from[i]
        }
        for (let i = 0; i < slots.length; i++) fr[slots[i]!] = vals[i]
        try {
          body(x, fr, () => {
            const mine = fr.slice()
            restore(saved)
            try {
              k()
            } finally {
              restore(mine)
            }
          })
        } finally {
          restore(saved)
        }
      }
    }
    const entry = local ? undefined : substitutedDefinition(s.env.names.get(e.name), e.args.length)
    if (entry?.kind === 'def' && entry.def.params.length === e.args.length && entry.def.params.every((p) => p.arity === 0) && this.byName(entry.def, e.args, s)) {
      // An argument with primes (`Send(p, d, m, m')`), or one with variables that the body primes
      // or keeps UNCHANGED (`Keep(v) == UNCHANGED v` called as `Keep(y)`), is passed by name, as TLC
      // expands the definition: the body is compiled here with each parameter standing for its
      // argument, so that a primed argument can be assigned.
      let inner: Scope = { env: entry.env, locals: NO_LOCALS, layout: s.layout, reads: s.reads }
      entry.def.params.forEach((p, i) => {
        const def: OpDef = { kind: 'opdef', name: p.name, params: [], body: e.args[i]!, local: true, span: e.args[i]!.span }
        inner = withLocals(inner, [[p.name, { kind: 'let', def, scope: s, slots: [], cache: new Map() }]])
      })
      return this.action(entry.def.body, inner, init)
    }
    if (entry?.kind === 'def') {
      const args = this.callArgs(e, entry.def.params, s).map((a) => a.ev)
      const body = this.defAction(entry, init)
      const inner = body.body()
      const assigns = inner && this.assignments.get(inner)
      const rhs = assigns?.rhs
      if (assigns && rhs) {
        // A definition that assigns one variable (Send(m) == msgs' = msgs \cup {m}): its value is computed in its own frame.
        const target = assigns.target
        return this.assignment({
          target,
          rhs: (x, fr) => {
            const own = body.frame()
            for (let i = 0; i < args.length; i++) own[i] = args[i]!(x, fr)
            return rhs(x, own)
          },
        })
      }
      // The arguments go straight into the definition's new frame.
      return (x, fr, k) => {
        const own = body.frame()
        for (let i = 0; i < args.length; i++) own[i] = args[i]!(x, fr)
        body.run(x, own, k)
      }
    }
    if (entry?.kind === 'subst' && e.args.length === 0) {
      const layout: Layout = { size: 0 }
      const act = this.action(entry.expr, { env: entry.env, locals: NO_LOCALS, layout, reads: s.reads }, init)
      return (x, _fr, k) => act(x, new Array(layout.size), k)
    }
    return guard()
  }

  /** Whether a definition called with `args` in an action must see them by name (see `action`). */
  private byName(def: OpDef, args: readonly Expr[], s: Scope): boolean {
    const levels = args.map((a) => this.value(a, s).level)
    if (levels.some((l) => l === 2)) return true
    return levels.some((l) => l === 1) && primesAny(def.body, new Map(def.params.map((p) => [p.name, p])))
  }

  /** UNCHANGED e, as TLC processes it: a variable is assigned its current value (or compared), a tuple element by element, a definition through its body. */
  private unchanged(e: Expr, s: Scope): Act {
    const i = this.varIndex(e, s)
    if (i !== undefined) return this.assignment({ target: i, rhs: undefined })
    if (e.kind === 'tuple') {
      const parts = e.elems.map((el) => this.unchanged(el, s))
      const step = (j: number): Act => {
        if (j === parts.length) return (_x, _fr, k) => k()
        const head = parts[j]!
        const rest = step(j + 1)
        const assigns = this.assignments.get(head)
        if (assigns) return assignThen(assigns, rest)
        return (x, fr, k) => head(x, fr, () => rest(x, fr, k))
      }
      return step(0)
    }
    if (e.kind === 'op' && e.args.length === 0 && !(e.via && e.via.length > 0) && s.locals.has(e.name)) {
      // A parameter passed by name, or a LET definition without parameters: UNCHANGED its expression.
      const l = s.locals.get(e.name)
      if (l?.kind === 'let' && l.def.kind === 'opdef' && l.def.params.length === 0) return this.unchanged(l.def.body, { ...l.scope, reads: s.reads })
    }
    if (e.kind === 'op' && e.args.length === 0 && !(e.via && e.via.length > 0) && !s.locals.has(e.name)) {
      const entry = s.env.names.get(e.name)
      if (entry?.kind === 'def' && entry.def.params.length === 0) return this.unchanged(entry.def.body, { env: entry.env, locals: NO_LOCALS, layout: s.layout, reads: s.reads })
      if (entry?.kind === 'subst') return this.unchanged(entry.expr, { env: entry.env, locals: NO_LOCALS, layout: s.layout, reads: s.reads })
    }
    if (e.kind === 'op' && e.args.length === 0 && e.via && e.via.length > 0 && e.via.every((v) => v.args.length === 0)) {
      let env = s.env
      for (const step of e.via) {
        const entry = env.names.get(step.name)
        if (!entry || entry.kind !== 'instance') return this.verifyUnchanged(e, s)
        env = entry.env
      }
      return this.unchanged({ ...e, via: undefined }, { ...s, env, locals: NO_LOCALS })
    }
    return this.verifyUnchanged(e, s)
  }

  private verifyUnchanged(e: Expr, s: Scope): Act {
    const cur = this.value(e, s)
    const nxt = this.value(e, { ...s, reads: 'next' })
    return (x, fr, k) => {
      if (equals(cur.ev(x, fr), nxt.ev(x, fr))) k()
    }
  }

  /** `x' = e` (or `UNCHANGED x`) as an action: assigns x' when it is not yet, else compares. */
  private assignment(a: Assignment): Act {
    const act = assignThen(a, (_x, _fr, k) => k())
    this.assignments.set(act, a)
    return act
  }

  private defAction(entry: Extract<Entry, { kind: 'def' }>, init: boolean): DefAction {
    const key = init ? 'act:init' : 'act:next'
    const cached = entry.cache.get(key) as DefAction | undefined
    if (cached) return cached
    const layout: Layout = { size: entry.def.params.length }
    let act: Act | undefined
    const holder: DefAction = {
      frame: () => new Array(layout.size),
      run: (c, fr, k) => act!(c, fr, k),
      body: () => act,
    }
    entry.cache.set(key, holder)
    const locals = new Map<string, Local>()
    entry.def.params.forEach((p, i) => locals.set(p.name, p.arity > 0 ? { kind: 'opslot', slot: i, arity: p.arity } : { kind: 'slot', slot: i }))
    try {
      act = this.action(entry.def.body, { env: entry.env, locals, layout, reads: init ? 'next' : 'cur' }, init)
    } catch (e) {
      entry.cache.delete(key)
      throw e
    }
    return holder
  }

  /** The variable index that `x'` (or, in the initial predicate, `x`) names, through substitutions. */
  private assignable(lhs: Expr, s: Scope, init: boolean): number | undefined {
    // A parameter passed by name (see opAction) stands for its argument, which may be x'.
    if (lhs.kind === 'op' && lhs.args.length === 0 && !lhs.via) {
      const l = s.locals.get(lhs.name)
      if (l?.kind === 'let' && l.def.kind === 'opdef' && l.def.params.length === 0) return this.assignable(l.def.body, { ...l.scope, reads: s.reads }, init)
    }
    let target = lhs
    if (!init) {
      if (target.kind !== 'op' || target.name !== "'" || target.args.length !== 1) return undefined
      target = target.args[0]!
    }
    return this.varIndex(target, s)
  }

  private varIndex(e: Expr, s: Scope): number | undefined {
    if (e.kind !== 'op' || e.args.length > 0 || (e.via && e.via.length > 0)) return undefined
    if (s.locals.has(e.name)) {
      // A parameter passed by name stands for its argument.
      const l = s.locals.get(e.name)
      return l?.kind === 'let' && l.def.kind === 'opdef' && l.def.params.length === 0 ? this.varIndex(l.def.body, { ...l.scope, reads: s.reads }) : undefined
    }
    const entry = s.env.names.get(e.name)
    if (entry?.kind === 'var') return entry.index
    if (entry?.kind === 'subst') return this.varIndex(entry.expr, { env: entry.env, locals: NO_LOCALS, layout: { size: 0 }, reads: s.reads })
    return undefined
  }

}

// ---------------------------------------------------------------------------------------------
// Helpers

/**
 * An operator value whose body runs in the frame it was made in, its parameters in `slots`. A call
 * (perhaps a recursive one) may overwrite any slot of that frame, so the whole frame is restored.
 */
function frameOperator(name: string, arity: number, slots: readonly number[], body: Compiled): Compiled {
  return {
    ev: (x, fr) =>
      ({
        name,
        arity,
        call: (args: Value[]) => {
          const saved = fr.slice()
          slots.forEach((sl, i) => (fr[sl] = args[i]))
          try {
            return body.ev(x, fr)
          } finally {
            for (let i = 0; i < saved.length; i++) fr[i] = saved[i]
          }
        },
      }) as unknown as Value,
    level: 0,
  }
}

/** Whether an expression mentions any of these names (or @), anywhere in it. */
/** Whether `e` is the literal `{}`. */
function isEmptySet(e: Expr): boolean {
  return e.kind === 'setEnum' && e.elems.length === 0
}

/** The value of a Boolean, number or string literal; undefined for any other expression. */
function literalOf(e: Expr): boolean | number | string | undefined {
  return e.kind === 'num' || e.kind === 'str' || e.kind === 'bool' ? e.value : undefined
}

/** The kinds of expression `Compiler.value` computes once when they are constant. */
const HOISTED: ReadonlySet<Expr['kind']> = new Set<Expr['kind']>(['op', 'if', 'case', 'let', 'quant', 'choose', 'setEnum', 'setFilter', 'setMap', 'fcn', 'fcnSet', 'record', 'recordSet', 'dot', 'apply', 'except', 'tuple'])

/**
 * `ev` of a constant expression, computed at its first successful evaluation and kept; not kept
 * when that evaluation made a closure over its frame (`Deps.impure`), which is then computed each time.
 */
function constantOnce(ev: Ev, deps: Deps): Ev {
  let kept = false
  let value: Value = false
  let off = false
  return (c, f) => {
    if (kept) return value
    if (off) return ev(c, f)
    const impure = deps.impure
    const v = ev(c, f)
    if (deps.impure !== impure) off = true
    else {
      value = v
      kept = true
    }
    return v
  }
}

/** Whether `e` primes one of `names`, or takes it in UNCHANGED or ENABLED. */
function primesAny(e: unknown, names: ReadonlyMap<string, unknown>): boolean {
  if (Array.isArray(e)) return e.some((x) => primesAny(x, names))
  if (typeof e !== 'object' || e === null) return false
  const node = e as { kind?: unknown; name?: unknown; args?: unknown }
  if (node.kind === 'op' && (node.name === "'" || node.name === 'UNCHANGED' || node.name === 'ENABLED') && usesAny(node.args, names)) return true
  for (const [k, v] of Object.entries(node)) if (k !== 'span' && typeof v === 'object' && primesAny(v, names)) return true
  return false
}

function usesAny(e: unknown, names: ReadonlyMap<string, unknown>): boolean {
  if (Array.isArray(e)) return e.some((x) => usesAny(x, names))
  if (typeof e !== 'object' || e === null) return false
  const node = e as { kind?: unknown; name?: unknown; span?: unknown }
  if ((node.kind === 'op' && typeof node.name === 'string' && names.has(node.name)) || node.kind === 'at') return true
  for (const [k, v] of Object.entries(node)) if (k !== 'span' && typeof v === 'object' && usesAny(v, names)) return true
  return false
}

/**
 * A definition without parameters kept for its last inputs: the value is computed again only when
 * a variable the last computation read (in the state, or primed in the next state) is no longer
 * the same value object. A computation that read something else (`Deps.impure`) is not kept.
 * Within one state's successors, and across states that share values, a definition such as
 * `totalOrders'` under a quantifier over another variable is then computed once.
 */
function lastValueMemo(deps: Deps, compute: (c: Ctx) => Value): (c: Ctx) => Value {
  let kept = false
  let value: Value = false
  let curMask = 0
  let nextMask = 0
  let curVars: number[] = []
  let nextVars: number[] = []
  const curVals: Value[] = []
  const nextVals: Value[] = []
  // Where it seldom pays (a definition of what each step changes), it is given up.
  let calls = 0
  let hits = 0
  let off = false
  return (c) => {
    if (off) return compute(c)
    if (kept) {
      let same = true
      for (let j = 0; j < curVars.length; j++) {
        if (c.state[curVars[j]!] !== curVals[j]) {
          same = false
          break
        }
      }
      if (same) {
        for (let j = 0; j < nextVars.length; j++) {
          if (c.next[nextVars[j]!] !== nextVals[j]) {
            same = false
            break
          }
        }
      }
      if (same) {
        hits++
        deps.cur |= curMask
        deps.next |= nextMask
        return value
      }
    }
    if (++calls === MEMO_TRIAL && hits * 8 < calls) {
      off = true
      kept = false
    }
    const outerCur = deps.cur
    const outerNext = deps.next
    const impure = deps.impure
    deps.cur = 0
    deps.next = 0
    let v: Value
    let cur = 0
    let next = 0
    try {
      v = compute(c)
    } finally {
      cur = deps.cur
      next = deps.next
      deps.cur = outerCur | cur
      deps.next = outerNext | next
    }
    // All variables read (ENABLED) or something outside the state: not kept.
    if (off || deps.impure !== impure || cur === -1) {
      kept = false
      return v
    }
    if (cur !== curMask) curVars = bitsOf((curMask = cur))
    if (next !== nextMask) nextVars = bitsOf((nextMask = next))
    for (let j = 0; j < curVars.length; j++) curVals[j] = c.state[curVars[j]!]!
    for (let j = 0; j < nextVars.length; j++) nextVals[j] = c.next[nextVars[j]!]!
    value = v
    kept = true
    return v
  }
}

/** Calls of a kept definition after which it is given up if fewer than one in eight were answered from the kept value. */
const MEMO_TRIAL = 4096

function bitsOf(mask: number): number[] {
  const out: number[] = []
  for (let i = 0; i < MEMO_VARS; i++) if (mask & (1 << i)) out.push(i)
  return out
}

/** An action that assigns one variable: `rhs` in the action's frame, or its current value (UNCHANGED) when undefined. */
interface Assignment {
  readonly target: number
  readonly rhs: Ev | undefined
}

/**
 * The assignment, then `rest` in the same frame: x' is given the value when it has none (and
 * loses it again afterwards), else the value must equal it.
 */
function assignThen(a: Assignment, rest: Act): Act {
  const { target, rhs } = a
  return (x, fr, k) => {
    const v = rhs === undefined ? x.state[target]! : rhs(x, fr)
    const cur = x.next[target]
    if (cur === undefined) {
      x.next[target] = v
      try {
        rest(x, fr, k)
      } finally {
        x.next[target] = undefined
      }
    } else if (equals(cur, v)) rest(x, fr, k)
  }
}

/** Sets of at least this many elements, not all of them Booleans, numbers and strings, are looked up by hash. */
const HASHED_LOOKUP = 8

/**
 * Membership in a normalized set, by lookup: in a JS Set when its elements are Booleans, numbers
 * and strings (an element that is none of these equals none of them), else by the elements' hashes
 * (value-hash.ts) for a large set, each candidate compared; null for any other set.
 */
function memberTest(set: Value, hasher: ValueHasher): ((v: Value) => boolean) | null {
  if (!(set instanceof SetValue)) return null
  const elems = set.elems
  if (elems.every((el) => typeof el !== 'object')) {
    const prims = new Set<Value>(elems)
    return (v) => prims.has(v)
  }
  if (elems.length < HASHED_LOOKUP) return (v) => isMember(v, set)
  const key = (v: Value): number => {
    hasher.hash(v)
    return hasher.h0 ^ hasher.h1
  }
  const byKey = new Map<number, Value[]>()
  for (const el of elems) {
    const k = key(el)
    const same = byKey.get(k)
    if (same) same.push(el)
    else byKey.set(k, [el])
  }
  return (v) => {
    const same = byKey.get(key(v))
    if (same === undefined) return false
    for (let i = 0; i < same.length; i++) if (equals(same[i]!, v)) return true
    return false
  }
}

function allAssigned(next: readonly (Value | undefined)[], n: number): boolean {
  for (let i = 0; i < n; i++) if (next[i] === undefined) return false
  return true
}

function bool(v: Value, span: Span, what: string): boolean {
  if (typeof v === 'boolean') return v
  throw new LocatedError(`${what} must be a Boolean, not ${show(v)}`, span)
}

/** Runs `f`, giving an EvalError without a location the location `span`. */
export function located<T>(f: () => T, span: Span): T {
  try {
    return f()
  } catch (e) {
    throw relocated(e, span)
  }
}

/** An error from evaluating the expression at `span`, with that location if it had none (for hot paths, which catch it themselves rather than make a closure for `located`). */
function relocated(e: unknown, span: Span): unknown {
  if (e instanceof EvalError) return new LocatedError(e.message, span)
  if (e instanceof Error && e.name === 'AssertionFailed') return new LocatedError(e.message, span, true)
  return e
}

/** [f EXCEPT ![k1][k2] = g(@)]: f unchanged where a key is outside the domain, as TLC leaves it. */
function updateAt(f: Value, keys: readonly Value[], i: number, g: (old: Value) => Value): Value {
  if (i === keys.length) return g(f)
  const fn = asFcn(f, 'the target of EXCEPT')
  const key = keys[i]!
  if (fn instanceof TupleValue) {
    if (typeof key !== 'number' || key < 1 || key > fn.elems.length) return fn
    const elems = fn.elems.slice()
    elems[key - 1] = updateAt(elems[key - 1]!, keys, i + 1, g)
    return new TupleValue(elems)
  }
  // The domain stays the same, and so does the kind of function.
  if (fn instanceof RecordValue) {
    const idx = typeof key === 'string' ? fn.keys.indexOf(key) : -1
    if (idx < 0) return fn
    const vals = fn.vals.slice()
    vals[idx] = updateAt(vals[idx]!, keys, i + 1, g)
    return new RecordValue(fn.keys, vals)
  }
  const idx = indexInDomain(fn.dom, key)
  if (idx < 0) return fn
  const vals = fn.vals.slice()
  vals[idx] = updateAt(vals[idx]!, keys, i + 1, g)
  return new FcnValue(fn.dom, vals)
}

function unknownHint(name: string): string | undefined {
  const modules: Record<string, string> = { Len: 'Sequences', Append: 'Sequences', Seq: 'Sequences', Cardinality: 'FiniteSets', Nat: 'Naturals', Int: 'Integers' }
  return modules[name] ? `'${name}' comes from the ${modules[name]} module: EXTENDS ${modules[name]}` : undefined
}

/**
 * A value made inside an instance with parameters that is computed further only when used (a
 * function's values, a filtered set's members) reads the parameters then: it keeps the arguments
 * it was made with (`within` runs its argument with them in place).
 */
function keepingParams(v: Value, within: <V>(f: () => V) => V): Value {
  if (v instanceof LazyFcn) return new LazyFcn(v.domain, (arg) => within(() => v.apply(arg)))
  if (v instanceof FilteredSet) return new FilteredSet(v.base, (e) => within(() => v.pred(e)))
  return v
}
