import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { explore } from '../../core/check.js'
import { searchLiveness } from '../../core/search/liveness.js'
import { corpusDir } from '../../../test/support/promela-corpus.js'
import { claimProduct, nonProgressProduct } from './claim.js'
import { fairCredits, fairProduct } from './fair.js'
import { loadPromela } from './load.js'

function load(text: string) {
  const loaded = loadPromela({ file: 'fair.pml', text })
  assert.ok(loaded.model, loaded.diagnostics.map((d) => d.message).join('; '))
  return loaded.model
}

/** The processes (below 4) each step of the initial state credits, with the step's first mover. */
function credits(text: string): { mover: number; credited: number[] }[] {
  const model = load(text)
  const v = model.initStates()[0]!
  const steps = model.actions(v)
  return fairCredits(v[0]!, steps, 2).map((c, i) => ({ mover: steps[i]!.moves[0]!.pid, credited: [0, 1, 2, 3].filter((p) => (c[p >>> 5]! & (1 << (p & 31))) !== 0) }))
}

describe('weak fairness credits (pan -f)', () => {
  it('a process is credited by its own moves, and by every step out of a state where it cannot move', () => {
    // A (pid 0) and B (pid 1) can move; C (pid 2) waits on a false guard. Pid 3 does not exist.
    const got = credits('bit x, y; active proctype A() { do :: x = 1 - x od }; active proctype B() { do :: y = 1 - y od }; active proctype C() { x == 5 }')
    assert.deepEqual(got, [
      { mover: 1, credited: [1, 2, 3] },
      { mover: 0, credited: [0, 2, 3] },
    ])
  })

  it('a rendezvous credits its sender, not its receiver; waiting for one, or only offering one, is being unable to move', () => {
    // S (pid 0) can only send; R (pid 1) can only receive; Z (pid 2) moves by itself.
    const got = credits('chan c = [0] of { bit }; bit x; active proctype S() { c!1 }; active proctype R() { c?_ }; active proctype Z() { do :: x = 1 - x od }')
    assert.deepEqual(got, [
      { mover: 2, credited: [0, 1, 2, 3] },
      { mover: 0, credited: [0, 1, 3] },
    ])
  })

  it('a claim moving alone (the system stopped) credits every process', () => {
    assert.deepEqual([...fairCredits(2, [undefined], 2)[0]!], [0xffffffff, 0xffffffff])
  })

  it('more processes than it follows is a runtime error, not a wrong verdict', () => {
    assert.throws(() => fairCredits(65, [], 2), /at most 64 processes; this state has 65/)
  })

  it('the fair product counts the product without fairness, and judges only its cycles', () => {
    // p fails only if B starves (SPIN 6.5.2: pan -a finds an acceptance cycle, pan -a -f none).
    const model = load('byte x; active proctype A() { do :: x = 1 od }; active proctype B() { do :: x = 2 od }; ltl p { []<> (x == 2) }')
    const product = claimProduct(model, 'p')!
    const options = { strategy: 'bfs' as const, checkDeadlock: false, continueAfterViolation: false }
    const plain = explore(product, { ...options, strategy: 'ndfs' })
    assert.equal(plain.violation?.kind, 'ltl')
    const fair = explore(fairProduct(product), options)
    assert.equal(fair.status, 'ok')
    const safety = explore(product, { ...options, strategy: 'dfs' })
    assert.deepEqual([fair.stats.distinct, fair.stats.transitions], [safety.stats.distinct, safety.stats.transitions])
  })
})

describe('weak fairness on the fly', () => {
  const options = { strategy: 'bfs' as const, checkDeadlock: false, continueAfterViolation: false }

  it('stops at an early fair non-progress cycle without the rest of the state space, with the whole-graph search\'s verdict', () => {
    // P and Q both move in the cycle b = 0, 1, 0 near the start; the rest of b's range has no other kind of cycle.
    const model = load('byte a; int b; active proctype P() { do :: a = 1 - a od }; active proctype Q() { do :: b > 0 -> b-- :: b < 1000 -> b++ od }')
    const fair = fairProduct(nonProgressProduct(model))
    const r = explore(fair, options)
    assert.equal(r.violation?.kind, 'non-progress-cycle')
    assert.ok(r.violation.loop !== undefined && r.violation.loop < r.violation.choices.length - 1)
    const whole = searchLiveness(fair, options)
    assert.equal(whole.violation?.kind, 'non-progress-cycle')
    assert.equal(whole.stats.distinct, explore(nonProgressProduct(model), { ...options, strategy: 'dfs' }).stats.distinct)
    assert.ok(r.stats.distinct < 100 && whole.stats.distinct > 20 * r.stats.distinct, `${r.stats.distinct} states on the fly, ${whole.stats.distinct} in all`)
  })

  const pftp = join(corpusDir(), 'promela', 'spin-examples', 'Book_1991', 'App.F.pftp.pml')
  const noCorpus = existsSync(pftp) ? false : `the corpus is not at ${corpusDir()} (set WEFT_CORPUS to run this test)`
  it('finds the non-progress cycle of App.F.pftp under -l -f after about as many states as pan (581)', { skip: noCorpus }, () => {
    const file = pftp
    const loaded = loadPromela({ file, text: readFileSync(file, 'utf8'), readFile: (name, from) => (existsSync(join(dirname(from), name)) ? { name: join(dirname(from), name), text: readFileSync(join(dirname(from), name), 'utf8') } : undefined) })
    assert.ok(loaded.model)
    const r = explore(fairProduct(nonProgressProduct(loaded.model)), { ...options, timeLimit: 60 })
    assert.equal(r.violation?.kind, 'non-progress-cycle')
    assert.ok(r.stats.distinct < 2000, `${r.stats.distinct} states`)
  })
})

