import type { Diagnostic } from '../../diag/diagnostic.js'
import { error } from '../../diag/diagnostic.js'
import type { Expr, InlineDecl, PmlModule, Sequence, Stmt, VarRef } from './ast.js'

/**
 * Replaces every inline call with the inline's body, its parameters replaced by the arguments, as
 * SPIN does (textually, but here on the tree). A parameter used as `p[i]` or `p.f` takes the
 * argument variable's name.
 */
export function expandInlines(module: PmlModule, report: (d: Diagnostic) => void): PmlModule {
  const inlines = new Map<string, InlineDecl>()
  for (const item of module.items) if (item.kind === 'inline') inlines.set(item.name, item)
  if (inlines.size === 0) return module
  const expandSeq = (seq: Sequence, depth: number): Sequence => ({ ...seq, steps: seq.steps.map((st) => ({ ...st, stmt: expandStmt(st.stmt, depth), ...(st.unless ? { unless: expandSeq(st.unless, depth) } : {}) })) })
  const expandStmt = (st: Stmt, depth: number): Stmt => {
    switch (st.kind) {
      case 'inlineCall': {
        const def = inlines.get(st.name)
        if (!def) {
          report(error('PML107', `no inline named '${st.name}'`, { span: st.span }))
          return { id: st.id, span: st.span, kind: 'skip' }
        }
        if (def.params.length !== st.args.length) {
          report(error('PML208', `inline '${st.name}' takes ${def.params.length} argument${def.params.length === 1 ? '' : 's'}, the call gives ${st.args.length}`, { span: st.span }))
        }
        if (depth > 64) {
          report(error('PML109', `inline '${st.name}' expands into itself`, { span: st.span }))
          return { id: st.id, span: st.span, kind: 'skip' }
        }
        const bindings = new Map(def.params.map((p, i) => [p, st.args[i]] as const))
        const body = substitute(def.body, bindings) as Sequence
        return { id: st.id, span: st.span, kind: 'block', body: expandSeq(body, depth + 1) }
      }
      case 'if':
      case 'do':
        return { ...st, options: st.options.map((o) => expandSeq(o, depth)) }
      case 'for':
      case 'atomic':
      case 'dStep':
      case 'block':
        return { ...st, body: expandSeq(st.body, depth) }
      default:
        return st
    }
  }
  return {
    ...module,
    items: module.items.map((item) => {
      switch (item.kind) {
        case 'proctype':
        case 'init':
        case 'never':
        case 'trace':
        case 'notrace':
          return { ...item, body: expandSeq(item.body, 0) }
        default:
          return item
      }
    }),
  }
}

function substitute(node: unknown, bindings: ReadonlyMap<string, Expr | undefined>): unknown {
  if (Array.isArray(node)) return node.map((n) => substitute(n, bindings))
  if (typeof node !== 'object' || node === null) return node
  const o = node as Record<string, unknown>
  if (o['kind'] === 'ref') {
    const ref = o as unknown as VarRef
    const arg = bindings.get(ref.name)
    const index = ref.index === undefined ? undefined : (substitute(ref.index, bindings) as Expr)
    const fields = ref.fields.map((f) => ({ ...f, ...(f.index ? { index: substitute(f.index, bindings) as Expr } : {}) }))
    if (arg === undefined) return { ...ref, ...(index ? { index } : {}), fields }
    if (arg.kind === 'ref') {
      // p[i].f with p bound to a[j].g: a[j].g[i].f is only meaningful when one side has no selectors.
      if (index === undefined && fields.length === 0) return arg
      if (arg.index === undefined && arg.fields.length === 0) return { ...arg, ...(index ? { index } : {}), fields }
      const last = arg.fields.length > 0 ? arg.fields[arg.fields.length - 1]! : undefined
      if (last && last.index === undefined && index) return { ...arg, fields: [...arg.fields.slice(0, -1), { ...last, index }, ...fields] }
      return { ...arg, fields: [...arg.fields, ...fields] }
    }
    return arg
  }
  const out: Record<string, unknown> = o['kind'] === 'select' ? { inInline: true } : {}
  for (const k in o) out[k] = k === 'span' ? o[k] : substitute(o[k], bindings)
  return out
}
