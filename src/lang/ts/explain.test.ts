import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { runCheck } from '../../api.js'
import { always } from './temporal.js'
import { assert as modelAssert, defineModel } from './define-model.js'
import { firstParam, recordReads } from './explain.js'
import { freezeDeep } from './codec.js'
import { loadScriptModel } from '../../platform/node/load-model.js'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'

const lines = (e: { terms: readonly { term: string; value?: string; note?: string }[] } | undefined): string[] =>
  (e?.terms ?? []).map((t) => `${t.term}${t.value === undefined ? '' : ` = ${t.value}`}${t.note ? ` (${t.note})` : ''}`)

describe('explaining a TypeScript violation by the state paths read', () => {
  it('records leaf reads by path, arrays used through methods whole, and Sets as they are', () => {
    const state = freezeDeep({ active: 1, deleted: [1, 2], procs: [{ pc: 'idle' }, { pc: 'busy' }], seen: new Set([3]), unused: 9 })
    const { reads, result } = recordReads('s', state, (p) => {
      const s = p as typeof state
      return !s.deleted.includes(s.active) && s.procs[1]!.pc === 'busy' && s.seen.has(3)
    })
    assert.deepEqual(result, { value: false })
    assert.deepEqual(
      reads.map(([k]) => k),
      ['s.deleted', 's.active'],
    )
    const all = recordReads('s', state, (p) => {
      const s = p as typeof state
      return s.procs[1]!.pc === 'busy' && s.seen.has(3) && s.deleted.length
    })
    assert.deepEqual(all.reads, [
      ['s.procs[1].pc', 'busy'],
      ['s.seen', state.seen],
      ['s.deleted.length', 2],
    ])
  })

  it('does not count an object spread as reading every field, and never changes the state', () => {
    const state = freezeDeep({ x: 1, y: [1], z: 'a' })
    const { reads, result } = recordReads('s', state, (p) => {
      const s = p as typeof state
      return { ...s, x: s.x + 1 }
    })
    assert.deepEqual(reads, [['s.x', 1]])
    assert.deepEqual(result, { value: { x: 2, y: [1], z: 'a' } })
    assert.ok(Object.isFrozen(state) && state.x === 1)
  })

  it("names the root after the function's own parameter", () => {
    assert.equal(firstParam((state: unknown) => state), 'state')
    assert.equal(firstParam(function inv(st: unknown) {
      return st
    }), 'st')
    assert.equal(firstParam(({ x }: { x: number }) => x), 'state')
  })

  it('explains a failed invariant, a failed always property and a failing action', () => {
    const model = defineModel<{ n: number; log: readonly number[] }>({
      init: { n: 0, log: [] },
      actions: { inc: (s) => s.n < 5 && { n: s.n + 1, log: [...s.log, s.n] } },
      invariants: { small: (st) => st.n < 2 || st.log.length > 9 },
    })
    const { summary } = runCheck(model)
    assert.equal(summary.violation?.explanation?.title, "invariant 'small' fails in state 3")
    assert.deepEqual(lines(summary.violation?.explanation), ['st.n = 2', 'st.log.length = 2', 'small(st) = false'])

    const prop = defineModel<{ n: number }>({ init: { n: 0 }, actions: { inc: (s) => s.n < 5 && { n: s.n + 1 } }, properties: { low: always((s) => s.n !== 3) } })
    assert.deepEqual(lines(runCheck(prop).summary.violation?.explanation), ['s.n = 3', 'low(s) = false'])

    const failing = defineModel<{ n: number; cap: number }>({
      init: { n: 0, cap: 2 },
      actions: {
        add: {
          params: [1],
          process: 'adder',
          step: (s, by: number) => {
            modelAssert(s.n + by <= s.cap, 'within capacity')
            return { ...s, n: s.n + by }
          },
        },
      },
    })
    const e = runCheck(failing).summary.violation?.explanation
    assert.equal(e?.title, "the step 'adder 1: add' fails in state 3")
    assert.deepEqual(lines(e), ['s.n = 2', 's.cap = 2', 'add(s, 1) (throws: assertion violated: within capacity)'])
  })
})

describe('the source location of a TypeScript action', () => {
  it('is where its code first reads the state, from a stack trace, in the TypeScript source', async () => {
    const root = fileURLToPath(new URL('../../../../', import.meta.url))
    const cwd = process.cwd()
    process.chdir(root)
    try {
      const model = await loadScriptModel(join(root, 'test', 'fixtures', 'assertion.ts'))
      const [init] = model.initStates()
      const [inc] = model.actions(init)
      // test/fixtures/assertion.ts line 9: `      assert(s.x < 2, 'x stays below 2')`, s.x at column 16.
      assert.deepEqual(model.label(init, inc).at, { file: join('test', 'fixtures', 'assertion.ts'), line: 9, col: 16 })
    } finally {
      process.chdir(cwd)
    }
  })

  it('is found through helpers, once per action, and is absent for an action that reads nothing', () => {
    const get = (s: { n: number }): number => s.n
    const model = defineModel<{ n: number }>({
      init: { n: 0 },
      actions: {
        viaHelper: (s) => get(s) < 2 && { n: get(s) + 1 },
        blind: () => ({ n: 0 }),
      },
    })
    const [init] = model.initStates()
    const [viaHelper, blind] = model.actions(init!)
    const at = model.label(init!, viaHelper!).at
    assert.ok(at && /explain\.test\.(js|ts)$/.test(at.file) && at.line > 0, JSON.stringify(at))
    assert.equal(model.label(init!, blind!).at, undefined)
  })
})
