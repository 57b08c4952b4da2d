import { TransitionFailure } from '../../core/model.js'
import { error } from '../../diag/diagnostic.js'
import type { Span } from '../../diag/span.js'
import { checkFieldCount } from './chan-fields.js'
import { generatedGuard, generatedReceive, generatedSend, generatedStore, NO_CODE, TRUE_CODE, type ChannelCode, type Fragment } from './codegen.js'
import { expressionExplainer, type ExplainIn } from './explain.js'
import type { Expr, RecvArg, RunExpr, Stmt, VarRef } from './ast.js'
import { compileExpr, compileMatcher, compileRef, lookupVar, readRef, runtimeError, type Ev, type Lv, type Matcher, type Scope } from './expr.js'
import type { ProcSym, VarSym } from './symbols.js'
import { slotsOf } from './types.js'
import { enqueue, dequeue, MAX_PROCS, type Exec } from './vector.js'

/**
 * What one basic statement does: when it is executable and what it changes. Channel statements
 * carry their parts, because a rendezvous joins a send in one process with a receive in another.
 */
export interface Action {
  readonly kind: 'plain' | 'else' | 'send' | 'receive' | 'run' | 'dStep' | 'end'
  readonly guard: (x: Exec) => boolean
  /** Applies the statement to `x.v`, which is the successor's own copy; it may replace `x.v` (process creation). */
  readonly effect: (x: Exec) => void
  /** Send: the channel and the message. */
  readonly chan?: Ev
  /** The message: in the statement's own array, reused by the next call, when `scratch`; else in a new array. */
  readonly message?: (x: Exec, scratch?: boolean) => number[]
  readonly sorted?: boolean
  /** Receive: the pattern. */
  readonly matcher?: Matcher
  readonly keep?: boolean
  /** `printf`/`printm`: the text it prints in simulation. */
  readonly print?: (x: Exec) => string
  /** `assert`: its expression's parts and their values, for the report of a failure (explain.ts). */
  readonly explain?: ExplainIn
  /** The guard as generated code (an expression), when it has one: the per-proctype code splices it (`proc-code.ts`). */
  readonly guardCode?: Fragment
  /** The effect as generated code (statements), when it has one. */
  readonly effectCode?: Fragment
}

const always = (): boolean => true
const nothing = (): void => {}

/** A statement that is always executable and changes nothing but the process's place (a jump, `skip`). */
export function noAction(): Action {
  return { kind: 'plain', guard: always, effect: nothing, guardCode: TRUE_CODE, effectCode: NO_CODE }
}

/** Creates a process of `proc` (pan's `run`): its record, its parameters, its locals' initialisers and channels. */
export type Spawn = (x: Exec, proc: ProcSym, args: readonly number[], priority: number) => number

export interface StatementContext extends Scope {
  readonly spawn: Spawn
}

/** Compiles a basic statement (anything but control flow, which the flow graph handles). */
export function compileStatement(st: Stmt, s: StatementContext, text: string): Action {
  const a = compileBasic(st, s, text)
  // A guard that always holds and an effect that does nothing have code too.
  const guardCode = a.guardCode ?? (a.guard === always ? TRUE_CODE : undefined)
  const effectCode = a.effectCode ?? (a.effect === nothing ? NO_CODE : undefined)
  return { ...a, ...(guardCode ? { guardCode } : {}), ...(effectCode ? { effectCode } : {}) }
}

function compileBasic(st: Stmt, s: StatementContext, text: string): Action {
  switch (st.kind) {
    case 'assign': {
      if (st.target.name === '_priority' && st.target.index === undefined && st.target.fields.length === 0) {
        // `_priority = e` sets the executing process's own priority.
        const value = compileExpr(st.value, s)
        return { kind: 'plain', guard: always, effect: (x) => void (x.layout.hasPriority && (x.v[x.procOff[x.pid]! + 2] = value(x) & 0xff)) }
      }
      if (st.value.kind !== 'run') {
        const generated = generatedStore(st.target, st.value, s)
        if (generated) return { kind: 'plain', guard: always, effect: generated.effect, effectCode: generated.code }
      }
      const lv = compileRef(st.target, s)
      if (st.value.kind === 'run') {
        const run = compileRun(st.value, s)
        return { kind: 'run', guard: run.guard, effect: (x) => lv?.store(x, run.effect(x)) }
      }
      const value = compileExpr(st.value, s)
      if (!lv) return { kind: 'plain', guard: always, effect: nothing }
      checkScalar(lv, st.target, s)
      const store = lv.store
      return { kind: 'plain', guard: always, effect: (x) => store(x, value(x)) }
    }
    case 'incr':
    case 'decr': {
      const generated = generatedStore(st.target, st.kind === 'incr' ? 1 : -1, s)
      if (generated) return { kind: 'plain', guard: always, effect: generated.effect, effectCode: generated.code }
      const lv = compileRef(st.target, s)
      if (!lv) return { kind: 'plain', guard: always, effect: nothing }
      checkScalar(lv, st.target, s)
      const d = st.kind === 'incr' ? 1 : -1
      const read = readRef(lv)
      const store = lv.store
      return { kind: 'plain', guard: always, effect: (x) => store(x, read(x) + d) }
    }
    case 'exprStmt': {
      if (st.expr.kind === 'run') {
        const run = compileRun(st.expr, s)
        return { kind: 'run', guard: run.guard, effect: (x) => void run.effect(x) }
      }
      if (st.expr.kind === 'call' && st.expr.fn === 'set_priority') {
        const [pid, prio] = st.expr.args.map((a) => compileExpr(a, s))
        const span = st.span
        return {
          kind: 'plain',
          guard: always,
          effect: (x) => {
            if (!x.layout.hasPriority) return
            const p = pid!(x)
            if (p < 0 || p >= x.nprocs) throw runtimeError(`there is no process ${p}`, span)
            x.v[x.procOff[p]! + 2] = prio!(x) & 0xff
          },
        }
      }
      const { guard, code } = generatedGuard(st.expr, s)
      return { kind: 'plain', guard, effect: nothing, guardCode: code }
    }
    case 'skip':
      return { kind: 'plain', guard: always, effect: nothing }
    case 'else':
      return { kind: 'else', guard: always, effect: nothing }
    case 'assert': {
      const e = compileExpr(st.expr, s)
      const span = st.span
      return {
        kind: 'plain',
        guard: always,
        effect: (x) => {
          if (e(x) === 0) throw new TransitionFailure('assertion', text, `assertion violated: ${text}`, span)
        },
        explain: expressionExplainer(st.expr, s),
      }
    }
    case 'printf': {
      const args = st.args.map((a) => compileExpr(a, s))
      const format = st.format
      const names = mtypeNames(s)
      return { kind: 'plain', guard: always, effect: nothing, print: (x) => formatPrintf(format, args.map((a) => a(x)), names) }
    }
    case 'printm': {
      const v = compileExpr(st.value, s)
      const names = mtypeNames(s)
      return { kind: 'plain', guard: always, effect: nothing, print: (x) => names.get(v(x)) ?? String(v(x)) }
    }
    case 'send': {
      const chan = compileExpr(st.chan, s)
      const parts = st.args.map((a) => compileSendArg(a, s))
      const width = parts.reduce((n, p) => n + p.width, 0)
      const span = st.span
      checkFieldCount(st.chan, width, 'send', span, s)
      // pan fills the message and then reports a send with fewer or more fields than the channel's.
      const sent = new Array<number>(width).fill(0)
      const message = (x: Exec, scratch?: boolean): number[] => {
        // Written by index: the statement's own array keeps its length, so filling it allocates nothing.
        const out = scratch === true ? sent : []
        for (let i = 0, k = 0; i < parts.length; i++) k = parts[i]!.put(x, out, k)
        const n = x.chanType(x.chan(chan(x), span)).fields.length
        if (n !== width) throw runtimeError(`too ${width < n ? 'few' : 'many'} fields in the send: it has ${width}, the channel's messages have ${n}`, span)
        return out
      }
      const sorted = st.sorted
      const closures: ChannelCode = {
        guard: (x: Exec): boolean => {
          const off = x.chan(chan(x), span)
          const t = x.chanType(off)
          return t.capacity > 0 && x.v[off + 1]! < t.capacity
        },
        // The message is copied into the channel's record at once: one array serves every send.
        effect: (x: Exec): void => enqueue(x, x.chan(chan(x), span), message(x, true), sorted),
      }
      const { guard, effect, effectCode } = generatedSend(st, quiet(s), closures) ?? closures
      return { kind: 'send', chan, message, sorted, guard, effect, ...(effectCode ? { effectCode } : {}) }
    }
    case 'receive': {
      checkDistinctStores(st.args, s)
      const matcher = compileMatcher(st.chan, st.args, st.random, s, st.span, !st.keep)
      const span = st.span
      const keep = st.keep
      const closures: ChannelCode = {
        guard: (x: Exec): boolean => {
          const off = x.chan(matcher.chan(x), span)
          return x.chanType(off).capacity > 0 && matcher.findIn(x, off) >= 0
        },
        effect: (x: Exec): void => {
          const m = matcher.find(x)
          matcher.assign(x, m)
          if (!keep) dequeue(x, x.chan(matcher.chan(x), span), m)
        },
      }
      const { guard, effect, effectCode } = generatedReceive(st, quiet(s), closures) ?? closures
      return { kind: 'receive', chan: matcher.chan, matcher, keep, guard, effect, ...(effectCode ? { effectCode } : {}) }
    }
    case 'cCode':
      s.report(error('PML206', `embedded C ('${st.keyword}') is not supported`, { span: st.span }))
      return { kind: 'plain', guard: always, effect: nothing }
    default:
      // Control flow is the flow graph's; declarations happen at process creation.
      return { kind: 'plain', guard: always, effect: nothing }
  }
}

/**
 * SPIN rejects a receive that stores two fields of the message into one variable (`c?x,x`: "cannot
 * use var in multiple msg fields"); array elements and structure fields are not checked.
 */
function checkDistinctStores(args: readonly RecvArg[], s: Scope): void {
  const seen = new Set<VarSym>()
  const elements = new Set<string>()
  for (const a of args) {
    if (a.kind !== 'recvVar') continue
    const v = lookupVar(a.ref.name, s)
    if (v === undefined) continue
    if (a.ref.index === undefined && a.ref.fields.length === 0) {
      if (v.type.kind !== 'scalar') continue
      if (seen.has(v)) s.report(error('PML214', `'${a.ref.name}' receives more than one field of the message`, { span: a.ref.span, label: 'already received into', hint: 'receive the other field into another variable (SPIN: cannot use var in multiple msg fields)' }))
      seen.add(v)
      continue
    }
    // The same array element or field twice (by constant index): SPIN accepts it, but pan puts the
    // message back from the variable when it backtracks, so its channel then holds another message.
    const key = constantPath(a.ref)
    if (key === undefined) continue
    if (elements.has(key)) s.report({ ...error('PML215', `'${key}' receives more than one field of the message`, { span: a.ref.span, label: 'already received into', hint: "weft keeps the last field; SPIN's pan restores the message wrongly when it backtracks, so its counts may differ" }), severity: 'warning' })
    elements.add(key)
  }
}

/** `a[2].f` as text when every index in it is a number, else undefined. */
function constantPath(ref: VarRef): string | undefined {
  const index = (e: Expr | undefined): string | undefined => (e === undefined ? '' : e.kind === 'number' ? `[${e.value}]` : undefined)
  let path = ref.name
  for (const part of [{ name: '', index: ref.index }, ...ref.fields]) {
    const i = index(part.index)
    if (i === undefined) return undefined
    path += `${part.name ? `.${part.name}` : ''}${i}`
  }
  return path
}

/** `s` reporting nothing: for code generated from parts the closures also compile (and report for). */
function quiet(s: Scope): Scope {
  return { ...s, report: () => {} }
}

function checkScalar(lv: Lv, ref: VarRef, s: Scope): void {
  if (lv.type.kind !== 'scalar') s.report(error('PML204', `'${ref.name}' is ${lv.type.kind === 'array' ? 'an array' : 'a structure'}; only single values can be assigned`, { span: ref.span }))
}

function compileRun(r: RunExpr, s: StatementContext): { guard: (x: Exec) => boolean; effect: (x: Exec) => number } {
  const proc = s.symbols.procByName.get(r.proctype)
  if (!proc || proc.decl.kind === 'init') {
    s.report(error('PML103', `no proctype named '${r.proctype}' to run`, { span: r.span }))
    return { guard: always, effect: () => 0 }
  }
  if (r.args.length !== proc.params.length) {
    s.report(error('PML208', `'${r.proctype}' takes ${proc.params.length} parameter${proc.params.length === 1 ? '' : 's'}, the run gives ${r.args.length}`, { span: r.span }))
  }
  // Arguments are passed by value, a structure as all its fields.
  const args = r.args.map((a) => compileSendArg(a, s))
  const priority = r.priority ? compileExpr(r.priority, s) : () => 1
  return {
    guard: (x) => x.nprocs < MAX_PROCS,
    effect: (x) => {
      const values: number[] = []
      for (let i = 0, k = 0; i < args.length; i++) k = args[i]!.put(x, values, k)
      return s.spawn(x, proc, values, priority(x))
    },
  }
}

/** A send's or run's argument: how many fields it fills, and `put`, which writes them into `out` from `k` and returns the next index. */
function compileSendArg(a: Expr, s: Scope): { width: number; put: (x: Exec, out: number[], k: number) => number } {
  if (a.kind === 'ref' && a.fields.length === 0) {
    const lv = a.index === undefined && s.symbols.mtypes.has(a.name) && !s.proc?.locals.has(a.name) && !s.symbols.globals.has(a.name) ? undefined : compileRef(a, s)
    if (lv && lv.type.kind !== 'scalar') {
      const width = slotsOf(lv.type)
      return {
        width,
        put: (x, out, k) => {
          const at = lv.slot(x)
          for (let f = 0; f < width; f++) out[k + f] = x.v[at + f]!
          return k + width
        },
      }
    }
  }
  const e = compileExpr(a, s)
  return {
    width: 1,
    put: (x, out, k) => {
      out[k] = e(x)
      return k + 1
    },
  }
}

function mtypeNames(s: Scope): Map<number, string> {
  const names = new Map<number, string>()
  for (const m of s.symbols.mtypes.values()) if (!m.set) names.set(m.value, m.name)
  return names
}

/** SPIN's printf: %d %i %u %x %o %c %s %e (mtype name), with C-style width flags kept simple. */
export function formatPrintf(format: string, args: readonly number[], mtypes: ReadonlyMap<number, string>): string {
  let k = 0
  const body = format.replace(/\\n/g, '\n').replace(/\\t/g, '\t').replace(/\\"/g, '"').replace(/\\\\/g, '\\')
  return body.replace(/%(-?\d*)([diuxXocse%])/g, (_m, width: string, conv: string) => {
    if (conv === '%') return '%'
    const v = args[k++] ?? 0
    let text: string
    switch (conv) {
      case 'u':
        text = String(v >>> 0)
        break
      case 'x':
        text = (v >>> 0).toString(16)
        break
      case 'X':
        text = (v >>> 0).toString(16).toUpperCase()
        break
      case 'o':
        text = (v >>> 0).toString(8)
        break
      case 'c':
        text = String.fromCharCode(v & 0xff)
        break
      case 'e':
        text = mtypes.get(v) ?? String(v)
        break
      default:
        text = String(v)
    }
    const w = Number(width)
    return width && w ? (w < 0 ? text.padEnd(-w) : text.padStart(w)) : text
  })
}

export type { Span }
