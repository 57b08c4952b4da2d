import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { graphModel, type Graph } from '../../../test/support/graph-model.js'
import { explore } from '../check.js'
import type { Model } from '../model.js'
import { defaultSearchOptions } from './types.js'

// two diamonds in a row with a back edge, and a dead end: 0 -> {1, 2} -> 3 -> {4, 5} -> 6 -> 0
const graph: Graph = { nodes: 7, inits: [0], edges: [[1, 2], [3], [3], [4, 5], [6], [6], [0]] }

/** A state the model made: a box, so that the search's hand-backs can be told apart. */
interface Box {
  readonly node: number
}

/**
 * The graph model with boxed states made by `keepNext` and `decode`, recording what the search
 * gives back with `release`: a state handed back twice, or one the model did not make, or one
 * still in use, would be reused while the search holds it.
 */
function releasing(g: Graph): { model: Model<Box, number>; made: Set<Box>; released: Box[] } {
  const m = graphModel(g)
  const made = new Set<Box>()
  const released: Box[] = []
  let last = -1
  const make = (node: number): Box => {
    const b = { node }
    made.add(b)
    return b
  }
  const model: Model<Box, number> = {
    name: 'releasing',
    initStates: () => m.initStates().map((node) => ({ node })),
    actions: (s) => {
      assert.ok(!released.includes(s), `state ${s.node} used after it was given back`)
      return m.actions(s.node)
    },
    nextState: (s, a) => {
      const n = m.nextState(s.node, a)
      return n === undefined ? undefined : { node: n }
    },
    properties: () => [],
    label: (s, a) => m.label(s.node, a),
    view: (s) => m.view(s.node),
    encode: (s) => m.encode(s.node),
    decode: (b) => make(m.decode!(b)),
    nextEncoded: (s, a) => {
      assert.ok(!released.includes(s), `state ${s.node} used after it was given back`)
      const n = m.nextState(s.node, a)
      if (n === undefined) return undefined
      last = n
      return m.encode(n)
    },
    keepNext: () => make(last),
    release: (s) => {
      assert.ok(made.has(s), `state ${s.node} was not made by keepNext or decode`)
      assert.ok(!released.includes(s), `state ${s.node} was given back twice`)
      released.push(s)
    },
  }
  return { model, made, released }
}

describe('the search gives states back to the model (Model.release)', () => {
  for (const strategy of ['dfs', 'bfs'] as const) {
    it(`${strategy}: each state the model made, once, after the search is done with it; counts unchanged`, () => {
      const { model, made, released } = releasing(graph)
      const r = explore(model, { ...defaultSearchOptions, strategy, checkDeadlock: false })
      const plain = explore(graphModel(graph), { ...defaultSearchOptions, strategy, checkDeadlock: false })
      assert.deepEqual({ distinct: r.stats.distinct, transitions: r.stats.transitions, depth: r.stats.depth }, { distinct: plain.stats.distinct, transitions: plain.stats.transitions, depth: plain.stats.depth })
      // Depth-first search made every state but the initial one with keepNext; breadth-first decoded each.
      assert.equal(made.size, strategy === 'dfs' ? 6 : 7)
      assert.deepEqual(new Set(released), made)
    })
  }
})
