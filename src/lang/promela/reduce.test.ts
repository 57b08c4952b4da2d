import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { explore } from '../../core/check.js'
import { followChoices } from '../../core/path.js'
import type { SearchResult } from '../../core/search/types.js'
import { renderDiagnostics } from '../../diag/render.js'
import { loadPromela } from './load.js'
import type { PromelaModel } from './model.js'
import { independence, reduceModel } from './reduce.js'

function load(text: string): PromelaModel {
  const loaded = loadPromela({ file: 'test.pml', text })
  assert.ok(loaded.model, renderDiagnostics(loaded.diagnostics, (f) => loaded.sources.get(f)))
  return loaded.model
}

/** The same search without and with reduction, depth-first and breadth-first. */
function both(text: string, strategy: 'dfs' | 'bfs' = 'dfs'): { full: SearchResult; reduced: SearchResult } {
  const options = { strategy, checkDeadlock: true, continueAfterViolation: false } as const
  return { full: explore(load(text), options), reduced: explore(reduceModel(load(text)), options) }
}

/** Two processes counting to N in their own locals: `2N + 2` places each. */
const counters = (n: number): string => `active [2] proctype P() { byte i; do :: i < ${n} -> i++ :: else -> break od }`

describe('partial-order reduction', () => {
  it('takes no vectors back from the search: the model would forget its caches on the wrapper', () => {
    assert.equal(reduceModel(load(counters(2))).release, undefined)
  })
  it('two processes taking N local steps each: quadratic without reduction, linear with it', () => {
    for (const strategy of ['dfs', 'bfs'] as const) {
      for (const n of [3, 20]) {
        const { full, reduced } = both(counters(n), strategy)
        // Without: every pair of places, then the places of process 0 once process 1 is gone, then none.
        assert.equal(full.stats.distinct, (2 * n + 2) ** 2 + (2 * n + 2) + 1)
        // With: process 1 runs to its end alone, then process 0 (process 1, the last, may not be
        // removed before: removal is never safe), then both are removed one by one.
        assert.equal(reduced.stats.distinct, 2 * n + 2 + (2 * n + 1) + 2)
        assert.equal(reduced.status, 'ok')
      }
    }
  })

  it('finds an assert that fails only in one interleaving of the global steps', () => {
    const text = `byte x;
      active proctype A() { byte i; i = 1; i = 2; x = x + 1; i = 3; x = x + 1 }
      active proctype B() { byte j; j = 1; x = x * 2; j = 2; assert(x != 3) }`
    for (const strategy of ['dfs', 'bfs'] as const) {
      const { full, reduced } = both(text, strategy)
      assert.equal(full.violation?.kind, 'assertion')
      assert.equal(reduced.violation?.kind, 'assertion')
      assert.ok(reduced.stats.distinct < full.stats.distinct)
    }
  })

  it("a reduced counterexample's ChoicePath replays on the model without reduction", () => {
    const text = `byte x;
      active proctype A() { byte i; i = 1; x = 1; i = 2; i = 3 }
      active proctype B() { byte j; j = 1; j = 2; assert(x == 0) }`
    const reduced = explore(reduceModel(load(text)), { strategy: 'dfs', checkDeadlock: true, continueAfterViolation: false })
    assert.equal(reduced.violation?.kind, 'assertion')
    const plain = load(text)
    const path = followChoices(plain, reduced.violation!.choices, reduced.violation!.failingAction)
    assert.ok(path.failing, 'the last step fails again without reduction')
  })

  it('finds an assert that a process looping on its locals would postpone forever (the cycle proviso)', () => {
    // Process 0 can flip its bit for ever; without the proviso its loop would be the only ample set.
    const text = `byte x;
      active proctype A() { bit b; do :: b = 1 - b od }
      active proctype B() { x = 1; assert(x == 0) }`
    for (const strategy of ['dfs', 'bfs'] as const) {
      const { reduced } = both(text, strategy)
      assert.equal(reduced.violation?.kind, 'assertion')
    }
  })

  it('finds the same invalid end state (a process left waiting) and the same deadlock', () => {
    const blocked = `byte x;
      active proctype A() { byte i; i++; i++; x == 1; i++ }
      active proctype B() { byte j; j++; x = 2; j++ }`
    for (const strategy of ['dfs', 'bfs'] as const) {
      const { full, reduced } = both(blocked, strategy)
      assert.equal(full.violation?.kind, 'invalid-end-state')
      assert.equal(reduced.violation?.kind, 'invalid-end-state')
    }
  })

  it('finds a message lost by two senders racing for a one-place mailbox', () => {
    // Each sender tests the flag, then (not atomically) fills the mailbox: both may see it empty,
    // and the receiver then waits for ever for the second message.
    const text = `byte box; bool busy; byte got;
      active [2] proctype S() { byte k; k = _pid + 1; k = k * 2; !busy; box = k; busy = true }
      active proctype R() { byte m; do :: busy -> m = box; busy = false; got++; if :: got == 2 -> break :: else -> skip fi od }`
    for (const strategy of ['dfs', 'bfs'] as const) {
      const { full, reduced } = both(text, strategy)
      assert.equal(full.violation?.kind, 'invalid-end-state')
      assert.equal(reduced.violation?.kind, 'invalid-end-state')
    }
    const correct = text.replace('!busy; box = k; busy = true', 'atomic { !busy; box = k; busy = true }')
    const { full, reduced } = both(correct)
    assert.equal(full.status, 'ok')
    assert.equal(reduced.status, 'ok')
  })

  it('keeps the counts of a model with no safe statement', () => {
    const text = `byte x; active [2] proctype P() { do :: x < 3 -> x++ :: else -> break od }`
    const { full, reduced } = both(text)
    assert.equal(reduced.stats.distinct, full.stats.distinct)
    assert.equal(reduced.stats.transitions, full.stats.transitions)
  })

  it('finds statements safe only when they touch nothing but their own locals', () => {
    const safeTexts = (text: string): string[] => {
      const model = load(text)
      const ind = independence(model.program)
      const all = new Map(model.program.graphs.flatMap((g) => g.locations.flatMap((l) => l.trans.map((t) => [t.id, t] as const))))
      return [...all.values()].filter((t) => ind.safe[t.id] === 1).sort((a, b) => a.span.start - b.span.start).map((t) => t.text)
    }
    assert.deepEqual(safeTexts('byte g; active proctype P() { byte i; i = 1; g = i; i = g; assert(i == 2); d_step { i++; i++ }; printf("%d", i) }'), ['i = 1', 'assert(i == 2)', 'd_step { i++; i++ }', 'i++', 'i++', 'printf("%d", i)'])
    // `else` is safe only with safe siblings (the step after an unsafe one may be safe); a channel, `run`, `_nr_pr` and atomic sequences never are.
    assert.deepEqual(safeTexts('byte g; chan c = [1] of { byte }; proctype Q() { skip } active proctype P() { byte i; if :: i > 0 -> i-- :: else -> i++ fi; if :: g > 0 :: else -> i++ fi; c!i; run Q(); i = _nr_pr; atomic { i++; i++ } }'), ['skip', 'i > 0', 'i--', 'else', 'i++', 'i++'])
    // A process whose locals or labels another reads, or with a `provided` clause, has none.
    assert.deepEqual(safeTexts('active proctype P() { byte i; here: i = 1 } active proctype Q() { P[0]:i == 1 }'), [])
    assert.deepEqual(safeTexts('bool go; active proctype P() provided (go) { byte i; i = 1 } active proctype Q() { go = true }'), [])
    assert.equal(independence(load('active proctype P() { byte i; i = enabled(0) }').program).off, "the model uses 'enabled'")
    assert.equal(independence(load('active proctype P() { byte i; i = _last }').program).off, "the model reads '_last'")
  })
})
