import { error } from '../../diag/diagnostic.js'
import type { Span } from '../../diag/span.js'
import type { Expr } from './ast.js'
import type { Scope } from './expr.js'
import type { ChanType } from './symbols.js'
import { slotsOf } from './types.js'

/**
 * The type of the channel an expression names, when it is known before the run: a channel variable
 * (or an element of a channel array) declared with `[n] of { … }` that no assignment or receive
 * writes. Any other channel (a parameter, a variable assigned later) is only known when it runs.
 */
export function staticChanType(e: Expr, s: Scope): ChanType | undefined {
  if (e.kind !== 'ref' || e.fields.length > 0 || s.symbols.written.has(e.name)) return undefined
  const sym = s.proc?.locals.get(e.name) ?? s.symbols.globals.get(e.name)
  if (!sym || sym.decl.init?.kind !== 'chanInit') return undefined
  const creations = sym.scope === 'global' ? s.symbols.globalChans : (s.proc?.chans ?? [])
  const end = sym.offset + slotsOf(sym.type)
  return creations.find((c) => c.slot >= sym.offset && c.slot < end)?.type
}

/**
 * Reports a send or receive whose fields the channel cannot carry, when the channel's type is known
 * (`staticChanType`): a send and a receive that removes the message must name every field, a poll
 * or `?<…>` at most as many as there are.
 */
export function checkFieldCount(chan: Expr, width: number, op: 'send' | 'receive' | 'poll', span: Span, s: Scope): void {
  const t = staticChanType(chan, s)
  if (!t) return
  const n = t.fields.length
  if (op === 'poll' ? width <= n : width === n) return
  const name = chan.kind === 'ref' ? chan.name : 'the channel'
  s.report(
    error('PML211', `the ${op} names ${width} field${width === 1 ? '' : 's'}, but the messages of '${name}' have ${n}`, {
      span,
      label: `${n === 1 ? 'one field' : `${n} fields`} expected`,
      hint: `'${name}' is declared with ${n} field${n === 1 ? '' : 's'}${t.fields.length !== t.declared.length ? ' (structure fields counted one by one)' : ''}; ${op === 'poll' ? 'a poll may name the first fields only' : 'name one value or variable per field'}`,
    }),
  )
}
