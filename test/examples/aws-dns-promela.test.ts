import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { runCheck } from '../../src/api.js'
import { explore } from '../../src/core/check.js'
import { claimProduct } from '../../src/lang/promela/claim.js'
import { fairProduct } from '../../src/lang/promela/fair.js'
import { loadPromela } from '../../src/lang/promela/load.js'
import { replayItf } from '../../src/trace/replay.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
const load = (name: string, defines: Record<string, string> = {}) => {
  const file = join(root, 'examples', 'aws-dns', name)
  const loaded = loadPromela({ file, text: readFileSync(file, 'utf8'), defines })
  assert.ok(loaded.model, loaded.diagnostics.map((d) => d.message).join('\n'))
  assert.deepEqual(loaded.claims, ['never_delete_active'])
  // The model with its ltl formula, as pan -a -N never_delete_active checks it.
  return claimProduct(loaded.model, 'never_delete_active')!
}

describe('the DNS race in Promela', () => {
  it('finds the race with a shortest trace: a stale apply after a newer one, then a clean-up deletes the active plan', () => {
    const model = load('race.pml')
    const { summary, path } = runCheck(model)
    assert.equal(summary.violation?.kind, 'ltl')
    assert.equal(summary.violation?.length, 13)
    assert.ok(path)
    let prev = path.init
    const steps = path.steps.map((s) => {
      const label = model.label(prev, s.action)
      prev = s.state
      return { label, current: model.view(s.state)['current'] as number }
    })
    const applies = steps.filter((s) => s.label.action === 'current = plan')
    assert.equal(applies.length, 2)
    assert.notEqual(applies[0]!.label.process, applies[1]!.label.process)
    assert.ok(applies[1]!.current < applies[0]!.current, 'the second apply moves the active plan backwards')
    const last = steps.at(-1)!
    assert.match(last.label.action, /^d_step/)
    assert.equal(last.label.process, applies[0]!.label.process)
    assert.match(summary.violation!.message, /never_delete_active/)
  })

  it('its ITF trace replays on the model (the claim location is left out of the comparison)', () => {
    const { summary } = runCheck(load('race.pml'))
    const file = join(root, 'examples', 'aws-dns', 'race.pml')
    const system = loadPromela({ file, text: readFileSync(file, 'utf8') }).model!
    const replayed = replayItf(system, summary.violation!.trace)
    assert.ok(replayed.ok, replayed.ok ? '' : replayed.reason)
    assert.equal(replayed.path.steps.length + 1, 13)
    // and the local variables are named as SPIN names them
    assert.ok(summary.violation!.trace.vars.includes('Enactor(1):plan'))
  })

  it('depth-first, it counts exactly what SPIN 6.5.2 counts up to the violation (spin -o1 -o2 -o3, pan -DNOREDUCE -a)', () => {
    const r = explore(load('race.pml'), { strategy: 'dfs', checkDeadlock: false, continueAfterViolation: false })
    assert.equal(r.violation?.kind, 'ltl')
    assert.deepEqual([r.stats.distinct, r.stats.transitions], [69, 117])
  })

  it('the fix holds, with SPIN 6.5.2 canonical counts', () => {
    for (const strategy of ['bfs', 'dfs'] as const) {
      const r = explore(load('fixed.pml'), { strategy, checkDeadlock: false, continueAfterViolation: false })
      assert.equal(r.status, 'ok')
      assert.deepEqual([r.stats.distinct, r.stats.transitions], [341, 765])
    }
  })

  it('scales with -D constants, still with SPIN 6.5.2 canonical counts', () => {
    const r = explore(load('fixed.pml', { ENACTORS: '3', PLANS: '4' }), { strategy: 'bfs', checkDeadlock: false, continueAfterViolation: false })
    assert.equal(r.status, 'ok')
    assert.deepEqual([r.stats.distinct, r.stats.transitions], [4820, 13901])
  })
})

describe('progress of the DNS model in Promela (progress.pml), with and without weak fairness', () => {
  const product = () => {
    const file = join(root, 'examples', 'aws-dns', 'progress.pml')
    const loaded = loadPromela({ file, text: readFileSync(file, 'utf8') })
    assert.ok(loaded.model, loaded.diagnostics.map((d) => d.message).join('\n'))
    assert.deepEqual(loaded.claims, ['never_delete_active', 'plans_handled'])
    return claimProduct(loaded.model, 'plans_handled')!
  }

  // Both verdicts are SPIN 6.5.2's: pan -a -N plans_handled finds an acceptance cycle; with -f it
  // reports no errors (669 states stored).
  it('without fairness a plan waits forever: a lasso whose cycle only the planner takes, an enactor holding the plan', () => {
    const model = product()
    const { summary, path } = runCheck(model, { strategy: 'ndfs', deadlock: false })
    assert.equal(summary.violation?.kind, 'ltl')
    assert.equal(summary.violation?.name, 'plans_handled')
    assert.ok(path && summary.violation?.loop !== undefined)
    const states = [path.init, ...path.steps.map((s) => s.state)]
    const cycle = path.steps.slice(summary.violation!.loop)
    const movers = new Set(cycle.map((s, i) => model.label(states[summary.violation!.loop! + i]!, s.action).process))
    assert.deepEqual([...movers], ['Planner(0)'])
    const last = model.view(states.at(-1)!)
    assert.ok((last['produced'] as number) > (last['current'] as number), 'a produced plan is not yet active')
  })

  it('under weak fairness (--fair) every enactor that can take a plan does, and the property holds', () => {
    const { summary } = runCheck(fairProduct(product()), { deadlock: false })
    assert.equal(summary.result, 'ok')
    assert.deepEqual([summary.stats?.distinct, summary.stats?.transitions], [669, 2160])
  })
})
