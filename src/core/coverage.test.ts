import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { graphModel, type Graph } from '../../test/support/graph-model.js'
import { explore } from './check.js'
import { countCoverage } from './coverage.js'
import type { Model } from './model.js'
import { defaultSearchOptions } from './search/types.js'

// a diamond with a back edge: 0 -> {1, 2} -> 3 -> 0
const diamond: Graph = { nodes: 4, inits: [0], edges: [[1, 2], [3], [3], [0]] }

/** The graph model with coverage items, one per action index. */
function covered(m: Model<number, number>): Model<number, number> {
  return { ...m, coverage: () => ({ items: [{ name: 'first' }, { name: 'second' }], fired: (_s, a) => [a] }) }
}

describe('coverage counting', () => {
  it('counts every successor, also for a model that gives all successors at once', () => {
    const m = graphModel(diamond)
    const plain = countCoverage(covered(m))!
    explore(plain.model, defaultSearchOptions)
    const all = countCoverage(
      covered({
        ...m,
        successorsEncoded(s, sink) {
          m.actions(s).forEach((a, i) => {
            const b = m.encode(m.nextState(s, a)!)
            const at = sink.add(i, b.length)
            sink.bytes.set(b, at)
          })
        },
      }),
    )!
    explore(all.model, defaultSearchOptions)
    assert.deepEqual(Array.from(all.counts), Array.from(plain.counts))
    // five edges, each taken once: four by action 0 (0->1, 1->3, 2->3, 3->0), one by action 1
    assert.deepEqual(Array.from(plain.counts), [4, 1])
  })
  it('takes no states back from the search for the model (its release would update the wrapper)', () => {
    const m = graphModel(diamond)
    let calls = 0
    const counting = countCoverage(covered({ ...m, release: () => void calls++ }))!
    assert.equal(counting.model.release, undefined)
    explore(counting.model, defaultSearchOptions)
    assert.equal(calls, 0)
  })
})
