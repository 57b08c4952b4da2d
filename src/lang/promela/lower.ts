import type { Diagnostic } from '../../diag/diagnostic.js'
import { error } from '../../diag/diagnostic.js'
import type { Span } from '../../diag/span.js'
import type { PmlModule } from './ast.js'
import { GraphBuilder, transitionOf, type ProcGraph, type Transition } from './cfg.js'
import { claimExplainer, type ExplainIn } from './explain.js'
import { buchiClaim, nonProgressClaim, spinLtlClaim } from './ltl-claims.js'
import { compileExpr, type Ev } from './expr.js'
import { PromelaModel, type Initialiser, type Program } from './model.js'
import type { StatementContext } from './statements.js'
import { collectSymbols, evalConstant, type ProcSym, type Symbols, type VarSym } from './symbols.js'
import { slotsOf, truncator, type VType } from './types.js'
import { walk } from './walk.js'
import type { Exec, Layout } from './vector.js'

export interface LowerInput {
  readonly file: string
  readonly sources: ReadonlyMap<string, string>
}

/** Compiles a parsed model (inlines expanded) into the runtime's Program: layout, flow graphs, initialisers. */
export function lowerToModel(module: PmlModule, input: LowerInput, report: (d: Diagnostic) => void): PromelaModel {
  const symbols = collectSymbols(module, report)
  let hasPriority = false
  let hasLast = false
  walk(module, (n) => {
    if ((n.kind === 'proctype' || n.kind === 'init') && n['priority'] !== undefined) hasPriority = true
    if (n.kind === 'run' && n['priority'] !== undefined) hasPriority = true
    if (n.kind === 'call' && (n['fn'] === 'set_priority' || n['fn'] === 'get_priority')) hasPriority = true
    if (n.kind === 'builtin' && n['name'] === '_priority') hasPriority = true
    if (n.kind === 'ref' && n['name'] === '_priority') hasPriority = true
    if (n.kind === 'builtin' && n['name'] === '_last') hasLast = true
  })
  const procHeader = hasPriority ? 3 : 2
  const layout: Layout = {
    globalsStart: hasLast ? 3 : 2,
    globalSize: symbols.globalSize,
    procHeader,
    hasPriority,
    hasLast,
    procSizes: symbols.procs.map((p) => procHeader + p.size),
    chanTypes: symbols.chanTypes,
    chanSizes: symbols.chanTypes.map((t) => 2 + t.capacity * t.fields.length),
  }

  // Labels are known from the syntax before any graph exists; their locations are looked up when first used.
  const syntacticLabels = new Map<string, Set<string>>()
  for (const p of symbols.procs) {
    const names = new Set<string>()
    walk(p.decl.body, (n) => {
      if (n.kind === 'step') for (const l of n['labels'] as { name: string }[]) names.add(l.name)
    })
    syntacticLabels.set(p.name, names)
  }
  const graphs: ProcGraph[] = []
  let model: PromelaModel | undefined
  const base = {
    symbols,
    layout,
    report,
    labelLocation: (proctype: string, label: string) => {
      if (!syntacticLabels.get(proctype)?.has(label)) return undefined
      const proc = symbols.procByName.get(proctype)!
      let cached = -1
      return () => (cached >= 0 ? cached : (cached = graphs[proc.index]!.labels.get(label) ?? -1))
    },
    enabled: (x: Exec, pid: number) => model!.enabled(x, pid),
    nonProgress: (x: Exec) => {
      for (let pid = 0; pid < x.nprocs; pid++) if (graphs[x.proctype(pid)]!.locations[x.pc(pid)]!.progress) return false
      return true
    },
    spawn: (x: Exec, proc: ProcSym, args: readonly number[], priority: number) => model!.spawn(x, proc, args, priority),
  }
  const sourceText = (span: Span): string => {
    const text = input.sources.get(span.file) ?? ''
    // A span that ends in a macro's name points at its first character only: show the whole name.
    let end = span.end
    while (end < text.length && /\w/.test(text[end - 1] ?? '') && /\w/.test(text[end]!)) end++
    return text.slice(span.start, end).replace(/\s+/g, ' ').trim()
  }
  const counter = { n: 0 }
  const provided: (Ev | undefined)[] = []
  const localInits: Initialiser[][] = []
  const endSteps: Transition[] = []
  for (const proc of symbols.procs) {
    const scope: StatementContext = { ...base, proc }
    const decl = proc.decl
    const close: Span = { file: decl.span.file, start: Math.max(decl.span.start, decl.span.end - 1), end: decl.span.end }
    const graph = new GraphBuilder(proc, scope, sourceText, counter).build(decl.body, close)
    graphs[proc.index] = graph
    provided[proc.index] = decl.kind === 'proctype' && decl.provided ? compileExpr(decl.provided, scope) : undefined
    const locals = [...proc.locals.values()].filter((v) => !proc.params.includes(v))
    localInits[proc.index] = [
      ...proc.chans.map((c) => ({ slot: c.slot, size: 1, chan: c.type })),
      ...locals.flatMap((v) => fieldInitialisers(v.type, v.offset, scope)),
      ...proc.inits.flatMap((v) => initialiser(v, v.offset, scope)),
    ]
    endSteps[proc.index] = transitionOf({ id: counter.n++, kind: 'end', to: graph.end, text: '-end-', span: close, atomic: -1, keepsControl: false, jumpSteps: 0, guard: () => true, effect: () => {} })
  }
  const globalScope = { ...base }
  const globalInits = [
    ...symbols.globalChans.map((c) => ({ slot: layout.globalsStart + c.slot, size: 1, chan: c.type })),
    ...symbols.globalOrder.flatMap((v) => [...fieldInitialisers(v.type, layout.globalsStart + v.offset, globalScope), ...initialiser(v, layout.globalsStart + v.offset, globalScope)]),
  ]
  const initial: { proc: ProcSym; count: number; priority: number }[] = []
  for (const item of module.items) {
    if (item.kind !== 'proctype' && item.kind !== 'init') continue
    const proc = symbols.procByName.get(item.kind === 'init' ? ':init:' : item.name)
    if (!proc || proc.decl !== item) continue
    const count = item.kind === 'init' ? 1 : item.active ? constant(item.active, symbols, report, 'the number of active processes') : 0
    const priority = item.priority ? constant(item.priority, symbols, report, 'a priority') : 1
    initial.push({ proc, count, priority })
  }
  // Never claims: flow graphs over the globals, built like a proctype with no locals.
  const neverClaims = new Map<string, ProcGraph>()
  let unnamed = 0
  let unnamedLtl = 0
  const claimExplainers = new Map<string, ExplainIn>()
  const claims = module.items.flatMap((item) => {
    if (item.kind === 'never') {
      const name = item.name ?? `never_${unnamed++}`
      claimExplainers.set(name, claimExplainer(item, globalScope, input.sources))
      return [{ never: item, name }]
    }
    if (item.kind !== 'ltl') return []
    const name = item.name ?? `ltl_${unnamedLtl++}`
    claimExplainers.set(name, claimExplainer(item, globalScope, input.sources))
    // The claim SPIN writes for the formula (so the counts are SPIN's); with `X`, which SPIN 6.5.2 does not translate, weft's own.
    return [{ never: spinLtlClaim(item, name) ?? buchiClaim(item, name), name }]
  })
  // The non-progress claim (pan -l) is there for every model, under the name pan gives it.
  const first = module.items[0]
  claims.push({ never: nonProgressClaim(first ? first.span : { file: input.file, start: 0, end: 0 }), name: 'np_' })
  for (const { never: item, name } of claims) {
    const claim: ProcSym = { name, index: -1, decl: { kind: 'init', id: item.id, span: item.span, body: item.body }, params: [], locals: new Map(), size: 0, inits: [], chans: [], forCounters: new Map() }
    const close: Span = { file: item.span.file, start: Math.max(item.span.start, item.span.end - 1), end: item.span.end }
    neverClaims.set(name, new GraphBuilder(claim, { ...base, proc: claim }, sourceText, counter).build(item.body, close))
  }
  const program: Program = { file: input.file, sources: input.sources, symbols, layout, graphs, provided, localInits, globalInits, initial, endSteps, neverClaims, claimExplainers }
  model = new PromelaModel(program)
  return model
}

function initialiser(v: VarSym, slot: number, scope: StatementContext): Initialiser[] {
  const init = v.decl.init
  if (!init) return []
  // Channels are created from the symbols' channel lists.
  if (init.kind === 'chanInit') return []
  const value = compileExpr(init, scope)
  const size = slotsOf(v.type)
  let elem = v.type
  while (elem.kind === 'array') elem = elem.elem
  if (elem.kind !== 'scalar') {
    scope.report(error('PML204', `'${v.name}' is a structure and cannot be initialised with a value`, { span: init.span }))
    return []
  }
  const trunc = truncator(elem.scalar)
  return [{ slot, size, value: (x) => trunc(value(x)) }]
}

/**
 * The initialisers a typedef's fields declare (`typedef T { byte a = 3 }`), for every structure
 * instance in a variable of type `t` at `slot`: SPIN applies them whenever such a variable is created.
 */
function fieldInitialisers(t: VType, slot: number, scope: StatementContext): Initialiser[] {
  switch (t.kind) {
    case 'scalar':
      return []
    case 'array': {
      if (t.elem.kind === 'scalar') return []
      const size = slotsOf(t.elem)
      return Array.from({ length: t.length }, (_, i) => fieldInitialisers(t.elem, slot + i * size, scope)).flat()
    }
    case 'struct':
      return [...t.fields.values()].flatMap((f) => {
        if (!f.init) return fieldInitialisers(f.type, slot + f.offset, scope)
        let elem = f.type
        while (elem.kind === 'array') elem = elem.elem
        if (elem.kind !== 'scalar') return []
        const value = compileExpr(f.init, scope)
        const trunc = truncator(elem.scalar)
        return [{ slot: slot + f.offset, size: slotsOf(f.type), value: (x: Exec) => trunc(value(x)) }]
      })
  }
}

function constant(e: import('./ast.js').Expr, symbols: Symbols, report: (d: Diagnostic) => void, what: string): number {
  const v = evalConstant(e, symbols.mtypes)
  if (v === undefined) {
    report(error('PML201', `${what} must be a constant`, { span: e.span }))
    return 0
  }
  return v
}
