/**
 * The TLA+ pipeline: parse the spec and the modules it uses, build its module structure, bind the
 * cfg's constants, lower Init, Next and the checks to closures, and assemble a `TlaModel`.
 */
import { error, hasErrors, type Diagnostic } from '../../diag/diagnostic.js'
import { nearestName } from '../../diag/suggest.js'
import type { Span } from '../../diag/span.js'
import type { Expr, Module } from './ast.js'
import type { OpValue } from './builtins.js'
import { parseCfg, parseCfgValue, type Cfg, type CfgValue } from './cfg.js'
import { CompileError, Compiler, LocatedError, type Ctx, type Entry, type Env } from './compile.js'
import { TlaModel, type TlaAction, type TlaPredicate, type TlaState } from './model.js'
import { TemporalLowering, type TemporalParts } from './temporal.js'
import { explainTlaPredicate } from './explain.js'
import { buildStructure } from './modules.js'
import { parseTla, type TlaGrammar } from './parse.js'
import { permutationGroup, type Perm } from './symmetry.js'
import { equals, EvalError, ModelValue, makeSet, NameTable, show, TupleValue, type Value } from './values.js'

export interface TlaSource {
  readonly name: string
  readonly text: string
}

export interface TlaLoadInput {
  readonly grammar: TlaGrammar
  readonly file: string
  readonly text: string
  /** The cfg, or undefined when there is none (then only ASSUMEs are checked). */
  readonly cfg?: TlaSource
  /** Reads `Name.tla` from the spec's folder. */
  readonly readModule: (name: string) => TlaSource | undefined
  /** `-D NAME=VALUE`: overrides a constant's value from the cfg. */
  readonly constants?: Readonly<Record<string, string | number | boolean>>
}

export interface TlaLoaded {
  readonly model?: TlaModel
  readonly diagnostics: readonly Diagnostic[]
  /** CHECK_DEADLOCK from the cfg. */
  readonly checkDeadlock?: boolean
  /** The files read, for diagnostics. */
  readonly sources: readonly TlaSource[]
}

export function loadTla(input: TlaLoadInput): TlaLoaded {
  const diagnostics: Diagnostic[] = []
  const sources: TlaSource[] = [{ name: input.file, text: input.text }]
  const parsed = parseTla(input.grammar, input.file, input.text)
  diagnostics.push(...parsed.diagnostics)
  if (!parsed.value || hasErrors(diagnostics)) return { diagnostics, sources }
  const [root, ...others] = parsed.value
  const known = new Map<string, Module>()
  const register = (m: Module): void => {
    if (!known.has(m.name)) known.set(m.name, m)
    for (const inner of m.inner) register(inner)
  }
  register(root!)
  for (const m of others) register(m)
  const find = (name: string): Module | undefined => {
    const have = known.get(name)
    if (have) return have
    const src = input.readModule(name)
    if (!src) return undefined
    sources.push(src)
    const p = parseTla(input.grammar, src.name, src.text)
    diagnostics.push(...p.diagnostics)
    if (!p.value) return undefined
    for (const m of p.value) register(m)
    return known.get(name)
  }
  const structure = buildStructure(root!, { find }, diagnostics)
  if (hasErrors(diagnostics)) return { diagnostics, sources }

  let cfg: Cfg | undefined
  if (input.cfg) {
    sources.push(input.cfg)
    const c = parseCfg(input.cfg.name, input.cfg.text)
    diagnostics.push(...c.diagnostics)
    if (!c.value) return { diagnostics, sources }
    cfg = c.value
  }

  const compiler = new Compiler(structure.variables.length)
  const guard = <T>(f: () => T): T | undefined => {
    try {
      return f()
    } catch (e) {
      if (e instanceof CompileError) diagnostics.push(e.diagnostic)
      else if (e instanceof LocatedError) diagnostics.push(error('TLA300', e.message, { span: e.span }))
      else if (e instanceof EvalError) diagnostics.push(error('TLA300', e.message, { file: input.file }))
      else throw e
      return undefined
    }
  }

  // Constants: values, model values and substitutions from the cfg, then -D.
  const root_ = structure.root
  const modelValues = new Map<string, ModelValue>()
  /** The strings and model values the cfg and -D give, for the name table of state bytes. */
  const cfgNames = new Set<string>()
  const toValue = (v: CfgValue): Value => {
    switch (v.kind) {
      case 'int':
        return v.value
      case 'str':
        cfgNames.add(v.value)
        return v.value
      case 'bool':
        return v.value
      case 'model': {
        cfgNames.add(v.name)
        let mv = modelValues.get(v.name)
        if (!mv) modelValues.set(v.name, (mv = new ModelValue(v.name)))
        return mv
      }
      case 'set':
        return makeSet(v.elems.map(toValue))
      case 'tuple':
        return new TupleValue(v.elems.map(toValue))
    }
  }
  // First what replaces a definition (a value, or another definition), everywhere it is used;
  // then the constants given by a definition, whose values may use the replaced ones.
  const substitutions: Extract<NonNullable<Cfg['constants']>[number], { kind: 'substitute' }>[] = []
  const replace = (name: string, entry: Entry): void => {
    for (const env of structure.envs) {
      const have = env.names.get(name)
      if (have === undefined || have.kind === 'def' || have.kind === 'fcndef' || env === root_) env.names.set(name, entry)
    }
  }
  for (const c of cfg?.constants ?? []) {
    const entry = root_.names.get(c.name)
    if (c.kind === 'substitute') {
      if (entry?.kind !== 'const') {
        const by = findDefinition(structure.envs, c.by, c.module)
        if (by) replace(c.name, by.entry)
      }
      substitutions.push(c)
      continue
    }
    if (c.module !== undefined) {
      // `Name = [M] value`: the definition Name of module M (and of the modules M extends), wherever it is used.
      const owner = known.get(c.module)
      const defs = owner ? moduleDefinitions(owner, known) : undefined
      if (!defs) {
        diagnostics.push(error('TLA131', `the cfg gives a value to '${c.name}' in module ${c.module}, which the spec does not use`, { span: c.span }))
        continue
      }
      const value: Entry = { kind: 'const', name: c.name, arity: 0, span: c.span, value: toValue(c.value) }
      let found = false
      for (const env of structure.envs) {
        const have = env.names.get(c.name)
        if ((have?.kind === 'def' || have?.kind === 'fcndef') && defs.has(have.def)) {
          env.names.set(c.name, value)
          found = true
        }
      }
      if (!found) diagnostics.push(error('TLA131', `the cfg gives a value to '${c.name}' in module ${c.module}, which defines no '${c.name}'`, { span: c.span }))
      continue
    }
    if (entry?.kind === 'const') entry.value = toValue(c.value)
    // TLC accepts a value for a definition (the definition is replaced), and model values named
    // in the cfg that the spec does not declare.
    else if (entry?.kind === 'def' || entry?.kind === 'fcndef') replace(c.name, { kind: 'const', name: c.name, arity: 0, span: c.span, value: toValue(c.value) })
  }
  for (const c of substitutions) {
    const entry = root_.names.get(c.name)
    const by = findDefinition(structure.envs, c.by, c.module)
    if (!by) {
      diagnostics.push(error('TLA131', `the cfg substitutes '${c.by}' for '${c.name}', but the spec defines no '${c.by}'${c.module ? ` in module ${c.module}` : ''}`, { span: c.span }))
      continue
    }
    if (entry?.kind !== 'const') continue
    if (entry.arity === 0) {
      const v = guard(() => compiler.constantValue(by.env, c.by, c.span))
      if (v !== undefined) entry.value = v
    } else {
      const op = guard(() => operatorValue(compiler, by.env, c.by, entry.arity, c.span))
      if (op !== undefined) entry.value = op
      // Calls are expanded as the definition's, as TLC expands them: `Send(p, d, m, m')` in an
      // action then assigns m' through the substituted definition.
      if (by.entry.kind === 'def' && by.entry.def.params.length === entry.arity) {
        for (const env of structure.envs) if (env.names.get(c.name) === entry) env.names.set(c.name, by.entry)
      }
    }
  }
  for (const [name, raw] of Object.entries(input.constants ?? {})) {
    const entry = root_.names.get(name)
    if (!entry || entry.kind !== 'const') {
      diagnostics.push(error('TLA132', `-D ${name}: the spec declares no constant '${name}'`, { file: input.file }))
      continue
    }
    // Read as the cfg reads a value: numbers, strings, Booleans, model values, sets and tuples.
    if (typeof raw !== 'string') {
      entry.value = raw
      continue
    }
    const parsed = parseCfgValue(`-D ${name}`, raw)
    if (parsed.value) entry.value = toValue(parsed.value)
    else for (const d of parsed.diagnostics) diagnostics.push(error('TLA022', `-D ${name}=${raw}: ${d.message}${d.span ? ` (at column ${d.span.start + 1})` : ''}`, { file: input.file }))
  }
  if (cfg) {
    for (const c of structure.constants) {
      if (c.value === undefined) diagnostics.push(error('TLA133', `the constant '${c.name}' has no value in the cfg`, { span: c.span, hint: `add it to the cfg: CONSTANT ${c.name} = ...` }))
    }
  }
  if (hasErrors(diagnostics)) return { diagnostics, sources }

  // ASSUME: each must hold, as TLC checks before it starts.
  for (const a of structure.assumptions) {
    const v = guard(() => compiler.topValue(a.env, a.expr).ev({ state: [], next: [] }))
    if (v === undefined) continue
    if (v !== true) diagnostics.push(error('TLA134', `an assumption is ${v === false ? 'false' : `not a Boolean (${show(v)})`}`, { span: a.expr.span }))
  }
  if (hasErrors(diagnostics)) return { diagnostics, sources }

  const name = root!.name
  const variables = structure.variables.map((v) => v.name)
  const noBehaviour = !cfg || (!cfg.init && !cfg.next && !cfg.specification)
  if (noBehaviour) {
    // Only the assumptions are checked: a model with no states at all.
    const none: TlaAction = { name: 'Init', span: root!.span, run: () => {} }
    return { model: new TlaModel({ name, variables, init: none, actions: [], invariants: [], constraints: [], actionConstraints: [] }), diagnostics, sources }
  }

  const named = (n: { name: string; span: Span }, what: string): { env: Env; expr: Expr } | undefined => {
    const entry = root_.names.get(n.name)
    if (!entry || (entry.kind !== 'def' && entry.kind !== 'const' && entry.kind !== 'fcndef')) {
      const near = nearestName(n.name, [...root_.names.entries()].filter(([, x]) => x.kind === 'def' || x.kind === 'const' || x.kind === 'fcndef').map(([k]) => k))
      diagnostics.push(error('TLA135', `the cfg names ${what} '${n.name}', which the spec does not define`, { span: n.span, ...(near ? { hint: `did you mean '${near}'?` } : {}) }))
      return undefined
    }
    return { env: entry.kind === 'def' ? entry.env : root_, expr: { kind: 'op', name: n.name, args: [], span: n.span } }
  }

  // The behaviour: INIT and NEXT, or SPECIFICATION Init /\ [][Next]_v /\ fairness.
  let initExpr: { env: Env; expr: Expr } | undefined
  let nextExpr: { env: Env; expr: Expr } | undefined
  if (cfg!.specification) {
    const spec = named(cfg!.specification, 'the specification')
    if (spec) {
      const parts = guard(() => splitSpec(compiler, spec.env, spec.expr))
      if (parts) {
        if (!parts.init) diagnostics.push(error('TLA136', `the specification '${cfg!.specification.name}' has no initial predicate`, { span: cfg!.specification.span }))
        if (!parts.next) diagnostics.push(error('TLA136', `the specification '${cfg!.specification.name}' has no [][Next]_vars conjunct`, { span: cfg!.specification.span }))
        initExpr = parts.init
        nextExpr = parts.next
      }
    }
  } else {
    if (!cfg!.init || !cfg!.next) diagnostics.push(error('TLA136', 'the cfg needs SPECIFICATION, or both INIT and NEXT', { file: cfg!.file }))
    if (cfg!.init) initExpr = named(cfg!.init, 'the initial predicate')
    if (cfg!.next) nextExpr = named(cfg!.next, 'the next-state relation')
  }
  if (hasErrors(diagnostics) || !initExpr || !nextExpr) return { diagnostics, sources }

  const init = guard(() => {
    const run = compiler.topAction(initExpr!.env, initExpr!.expr, true)
    return { name: 'the initial predicate', span: initExpr!.expr.span, run } as TlaAction
  })
  const actions = guard(() =>
    splitNext(compiler, nextExpr!.env, nextExpr!.expr).map((a) => ({ name: a.name, span: actionSpan(a.env, a.expr), run: compiler.topAction(a.env, a.expr, false), ...processOf(compiler, a.env, a.expr, a.name) }) as TlaAction),
  )
  const sourceText = (file: string): string | undefined => sources.find((src) => src.name === file)?.text
  const predicate = (n: { name: string; span: Span }, what: string, maxLevel: number): TlaPredicate | undefined => {
    const d = named(n, what)
    if (!d) return undefined
    const compiled = guard(() => compiler.topValue(d.env, d.expr))
    if (!compiled) return undefined
    if (compiled.level > maxLevel) {
      diagnostics.push(error('TLA137', `${what} '${n.name}' is ${compiled.level === 2 ? 'an action' : 'a temporal formula'}, not a state predicate`, { span: n.span }))
      return undefined
    }
    return {
      name: n.name,
      span: n.span,
      ev: compiled.ev,
      explain: (state, level, title) => explainTlaPredicate({ compiler, scope: compiler.formulaScope(d.env), expr: d.expr, state, level, sourceText }, title),
    }
  }
  /** SYMMETRY Perms: a constant set of permutations of model values, and the group it generates. */
  const symmetryGroup = (n: { name: string; span: Span }): Perm[] | undefined => {
    const d = named(n, 'the symmetry set')
    if (!d) return undefined
    const compiled = guard(() => compiler.topValue(d.env, d.expr))
    if (!compiled) return undefined
    if (compiled.level > 0) {
      diagnostics.push(error('TLA141', `the symmetry set '${n.name}' depends on the state; it must be a constant set of permutations`, { span: n.span }))
      return undefined
    }
    const perms = guard(() => compiled.ev({ state: [], next: [] }))
    if (perms === undefined) return undefined
    try {
      return permutationGroup(perms)
    } catch (e) {
      if (!(e instanceof EvalError)) throw e
      diagnostics.push(error('TLA141', `the symmetry set '${n.name}': ${e.message}`, { span: n.span }))
      return undefined
    }
  }
  const invariants = (cfg!.invariants ?? []).map((n) => predicate(n, 'the invariant', 1))
  const constraints = (cfg!.constraints ?? []).map((n) => predicate(n, 'the constraint', 1))
  const actionConstraints = (cfg!.actionConstraints ?? []).map((n) => predicate(n, 'the action constraint', 2))
  const view = cfg!.view ? predicate(cfg!.view, 'the view', 1) : undefined
  const alias = cfg!.alias ? predicate(cfg!.alias, 'the alias', 1) : undefined
  const temporal = lowerTemporal(compiler, cfg!, named, guard, sourceText)
  const symmetry = cfg!.symmetry ? symmetryGroup(cfg!.symmetry) : undefined
  const postcondition = cfg!.postcondition ? predicate(cfg!.postcondition, 'the postcondition', 1) : undefined
  if (hasErrors(diagnostics) || !init || !actions) return { diagnostics, sources }
  const model = new TlaModel({
    name,
    variables,
    names: new NameTable([...cfgNames, ...[...known.values()].flatMap(literalNames)]),
    init,
    actions,
    invariants: invariants as TlaPredicate[],
    constraints: constraints as TlaPredicate[],
    actionConstraints: actionConstraints as TlaPredicate[],
    ...(view ? { view } : {}),
    ...(alias ? { alias, aliasFields: writtenFields(root_, cfg!.alias!.name) } : {}),
    ...(symmetry && symmetry.length > 0 ? { symmetry } : {}),
    ...(postcondition ? { postcondition } : {}),
    tlc: compiler.tlc,
    limits: compiler.limits,
    sourceText,
    checkDeadlock: cfg!.checkDeadlock ?? true,
    ...(temporal ? { temporal } : {}),
  })
  return { model, diagnostics, checkDeadlock: cfg!.checkDeadlock ?? true, sources }
}

/**
 * The strings a module's text can put in a state: its string literals and record field names
 * (in records, record sets, `r.f` and EXCEPT `!.f`), found by walking the syntax tree.
 */
function literalNames(m: Module): string[] {
  const out: string[] = []
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const x of node) walk(x)
      return
    }
    if (typeof node !== 'object' || node === null) return
    const n = node as { kind?: unknown; value?: unknown; field?: unknown; name?: unknown; fields?: unknown; path?: unknown }
    if (n.kind === 'str' && typeof n.value === 'string') out.push(n.value)
    else if (n.kind === 'dot' && typeof n.field === 'string') out.push(n.field)
    else if ((n.kind === 'record' || n.kind === 'recordSet') && Array.isArray(n.fields)) for (const f of n.fields as { name: string }[]) out.push(f.name)
    else if (n.kind === 'field' && typeof n.name === 'string') out.push(n.name)
    for (const [key, value] of Object.entries(node)) if (key !== 'span' && typeof value === 'object') walk(value)
  }
  walk(m.defs)
  walk(m.assumptions)
  return out
}

/**
 * The field names of a definition whose body is a record constructor (through LET), in the order
 * they are written: TLC prints an ALIAS's fields in that order.
 */
function writtenFields(env: Env, name: string): string[] | undefined {
  const entry = env.names.get(name)
  if (entry?.kind !== 'def') return undefined
  let body: Expr = entry.def.body
  while (body.kind === 'let' || body.kind === 'label') body = body.body
  return body.kind === 'record' ? body.fields.map((f) => f.name) : undefined
}

/** The definitions of a module and of the modules it extends, transitively. */
function moduleDefinitions(m: Module, known: ReadonlyMap<string, Module>, seen = new Set<string>()): Set<unknown> {
  const out = new Set<unknown>(m.defs)
  seen.add(m.name)
  for (const ext of m.extends) {
    const inner = known.get(ext.name)
    if (inner && !seen.has(ext.name)) for (const d of moduleDefinitions(inner, known, seen)) out.add(d)
  }
  return out
}

function findDefinition(envs: readonly Env[], name: string, module: string | undefined): { env: Env; entry: Entry } | undefined {
  for (const env of envs) {
    if (module && env.module.name !== module && !env.module.extends.some((e) => e.name === module)) continue
    const entry = env.names.get(name)
    if (entry && (entry.kind === 'def' || entry.kind === 'fcndef' || entry.kind === 'const')) return { env: entry.kind === 'const' ? env : entry.env, entry }
  }
  if (module) return findDefinition(envs, name, undefined)
  return undefined
}

function operatorValue(compiler: Compiler, env: Env, name: string, arity: number, span: Span): OpValue {
  return compiler.operator(env, name, arity, span)
}

/** The conjuncts of a behaviour spec, through definitions: the initial predicate and `[][Next]_v`. */
function splitSpec(compiler: Compiler, env: Env, spec: Expr): { init?: { env: Env; expr: Expr }; next?: { env: Env; expr: Expr } } {
  const inits: Expr[] = []
  let initEnv = env
  let next: { env: Env; expr: Expr } | undefined
  const visit = (e: Expr, env: Env): void => {
    if (e.kind === 'conj') {
      for (const i of e.items) visit(i, env)
      return
    }
    if (e.kind === 'label') return visit(e.body, env)
    if (e.kind === 'op' && e.name === '[]' && e.args.length === 1 && e.args[0]!.kind === 'step') {
      next = { env, expr: e.args[0]!.action }
      return
    }
    if (e.kind === 'op' && e.args.length === 0 && !e.via) {
      const entry = env.names.get(e.name)
      if (entry?.kind === 'def' && entry.def.params.length === 0) {
        const level = compiler.topValue(entry.env, e).level
        if (level >= 2) return visit(entry.def.body, entry.env)
      }
    }
    if (e.kind === 'fair' || (e.kind === 'quant' && containsFairness(e.body))) return
    const level = compiler.topValue(env, e).level
    if (level <= 1) {
      inits.push(e)
      initEnv = env
    }
  }
  visit(spec, env)
  const init = inits.length === 0 ? undefined : { env: initEnv, expr: inits.length === 1 ? inits[0]! : ({ kind: 'conj', items: inits, span: inits[0]!.span } as Expr) }
  return { ...(init ? { init } : {}), ...(next ? { next } : {}) }
}

function containsFairness(e: Expr): boolean {
  return e.kind === 'fair' || (e.kind === 'quant' && containsFairness(e.body)) || (e.kind === 'conj' && e.items.some(containsFairness))
}

/** The next-state relation split into its top-level disjuncts, each named by the definition it calls. */
function splitNext(compiler: Compiler, env: Env, next: Expr): { name: string; env: Env; expr: Expr }[] {
  const out: { name: string; env: Env; expr: Expr }[] = []
  const visit = (e: Expr, env: Env, name: string): void => {
    if (e.kind === 'disj') {
      for (const i of e.items) visit(i, env, name)
      return
    }
    if (e.kind === 'label') return visit(e.body, env, name)
    if (e.kind === 'op' && e.args.length === 0 && !e.via) {
      const entry = env.names.get(e.name)
      // A definition without parameters is expanded, as TLC expands it: its disjuncts are actions, named after it.
      if (entry?.kind === 'def' && entry.def.params.length === 0 && compiler.topValue(entry.env, e).level >= 2) return visit(entry.def.body, entry.env, e.name)
    }
    out.push({ name: actionName(e) ?? name, env, expr: e })
  }
  visit(next, env, next.kind === 'op' ? next.name : 'Next')
  return out
}

/** Where TLC locates an action: the body of the definition it calls, or the disjunct itself. */
function actionSpan(env: Env, e: Expr): Span {
  let x = e
  while (x.kind === 'quant' || x.kind === 'label' || x.kind === 'let') x = x.body
  if (x.kind === 'op' && !x.via) {
    const entry = env.names.get(x.name)
    if (entry?.kind === 'def') return entry.def.body.span
  }
  return e.span
}

/**
 * For an action `\E p \in S : A(p)`: which value of `p` took a step, named as a process (a model
 * value by itself, `S 2` otherwise), so traces and sequence diagrams show one lifeline per process;
 * and for `\E p \in S : A(p) \/ B(p)`, which of the disjuncts it was.
 */
function processOf(compiler: Compiler, env: Env, e: Expr, whole: string): Pick<TlaAction, 'describe' | 'parts' | 'partOf'> {
  while (e.kind === 'label') e = e.body
  if (e.kind !== 'quant' || e.quantifier !== 'E' || e.bounds.length === 0) return {}
  const quant = e
  const first = quant.bounds[0]!
  const setName = first.set.kind === 'op' && first.set.args.length === 0 ? first.set.name : first.names[0]!
  const body = quant.body.kind === 'disj' ? quant.body.items : [quant.body]
  const all = compiler.topActionBindings(env, quant)
  const parts = body.map((item) => ({ name: actionName(item), span: actionSpan(env, item), bindings: compiler.topActionBindings(env, { ...quant, body: item }) }))
  const name = (v: Value | readonly Value[]): string =>
    v instanceof ModelValue || typeof v === 'string' ? show(v as Value) : `${setName} ${Array.isArray(v) ? v.map((x) => show(x)).join(', ') : show(v as Value)}`
  const same = (a: readonly (Value | undefined)[], b: TlaState): boolean => a.every((v, i) => v !== undefined && equals(v, b[i]!))
  /** The bound values that took the step, and which disjunct of the body it was (when there are several). */
  const which = (state: TlaState, next: TlaState, nth: number): { bound: readonly Value[]; part?: number } | undefined => {
    // The action's nth successor comes from the nth assignment, in the order the search makes them.
    let k = 0
    let bound: readonly Value[] | undefined
    const c: Ctx = { state, next: new Array(next.length) }
    all(c, (values) => {
      if (k++ === nth && same(c.next, next)) bound = values.slice()
    })
    if (!bound || parts.length < 2) return bound ? { bound } : undefined
    // Which disjunct of the body, for these values: the first that gives this successor.
    for (let i = 0; i < parts.length; i++) {
      let hit = false
      const d: Ctx = { state, next: new Array(next.length) }
      parts[i]!.bindings(d, (values) => {
        if (!hit && values.every((x, j) => equals(x, bound![j]!)) && same(d.next, next)) hit = true
      })
      if (hit) return { bound, part: i }
    }
    return { bound }
  }
  const safely = <T>(f: () => T): T | undefined => {
    try {
      return f()
    } catch {
      // The step was computed once already; an error here only means it is not named.
      return undefined
    }
  }
  return {
    describe: (state, next, nth) =>
      safely(() => {
        const w = which(state, next, nth)
        if (!w) return undefined
        const v = first.tuple ? w.bound.slice(0, first.names.length) : w.bound[0]!
        const part = w.part === undefined ? undefined : parts[w.part]!.name
        return { process: name(v), ...(part ? { action: part } : {}) }
      }),
    ...(parts.length < 2
      ? {}
      : {
          parts: parts.map((p) => ({ name: p.name ?? whole, span: p.span })),
          partOf: (state: TlaState, next: TlaState, nth: number) => safely(() => which(state, next, nth)?.part),
        }),
  }
}

function actionName(e: Expr): string | undefined {
  switch (e.kind) {
    case 'op':
      return /^[A-Za-z_]/.test(e.name) && e.name !== 'UNCHANGED' ? e.name : undefined
    case 'quant':
      return actionName(e.body)
    case 'conj':
      for (const i of e.items) {
        const n = actionName(i)
        if (n) return n
      }
      return undefined
    case 'let':
    case 'label':
      return actionName(e.body)
    default:
      return undefined
  }
}

/**
 * The spec's fairness and the cfg's PROPERTY formulas, lowered (temporal.ts); undefined when the
 * cfg has no properties (fairness alone changes nothing) or when lowering failed (diagnosed).
 */
function lowerTemporal(
  compiler: Compiler,
  cfg: Cfg,
  named: (n: { name: string; span: Span }, what: string) => { env: Env; expr: Expr } | undefined,
  guard: <T>(f: () => T) => T | undefined,
  sourceText: (file: string) => string | undefined,
): TemporalParts | undefined {
  if (cfg.properties.length === 0) return undefined
  const lowering = new TemporalLowering(compiler, sourceText)
  let ok = true
  if (cfg.specification) {
    const spec = named(cfg.specification, 'the specification')
    if (spec) ok = guard(() => (lowering.specification(compiler.formulaScope(spec.env), spec.expr), true)) === true
  }
  for (const p of cfg.properties) {
    const d = named(p, 'the property')
    if (!d) {
      ok = false
      continue
    }
    if (guard(() => (lowering.property(p.name, p.span, compiler.formulaScope(d.env), d.expr), true)) !== true) ok = false
  }
  if (!ok) return undefined
  return guard(() => lowering.result())
}
