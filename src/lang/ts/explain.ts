/**
 * Why a TypeScript invariant fails (or an action throws), for the end of a counterexample: the
 * function is run again on a recording Proxy of the failing state, and the state paths it read are
 * listed with their values, in the model's own syntax (`s.active = 1`, `s.deleted = [1]`).
 *
 * What counts as read: a property whose value is a primitive, a Set, a Map or another object the
 * function did not look inside; an array or object on which it called a method (`includes`,
 * `every`, iteration), shown whole rather than element by element. Properties only copied (object
 * spread) are not reads. Runs when rendering only, on copies: the state itself is never touched.
 */
import { ExplanationBuilder } from '../../core/explain.js'
import type { Explanation, SourcePoint } from '../../core/model.js'
import { formatValue } from '../../core/format.js'

interface Read {
  readonly value: unknown
  /** A method was called on it, or it was iterated: show it whole. */
  whole: boolean
  /** Something inside it was read. */
  inner: boolean
}

/** The paths read by `fn` run on `state`, and what it returned or threw. */
export function recordReads(root: string, state: unknown, fn: (proxy: unknown) => unknown): { reads: [string, unknown][]; result: { value: unknown } | { error: unknown } } {
  const log = new Map<string, Read>()
  const proxy = recording(state, root, log)
  let result: { value: unknown } | { error: unknown }
  try {
    result = { value: fn(proxy) }
  } catch (error) {
    result = { error }
  }
  const paths = [...log.keys()]
  const shown = paths.filter((p) => {
    const r = log.get(p)!
    if (!r.whole && r.inner) return false
    // Inside something shown whole: already in its value.
    return !paths.some((q) => q !== p && p.startsWith(q) && /^[.[]/.test(p.slice(q.length)) && log.get(q)!.whole)
  })
  return { reads: shown.map((p) => [p, log.get(p)!.value]), result }
}

/** Whether a value is looked into through a Proxy: plain objects and arrays (not Sets, Maps, class instances). */
function proxiable(v: unknown): v is object {
  if (typeof v !== 'object' || v === null) return false
  if (Array.isArray(v)) return true
  const proto = Object.getPrototypeOf(v)
  return proto === Object.prototype || proto === null
}

function recording(value: unknown, path: string, log: Map<string, Read>, onRead?: () => void): unknown {
  if (!proxiable(value)) return value
  // States are frozen, and a Proxy of a frozen object must return its properties unchanged: the
  // Proxy wraps an unfrozen copy, so that it can hand out recording Proxies of the children.
  const target: object = Array.isArray(value) ? [...value] : Object.assign(Object.create(Object.getPrototypeOf(value) as object | null) as object, value)
  const copying = new Set<PropertyKey>()
  const mark = (f: (r: Read) => void): void => {
    const r = log.get(path)
    if (r) f(r)
  }
  return new Proxy(target, {
    get(t, key, receiver) {
      const child: unknown = Reflect.get(t, key, receiver)
      if (copying.delete(key)) return child
      onRead?.()
      if (typeof key === 'symbol' || typeof child === 'function') {
        mark((r) => (r.whole = true))
        return child
      }
      if (!Object.prototype.hasOwnProperty.call(t, key)) return child
      mark((r) => (r.inner = true))
      const at = childPath(path, key, Array.isArray(value))
      if (!log.has(at)) log.set(at, { value: child, whole: false, inner: false })
      return recording(child, at, log, onRead)
    },
    getOwnPropertyDescriptor(t, key) {
      // Object spread and Object.assign ask for the descriptor, then get: a copy, not a read.
      copying.add(key)
      return Reflect.getOwnPropertyDescriptor(t, key)
    },
    has(t, key) {
      mark((r) => (r.whole = true))
      return Reflect.has(t, key)
    },
  })
}

function childPath(path: string, key: string, array: boolean): string {
  if (array && /^\d+$/.test(key)) return `${path}[${key}]`
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`
}

/** The name of a function's first parameter, as the model's author wrote it (`s`, `state`), or `state`. */
export function firstParam(fn: (...args: never[]) => unknown): string {
  const m = /^\s*(?:async\s*)?(?:function\b[^(]*)?\(?\s*([A-Za-z_$][\w$]*)/.exec(Function.prototype.toString.call(fn))
  return m && m[1] !== 'function' ? m[1]! : 'state'
}

/**
 * The explanation of a predicate (or an action) run on a state: each path it read with its value,
 * then its call with the result. `call` is how the call is written, e.g. `inv(s)`.
 */
export function explainCall(root: string, state: unknown, fn: (proxy: unknown) => unknown, call: string, title: string): Explanation | undefined {
  const { reads, result } = recordReads(root, state, fn)
  const out = new ExplanationBuilder()
  for (const [p, v] of reads) out.add(0, p, formatValue(v))
  if ('error' in result) out.add(0, call, undefined, `throws: ${result.error instanceof Error ? result.error.message : String(result.error)}`)
  else out.add(0, call, formatValue(result.value))
  return out.build(title)
}

/**
 * Where an action's own code first reads the state: its step function `fn` is called on a Proxy
 * of the state (with `params`), and the first read takes a stack trace, whose frame just above this function's is the
 * action's (at the line that reads, or that calls the helper that reads). Under Node with source
 * maps (tsx) the frame names the model's TypeScript file and line. Undefined when the action reads
 * nothing, or the frame is not a file (a bundle in a browser).
 */
export function actionSite(state: unknown, fn: (state: never, ...params: never[]) => unknown, params: readonly unknown[]): SourcePoint | undefined {
  let stack: string | undefined
  const proxy = recording(state, 'state', new Map(), () => {
    stack ??= deepStack()
  })
  weftActionSite(fn as (...args: unknown[]) => unknown, [proxy, ...params])
  if (stack === undefined) return undefined
  const frames = stack.split('\n').map((l) => l.trim())
  const own = frames.findIndex((l) => /^at (?:Object\.)?weftActionSite \(/.test(l))
  if (own <= 1) return undefined
  // `at fn (/abs/file.ts:3:9)`, `at /abs/file.ts:3:9`, `file:///…`, `C:\…`; not a URL of a bundle.
  const m = /(?:\(|^at )((?:file:\/\/)?\/[^()]*?|[A-Za-z]:\\[^()]*?):(\d+):(\d+)\)?$/.exec(frames[own - 1]!)
  if (!m) return undefined
  const file = m[1]!.startsWith('file://') ? decodeURIComponent(m[1]!.slice('file://'.length)) : m[1]!
  return { file, line: Number(m[2]), col: Number(m[3]) }
}

/** The frame this function leaves on the stack marks where weft's code ends and the action's begins. */
function weftActionSite(fn: (...args: unknown[]) => unknown, args: readonly unknown[]): void {
  try {
    fn(...args)
  } catch {
    // An action that throws has still read what it read before.
  }
}

/** A stack trace deep enough to reach past the model's helpers to the action itself. */
function deepStack(): string | undefined {
  // V8's limit on stack frames (other engines ignore it).
  const v8 = Error as { stackTraceLimit?: number }
  const limit = v8.stackTraceLimit
  v8.stackTraceLimit = 64
  try {
    return new Error().stack
  } finally {
    v8.stackTraceLimit = limit
  }
}
