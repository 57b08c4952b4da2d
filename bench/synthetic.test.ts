import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { explore } from '../src/core/check.js'
import type { SuccessorSink } from '../src/core/model.js'
import { counterModel, expectedCounts } from './synthetic.js'

describe('the synthetic counter model', () => {
  it('gives in one call exactly the successors it gives action by action, and keeps them as states', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 2, max: 9 }), { minLength: 1, maxLength: 6 }), fc.array(fc.nat(), { maxLength: 6 }), (ranges, values) => {
        const m = counterModel(ranges)
        const s = Uint8Array.from(ranges, (r, i) => (values[i] ?? 0) % r)
        const one: [number, number[]][] = []
        m.actions(s).forEach((a, i) => {
          const b = m.nextEncoded!(s, a)
          if (b === undefined) return
          one.push([i, Array.from(b)])
          // The state kept from the bytes is the successor itself, and a copy of its own.
          const kept = m.keepNext!()
          assert.deepEqual(Array.from(kept), Array.from(m.nextState(s, a)!))
          assert.notEqual(kept.buffer, b.buffer)
        })
        // A sink that gives a new buffer on each add, as one that grows may: the model must read it after add.
        const added: { action: number; buffer: Uint8Array; at: number; length: number }[] = []
        let buffer = new Uint8Array(0)
        const sink: SuccessorSink = {
          get bytes() {
            return buffer
          },
          add(action, length) {
            buffer = new Uint8Array(length + 3)
            added.push({ action, buffer, at: 3, length })
            return 3
          },
        }
        m.successorsEncoded!(s, sink)
        const all = added.map((x): [number, number[]] => [x.action, Array.from(x.buffer.subarray(x.at, x.at + x.length))])
        assert.deepEqual(all, one)
      }),
    )
  })

  it('has the counts it is built to have, breadth-first and depth-first', () => {
    const ranges = [3, 4, 2, 5]
    const want = expectedCounts(ranges)
    for (const strategy of ['bfs', 'dfs'] as const) {
      const r = explore(counterModel(ranges), { strategy, checkDeadlock: true, continueAfterViolation: false })
      assert.equal(r.status, 'ok')
      assert.equal(r.stats.distinct, want.distinct)
      assert.equal(r.stats.transitions, want.transitions)
      if (strategy === 'bfs') assert.equal(r.stats.depth, want.bfsDepth)
    }
  })
})
