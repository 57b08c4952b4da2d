import type { Diagnostic } from '../../diag/diagnostic.js'
import { error } from '../../diag/diagnostic.js'
import type { Span } from '../../diag/span.js'
import type { ChanInit, Expr, InitDecl, PmlModule, Proctype, Sequence, Step, Stmt, TypeName, VarDecl } from './ast.js'
import { slotsOf, type Scalar, type StructField, type VType } from './types.js'
import { walk } from './walk.js'

/** A variable: where its slots are (in the globals, or in its process's locals) and its type. */
export interface VarSym {
  readonly name: string
  readonly scope: 'global' | 'local'
  /** First slot, counted from the start of the globals or of the process's locals. */
  readonly offset: number
  readonly type: VType
  readonly decl: VarDecl
}

/** A kind of channel: capacity and message layout. Records of one kind have one size. */
export interface ChanType {
  readonly id: number
  readonly capacity: number
  /** The scalar fields of one message, typedef fields flattened. */
  readonly fields: readonly Scalar[]
  /** How many fields the sender writes: one per declared field (a typedef field counts once). */
  readonly declared: readonly VType[]
}

/** A channel a process or the system creates when it starts: the variable's slot and the channel type. */
export interface ChanCreation {
  readonly slot: number
  readonly type: ChanType
}

export interface ProcSym {
  readonly name: string
  /** The proctype number stored in a process record. */
  readonly index: number
  readonly decl: Proctype | InitDecl
  readonly params: readonly VarSym[]
  readonly locals: ReadonlyMap<string, VarSym>
  /** Local slots, params first. */
  readonly size: number
  /** Local declarations initialised at creation (those at the start of the body), in order. */
  readonly inits: readonly VarSym[]
  readonly chans: readonly ChanCreation[]
  /** `for (v in ch)` over a channel: its hidden counter, by the for statement's id (one per enclosing block, as in SPIN). */
  readonly forCounters: ReadonlyMap<number, VarSym>
}

export interface MtypeSym {
  readonly name: string
  readonly value: number
  readonly set?: string
  readonly span: Span
}

export interface Symbols {
  readonly mtypes: ReadonlyMap<string, MtypeSym>
  readonly typedefs: ReadonlyMap<string, VType>
  readonly globals: ReadonlyMap<string, VarSym>
  readonly globalOrder: readonly VarSym[]
  readonly globalSize: number
  readonly globalChans: readonly ChanCreation[]
  readonly procs: readonly ProcSym[]
  readonly procByName: ReadonlyMap<string, ProcSym>
  readonly chanTypes: readonly ChanType[]
  /** Names that some assignment or receive writes (wherever they are declared): a channel so named may change type. */
  readonly written: ReadonlySet<string>
}

/**
 * Collects the declarations: mtype values (numbered as SPIN does: each declaration's names count
 * down to one more than the names before them), typedef layouts, globals, and each proctype's
 * parameters and locals (all hoisted to process creation, as pan does).
 */
export function collectSymbols(module: PmlModule, report: (d: Diagnostic) => void): Symbols {
  const mtypes = new Map<string, MtypeSym>()
  const mtypeCount = new Map<string, number>()
  const typedefs = new Map<string, VType>()
  const chanTypes: ChanType[] = []
  const chanTypeKeys = new Map<string, ChanType>()
  const constant = (e: Expr): number | undefined => evalConstant(e, mtypes)

  const constantOr = (e: Expr, what: string, fallback: number): number => {
    const v = constant(e)
    if (v === undefined) {
      report(error('PML201', `${what} must be a constant`, { span: e.span }))
      return fallback
    }
    return v
  }

  const scalarOf = (t: TypeName, bits: Expr | undefined): Scalar | VType => {
    switch (t.name) {
      case 'bit':
      case 'bool':
      case 'byte':
      case 'short':
      case 'int':
      case 'pid':
      case 'chan':
        return { kind: t.name }
      case 'mtype':
        return t.mtypeSet ? { kind: 'mtype', mtypeSet: t.mtypeSet } : { kind: 'mtype' }
      case 'unsigned': {
        const n = bits ? constantOr(bits, 'the width of an unsigned', 8) : 8
        if (n < 1 || n > 32) report(error('PML202', `an unsigned field has 1 to 32 bits, not ${n}`, { span: bits?.span ?? t.span }))
        return { kind: 'unsigned', bits: Math.max(1, Math.min(32, n)) }
      }
      default: {
        const td = typedefs.get(t.name)
        if (!td) {
          report(error('PML101', `unknown type '${t.name}'`, { span: t.span }))
          return { kind: 'int' }
        }
        return td
      }
    }
  }

  const typeOf = (d: VarDecl): VType => {
    const base = scalarOf(d.type, d.bits)
    const elem: VType = 'kind' in base && (base.kind === 'struct' || base.kind === 'array' || base.kind === 'scalar') ? (base as VType) : { kind: 'scalar', scalar: base as Scalar }
    if (!d.arraySize) return elem
    const n = constantOr(d.arraySize, 'an array size', 1)
    if (n < 1) report(error('PML203', `an array has at least one element, not ${n}`, { span: d.arraySize.span }))
    return { kind: 'array', elem, length: Math.max(1, n) }
  }

  const chanTypeOf = (init: ChanInit): ChanType => {
    const capacity = Math.max(0, constantOr(init.capacity, 'a channel capacity', 0))
    const declared = init.fields.map((f) => {
      const s = scalarOf(f, undefined)
      return 'kind' in s && (s.kind === 'struct' || s.kind === 'array' || s.kind === 'scalar') ? (s as VType) : ({ kind: 'scalar', scalar: s as Scalar } as VType)
    })
    const fields = declared.flatMap(flatten)
    const key = `${capacity}|${fields.map((f) => (f.kind === 'unsigned' ? `u${f.bits}` : f.kind)).join(',')}|${declared.length}`
    let t = chanTypeKeys.get(key)
    if (!t) {
      t = { id: chanTypes.length, capacity, fields, declared }
      chanTypes.push(t)
      chanTypeKeys.set(key, t)
    }
    return t
  }

  /** Lays out declarations one after another from `start`; returns the symbols and the channels they create. */
  const layout = (decls: readonly VarDecl[], scope: 'global' | 'local', start: number, into: Map<string, VarSym>, order: VarSym[], chans: ChanCreation[]): number => {
    let offset = start
    for (const d of decls) {
      const type = typeOf(d)
      const prev = into.get(d.name)
      if (prev) {
        report(error('PML102', `'${d.name}' is declared twice`, { span: d.span, notes: [{ message: 'the first declaration is here', span: prev.decl.span }] }))
        continue
      }
      const sym: VarSym = { name: d.name, scope, offset, type, decl: d }
      into.set(d.name, sym)
      order.push(sym)
      if (d.init?.kind === 'chanInit') {
        const ct = chanTypeOf(d.init)
        const count = type.kind === 'array' ? type.length : 1
        for (let i = 0; i < count; i++) chans.push({ slot: offset + i, type: ct })
      }
      chans.push(...fieldChannels(type, offset))
      offset += slotsOf(type)
    }
    return offset
  }

  // Pass 1: mtypes and typedefs, in order (a typedef may use an earlier one).
  for (const item of module.items) {
    if (item.kind === 'mtype') {
      const set = item.set ?? ''
      const before = mtypeCount.get(set) ?? 0
      item.names.forEach((n, i) => {
        if (mtypes.has(n.name)) {
          report(error('PML102', `mtype name '${n.name}' is declared twice`, { span: n.span }))
          return
        }
        mtypes.set(n.name, { name: n.name, value: before + item.names.length - i, ...(item.set ? { set: item.set } : {}), span: n.span })
      })
      mtypeCount.set(set, before + item.names.length)
    } else if (item.kind === 'typedef') {
      const fields = new Map<string, StructField>()
      let size = 0
      for (const f of item.fields) {
        const type = typeOf(f)
        const chan = f.init?.kind === 'chanInit' ? chanTypeOf(f.init) : undefined
        const init = f.init && f.init.kind !== 'chanInit' ? f.init : undefined
        fields.set(f.name, { name: f.name, offset: size, type, ...(chan ? { chan } : {}), ...(init ? { init } : {}) })
        size += slotsOf(type)
      }
      typedefs.set(item.name, { kind: 'struct', name: item.name, fields, size })
    }
  }

  /** The channels that structure fields declared with a channel initialiser create, for a variable of this type at `base`. */
  const fieldChannels = (t: VType, base: number): ChanCreation[] => {
    switch (t.kind) {
      case 'scalar':
        return []
      case 'array': {
        const size = slotsOf(t.elem)
        return Array.from({ length: t.length }, (_, i) => fieldChannels(t.elem, base + i * size)).flat()
      }
      case 'struct':
        return [...t.fields.values()].flatMap((f) => {
          if (!f.chan) return fieldChannels(f.type, base + f.offset)
          const count = f.type.kind === 'array' ? f.type.length : 1
          return Array.from({ length: count }, (_, i) => ({ slot: base + f.offset + i, type: chanTypes[f.chan!.id]! }))
        })
    }
  }

  // Pass 2: globals, in declaration order.
  const globals = new Map<string, VarSym>()
  const globalOrder: VarSym[] = []
  const globalChans: ChanCreation[] = []
  let globalSize = 0
  for (const item of module.items) {
    if (item.kind === 'decl') globalSize = layout(item.vars, 'global', globalSize, globals, globalOrder, globalChans)
  }

  // Pass 3: proctypes and init.
  const procs: ProcSym[] = []
  const procByName = new Map<string, ProcSym>()
  for (const item of module.items) {
    if (item.kind !== 'proctype' && item.kind !== 'init') continue
    const name = item.kind === 'init' ? ':init:' : item.name
    if (procByName.has(name)) {
      report(error('PML102', `proctype '${name}' is declared twice`, { span: item.span }))
      continue
    }
    const locals = new Map<string, VarSym>()
    const order: VarSym[] = []
    const chans: ChanCreation[] = []
    const params = item.kind === 'proctype' ? item.params : []
    let size = layout(params, 'local', 0, locals, order, chans)
    const paramSyms = order.slice()
    size = layout(localDecls(item.body), 'local', size, locals, order, chans)
    const atCreation = new Set(creationDecls(item.body))
    const chanCapacity = (n: string): number | undefined => {
      const v = locals.get(n) ?? globals.get(n)
      const t = v?.type.kind === 'array' ? v.type.elem : v?.type
      if (v === undefined || t?.kind !== 'scalar' || t.scalar.kind !== 'chan') return undefined
      return v.decl.init?.kind === 'chanInit' ? (constant(v.decl.init.capacity) ?? 0) : 0
    }
    const isStruct = (n: string): boolean => (locals.get(n) ?? globals.get(n))?.type.kind === 'struct'
    const counters = channelForCounters(item.body, chanCapacity, isStruct, report)
    const counterDecls = [...new Map([...counters.values()].map((d) => [d.name, d])).values()]
    size = layout(counterDecls, 'local', size, locals, order, chans)
    const forCounters = new Map([...counters].map(([id, d]) => [id, locals.get(d.name)!]))
    const sym: ProcSym = { name, index: procs.length, decl: item, params: paramSyms, locals, size, inits: order.slice(paramSyms.length).filter((v) => atCreation.has(v.decl) || v.decl.init?.kind === 'chanInit'), chans, forCounters }
    procs.push(sym)
    procByName.set(name, sym)
  }

  const written = new Set<string>()
  walk(module, (n) => {
    if (n.kind === 'assign') written.add((n as unknown as { target: { name: string } }).target.name)
    if (n.kind === 'recvVar') written.add((n as unknown as { ref: { name: string } }).ref.name)
  })
  return { mtypes, typedefs, globals, globalOrder, globalSize, globalChans, procs, procByName, chanTypes, written }
}

/** The scalars of a type, in slot order. */
export function flatten(t: VType): Scalar[] {
  switch (t.kind) {
    case 'scalar':
      return [t.scalar]
    case 'array':
      return Array.from({ length: t.length }, () => flatten(t.elem)).flat()
    case 'struct':
      return [...t.fields.values()].flatMap((f) => flatten(f.type))
  }
}

/**
 * The declarations that take their initial values when the process is created: those at the start
 * of the body, before its first statement. SPIN turns every later declaration (and every one in a
 * nested block, an option or an inline body) into an assignment step where it stands.
 */
export function creationDecls(body: Sequence): VarDecl[] {
  const out: VarDecl[] = []
  for (const step of body.steps) {
    if (step.stmt.kind !== 'decl') break
    out.push(...step.stmt.vars)
  }
  return out
}

/** Every local declaration in a body, in source order, wherever it stands. */
export function localDecls(body: Sequence): VarDecl[] {
  const out: VarDecl[] = []
  const visitSeq = (s: Sequence): void => s.steps.forEach(visitStep)
  const visitStep = (step: Step): void => {
    visitStmt(step.stmt)
    if (step.unless) visitSeq(step.unless)
  }
  const visitStmt = (st: Stmt): void => {
    switch (st.kind) {
      case 'decl':
        out.push(...st.vars)
        return
      case 'if':
      case 'do':
        st.options.forEach(visitSeq)
        return
      case 'for':
        visitSeq(st.body)
        return
      case 'atomic':
      case 'dStep':
      case 'block':
        visitSeq(st.body)
        return
      default:
        return
    }
  }
  visitSeq(body)
  return out
}

/**
 * The hidden counters of `for (v in ch)` loops over channels, by the for statement's id. As in SPIN's
 * parser, a loop is over a channel exactly when its variable is a structure (any other `for (i in a)`
 * runs over the indices of array `a`). SPIN declares one `_f0r_t3mp<scope>` counter per block scope,
 * so loops directly in the same block share it.
 */
function channelForCounters(body: Sequence, chanCapacity: (name: string) => number | undefined, isStruct: (name: string) => boolean, report: (d: Diagnostic) => void): Map<number, VarDecl> {
  const out = new Map<number, VarDecl>()
  const visitSeq = (s: Sequence, block: number): void => s.steps.forEach((step) => {
    visitStmt(step.stmt, block)
    if (step.unless) visitSeq(step.unless, block)
  })
  const visitStmt = (st: Stmt, block: number): void => {
    switch (st.kind) {
      case 'if':
      case 'do':
        st.options.forEach((o) => visitSeq(o, block))
        return
      case 'for':
        const overChannel = st.range.kind === 'in' && st.variable.fields.length === 0 && isStruct(st.variable.name)
        const capacity = overChannel && st.range.kind === 'in' ? chanCapacity(st.range.array.name) : undefined
        if (overChannel && capacity === undefined && st.range.kind === 'in') {
          report(error('PML210', `'${st.variable.name}' is a structure, so the loop runs over a channel, and '${st.range.array.name}' is not one`, { span: st.range.array.span, label: 'not a channel', hint: 'for (s in ch) takes the messages of a channel whose messages are one structure; for (i in a) takes the indices of an array' }))
        }
        if (capacity !== undefined) {
          // A byte counter, or a short when the channel has more than 255 slots.
          const type = capacity > 255 ? 'short' : 'byte'
          out.set(st.id, { kind: 'varDecl', id: st.id, span: st.span, type: { kind: 'type', id: st.id, span: st.span, name: type }, name: `_f0r_t3mp#${block}` })
        }
        visitSeq(st.body, st.body.id)
        return
      case 'atomic':
      case 'dStep':
      case 'block':
        visitSeq(st.body, st.body.id)
        return
      default:
        return
    }
  }
  visitSeq(body, body.id)
  return out
}

/** The value of a constant expression (numbers, mtype names, arithmetic), or undefined. */
export function evalConstant(e: Expr, mtypes: ReadonlyMap<string, MtypeSym>): number | undefined {
  switch (e.kind) {
    case 'number':
      return e.value
    case 'bool':
      return e.value ? 1 : 0
    case 'ref':
      return e.index === undefined && e.fields.length === 0 ? mtypes.get(e.name)?.value : undefined
    case 'unary': {
      const v = evalConstant(e.operand, mtypes)
      if (v === undefined) return undefined
      return e.op === '-' ? -v | 0 : e.op === '!' ? (v === 0 ? 1 : 0) : ~v
    }
    case 'binary': {
      const a = evalConstant(e.left, mtypes)
      const b = evalConstant(e.right, mtypes)
      if (a === undefined || b === undefined) return undefined
      return binaryOp(e.op, a, b)
    }
    case 'cond': {
      const t = evalConstant(e.test, mtypes)
      if (t === undefined) return undefined
      return evalConstant(t !== 0 ? e.then : e.else, mtypes)
    }
    default:
      return undefined
  }
}

/** C's integer operators on 32-bit ints; undefined for division by zero. */
export function binaryOp(op: string, a: number, b: number): number | undefined {
  switch (op) {
    case '+':
      return (a + b) | 0
    case '-':
      return (a - b) | 0
    case '*':
      return Math.imul(a, b)
    case '/':
      return b === 0 ? undefined : (a / b) | 0
    case '%':
      return b === 0 ? undefined : a % b | 0
    case '&':
      return a & b
    case '|':
      return a | b
    case '^':
      return a ^ b
    case '<<':
      return a << b
    case '>>':
      return a >> b
    case '<':
      return a < b ? 1 : 0
    case '<=':
      return a <= b ? 1 : 0
    case '>':
      return a > b ? 1 : 0
    case '>=':
      return a >= b ? 1 : 0
    case '==':
      return a === b ? 1 : 0
    case '!=':
      return a !== b ? 1 : 0
    case '&&':
      return a !== 0 && b !== 0 ? 1 : 0
    case '||':
      return a !== 0 || b !== 0 ? 1 : 0
    default:
      return undefined
  }
}
