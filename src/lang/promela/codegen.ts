import type { Expr, ReceiveStmt, SendStmt, VarRef } from './ast.js'
import type { Span } from '../../diag/span.js'
import { compileExpr, lookupVar, runtimeError, type Ev, type Scope } from './expr.js'
import { slotsOf, truncate, type Scalar } from './types.js'
import { dequeue, type Exec } from './vector.js'

/**
 * Straight-line JavaScript for the expressions and simple statements of a model, made once per
 * model with `new Function`. A closure tree calls a closure per node, and every node of one kind
 * shares one call site, which sees every statement's children and so cannot be inlined; a
 * generated function reads the state vector's slots at their offsets, with the operators inline,
 * and has call sites of its own. A node it has no source form for is compiled by `compileExpr` and
 * called from the generated code, so every expression compiles, and each node exactly once (its
 * diagnostics are reported once).
 *
 * Generated functions take the context `x` (an `Exec`) and read its vector as `v`. The values
 * they refer to (closures, index checks) are passed in `refs`, never written into the source.
 */
class Emitter {
  readonly refs: unknown[] = []

  /** The source name of a value the generated code calls or reads. */
  ref(value: unknown): string {
    this.refs.push(value)
    return `r${this.refs.length - 1}`
  }

  /** A function of `x` with the body `body`, which may read `v` (x.v) and the references. */
  build<F>(body: string): F {
    return buildFunction<F>('x', `const v = x.v;\n  ${body}`, this.refs)
  }

  /** `body` with the references it reads, to be spliced into a larger function. */
  fragment(body: string): Fragment {
    return { body, refs: [...this.refs] }
  }
}

/**
 * Generated source to splice into a larger generated function (`proc-code.ts`): statements, or for
 * a guard an expression, that read the context `x`, its vector as `v` (x.v on entry) and the
 * references `r0`, `r1`… in `refs`.
 */
export interface Fragment {
  readonly body: string
  readonly refs: readonly unknown[]
}

/** A guard that is always true, and an effect that does nothing, as fragments. */
export const TRUE_CODE: Fragment = { body: 'true', refs: [] }
export const NO_CODE: Fragment = { body: '', refs: [] }

/**
 * A function with parameters `params` and body `body`, made once with `new Function`; the body
 * reads `refs[i]` as the constant `${name}${i}`.
 */
export function buildFunction<F>(params: string, body: string, refs: readonly unknown[], name = 'r'): F {
  let head = ''
  for (let i = 0; i < refs.length; i++) head += `const ${name}${i} = refs[${i}];\n`
  return new Function('refs', `"use strict";\n${head}return function generated(${params}) {\n  ${body}\n}`)(refs) as F
}

/** An expression as one generated function; undefined when its outermost node has no source form (compile it as a closure). */
export function generatedExpr(e: Expr, s: Scope): Ev | undefined {
  if (!hasSource(e, s)) return undefined
  const em = new Emitter()
  const src = exprSource(e, s, em)
  return em.build<Ev>(`return ${src};`)
}

/** The guard of an expression statement, executable when the value is not zero, and its code (an expression). */
export function generatedGuard(e: Expr, s: Scope): { readonly guard: (x: Exec) => boolean; readonly code: Fragment } {
  const em = new Emitter()
  const src = `${exprSource(e, s, em)} !== 0`
  return { guard: em.build<(x: Exec) => boolean>(`return ${src};`), code: em.fragment(src) }
}

/**
 * `target = value`, `target++` or `target--` as one generated function, for a scalar target whose
 * slot is known from the declarations (no error to report); undefined otherwise, with nothing
 * compiled, so that the closure compiler reports what is wrong.
 */
export function generatedStore(target: VarRef, value: Expr | 1 | -1, s: Scope): GeneratedEffect | undefined {
  const plan = planRef(target, s)
  if (!plan) return undefined
  const em = new Emitter()
  let body: string
  if (value === 1 || value === -1) {
    // Read, then store: the slot is evaluated as the closures evaluate it, once for each.
    const at = slotSource(plan, s, em)
    body = `const i = ${at};\n  v[i] = ${truncated(plan.scalar, `v[i] + ${value}`)};`
  } else {
    // The value first, then the slot (an index out of range is found after the value's own errors).
    const val = exprSource(value, s, em)
    const at = slotSource(plan, s, em)
    body = `const val = ${val};\n  v[${at}] = ${truncated(plan.scalar, 'val')};`
  }
  return { effect: em.build(body), code: em.fragment(body) }
}

/** A generated effect and its code (statements, which may `return` early). */
export interface GeneratedEffect {
  readonly effect: (x: Exec) => void
  readonly code: Fragment
}

/** A channel statement's guard and effect. */
export interface ChannelCode {
  readonly guard: (x: Exec) => boolean
  readonly effect: (x: Exec) => void
  /** The effect's code, when it is generated. */
  readonly effectCode?: Fragment
}

/**
 * A receive that takes the first message (`c?…`, `c?<…>`, not `c??…`) with one field per argument,
 * as generated code: the guard compares the head message's fields with the constants, the effect
 * stores its fields into the variables and removes it. A channel whose messages have another
 * number of fields (known only when it runs) goes to `slow`, the closures, which report it as pan
 * does. Undefined for a receive it does not cover (a structure argument). `s` should not report:
 * the closures compile the same parts and report for them.
 */
export function generatedReceive(st: ReceiveStmt, s: Scope, slow: ChannelCode): ChannelCode | undefined {
  if (st.random) return undefined
  const stores: (RefPlan | undefined)[] = []
  for (const a of st.args) {
    if (a.kind === 'recvVar' && !isSkip(a.ref) && !isMtypeValue(a.ref, s)) {
      const plan = planRef(a.ref, s)
      if (!plan) return undefined
      stores.push(plan)
    } else stores.push(undefined)
  }
  const width = st.args.length
  const guard = new Emitter()
  const chanOf = (em: Emitter): string => `x.chan(${exprSource(st.chan, s, em)}, ${em.ref(st.span)})`
  // The head message matches: each constant (`eval(e)`, a mtype name) equals its field, in order.
  const matches = (em: Emitter): string => {
    let src = 'true'
    st.args.forEach((a, f) => {
      if (a.kind === 'recvConst' || a.kind === 'recvEval') src += ` && v[off + ${2 + f}] === ${exprSource(a.value, s, em)}`
      else if (isMtypeValue(a.ref, s)) src += ` && v[off + ${2 + f}] === ${s.symbols.mtypes.get(a.ref.name)!.value | 0}`
    })
    return src
  }
  const guardBody = `const off = ${chanOf(guard)};
  const type = x.layout.chanTypes[v[off]];
  if (type.capacity === 0) return false;
  if (type.fields.length < ${width}) return ${guard.ref(slow.guard)}(x);
  if (v[off + 1] === 0) return false;
  return ${matches(guard)};`
  const effect = new Emitter()
  let storesSrc = ''
  stores.forEach((plan, f) => {
    if (plan) storesSrc += `
  v[${slotSource(plan, s, effect)}] = ${truncated(plan.scalar, `v[off + ${2 + f}]`)};`
  })
  const slowEffect = effect.ref(slow.effect)
  const effectBody = `const off = ${chanOf(effect)};
  if (x.layout.chanTypes[v[off]].fields.length !== ${width} || v[off + 1] === 0 || !(${matches(effect)})) {
    ${slowEffect}(x);
    return;
  }${storesSrc}
  ${st.keep ? '' : `${effect.ref(dequeue)}(x, ${chanOf(effect)}, 0);`}`
  return { guard: guard.build(guardBody), effect: effect.build(effectBody), effectCode: effect.fragment(effectBody) }
}

/**
 * A send as generated code: the guard tests the channel's room, the effect appends the message
 * (a sorted send, `c!!…`, and a channel whose messages have another number of fields go to
 * `slow`). Undefined for a send with a structure argument. `s` should not report (see `generatedReceive`).
 */
export function generatedSend(st: SendStmt, s: Scope, slow: ChannelCode): ChannelCode | undefined {
  for (const a of st.args) if (a.kind === 'ref' && a.fields.length === 0 && !isMtypeValue(a, s) && !planRef(a, s)) return undefined
  const width = st.args.length
  const guard = new Emitter()
  const guardBody = `const off = x.chan(${exprSource(st.chan, s, guard)}, ${guard.ref(st.span)});
  const type = x.layout.chanTypes[v[off]];
  return type.capacity > 0 && v[off + 1] < type.capacity;`
  if (st.sorted) return { guard: guard.build(guardBody), effect: slow.effect }
  const effect = new Emitter()
  // The channel, then the fields in order, as the closures evaluate them.
  let body = `const off = x.chan(${exprSource(st.chan, s, effect)}, ${effect.ref(st.span)});`
  st.args.forEach((a, f) => (body += `
  const a${f} = ${exprSource(a, s, effect)};`))
  body += `
  const type = x.layout.chanTypes[v[off]];
  if (type.fields.length !== ${width}) {
    ${effect.ref(slow.effect)}(x);
    return;
  }
  const len = v[off + 1];
  const at = off + 2 + len * ${width};`
  const trunc = effect.ref(truncate)
  st.args.forEach((_, f) => (body += `
  v[at + ${f}] = ${trunc}(type.fields[${f}], a${f});`))
  body += `
  v[off + 1] = len + 1;`
  return { guard: guard.build(guardBody), effect: effect.build(body), effectCode: effect.fragment(body) }
}

/** `_` as a receive argument: the field is skipped. */
function isSkip(r: VarRef): boolean {
  return r.name === '_' && r.index === undefined && r.fields.length === 0
}

/** Whether `exprSource` writes `e`'s outermost node as source (else it calls `e`'s closure). */
function hasSource(e: Expr, s: Scope): boolean {
  switch (e.kind) {
    case 'number':
    case 'bool':
    case 'unary':
    case 'cond':
      return true
    case 'binary':
      return e.op !== '/' && e.op !== '%'
    case 'ref':
      return isMtypeValue(e, s) || planRef(e, s) !== undefined
    case 'builtin':
      return e.name === '_pid' || e.name === '_nr_pr' || e.name === '_last' || e.name === 'timeout'
    case 'chanQuery':
      return e.op === 'len' || e.op === 'empty' || e.op === 'nempty'
    default:
      return false
  }
}

/** JavaScript for `e`'s value (an int32), left to right as the closures evaluate it. */
function exprSource(e: Expr, s: Scope, em: Emitter): string {
  if (!hasSource(e, s)) return `${em.ref(compileExpr(e, s))}(x)`
  switch (e.kind) {
    case 'number':
      return `(${e.value | 0})`
    case 'bool':
      return e.value ? '1' : '0'
    case 'unary': {
      const a = exprSource(e.operand, s, em)
      return e.op === '-' ? `(-${a} | 0)` : e.op === '!' ? `(${a} === 0 ? 1 : 0)` : `(~${a})`
    }
    case 'binary': {
      const a = exprSource(e.left, s, em)
      const b = exprSource(e.right, s, em)
      switch (e.op) {
        case '&&':
          return `(${a} !== 0 && ${b} !== 0 ? 1 : 0)`
        case '||':
          return `(${a} !== 0 || ${b} !== 0 ? 1 : 0)`
        case '+':
        case '-':
          return `((${a} ${e.op} ${b}) | 0)`
        case '*':
          return `Math.imul(${a}, ${b})`
        case '==':
          return `(${a} === ${b} ? 1 : 0)`
        case '!=':
          return `(${a} !== ${b} ? 1 : 0)`
        case '<':
        case '<=':
        case '>':
        case '>=':
          return `(${a} ${e.op} ${b} ? 1 : 0)`
        default:
          // & | ^ << >>: int32 operators in JavaScript as in C.
          return `(${a} ${e.op} ${b})`
      }
    }
    case 'cond':
      return `(${exprSource(e.test, s, em)} !== 0 ? ${exprSource(e.then, s, em)} : ${exprSource(e.else, s, em)})`
    case 'ref': {
      if (isMtypeValue(e, s)) return `(${s.symbols.mtypes.get(e.name)!.value | 0})`
      return `v[${slotSource(planRef(e, s)!, s, em)}]`
    }
    case 'builtin':
      return e.name === '_pid' ? 'x.pid' : e.name === '_nr_pr' ? 'x.nprocs' : e.name === '_last' ? 'v[2]' : '(x.timeout ? 1 : 0)'
    case 'chanQuery': {
      const len = `v[x.chan(${exprSource(e.chan, s, em)}, ${em.ref(e.span)}) + 1]`
      return e.op === 'len' ? len : e.op === 'empty' ? `(${len} === 0 ? 1 : 0)` : `(${len} !== 0 ? 1 : 0)`
    }
    default:
      // hasSource admits no other kind.
      throw new Error(`no source form for a '${e.kind}' expression`)
  }
}

/** A mtype name used as a value (not shadowed by a variable). */
function isMtypeValue(r: VarRef, s: Scope): boolean {
  return r.index === undefined && r.fields.length === 0 && s.symbols.mtypes.has(r.name) && !lookupVar(r.name, s)
}

/** A scalar variable reference resolved against the declarations: its constant offset and its indexes. */
interface RefPlan {
  readonly local: boolean
  /** The slot without the indexes: from the start of the vector (global) or of the process's locals. */
  readonly offset: number
  /** Each `[i]`, in source order: the index, the array's length and its element's slots. */
  readonly indexes: readonly { readonly index: Expr; readonly length: number; readonly size: number; readonly name: string; readonly span: Span }[]
  readonly scalar: Scalar
}

/** `compileRef`'s walk over a reference, without compiling anything; undefined for anything it would report. */
function planRef(r: VarRef, s: Scope): RefPlan | undefined {
  const sym = lookupVar(r.name, s)
  if (!sym) return undefined
  let offset = sym.scope === 'global' ? s.layout.globalsStart + sym.offset : sym.offset
  let type = sym.type
  let path = r.name
  const indexes: RefPlan['indexes'][number][] = []
  const steps = [{ field: undefined as string | undefined, index: r.index, span: r.span }, ...r.fields.map((f) => ({ field: f.name as string | undefined, index: f.index, span: f.span }))]
  for (let k = 0; k < steps.length; k++) {
    const step = steps[k]!
    if (step.field !== undefined) {
      if (type.kind === 'array') type = type.elem
      if (type.kind !== 'struct') return undefined
      const f = type.fields.get(step.field)
      if (!f) return undefined
      offset += f.offset
      type = f.type
      path = `${path}.${step.field}`
    }
    if (step.index !== undefined) {
      if (type.kind !== 'array') return undefined
      indexes.push({ index: step.index, length: type.length, size: slotsOf(type.elem), name: path, span: step.span })
      type = type.elem
    } else if (type.kind === 'array' && k === steps.length - 1) {
      type = type.elem
    }
  }
  if (type.kind !== 'scalar') return undefined
  return { local: sym.scope !== 'global', offset, indexes, scalar: type.scalar }
}

/**
 * The slot of a planned reference. The closures evaluate the last index first (each index's slot
 * function checks its own index, then asks the one before it), so the terms are written in that order.
 */
function slotSource(plan: RefPlan, s: Scope, em: Emitter): string {
  let src = ''
  for (let k = plan.indexes.length - 1; k >= 0; k--) {
    const { index, length, size, name, span } = plan.indexes[k]!
    const check = em.ref((i: number): number => {
      if (i < 0 || i >= length) throw runtimeError(`index out of range: ${name}[${i}], the array has ${length} elements`, span)
      return i
    })
    src += `${check}(${exprSource(index, s, em)})${size === 1 ? '' : ` * ${size}`} + `
  }
  return `${src}${plan.local ? 'x.base + ' : ''}${plan.offset}`
}

/** `value` converted to the scalar's C type, as `truncator` converts it. */
function truncated(t: Scalar, value: string): string {
  switch (t.kind) {
    case 'bit':
    case 'bool':
      return `(${value}) & 1`
    case 'byte':
    case 'pid':
    case 'mtype':
    case 'chan':
      return `(${value}) & 255`
    case 'short':
      return `((${value}) << 16) >> 16`
    case 'int':
      return `(${value}) | 0`
    case 'unsigned':
      return t.bits >= 32 ? `(${value}) >>> 0` : `(${value}) & ${2 ** t.bits - 1}`
  }
}
