/**
 * Statement coverage for a Promela model, as SPIN's unreached-code report counts it: every
 * statement of every proctype (and each proctype's `-end-`), and which of them a check executed.
 * A `d_step` counts as one statement; the statements inside it run with it. Statements at
 * locations no process can reach are not listed (the flow graph keeps some after resolving jumps).
 */
import type { Coverage, CoverageItem } from '../../core/model.js'
import type { ProcGraph, Transition } from './cfg.js'
import type { Program } from './model.js'

export function promelaCoverage(program: Program): Coverage<Int32Array, { readonly moves: readonly { readonly t: Transition }[] }> {
  const index = new Map<Transition, number>()
  const items: CoverageItem[] = []
  const toEnd = new Map<Transition, number>()
  program.graphs.forEach((graph, ptype) => {
    const group = graph.proc.name === ':init:' ? 'init' : graph.proc.name
    const at = reachable(graph)
    const trans = new Set<Transition>()
    graph.locations.forEach((loc) => {
      if (!at.has(loc.id)) return
      for (const t of [...loc.escapes, ...loc.trans]) trans.add(t)
    })
    const sorted = [...trans].sort((a, b) => a.span.start - b.span.start || a.id - b.id)
    for (const t of sorted) {
      index.set(t, items.length)
      items.push({ name: t.text, group, span: t.span })
    }
    // The end counts as reached by every step into a process's end location, as SPIN's report counts it.
    const end = program.endSteps[ptype]!
    index.set(end, items.length)
    for (const t of sorted) if (graph.locations[t.to]!.isEnd) toEnd.set(t, items.length)
    items.push({ name: '-end-', group, span: end.span })
  })
  return {
    items,
    fired: (_v, step) => {
      const out: number[] = []
      for (const m of step.moves) {
        const i = index.get(m.t)
        if (i !== undefined) out.push(i)
        const e = toEnd.get(m.t)
        if (e !== undefined) out.push(e)
      }
      return out
    },
  }
}

/**
 * The locations a process can be at: those reachable from the entry. A d_step's body is not
 * among them (the d_step runs it in one step), nor are the unreachable copies of options that
 * resolving jumps leaves behind.
 */
function reachable(graph: ProcGraph): Set<number> {
  const seen = new Set<number>([graph.entry])
  const todo = [graph.entry]
  while (todo.length > 0) {
    const loc = graph.locations[todo.pop()!]!
    for (const t of [...loc.escapes, ...loc.trans]) {
      if (!seen.has(t.to)) {
        seen.add(t.to)
        todo.push(t.to)
      }
    }
  }
  return seen
}
