import { TransitionFailure } from '../../core/model.js'
import type { Diagnostic } from '../../diag/diagnostic.js'
import { error } from '../../diag/diagnostic.js'
import type { Span } from '../../diag/span.js'
import { checkFieldCount } from './chan-fields.js'
import type { Expr, RecvArg, VarRef } from './ast.js'
import type { ProcSym, Symbols, VarSym } from './symbols.js'
import { binaryOp } from './symbols.js'
import { generatedExpr } from './codegen.js'
import { slotsOf, truncator, type VType } from './types.js'
import type { Exec, Layout } from './vector.js'

/** A compiled expression: its value in the context of the executing process. */
export type Ev = (x: Exec) => number

/** A compiled variable reference: its first slot, its type, and how a value is stored into it. */
export interface Lv {
  readonly slot: (x: Exec) => number
  readonly type: VType
  readonly store: (x: Exec, value: number) => void
  /**
   * For a reference without an index: its slot, fixed for a global (`local` false) and counted
   * from the executing process's locals otherwise, so that reads and writes need no slot closure.
   */
  readonly fixed?: { readonly local: boolean; readonly offset: number }
}

/** What compiling an expression needs to know: the declarations, the layout, the current proctype, and hooks into the runtime. */
export interface Scope {
  readonly symbols: Symbols
  readonly layout: Layout
  readonly proc?: ProcSym
  readonly report: (d: Diagnostic) => void
  /**
   * The location of a label in a proctype, for `P[i]@label`, as a getter (flow graphs are built
   * after all statements are compiled); undefined when the proctype has no such label.
   */
  readonly labelLocation: (proctype: string, label: string) => (() => number) | undefined
  /** True when process `pid` has an executable step (`enabled(pid)`). */
  readonly enabled: (x: Exec, pid: number) => boolean
  /** True when no process is at a progress label (`np_`). */
  readonly nonProgress: (x: Exec) => boolean
}

const zero: Ev = () => 0

export function runtimeError(message: string, span: Span): TransitionFailure {
  return new TransitionFailure('runtime-error', 'runtime-error', message, span)
}

/**
 * Compiles an expression once into a function over the state vector: generated code where it has
 * a source form (`codegen.ts`), else a closure. Errors are reported and compile to 0.
 */
export function compileExpr(e: Expr, s: Scope): Ev {
  return generatedExpr(e, s) ?? compileClosure(e, s)
}

/** `compileExpr` as a tree of closures, for the expressions that have no source form (and their parts). */
function compileClosure(e: Expr, s: Scope): Ev {
  switch (e.kind) {
    case 'number': {
      const v = e.value | 0
      return () => v
    }
    case 'bool':
      return e.value ? () => 1 : zero
    case 'ref': {
      const m = e.index === undefined && e.fields.length === 0 ? s.symbols.mtypes.get(e.name) : undefined
      if (m && !lookupVar(e.name, s)) {
        const v = m.value
        return () => v
      }
      const lv = compileRef(e, s)
      if (!lv) return zero
      if (lv.type.kind !== 'scalar') {
        s.report(error('PML204', `'${e.name}' is ${lv.type.kind === 'array' ? 'an array' : 'a structure'}; an expression needs a single value`, { span: e.span }))
        return zero
      }
      return readRef(lv)
    }
    case 'unary': {
      const a = compileExpr(e.operand, s)
      switch (e.op) {
        case '-':
          return (x) => -a(x) | 0
        case '!':
          return (x) => (a(x) === 0 ? 1 : 0)
        case '~':
          return (x) => ~a(x)
      }
      break
    }
    case 'binary': {
      const a = compileExpr(e.left, s)
      const b = compileExpr(e.right, s)
      switch (e.op) {
        case '&&':
          return (x) => (a(x) !== 0 && b(x) !== 0 ? 1 : 0)
        case '||':
          return (x) => (a(x) !== 0 || b(x) !== 0 ? 1 : 0)
        case '+':
          return (x) => (a(x) + b(x)) | 0
        case '-':
          return (x) => (a(x) - b(x)) | 0
        case '*':
          return (x) => Math.imul(a(x), b(x))
        case '==':
          return (x) => (a(x) === b(x) ? 1 : 0)
        case '!=':
          return (x) => (a(x) !== b(x) ? 1 : 0)
        case '<':
          return (x) => (a(x) < b(x) ? 1 : 0)
        case '<=':
          return (x) => (a(x) <= b(x) ? 1 : 0)
        case '>':
          return (x) => (a(x) > b(x) ? 1 : 0)
        case '>=':
          return (x) => (a(x) >= b(x) ? 1 : 0)
        case '/':
        case '%': {
          const span = e.span
          const op = e.op
          return (x) => {
            const l = a(x)
            const r = b(x)
            if (r === 0) throw runtimeError(`division by zero`, span)
            return binaryOp(op, l, r)!
          }
        }
        default: {
          const op = e.op
          return (x) => binaryOp(op, a(x), b(x))!
        }
      }
    }
    case 'cond': {
      const t = compileExpr(e.test, s)
      const a = compileExpr(e.then, s)
      const b = compileExpr(e.else, s)
      return (x) => (t(x) !== 0 ? a(x) : b(x))
    }
    case 'builtin':
      switch (e.name) {
        case '_pid':
          return (x) => x.pid
        case '_nr_pr':
          return (x) => x.nprocs
        case '_last':
          return (x) => x.v[2]!
        case 'timeout':
          return (x) => (x.timeout ? 1 : 0)
        case '_priority':
          return (x) => x.priority(x.pid)
        case 'np_':
          return (x) => (!x.stutter && s.nonProgress(x) ? 1 : 0)
      }
      break
    case 'chanQuery': {
      const c = compileExpr(e.chan, s)
      const span = e.span
      const len = (x: Exec): number => x.v[x.chan(c(x), span) + 1]!
      // pan gives a rendezvous channel one slot, so it is full only during a handshake (never between steps).
      const cap = (x: Exec): number => Math.max(1, x.chanType(x.chan(c(x), span)).capacity)
      switch (e.op) {
        case 'len':
          return len
        case 'empty':
          return (x) => (len(x) === 0 ? 1 : 0)
        case 'nempty':
          return (x) => (len(x) !== 0 ? 1 : 0)
        case 'full':
          return (x) => (len(x) >= cap(x) ? 1 : 0)
        case 'nfull':
          return (x) => (len(x) < cap(x) ? 1 : 0)
      }
      break
    }
    case 'poll': {
      const m = compileMatcher(e.chan, e.args, e.random, s, e.span)
      return (x) => (m.find(x) >= 0 ? 1 : 0)
    }
    case 'run':
      s.report(error('PML205', "'run' may only stand as a statement or on the right of an assignment", { span: e.span }))
      return zero
    case 'remoteLabel': {
      const proc = s.symbols.procByName.get(e.proctype)
      const loc = s.labelLocation(e.proctype, e.label)
      if (!proc) {
        s.report(error('PML103', `no proctype named '${e.proctype}'`, { span: e.span }))
        return zero
      }
      if (loc === undefined) {
        s.report(error('PML104', `proctype '${e.proctype}' has no label '${e.label}'`, { span: e.span }))
        return zero
      }
      const pidOf = remotePid(e.pid, proc, s)
      const index = proc.index
      return (x) => {
        const pid = pidOf(x)
        return pid >= 0 && pid < x.nprocs && x.proctype(pid) === index && x.pc(pid) === loc() ? 1 : 0
      }
    }
    case 'remoteVar': {
      const proc = s.symbols.procByName.get(e.proctype)
      if (!proc) {
        s.report(error('PML103', `no proctype named '${e.proctype}'`, { span: e.span }))
        return zero
      }
      const lv = compileRef(e.variable, { ...s, proc }, true)
      if (!lv || lv.type.kind !== 'scalar') return zero
      const pidOf = remotePid(e.pid, proc, s)
      const index = proc.index
      const span = e.span
      return (x) => {
        const pid = pidOf(x)
        if (pid < 0 || pid >= x.nprocs || x.proctype(pid) !== index) throw runtimeError(`process ${pid} is not a running '${e.proctype}'`, span)
        const saved = x.base
        x.base = x.procOff[pid]! + x.layout.procHeader
        try {
          return x.v[lv.slot(x)]!
        } finally {
          x.base = saved
        }
      }
    }
    case 'call': {
      const args = e.args.map((a) => compileExpr(a, s))
      const pid = args[0] ?? zero
      const span = e.span
      const checked = (x: Exec): number => {
        const p = pid(x)
        if (p < 0 || p >= x.nprocs) throw runtimeError(`there is no process ${p}`, span)
        return p
      }
      switch (e.fn) {
        case 'enabled': {
          // Nested calls of this site: more than there are processes means guards ask each other in a cycle.
          let asking = 0
          return (x) => {
            const p = pid(x)
            // pan: a process that does not exist (or no longer) has nothing enabled; asking about oneself is an error.
            if (p < 0 || p >= x.nprocs) return 0
            if (p === x.pid) throw runtimeError(`enabled(${p}) asks about the process itself`, span)
            if (asking > x.nprocs) throw runtimeError('enabled() calls in the guards of processes ask each other in a cycle', span)
            asking++
            try {
              return s.enabled(x, p) ? 1 : 0
            } finally {
              asking--
            }
          }
        }
        case 'pc_value':
          return (x) => x.pc(checked(x))
        case 'get_priority':
          return (x) => x.priority(checked(x))
        case 'set_priority':
          s.report(error('PML205', "'set_priority' is a statement, not a value", { span: e.span }))
          return zero
      }
      break
    }
    case 'cCode':
      s.report(error('PML206', `embedded C ('${e.keyword}') is not supported`, { span: e.span }))
      return zero
  }
  return zero
}

/** Reads a scalar reference's value. */
export function readRef(lv: Lv): Ev {
  const fixed = lv.fixed
  if (fixed) {
    const at = fixed.offset
    return fixed.local ? (x) => x.v[x.base + at]! : (x) => x.v[at]!
  }
  const slot = lv.slot
  return (x) => x.v[slot(x)]!
}

/** `P[i]` in a remote reference: the pid; without an index, the first process of that proctype. */
function remotePid(pid: Expr | undefined, proc: ProcSym, s: Scope): Ev {
  if (pid) return compileExpr(pid, s)
  const index = proc.index
  return (x) => {
    for (let p = 0; p < x.nprocs; p++) if (x.proctype(p) === index) return p
    return -1
  }
}

export function lookupVar(name: string, s: Scope): VarSym | undefined {
  return s.proc?.locals.get(name) ?? s.symbols.globals.get(name)
}

/** Compiles a variable reference to its slot, with bounds checks on every index. */
export function compileRef(r: VarRef, s: Scope, localOnly = false): Lv | undefined {
  const sym = localOnly ? s.proc?.locals.get(r.name) : lookupVar(r.name, s)
  if (!sym) {
    const known = s.symbols.mtypes.has(r.name) ? ` ('${r.name}' is an mtype value, not a variable)` : ''
    s.report(error('PML103', `undeclared variable '${r.name}'${known}`, { span: r.span, label: 'not declared in this scope' }))
    return undefined
  }
  const start = sym.scope === 'global' ? s.layout.globalsStart + sym.offset : sym.offset
  let slot: (x: Exec) => number = sym.scope === 'global' ? () => start : (x) => x.base + start
  let type = sym.type
  const steps: { index?: Expr; field?: string; span: Span }[] = [{ ...(r.index ? { index: r.index } : {}), span: r.span }, ...r.fields.map((f) => ({ field: f.name, ...(f.index ? { index: f.index } : {}), span: f.span }))]
  let path = r.name
  /** The slot's offset from the start (global) or the locals, while no index was met. */
  let fixed: number | undefined = start
  for (const step of steps) {
    if (step.field !== undefined) {
      if (type.kind === 'array') {
        // `a.f` on an array of structures means `a[0].f`, as in SPIN
        type = type.elem
      }
      if (type.kind !== 'struct') {
        s.report(error('PML207', `'${path}' has no fields`, { span: step.span }))
        return undefined
      }
      const f = type.fields.get(step.field)
      if (!f) {
        s.report(error('PML103', `'${type.name}' has no field '${step.field}'`, { span: step.span }))
        return undefined
      }
      const prev = slot
      const off = f.offset
      slot = off === 0 ? prev : (x) => prev(x) + off
      if (fixed !== undefined) fixed += off
      type = f.type
      path = `${path}.${step.field}`
    }
    if (step.index !== undefined) {
      if (type.kind !== 'array') {
        s.report(error('PML207', `'${path}' is not an array`, { span: step.span }))
        return undefined
      }
      const idx = compileExpr(step.index, s)
      const length = type.length
      const size = slotsOf(type.elem)
      const prev = slot
      const name = path
      const span = step.span
      fixed = undefined
      slot = (x) => {
        const i = idx(x)
        if (i < 0 || i >= length) throw runtimeError(`index out of range: ${name}[${i}], the array has ${length} elements`, span)
        return prev(x) + i * size
      }
      type = type.elem
    } else if (type.kind === 'array' && step === steps[steps.length - 1]) {
      // An array named without an index means its first element, as in SPIN.
      type = type.elem
    }
  }
  const finalType = type
  const trunc = finalType.kind === 'scalar' ? truncator(finalType.scalar) : (v: number) => v
  const at = slot
  if (fixed !== undefined) {
    const local = sym.scope !== 'global'
    const k = fixed
    return {
      slot: at,
      type: finalType,
      store: local ? (x, value) => (x.v[x.base + k] = trunc(value)) : (x, value) => (x.v[k] = trunc(value)),
      fixed: { local, offset: k },
    }
  }
  return { slot: at, type: finalType, store: (x, value) => (x.v[at(x)] = trunc(value)) }
}

/**
 * A compiled receive pattern: finds the message a receive would take (the first, or with `??`
 * the first that matches anywhere), and copies its fields into the receive's variables.
 */
export interface Matcher {
  readonly chan: Ev
  /** The index of the matching message, or -1. */
  find(x: Exec): number
  /** `find` in the channel whose record is at `off` (the channel already evaluated). */
  findIn(x: Exec, off: number): number
  /** Stores message `m`'s fields into the variables. */
  assign(x: Exec, m: number): void
  /** For a rendezvous: whether a message offered directly matches, and storing it. */
  matchesValues(x: Exec, values: readonly number[]): boolean
  assignValues(x: Exec, values: readonly number[]): void
}

export function compileMatcher(chanExpr: Expr, args: readonly RecvArg[], random: boolean, s: Scope, span: Span, removes = false): Matcher {
  const chan = compileExpr(chanExpr, s)
  /** Per message field: a value to compare with, or a variable to store into, or nothing (`_`). */
  const parts: { match?: Ev; store?: Lv; width: number }[] = args.map((a) => {
    if (a.kind === 'recvConst' || a.kind === 'recvEval') return { match: compileExpr(a.value, s), width: 1 }
    const ref = a.ref
    if (ref.name === '_' && ref.index === undefined && ref.fields.length === 0) return { width: 1 }
    if (ref.index === undefined && ref.fields.length === 0 && !lookupVar(ref.name, s) && s.symbols.mtypes.has(ref.name)) {
      const v = s.symbols.mtypes.get(ref.name)!.value
      return { match: () => v, width: 1 }
    }
    const lv = compileRef(ref, s)
    return lv ? { store: lv, width: slotsOf(lv.type) } : { width: 1 }
  })
  const width = parts.reduce((n, p) => n + p.width, 0)
  checkFieldCount(chanExpr, width, removes ? 'receive' : 'poll', span, s)
  // pan reads a message field by field: a field beyond the channel's is an error when it is read, and a
  // receive that removes the message must name every field; a poll or `?<…>` may name only the first ones.
  const tooMany = (): TransitionFailure => runtimeError(`too many fields in the receive: it has ${width}, the channel's messages fewer`, span)
  const missing = (n: number): TransitionFailure => runtimeError(`missing fields in the receive: it has ${width}, the channel's messages have ${n}`, span)
  // A message is read from `src` at `at`: the channel's record in the state vector, or the values a rendezvous offers.
  const matches = (x: Exec, src: ArrayLike<number>, at: number, n: number): boolean => {
    let f = 0
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!
      if (p.match) {
        if (f >= n) throw tooMany()
        if (src[at + f] !== p.match(x)) return false
      }
      f += p.width
    }
    return true
  }
  const store = (x: Exec, src: ArrayLike<number>, at: number, n: number): void => {
    if (removes && width < n) throw missing(n)
    let f = 0
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!
      if (p.store) {
        if (f + p.width > n) throw tooMany()
        if (p.width === 1) p.store.store(x, src[at + f]!)
        else {
          const dst = p.store.slot(x)
          for (let k = 0; k < p.width; k++) x.v[dst + k] = src[at + f + k]!
        }
      }
      f += p.width
    }
    if (removes && width > n) throw tooMany()
  }
  return {
    chan,
    matchesValues(x, values) {
      return matches(x, values, 0, values.length)
    },
    assignValues(x, values) {
      store(x, values, 0, values.length)
    },
    find(x) {
      return this.findIn(x, x.chan(chan(x), span))
    },
    findIn(x, off) {
      const n = x.chanType(off).fields.length
      const len = x.v[off + 1]!
      for (let m = 0; m < len; m++) {
        if (matches(x, x.v, off + 2 + m * n, n)) return m
        if (!random) return -1
      }
      return -1
    },
    assign(x, m) {
      const off = x.chan(chan(x), span)
      const n = x.chanType(off).fields.length
      store(x, x.v, off + 2 + m * n, n)
    },
  }
}
