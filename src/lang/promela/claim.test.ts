import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { explore } from '../../core/check.js'
import { followChoices } from '../../core/path.js'
import { claimProduct, nonProgressProduct } from './claim.js'
import { loadPromela } from './load.js'

const system = 'byte x;\nactive proctype P() { do :: x < 3 -> x++ :: x == 3 -> x = 0 od }\n'

function product(claim: string) {
  const loaded = loadPromela({ file: 'claim.pml', text: system + claim })
  assert.ok(loaded.model, loaded.diagnostics.map((d) => d.message).join('; '))
  assert.deepEqual(loaded.claims, ['never_0'])
  return claimProduct(loaded.model, 'never_0')!
}

const ndfs = { strategy: 'ndfs' as const, checkDeadlock: false, continueAfterViolation: false }

// Every count below is what SPIN 6.5.2 reports for the same model with spin -o1 -o2 -o3 -a, pan -DNOREDUCE -a.
describe('never claims (the product pan -a explores)', () => {
  it('a claim that never ends holds, with the product counted as pan counts it', () => {
    const r = explore(product('never { do :: x > 5 -> break :: else od }'), ndfs)
    assert.equal(r.status, 'ok')
    assert.deepEqual([r.stats.distinct, r.stats.transitions], [8, 9])
  })

  it('a claim that reaches its closing brace is violated', () => {
    const r = explore(product('never { do :: x == 2 -> break :: else od }'), ndfs)
    assert.equal(r.violation?.kind, 'ltl')
    assert.match(r.violation!.message, /reached its end/)
    assert.deepEqual([r.stats.distinct, r.stats.transitions], [5, 5])
  })

  it('an accept label passed forever is an accepting cycle, reported as a lasso that replays', () => {
    const model = product('never { T0: do :: x == 1 -> goto accept :: else od; accept: do :: true od }')
    const r = explore(model, ndfs)
    assert.equal(r.violation?.kind, 'ltl')
    assert.ok(r.violation?.loop !== undefined)
    const path = followChoices(model, r.violation!.choices)
    const states = [path.init, ...path.steps.map((s) => s.state)]
    assert.deepEqual(Array.from(states.at(-1)!), Array.from(states[r.violation!.loop!]!))
  })

  it('accepting states without a cycle: the second search is counted as pan counts it (10 stored, 13 visited, 14 transitions)', () => {
    const r = explore(product('never { do :: x == 3 -> goto accept_a :: else od; accept_a: do :: x == 0 -> goto done :: else od; done: do :: x == 7 od }'), ndfs)
    assert.equal(r.status, 'ok')
    assert.deepEqual([r.stats.distinct, r.stats.transitions], [10, 14])
  })

  // pan -l: when the system cannot move, the non-progress claim moves a second time in its place with
  // np_ false, so its (1) wait loop leads back to the same state (one more transition, as pan counts).
  it('a system that stops: the non-progress search counts the claim waiting in its place (pan: 17 stored, 40 transitions)', () => {
    const loaded = loadPromela({ file: 'np.pml', text: 'byte x;\nactive proctype P() { do :: x < 3 -> x++ :: x == 3 -> break od }\n' })
    const r = explore(nonProgressProduct(loaded.model!), ndfs)
    assert.equal(r.status, 'ok')
    assert.deepEqual([r.stats.distinct, r.stats.transitions], [17, 40])
  })

  it('a system that stops with a progress label on the way (pan: 18 stored, 42 transitions)', () => {
    const text = 'byte x, y;\nactive proctype P() { do :: x < 3 -> x++ :: x == 3 -> break :: x == 1 -> progress: y = 1; y = 0 od }\nactive proctype Q() { y == 5 }\n'
    const r = explore(nonProgressProduct(loadPromela({ file: 'np.pml', text }).model!), ndfs)
    assert.equal(r.status, 'ok')
    assert.deepEqual([r.stats.distinct, r.stats.transitions], [18, 42])
  })

  it('a claim that moves on over a stopped system: each stored step is two claim moves, as pan stores them (9 stored, 9 transitions)', () => {
    const loaded = loadPromela({ file: 'stop.pml', text: 'byte x;\nactive proctype P() { do :: x < 3 -> x++ :: x == 3 -> break od }\nnever { T0: do :: x == 3 -> goto a :: else od; a: do :: true -> goto b od; b: do :: true -> goto c od; c: do :: x == 9 od }\n' })
    const r = explore(claimProduct(loaded.model!, 'never_0')!, ndfs)
    assert.equal(r.status, 'ok')
    assert.deepEqual([r.stats.distinct, r.stats.transitions], [9, 9])
  })
})
