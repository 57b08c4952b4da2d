import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { caseArb, validLasso, type Case } from '../../../test/support/fair-graph.js'
import type { Model } from '../model.js'
import type { GraphLasso } from './fair-cycles.js'
import { canSearchOnTheFly, searchLivenessOnTheFly } from './liveness-on-the-fly.js'
import { searchLiveness } from './liveness.js'
import { defaultSearchOptions } from './types.js'

/** A case's graph as a model: state atoms 0, 1 and action atoms 2, 3 read from its masks; action i of a state is its edge i. */
function caseModel(c: Case, decode: boolean): Model<number, number> {
  const g = c.graph
  const buf = new Uint8Array(4)
  const view = new DataView(buf.buffer)
  const bit = (mask: number, i: number): boolean => (mask & (1 << i)) !== 0
  return {
    name: 'case',
    initStates: () => Array.from(g.initial),
    actions: (s) => Array.from({ length: g.edgeStart[s + 1]! - g.edgeStart[s]! }, (_, i) => i),
    nextState: (s, i) => g.edgeTarget[g.edgeStart[s]! + i]!,
    properties: () => [],
    encode(s) {
      view.setUint32(0, s)
      return buf
    },
    ...(decode ? { decode: (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, 4).getUint32(0) } : {}),
    label: (s, i) => ({ action: `${s}:${i}` }),
    view: (s) => ({ s }),
    liveness: {
      stateAtoms: [0, 1].map((i) => ({ name: `p${i}`, holds: (s: number) => bit(g.stateMask[s]!, i) })),
      actionAtoms: [2, 3].map((i) => ({ name: `a${i}`, holds: (s: number, a: number | undefined) => bit(a === undefined ? g.stutterMask[s]! : g.edgeMask[g.edgeStart[s]! + a]!, i) })),
      // The case's atoms count state atoms first; the spec's action atoms are numbered from 0.
      fairness: c.fairness.map((f, i) => ({ name: `f${i}`, strong: false, enabled: f.enabled, taken: f.taken - 2 })),
      properties: [{ name: 'p', violations: c.automaton }],
      stutters: g.stutters !== false,
      onTheFly: true,
    },
  }
}

const options = { ...defaultSearchOptions, checkDeadlock: false }

describe('liveness on the fly', () => {
  it('is taken only with weak fairness, without a depth bound and stopping at the first violation', () => {
    const m = caseModel(fc.sample(caseArb, { numRuns: 1, seed: 1 })[0]!, true)
    assert.equal(canSearchOnTheFly(m, options), true)
    assert.equal(canSearchOnTheFly(m, { ...options, maxDepth: 10 }), false)
    assert.equal(canSearchOnTheFly(m, { ...options, continueAfterViolation: true }), false)
    assert.equal(canSearchOnTheFly({ ...m, liveness: { ...m.liveness!, fairness: [{ name: 'sf', strong: true, enabled: 0, taken: 0 }] } }, options), false)
    assert.equal(canSearchOnTheFly({ ...m, liveness: { ...m.liveness!, onTheFly: false } }, options), false)
  })

  it('has the whole-graph search\'s verdicts, and its counts when the property holds; its lassos are fair accepted behaviours', () => {
    fc.assert(
      fc.property(
        caseArb.map((c): Case => ({ ...c, fairness: c.fairness.map((f) => ({ ...f, strong: false })) })),
        fc.boolean(),
        (c, decode) => {
          const m = caseModel(c, decode)
          const whole = searchLiveness(m, options)
          const otf = searchLivenessOnTheFly(m, options)
          assert.equal(otf.status, whole.status)
          if (otf.status === 'ok') {
            assert.deepEqual([otf.stats.distinct, otf.stats.transitions, otf.stats.depth], [whole.stats.distinct, whole.stats.transitions, whole.stats.depth])
            return
          }
          const v = otf.violation!
          assert.equal(v.name, 'p')
          assert.ok(otf.stats.distinct <= whole.stats.distinct)
          if (c.graph.stutters !== false) return
          // Without stuttering every step is in the choices: the lasso of graph edges they stand for.
          const g = c.graph
          const start = g.initial[v.choices[0]!]!
          const steps: number[] = []
          const states: number[] = []
          let s = start
          for (const a of v.choices.slice(1)) {
            steps.push(g.edgeStart[s]! + a)
            s = g.edgeTarget[g.edgeStart[s]! + a]!
            states.push(s)
          }
          const lasso: GraphLasso = { start, steps, states, loop: v.loop! }
          assert.equal(validLasso(c, lasso), undefined)
        },
      ),
      { numRuns: 1500, seed: 3 },
    )
  })
})
