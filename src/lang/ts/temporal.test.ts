import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { runCheck } from '../../api.js'
import { ModelDefinitionError, always, defineModel, eventually, leadsTo, type Fairness } from './define-model.js'

interface Toggle {
  readonly x: number
  readonly y: number
}

/** x cycles 0, 1, 2 (tick); set(i) makes y = i, enabled only while x = 1, so ticking disables it. */
const toggle = (tick?: Fairness, set?: Fairness) =>
  defineModel<Toggle>({
    init: { x: 0, y: 0 },
    actions: {
      tick: { process: 'clock', step: (s: Toggle) => ({ ...s, x: (s.x + 1) % 3 }), ...(tick ? { fair: tick } : {}) },
      set: { params: [1, 2], step: (s: Toggle, i: number) => s.x === 1 && s.y === 0 && { ...s, y: i }, ...(set ? { fair: set } : {}) },
    },
    properties: {
      small: always((s: Toggle) => s.x < 3),
      zeroAgain: leadsTo((s: Toggle) => s.x === 1, (s: Toggle) => s.x === 0),
      setOnce: eventually((s: Toggle) => s.y !== 0),
    },
  })

describe('temporal properties of TypeScript models', () => {
  it('without fairness a behaviour may stop: the first liveness property fails by stuttering', () => {
    const { summary } = runCheck(toggle())
    assert.equal(summary.result, 'violation')
    assert.equal(summary.violation!.kind, 'property')
    assert.equal(summary.violation!.name, 'zeroAgain')
    // 0 -> 1, then x = 1 forever.
    assert.equal(summary.violation!.path, '0/0')
    assert.equal(summary.violation!.loop, 1)
    assert.deepEqual([summary.stats!.distinct, summary.stats!.transitions], [9, 12])
  })

  it('weak fairness of tick gives zeroAgain, but not setOnce: tick keeps disabling set', () => {
    const { summary } = runCheck(toggle('weak', 'weak'))
    assert.equal(summary.violation!.name, 'setOnce')
    // The cycle goes around x = 0, 1, 2 with y = 0.
    assert.equal(summary.violation!.path, '0/0/0/0')
    assert.equal(summary.violation!.loop, 0)
  })

  it('strong fairness of set, per parameter value, makes setOnce hold', () => {
    const { summary } = runCheck(toggle('weak', 'strong'))
    assert.equal(summary.result, 'ok')
    assert.deepEqual([summary.stats!.distinct, summary.stats!.transitions], [9, 12])
  })

  it('always(p) is checked on every state with a shortest trace', () => {
    const m = defineModel<Toggle>({
      init: { x: 0, y: 0 },
      actions: { tick: (s) => s.x < 3 && { ...s, x: s.x + 1 } },
      properties: { small: always((s: Toggle) => s.x < 2) },
      validEnd: () => true,
    })
    const { summary } = runCheck(m)
    assert.equal(summary.violation!.kind, 'property')
    assert.equal(summary.violation!.name, 'small')
    assert.equal(summary.violation!.length, 3)
  })

  it('rejects a property not made by the helpers, and fairness over parameters given by a function', () => {
    assert.throws(() => defineModel({ init: 0, actions: { a: () => 1 }, properties: { p: (() => true) as never } }), ModelDefinitionError)
    assert.throws(
      () => defineModel<number>({ init: 0, actions: { a: { params: () => [1], step: () => 1, fair: 'weak' } } }),
      /fair, so its 'params' must be an array/,
    )
  })
})
