import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { explore } from '../../core/check.js'
import { renderDiagnostics } from '../../diag/render.js'
import { loadPromela } from './load.js'

/**
 * Depth-first `depth` against pan's "depth reached" for tiny models, each measured with SPIN 6.5.2
 * in the canonical configuration (`spin -o1 -o2 -o3 -a; gcc -DNOREDUCE -DNOCOMP -DNOCLAIM; ./pan -E`):
 * pan's depth counts every statement it executes, including some it never stores a state for.
 */
function depthOf(text: string): { depth: number; stored: number } {
  const loaded = loadPromela({ file: 'test.pml', text })
  assert.ok(loaded.model, renderDiagnostics(loaded.diagnostics, (f) => loaded.sources.get(f)))
  const r = explore(loaded.model, { strategy: 'dfs', checkDeadlock: false, continueAfterViolation: false })
  return { depth: r.stats.depth, stored: r.stats.distinct }
}

describe('depth-first depth counts what pan counts', () => {
  it('both halves of a rendezvous that ends in a state already seen (SPIN: depth 3, 2 stored)', () => {
    const text = `mtype = { a, b }; chan p = [0] of { mtype }; chan q = [0] of { mtype };
      active proctype A() { do :: p!a; q?b od }
      active proctype B() { do :: p?a; q!b od }`
    assert.deepEqual(depthOf(text), { depth: 3, stored: 2 })
  })
  it('a rendezvous send that no process can take: pan offers it and backs out (SPIN: depth 1)', () => {
    assert.deepEqual(depthOf('chan c = [0] of { byte }; active proctype A() { c!1 }'), { depth: 1, stored: 1 })
  })
  it("the end of an if option inside an atomic sequence, before the sequence's last statement (SPIN: depth 6)", () => {
    assert.deepEqual(depthOf('byte x; active proctype P() { atomic { x = 1; if :: x == 1 -> x++ :: else -> skip fi; x++ } }'), { depth: 6, stored: 3 })
  })
  it('the same outside an atomic sequence: pan folds the jump (SPIN: depth 5)', () => {
    assert.deepEqual(depthOf('byte x; active proctype P() { x = 1; if :: x == 1 -> x++ :: else -> skip fi; x++ }'), { depth: 5, stored: 6 })
  })
  it('a break out of a do that ends an atomic sequence: the break and the exit (SPIN: depth 10)', () => {
    assert.deepEqual(depthOf('byte x, i; active proctype P() { atomic { x = 1; i = 1; do :: i < 3 -> i++ :: i >= 3 -> break od } }'), { depth: 10, stored: 3 })
  })
  it('the exit of an if that ends an atomic sequence, into the next atomic sequence: pan keeps the jump (SPIN: depth 6)', () => {
    // Measured with pan: the jump from the first sequence's last element to the second sequence's first is a step of its own.
    const text = 'byte m; active proctype P() { atomic { if :: m == 5 -> skip :: else -> m = 1 fi }; atomic { m = 9; m = 3 } }'
    assert.deepEqual(depthOf(text), { depth: 6, stored: 4 })
  })
  it('the same into an atomic sequence of one statement (a basic statement for pan) (SPIN: depth 5)', () => {
    const text = 'byte m; active proctype P() { atomic { if :: m == 5 -> skip :: else -> m = 1 fi }; atomic { m = 9 } }'
    assert.deepEqual(depthOf(text), { depth: 5, stored: 4 })
  })
  it('a goto from one atomic sequence to a label inside another: pan folds it (SPIN: depth 5)', () => {
    const text = 'byte m; active proctype P() { atomic { m = 1; if :: m == 1 -> goto L :: else fi; m = 2 }; atomic { m = 3; L: m = 4; m = 5 } }'
    assert.deepEqual(depthOf(text), { depth: 5, stored: 3 })
  })
  it('a goto to the label of its own atomic statement is a step, and the sequence is entered again (SPIN: depth 17)', () => {
    const text = 'byte n = 3; byte x; active proctype A() { repeat: atomic { x++; n--; if :: n != 0 -> goto repeat :: else -> skip fi } }\nactive proctype B() { x = 0; x = 1 }'
    assert.deepEqual(depthOf(text), { depth: 17, stored: 38 })
  })
  it('for loops in an atomic sequence: only the last one keeps its jumps (SPIN: depth 20)', () => {
    const text = 'byte x; active proctype P() { byte k; atomic { for (k : 0 .. 1) { x++ }; for (k : 0 .. 1) { x++ } }; x = 9 }'
    assert.deepEqual(depthOf(text), { depth: 20, stored: 4 })
  })
  it("an inner atomic sequence that ends the outer one holds the outer one's last statement (SPIN: depth 7)", () => {
    const text = 'byte x; active proctype P() { atomic { x = 1; atomic { x = 2; if :: x == 2 -> x = 3 :: else -> skip fi } }; x = 5 }'
    assert.deepEqual(depthOf(text), { depth: 7, stored: 4 })
  })
  it('a block that ends an atomic sequence keeps its own element: a break to it folds (SPIN: depth 4)', () => {
    const text = 'inline inl() { printf("x\\n"); }\nbyte c; active proctype P() { atomic { c = 1; do :: c == 1 -> break :: c == 0 -> c++ od; inl() } }'
    assert.deepEqual(depthOf(text), { depth: 4, stored: 3 })
  })
})
