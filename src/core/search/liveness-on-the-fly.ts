import type { Model } from '../model.js'
import { findFairLasso, type FairnessAtoms } from './fair-cycles.js'
import { findFairCycleOnTheFly } from './fair-on-the-fly.js'
import { GraphExpansion } from './graph-expansion.js'
import { lassoDiscovery } from './liveness.js'
import { Exploration, isOutOfMemory } from './shared.js'
import type { SearchOptions, SearchResult } from './types.js'

/**
 * Whether the liveness search may look for cycles on the fly (`searchLivenessOnTheFly`): the model
 * asks for it, every fairness condition is weak (strong fairness needs the whole graph), and the
 * search has no depth bound (a depth-first bound cuts other states than a breadth-first one) and
 * stops at its first violation.
 */
export function canSearchOnTheFly<S, A>(model: Model<S, A>, options: SearchOptions): boolean {
  const spec = model.liveness
  return spec !== undefined && spec.onTheFly === true && spec.fairness.every((f) => !f.strong) && options.maxDepth === undefined && !options.continueAfterViolation
}

/**
 * Temporal properties under weak fairness, on the fly: the graph is built as a depth-first search
 * of the product with each property's automaton enters its states (`fair-on-the-fly.ts`), so a
 * fair accepting cycle is reported as soon as a component holding it is seen, without the rest of
 * the graph. New states are counted and checked as the safety search does (invariants, step
 * properties, deadlocks), and states wait to be expanded as encoded bytes (or as themselves when
 * the model cannot decode). Properties are searched in order, each on the graph built so far; when
 * none has a counterexample, the states no automaton entered are expanded too, so that the counts
 * and checks are those of the whole graph. The counterexample is the whole-graph search's lasso
 * (`fair-cycles.ts`) on the graph built so far: a shortest prefix within it, then a cycle through
 * what each mark needs. The depth reported is the breadth-first depth of that graph.
 *
 * Cost: as `searchLiveness` for a complete search, plus an Int32 per product node.
 */
export function searchLivenessOnTheFly<S, A>(model: Model<S, A>, options: SearchOptions): SearchResult {
  const spec = model.liveness!
  const ex = new Exploration(model, options)
  // States found but not yet expanded, by id.
  const pending = new Map<number, S | Uint8Array>()
  const decode = model.decode?.bind(model)
  const found = (s: S, bytes: Uint8Array, id: number): void => void pending.set(id, decode ? bytes.slice() : s)
  const expand = (id: number): boolean => {
    if (!graph.isExpanded(id)) {
      const held = pending.get(id)!
      pending.delete(id)
      expansion.expand(decode ? decode(held as Uint8Array) : (held as S), id, false, found)
      ex.tick(pending.size, 0)
    }
    return !ex.stopped
  }
  const expansion = new GraphExpansion(model, ex, expand)
  const { graph, choicesOf } = expansion
  try {
    if (!expansion.initialStates(found)) return ex.result(0, expansion.log.bytes, false)
    const fairness: FairnessAtoms[] = spec.fairness.map((f) => ({ strong: false, enabled: f.enabled, taken: spec.stateAtoms.length + f.taken }))
    let violated = false
    for (const p of spec.properties) {
      if (ex.stopped || graph.initial.length === 0) break
      const verdict = findFairCycleOnTheFly(graph, graph.initial, p.violations, fairness)
      if (verdict === 'stopped') break
      if (verdict === 'none') continue
      const lasso = findFairLasso(graph.finish(), p.violations, fairness)
      if (!lasso) throw new Error(`the on-the-fly search found a fair cycle of '${p.name}' that the lasso search does not`)
      ex.record(lassoDiscovery(p, lasso, graph, choicesOf))
      violated = true
      break
    }
    // No counterexample: the states no automaton reached are explored too, for the counts and checks.
    while (!violated && !ex.stopped && pending.size > 0) expand(pending.keys().next().value!)
  } catch (e) {
    if (!isOutOfMemory(e)) throw e
    ex.outOfMemory()
  }
  return ex.result(graph.levels(), expansion.bytes, false)
}
