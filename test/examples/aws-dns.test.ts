import assert from 'node:assert/strict'
import { dirname, join } from 'node:path'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { runCheck } from '../../src/api.js'
import type { Model } from '../../src/core/model.js'
import { loadScriptModel } from '../../src/platform/node/load-model.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
const load = (name: string, constants = {}): Promise<Model<unknown, unknown>> => loadScriptModel(join(root, 'examples', 'aws-dns', name), constants)

interface DnsView {
  active: number
  deleted: number[]
  enactors: { pc: string; plan: number }[]
}

describe('the DNS race example', () => {
  it('finds the race with a shortest trace of the expected shape', async () => {
    const model = await load('race.ts')
    const { summary, path } = runCheck(model)
    assert.equal(summary.result, 'violation')
    assert.equal(summary.violation?.kind, 'invariant')
    assert.equal(summary.violation?.name, 'activePlanNotDeleted')
    assert.equal(summary.violation?.length, 10)
    assert.ok(path)
    let prev = path.init
    const steps = path.steps.map((step) => {
      const label = model.label(prev, step.action)
      prev = step.state
      return { ...label, view: model.view(step.state) as unknown as DnsView }
    })
    // Two applies: the newer plan first, then the stale one, which makes an older plan active.
    const applies = steps.filter((s) => s.action === 'apply')
    assert.equal(applies.length, 2)
    const [newer, stale] = applies as [(typeof steps)[0], (typeof steps)[0]]
    assert.notEqual(newer.process, stale.process)
    assert.ok(stale.view.active < newer.view.active, 'the second apply moves the active plan backwards')
    // Then the newer enactor's clean-up deletes the plan that is active.
    const last = steps.at(-1)!
    assert.equal(last.action, 'cleanup')
    assert.equal(last.process, newer.process)
    assert.ok(last.view.deleted.includes(last.view.active))
    assert.ok(steps.indexOf(stale) < steps.indexOf(last))
  })

  it('the fix holds in every reachable state', async () => {
    const { summary } = runCheck(await load('fixed.ts'))
    assert.equal(summary.result, 'ok')
    assert.deepEqual([summary.stats?.distinct, summary.stats?.transitions, summary.stats?.depth], [84, 165, 12])
  })

  it('the fix holds at a larger size, with its counts pinned', async () => {
    const { summary } = runCheck(await load('fixed.ts', { ENACTORS: 3, PLANS: 4 }))
    assert.equal(summary.result, 'ok')
    assert.deepEqual([summary.stats?.distinct, summary.stats?.transitions], [PINNED_3x4.distinct, PINNED_3x4.transitions])
  })

  it('depth-first search finds the race too, and agrees on the fixed counts', async () => {
    assert.equal(runCheck(await load('race.ts'), { strategy: 'dfs' }).summary.violation?.kind, 'invariant')
    const { summary } = runCheck(await load('fixed.ts'), { strategy: 'dfs' })
    assert.deepEqual([summary.result, summary.stats?.distinct, summary.stats?.transitions], ['ok', 84, 165])
  })

  it('the race is there for every number of enactors from 2 and plans from 2', async () => {
    for (const [ENACTORS, PLANS] of [
      [2, 2],
      [3, 3],
    ] as const) {
      const { summary } = runCheck(await load('race.ts', { ENACTORS, PLANS }))
      assert.equal(summary.result, 'violation', `${ENACTORS} enactors, ${PLANS} plans`)
      assert.equal(summary.violation?.length, 10)
    }
  })

  it('progress: without fairness a produced plan may wait forever, a lasso where no enactor acts', async () => {
    const model = await load('progress.ts')
    const { summary, path } = runCheck(model)
    assert.equal(summary.result, 'violation')
    assert.equal(summary.violation?.kind, 'property')
    assert.equal(summary.violation?.name, 'plan1Handled')
    // The planner produces plan 1; then the behaviour stutters with plan 1 in the queue.
    assert.equal(summary.violation?.path, '0/0')
    assert.equal(summary.violation?.loop, 1)
    const last = path!.steps.at(-1)!.state as unknown as DnsView & { queue: number[] }
    assert.deepEqual(last.queue, [1])
    assert.ok(last.enactors.every((e) => e.pc === 'idle'), 'the enactors starve')
    assert.equal(summary.violation?.trace.loop, 1)
    // The same graph as the safety check.
    assert.deepEqual([summary.stats?.distinct, summary.stats?.transitions], [84, 165])
  })

  it('progress holds under weak fairness of the enactors', async () => {
    const { summary } = runCheck(await load('progress-fair.ts'))
    assert.equal(summary.result, 'ok')
    assert.deepEqual([summary.stats?.distinct, summary.stats?.transitions, summary.stats?.depth], [84, 165, 12])
    const bigger = runCheck(await load('progress-fair.ts', { ENACTORS: 3, PLANS: 4 })).summary
    assert.equal(bigger.result, 'ok')
    assert.deepEqual([bigger.stats?.distinct, bigger.stats?.transitions], [PINNED_3x4.distinct, PINNED_3x4.transitions])
  })
})

/** Counts for 3 enactors and 4 plans, from breadth-first and depth-first search alike. */
const PINNED_3x4 = { distinct: 837, transitions: 2318 }
