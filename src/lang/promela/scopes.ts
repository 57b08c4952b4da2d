import type { Diagnostic } from '../../diag/diagnostic.js'
import { error } from '../../diag/diagnostic.js'
import type { DeclGroup, PmlModule, Sequence, Stmt, VarDecl } from './ast.js'

/**
 * Gives block-scoped locals their own names, as SPIN 6 does: a variable declared inside braces
 * (a `{ }` block, `atomic`, `d_step`, an inline's body, a `for` body) is a variable of its own,
 * visible in that block, so sibling blocks (or two expansions of one inline) may each declare
 * `t`. Redeclaring a name that an enclosing scope already has is an error, as in SPIN.
 * Renamed variables are shown as `name#n`.
 */
export function scopeLocals(module: PmlModule, report: (d: Diagnostic) => void): PmlModule {
  return {
    ...module,
    items: module.items.map((item) => {
      if (item.kind !== 'proctype' && item.kind !== 'init') return item
      let counter = 0
      const top = new Map<string, string>()
      if (item.kind === 'proctype') for (const p of item.params) top.set(p.name, p.name)

      const lookup = (scopes: readonly Map<string, string>[], name: string): string | undefined => {
        for (let i = scopes.length - 1; i >= 0; i--) {
          const n = scopes[i]!.get(name)
          if (n !== undefined) return n
        }
        return undefined
      }
      const rename = <T>(node: T, scopes: readonly Map<string, string>[]): T => {
        if (Array.isArray(node)) return node.map((n) => rename(n, scopes)) as T
        if (typeof node !== 'object' || node === null) return node
        const o = node as Record<string, unknown>
        if (o['kind'] === 'remoteVar') return node
        const out: Record<string, unknown> = {}
        for (const k in o) out[k] = k === 'span' ? o[k] : rename(o[k], scopes)
        if (o['kind'] === 'ref') {
          const n = lookup(scopes, o['name'] as string)
          if (n !== undefined) out['name'] = n
        }
        return out as T
      }
      const seq = (s: Sequence, scopes: Map<string, string>[]): Sequence => ({
        ...s,
        steps: s.steps.map((st) => ({ ...st, stmt: stmt(st.stmt, scopes), ...(st.unless ? { unless: seq(st.unless, scopes) } : {}) })),
      })
      const block = (s: Sequence, scopes: Map<string, string>[]): Sequence => seq(s, [...scopes, new Map()])
      const stmt = (st: Stmt, scopes: Map<string, string>[]): Stmt => {
        switch (st.kind) {
          case 'decl': {
            const inner = scopes[scopes.length - 1]!
            const vars: VarDecl[] = st.vars.map((v) => {
              const init = v.init ? rename(v.init, scopes) : undefined
              const clash = lookup(scopes, v.name)
              if (clash !== undefined && (scopes.length > 1 || inner.has(v.name))) {
                report(error('PML102', `redeclaration of '${v.name}'`, { span: v.span }))
              }
              const name = scopes.length === 1 || clash !== undefined ? v.name : `${v.name}#${++counter}`
              inner.set(v.name, name)
              return { ...v, name, ...(init ? { init } : {}) }
            })
            return { ...st, vars } as DeclGroup
          }
          case 'block':
          case 'atomic':
          case 'dStep':
            return { ...st, body: block(st.body, scopes) }
          case 'if':
          case 'do':
            return { ...st, options: st.options.map((o) => seq(o, scopes)) }
          case 'for':
            return { ...st, variable: rename(st.variable, scopes), range: rename(st.range, scopes), body: block(st.body, scopes) }
          default:
            return rename(st, scopes)
        }
      }
      return { ...item, body: seq(item.body, [top]) }
    }),
  }
}
