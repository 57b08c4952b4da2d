import assert from 'node:assert/strict'
import { dirname, join } from 'node:path'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { runCheck } from '../../src/api.js'
import { loadModelFile } from '../../src/platform/node/load-model.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
const spec = (name: string): string => join(root, 'examples', 'aws-dns', name)

async function check(name: string, constants: Record<string, string> = {}) {
  const { model } = await loadModelFile(spec(name), constants, {})
  return runCheck(model)
}

describe('the DNS race in TLA+', () => {
  it('finds the race with the shortest trace: 8 states', async () => {
    // Why 8 (7 steps), whichever breadth-first checker runs it: a deleted plan is 1..p-Keep for
    // an applied plan p, so with Keep = 1 some plan q < p must be active after p was applied.
    // That takes two plans produced (2 steps), received by two enactors (one holds one plan at a
    // time; 2 steps), q received while it is still newer than the active plan, both applied with
    // q last (2 steps), and p's clean-up (1 step): no behaviour of 6 steps or fewer reaches it,
    // and breadth-first search returns one of the shortest.
    const { summary, path } = await check('DnsRace.tla')
    assert.equal(summary.result, 'violation')
    assert.deepEqual([summary.violation!.kind, summary.violation!.name, summary.violation!.length], ['invariant', 'ActivePlanNotDeleted', 8])
    assert.equal(path!.steps.length, 7)
    assert.deepEqual([summary.stats!.distinct, summary.stats!.transitions, summary.stats!.depth], [51, 82, 7])
  })

  it('names each step by its action, in the order of the race', async () => {
    const { summary, path } = await check('DnsRace.tla')
    assert.ok(path)
    const { model } = await loadModelFile(spec('DnsRace.tla'), {}, {})
    let prev = path.init
    const actions = path.steps.map((s) => {
      const label = model.label(prev, s.action)
      prev = s.state
      return label.action
    })
    assert.deepEqual(actions, ['Produce', 'Produce', 'Receive', 'Receive', 'Apply', 'Apply', 'Cleanup'])
    assert.equal(summary.violation!.path, '0/0/0/1/1/2/1/2')
  })

  it('the fix (check and apply atomic) holds, with its counts pinned', async () => {
    const { summary } = await check('DnsFixed.tla')
    assert.equal(summary.result, 'ok')
    // The same 84 states as examples/aws-dns/fixed.ts; one more transition, Done's stuttering step.
    assert.deepEqual([summary.stats!.distinct, summary.stats!.transitions, summary.stats!.depth], [84, 166, 12])
    const larger = (await check('DnsFixed.tla', { Plans: '5' })).summary
    assert.deepEqual([larger.result, larger.stats!.distinct, larger.stats!.transitions, larger.stats!.depth], ['ok', 345, 799, 20])
  })
})
