import type { LivenessProperty, Model } from '../model.js'
import { ByteFrontier, ObjectFrontier, type Frontier } from '../store/frontier.js'
import { findFairLasso, STUTTER, type GraphLasso } from './fair-cycles.js'
import { GraphExpansion } from './graph-expansion.js'
import { Exploration, isOutOfMemory } from './shared.js'
import type { Discovery, SearchOptions, SearchResult } from './types.js'

/**
 * Temporal properties under fairness (TLC's liveness checking with `-lncheck final`): a
 * breadth-first search builds the whole reachable graph, counting and checking exactly as the
 * safety search does (so distinct states, transitions, depth and safety counterexamples are the
 * same), and keeps each state's id, its edges and a bitmask of the atoms that hold per state and
 * per edge. Once the graph is complete, each property's automaton (of its negation) is combined
 * with it and searched for a fair accepting cycle (`fair-cycles.ts`); the first property with one
 * is reported, its counterexample a lasso: a shortest prefix, then a cycle through what the
 * acceptance and fairness conditions need.
 *
 * Cost: the safety search, plus per state and per edge 4 bytes per 32 atoms and 8 bytes of edge,
 * plus per property three words per product node. Nothing is checked while the graph is incomplete.
 * (A model that allows it, with weak fairness only, is searched on the fly instead:
 * `liveness-on-the-fly.ts`.)
 */
export function searchLiveness<S, A>(model: Model<S, A>, options: SearchOptions): SearchResult {
  const spec = model.liveness!
  const ex = new Exploration(model, options)
  const frontier: Frontier<S> = model.decode ? new ByteFrontier((b) => model.decode!(b)) : new ObjectFrontier<S>()
  const expansion = new GraphExpansion(model, ex)
  const { graph, choicesOf } = expansion
  let depth = 0
  let truncated = false
  try {
    const started = expansion.initialStates((s, bytes, id) => frontier.push(s, bytes, id))
    if (!started) return ex.result(0, expansion.log.bytes, false)
    let levelLeft = frontier.length
    let nextLevel = 0
    if (levelLeft > 0) depth = 1
    while (frontier.length > 0 && !ex.stopped) {
      if (levelLeft === 0) {
        levelLeft = nextLevel
        nextLevel = 0
        depth++
      }
      levelLeft--
      const atBound = depth >= ex.maxDepth
      const s = frontier.shift()
      const id = frontier.lastId
      ex.tick(frontier.length, depth)
      if (ex.stopped) break
      const cut = expansion.expand(s, id, atBound, (t, bytes, tid) => {
        frontier.push(t, bytes, tid)
        nextLevel++
      })
      if (cut) truncated = true
    }
    if (!ex.stopped && !truncated && ex.first === undefined) {
      const g = graph.finish()
      for (const p of spec.properties) {
        const lasso = findFairLasso(g, p.violations, spec.fairness.map((f) => ({ strong: f.strong, enabled: f.enabled, taken: spec.stateAtoms.length + f.taken })))
        if (!lasso) continue
        ex.record(lassoDiscovery(p, lasso, graph, choicesOf))
        if (ex.stopped) break
      }
    }
  } catch (e) {
    if (!isOutOfMemory(e)) throw e
    ex.outOfMemory()
  }
  return ex.result(depth, expansion.bytes, truncated)
}

/** A lasso of graph steps as a ChoicePath: stuttering steps are left out (the properties cannot tell). */
export function lassoDiscovery(property: LivenessProperty, lasso: GraphLasso, graph: { actionOf(edge: number): number }, choicesOf: (id: number) => number[]): Discovery {
  const { name, span } = property
  const choices = choicesOf(lasso.start)
  let loop = choices.length - 1
  for (let i = 0; i < lasso.steps.length; i++) {
    if (i === lasso.loop) loop = choices.length - 1
    const step = lasso.steps[i]!
    if (step !== STUTTER) choices.push(graph.actionOf(step))
  }
  if (lasso.loop === lasso.steps.length) loop = choices.length - 1
  const stutters = choices.length - 1 === loop
  return {
    kind: property.violation?.kind ?? 'property',
    name,
    message: property.violation?.message ?? `property '${name}' is violated: ${stutters ? 'the behaviour below stops changing at its last state' : 'the behaviour below repeats its cycle forever'}`,
    choices,
    loop,
    ...(span ? { span } : {}),
  }
}
