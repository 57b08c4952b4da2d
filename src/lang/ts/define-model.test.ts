import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { check, simulate } from '../../api.js'
import { VERSION } from '../../version.js'
import { ModelDefinitionError, assert as modelAssert, defineModel } from './define-model.js'

interface Counter {
  readonly x: number
  readonly y: number
}

const counters = (limit: number) =>
  defineModel<Counter>({
    name: 'counters',
    init: { x: 0, y: 0 },
    actions: {
      incX: (s) => s.x < limit && { ...s, x: s.x + 1 },
      incY: { process: 'other', step: (s: Counter) => s.y < limit && { ...s, y: s.y + 1 } },
    },
    invariants: { bounded: (s) => s.x <= limit && s.y <= limit },
    validEnd: (s) => s.x === limit && s.y === limit,
  })

describe('defineModel and check', () => {
  it('explores a grid of counters exactly', async () => {
    const r = await check(counters(3))
    assert.equal(r.result, 'ok')
    assert.equal(r.stats?.distinct, 16)
    assert.equal(r.stats?.transitions, 1 + 2 * 3 * 4)
    assert.equal(r.stats?.depth, 7)
    assert.equal(r.language, 'typescript')
  })

  it('reports an invariant violation with an ITF trace', async () => {
    const m = defineModel<Counter>({
      init: { x: 0, y: 0 },
      actions: { inc: { params: [1, 2], process: 'stepper', step: (s, d: number) => s.x < 6 && { ...s, x: s.x + d } } },
      invariants: { notFive: (s) => s.x !== 5 },
    })
    const r = await check(m, { deadlock: false })
    assert.equal(r.result, 'violation')
    assert.equal(r.violation?.kind, 'invariant')
    assert.equal(r.violation?.length, 4) // 0 -> 2 -> 4 -> 5 (or another three-step way)
    const states = r.violation!.trace.states
    assert.deepEqual(states.at(-1)?.['x'], { '#bigint': '5' })
    assert.match(String(states[1]?.['#meta']?.['process']), /^stepper [12]$/)
  })

  it('parameters may depend on the state', async () => {
    const m = defineModel<{ n: number }>({
      init: { n: 1 },
      actions: { add: { params: (s) => (s.n < 20 ? [s.n] : []), step: (s, k: number) => ({ n: s.n + k }) } },
      validEnd: () => true,
    })
    const r = await check(m)
    assert.equal(r.result, 'ok')
    assert.equal(r.stats?.distinct, 6) // 1 2 4 8 16 32
  })

  it('several initial states, from a function', async () => {
    const m = defineModel<number>({ init: () => [1, 2, 3, 2], actions: { stay: () => undefined }, validEnd: () => true })
    const r = await check(m)
    assert.equal(r.stats?.distinct, 3)
    assert.equal(r.stats?.transitions, 4)
  })

  it('assert() inside an action is an assertion violation; a throw is a runtime error', async () => {
    const asserting = defineModel<number>({
      init: 0,
      actions: {
        step: (s) => {
          modelAssert(s < 2, 'below two')
          return s + 1
        },
      },
    })
    const a = await check(asserting)
    assert.equal(a.violation?.kind, 'assertion')
    assert.equal(a.violation?.name, 'below two')
    assert.equal(a.violation?.length, 3)
    const throwing = defineModel<{ q: number[] }>({ init: { q: [] }, actions: { pop: (s) => ({ q: [s.q[0]!.valueOf()] }) } })
    const t = await check(throwing)
    assert.equal(t.violation?.kind, 'runtime-error')
    assert.match(t.violation!.message, /TypeError/)
  })

  it('a state is frozen, so changing it in place is a runtime error', async () => {
    const m = defineModel<{ n: number }>({
      init: { n: 0 },
      actions: {
        bump: (s) => {
          ;(s as { n: number }).n++
          return s
        },
      },
    })
    const r = await check(m)
    assert.equal(r.violation?.kind, 'runtime-error')
    assert.match(r.violation!.message, /read.only|read only|Cannot assign/)
  })

  it('a terminal state that is not a valid end is a deadlock', async () => {
    const r = await check(defineModel<number>({ init: 0, actions: { up: (s) => s < 2 && s + 1 } }))
    assert.equal(r.violation?.kind, 'deadlock')
    assert.equal(r.violation?.length, 3)
    assert.equal((await check(defineModel<number>({ init: 0, actions: { up: (s) => s < 2 && s + 1 } }), { deadlock: false })).result, 'ok')
  })

  it('rejects a malformed definition with a message', () => {
    assert.throws(() => defineModel({ init: 0, actions: {} }), ModelDefinitionError)
    assert.throws(() => defineModel({ actions: { a: () => 1 } } as never), /no 'init'/)
    assert.throws(() => defineModel({ init: 0, actions: { a: { params: 3, step: () => 1 } } } as never), /action 'a'/)
    assert.throws(() => defineModel({ init: 0, actions: { a: () => 1 }, invariants: { p: true } } as never), /invariant 'p'/)
  })

  it('simulation is reproducible from its seed and finds violations', async () => {
    const m = defineModel<number>({
      init: 0,
      actions: { up: (s) => s + 1, down: (s) => s - 1 },
      invariants: { small: (s) => Math.abs(s) < 6 },
    })
    const a = await simulate(m, { seed: 42, runs: 50, steps: 100 })
    const b = await simulate(m, { seed: 42, runs: 50, steps: 100 })
    assert.equal(a.result, 'violation')
    assert.deepEqual(a.violation?.path, b.violation?.path)
    const c = await simulate(m, { seed: 7, runs: 50, steps: 100 })
    assert.equal(c.result, 'violation')
    assert.equal(c.violation?.trace.states.length, c.violation?.length)
  })

  it('the version matches package.json', () => {
    const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..')
    assert.equal(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version, VERSION)
  })
})
