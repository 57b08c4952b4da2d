import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { explore } from '../../core/check.js'
import type { Model } from '../../core/model.js'
import type { SearchResult } from '../../core/search/types.js'
import { renderDiagnostics } from '../../diag/render.js'
import { loadPromela } from './load.js'

/**
 * One rule of pan's canonical flow graph or runtime per test, each pinned by a tiny model and the
 * counts SPIN 6.5.2 gave for it (`spin -o1 -o2 -o3 -a; gcc -DNOREDUCE -DNOCOMP -DNOCLAIM; ./pan`).
 * docs/internals/promela.md explains the rules.
 */
function check(text: string): { verdict: string; stored: number; transitions: number; message?: string } {
  const loaded = loadPromela({ file: 'test.pml', text })
  assert.ok(loaded.model, renderDiagnostics(loaded.diagnostics, (f) => loaded.sources.get(f)))
  const r = explore(loaded.model, { strategy: 'dfs', checkDeadlock: true, continueAfterViolation: false })
  return { verdict: r.violation ? r.violation.kind : r.status, stored: r.stats.distinct, transitions: r.stats.transitions, ...(r.violation ? { message: r.violation.message } : {}) }
}

function expectCounts(text: string, stored: number, transitions: number): void {
  const r = check(text)
  assert.equal(r.verdict, 'ok', r.message)
  assert.deepEqual({ stored: r.stored, transitions: r.transitions }, { stored, transitions })
}

describe('select', () => {
  it('with small constant bounds is an if with one option per value (SPIN: 6 stored, 8 transitions)', () => {
    expectCounts('active proctype Main() { byte k; select (k : 1 .. 3); k = 0 }', 6, 8)
  })
  it('with a variable bound loops, the break option first (SPIN: 11 stored, 13 transitions)', () => {
    expectCounts('byte n = 3; active proctype Main() { byte k; select (k : 1 .. n); k = 0 }', 11, 13)
  })
  it('with a range wider than 32 loops (SPIN: 122 stored, 161 transitions)', () => {
    expectCounts('active proctype Main() { byte k; select (k : 1 .. 40); k = 0 }', 122, 161)
  })
  it('inside an inline body is never expanded (SPIN: 11 stored, 13 transitions)', () => {
    expectCounts('inline pick(v) { select (v : 0 .. 2) }\nactive proctype Main() { byte k; pick(k); k = 0 }', 11, 13)
  })
})

describe('for over a channel', () => {
  it('rotates the messages through the loop variable with a hidden counter per block (SPIN: 42 stored, 42 transitions)', () => {
    const text = `typedef m { byte a };
init {
	m foo;
	chan x = [2] of { m };
	foo.a = 1; x!foo; foo.a = 2; x!foo;
	for (foo in x) { skip }
	for (foo in x) { skip }
	{ for (foo in x) { skip } }
}`
    expectCounts(text, 42, 42)
  })
})

describe('message fields', () => {
  it('a poll or ?<…> may name only the first fields of a message (SPIN: 11 stored, 11 transitions)', () => {
    const text = `chan c = [3] of { byte, byte };
active proctype A()
{	byte x, y;
	c!1,2; c!3,4; c!5,6;
	c??[5] -> c?<x>;
	c?x,y; c??5,y; c?[3] -> c?x,y
}`
    expectCounts(text, 11, 11)
  })
  // With a channel whose type is known before the run, both are errors before the search (PML211).
  it('a receive that removes a message with fields left unnamed is an error when it runs (SPIN: missing pars in receive, depth 1)', () => {
    const r = check('chan c = [3] of { byte, byte };\nactive proctype A() { chan d = c; byte x; d!1,2; d?x }')
    assert.equal(r.verdict, 'runtime-error')
    assert.equal(r.stored, 2)
  })
  it('a send with too few fields is an error only when it runs, not while the channel is full (SPIN: invalid end state)', () => {
    assert.equal(check('chan c = [1] of { byte, byte };\nactive proctype A() { chan d = c; d!1,2; d!1 }').verdict, 'invalid-end-state')
  })
})

describe('jumps', () => {
  it('a goto after a statement folds into that statement, even with a plain label (SPIN: 8 stored, 8 transitions)', () => {
    expectCounts('active proctype A() { byte x; L0: x++; if :: x < 3 -> lab: goto L0 :: else fi }', 8, 8)
  })
  it('a goto with a progress label is a step of its own (SPIN: 10 stored, 10 transitions)', () => {
    expectCounts('active proctype A() { byte x; L0: x++; if :: x < 3 -> progress: goto L0 :: else fi }', 10, 10)
  })
  it('a break with an end label and a goto with a progress label are steps of their own (SPIN: 8 stored, 9 transitions)', () => {
    const text = `active proctype A()
{	byte x;
	do
	:: x < 3 -> x++; endx: break
	:: x < 3 -> x++; progress2: goto L
	:: else -> break
	od;
L:	x = 0
}`
    expectCounts(text, 8, 9)
  })
  it('a labelled goto as the first statement of an option is still a step (SPIN: 520 stored, 523 transitions)', () => {
    expectCounts('active proctype A() { byte x; L: x++; if :: x < 3 -> x++ :: lab: goto L fi; x = 0 }', 520, 523)
  })
})

describe('declarations', () => {
  it('after the first statement, or in a nested block, a declaration is an assignment step (SPIN: 9 stored, 9 transitions)', () => {
    const text = `active proctype A()
{	byte x;
	x = 1;
	byte y = 3;
	bit z;
	{ byte w; w = 2 }
	atomic { byte v = x; v++ }
	x = y + z
}`
    expectCounts(text, 9, 9)
  })
  it('an array declared later assigns its first element, a structure takes a step that changes nothing, an inline body always assigns (SPIN: 41 stored, 69 transitions)', () => {
    const text = `typedef T { byte a; byte b };
inline f() { byte q = 5; q++ }
active proctype A()
{	byte x;
	x = 1;
	T t;
	byte arr[3];
	t.b = 2; arr[2] = 1;
	f()
}
active proctype B()
{	f(); byte z = 2
}`
    expectCounts(text, 41, 69)
  })
  it('only declarations at the start of the body are initialised at creation (SPIN: 53 stored, 110 transitions)', () => {
    const text = `active proctype A()
{	byte x = 1;
	x = 2
}
active proctype B()
{	byte y = 3;
	{ byte w = 4; y = w };
	if :: byte v = 5; y = v fi
}
init { if :: byte u = 6; u++ fi; byte t = 7 }`
    expectCounts(text, 53, 110)
  })
})

describe('priorities', () => {
  it('a process of higher priority that becomes executable breaks an atomic sequence (SPIN: 8 stored, 8 transitions)', () => {
    const text = `byte g;
chan c = [1] of { byte };
active proctype Low() priority 1 {
	atomic { g = 1; c!1; g = 2; g = 3 };
	g = 4
}
active proctype High() priority 5 {
	c?_; g = 10
}`
    expectCounts(text, 8, 8)
  })
  it('so does running a process of higher priority inside an atomic sequence (SPIN: 7 stored, 7 transitions)', () => {
    const text = `byte g;
active proctype Low() priority 1 {
	atomic { g = 1; run X() priority 3; g = 2; g = 3 };
	g = 4
}
proctype X() { g = 7 }`
    expectCounts(text, 7, 7)
  })
})

describe('typedef field initialisers', () => {
  it('every structure instance starts with its fields initialised, nested and declared later ones too (SPIN: 11 stored, 11 transitions)', () => {
    const text = `typedef T { byte a = 3; byte b };
typedef U { T t; byte c = 4 };
U us;
active proctype A() {
	byte x = 1;
	x = 2;
	T loc;
	U u2;
	assert(loc.a == 3 && us.t.a == 3 && us.c == 4 && u2.t.a == 3);
	loc.a = 5;
	do :: loc.a == 5 -> T loc2; assert(loc2.a == 3); loc2.a = 9; break od
}`
    expectCounts(text, 11, 11)
  })
})

describe('redundant skips', () => {
  it('an if/do option keeps only the first of consecutive skips, besides its first and last statement (SPIN: 77 stored, 135 transitions)', () => {
    const text = `byte g, h;
active proctype A() {
	if
	:: g == 0 -> skip; skip; skip; g = 1
	:: g == 0 -> printf("x"); skip; g = 2
	fi;
	do
	:: g < 5 -> skip; skip; g++
	:: else -> break
	od
}
active proctype B() { h = 1; h = 2 }`
    expectCounts(text, 77, 135)
  })
})

describe('jumps between atomic sequences', () => {
  it('a goto from one atomic sequence into another keeps control; falling off the end of one into the next does not (SPIN: 31 stored, 51 transitions)', () => {
    const text = `byte g, h;
active proctype A() {
	atomic { g = 1; g = 2 };
	atomic { g = 3; g = 4 };
	atomic { g == 4 -> goto L };
	atomic { g = 5; L: g = 6; g = 7 };
	do
	:: atomic { g < 9 -> g++; goto M }
	:: g == 9 -> break
	od;
M:	g = 0
}
active proctype B() { h = 1; h = 2; h = 3 }`
    expectCounts(text, 31, 51)
  })
  it('a goto to the label of an atomic statement, even from inside that statement, gives up control (SPIN: 38 stored, 50 transitions; 68, 101; 27, 39)', () => {
    const loop = `byte n = 3; byte x;
active proctype A() {
repeat:
	atomic { x++; n--; if :: n != 0 -> goto repeat :: else -> skip fi }
}
active proctype B() { x = 0; x = 1 }`
    expectCounts(loop, 38, 50)
    const outside = `byte n = 3; byte x;
active proctype A() { L: atomic { x++; n-- }; if :: n != 0 -> goto L :: else fi }
active proctype B() { x = 0; x = 1 }`
    expectCounts(outside, 68, 101)
    const between = `byte n = 3; byte x;
active proctype A() {
	goto M;
L:	atomic { x++; n--; if :: n == 1 -> goto M :: else fi };
M:	atomic { x--; n--; if :: n > 0 && n < 200 -> goto L :: else -> skip fi }
}
active proctype B() { x = 0; x = 1 }`
    expectCounts(between, 27, 39)
  })
  it('a goto to the label of an inner atomic statement stays in the outer sequence (SPIN: 13 stored, 15 transitions)', () => {
    const text = `byte n = 3; byte x;
active proctype A() { atomic { x = 2; L: atomic { x++; n--; if :: n > 0 -> goto L :: else fi }; x = 7 } }
active proctype B() { x = 0; x = 1 }`
    expectCounts(text, 13, 15)
  })
})

describe('hidden globals', () => {
  it('keep their value along a path but are not part of the state (SPIN: 6 stored, 7 transitions; 12, 12 without hidden)', () => {
    const text = (vis: string): string => `${vis} byte s;
byte g;
active proctype A() { do :: s < 3 -> s++; g = 1 - g :: s >= 3 -> break od }`
    expectCounts(text('hidden'), 6, 7)
    expectCounts(text(''), 12, 12)
  })
})

describe('for over an array element of channels', () => {
  it('is over the channel when the loop variable is a structure, each nested loop with its own counter (SPIN: 47 stored, 47 transitions)', () => {
    const text = `typedef m { bit b; int x; chan c };
init {
	chan a[10] = [7] of { m };
	m foo, bar, goo;
	foo.b = 1; foo.x = 3; foo.c = a[3]; a[3]!foo;
	bar.b = 0; bar.x = 978; bar.c = a[6]; a[3]!bar;
	for (goo in a[3]) {
		printf("goo: %d\\n", goo.x);
		for (foo in a[3]) { printf("foo: %d\\n", foo.b) }
	}
	a[3]?goo
}`
    expectCounts(text, 47, 47)
  })
})

/** Stored states, transitions and errors of a search that goes on past violations, breadth- and depth-first; the model. */
function expectContinued(text: string, stored: number, transitions: number, errors: number): Model<Int32Array, unknown> {
  const loaded = loadPromela({ file: 'test.pml', text })
  assert.ok(loaded.model)
  for (const strategy of ['dfs', 'bfs'] as const) {
    const r: SearchResult = explore(loaded.model, { strategy, checkDeadlock: true, continueAfterViolation: true })
    assert.deepEqual({ stored: r.stats.distinct, transitions: r.stats.transitions, errors: r.violations }, { stored, transitions, errors }, strategy)
  }
  return loaded.model as Model<Int32Array, unknown>
}

describe('continuing past violations (pan -c0)', () => {
  it('a d_step that passes two failing asserts counts both (SPIN: 3 stored, 3 transitions, 2 errors)', () => {
    expectContinued('byte g;\nactive proctype A() { d_step { assert(g == 1); assert(g == 2); g = 3 } }', 3, 3, 2)
  })
  it('a failing assert counts once, also where the atomic sequence branches after it (SPIN: 8 stored, 10 transitions, 1 error)', () => {
    expectContinued('bool b;\nactive proctype P() { byte l; atomic { assert(b); if :: l = 1 :: l = 2 :: l = 3 fi }; b = true }', 8, 10, 1)
  })
  it('a step that passes two failing asserts reports the first and counts both (SPIN: 13 stored, 19 transitions, 11 errors, assertion violated b)', () => {
    const model = expectContinued('bool b;\nactive [2] proctype P() { atomic { assert(b); assert(!b && b) }; b = true }', 13, 19, 11)
    const first = explore(model, { strategy: 'dfs', checkDeadlock: true, continueAfterViolation: false })
    assert.match(first.violation?.message ?? '', /assert\(b\)$/)
  })
  it('a failing assert inside a d_step does not stop it: the d_step runs to its end (SPIN: 17 stored, 22 transitions, 4 errors)', () => {
    const loaded = loadPromela({ file: 'test.pml', text: 'byte g, h;\nactive proctype A() { d_step { g = 1; assert(g == 0); g = 2 }; h = 3 }\nactive proctype B() { h = 5; h = 6 }' })
    assert.ok(loaded.model)
    const r = explore(loaded.model, { strategy: 'dfs', checkDeadlock: true, continueAfterViolation: true })
    assert.deepEqual({ kind: r.violation?.kind, stored: r.stats.distinct, transitions: r.stats.transitions, depth: r.stats.depth, errors: r.violations }, { kind: 'assertion', stored: 17, transitions: 22, depth: 6, errors: 4 })
  })
  it('a failing assert completes its step, inside an atomic sequence too, and every failing step counts (SPIN: 27 stored, 39 transitions, 4 errors)', () => {
    const loaded = loadPromela({
      file: 'test.pml',
      text: `byte g;
active proctype A() { atomic { g = 1; assert(g == 0); g = 2 }; assert(g != 3); g = 3 }
active proctype B() { g = 5; g = 6 }`,
    })
    const model = loaded.model
    assert.ok(model)
    for (const strategy of ['dfs', 'bfs'] as const) {
      const r: SearchResult = explore(model, { strategy, checkDeadlock: true, continueAfterViolation: true })
      assert.deepEqual({ kind: r.violation?.kind, stored: r.stats.distinct, transitions: r.stats.transitions, errors: r.violations }, { kind: 'assertion', stored: 27, transitions: 39, errors: 4 })
    }
  })
})

/** Stored states, transitions and depth-first depth, as pan counts them. */
function expectAll(text: string, stored: number, transitions: number, depth: number): void {
  const loaded = loadPromela({ file: 'test.pml', text })
  assert.ok(loaded.model, renderDiagnostics(loaded.diagnostics, (f) => loaded.sources.get(f)))
  const r = explore(loaded.model, { strategy: 'dfs', checkDeadlock: true, continueAfterViolation: false })
  assert.equal(r.status, 'ok', r.violation?.message)
  assert.deepEqual({ stored: r.stats.distinct, transitions: r.stats.transitions, depth: r.stats.depth }, { stored, transitions, depth })
}

// Each found by comparing random models with SPIN (scripts/promela-fuzz-run.ts).
describe('rules found by differential testing', () => {
  it('full is false and nfull true on a rendezvous channel: pan gives it one slot (SPIN: 24 stored, 34 transitions, depth 7)', () => {
    const text = `chan c = [0] of { byte }; byte x;
active proctype A() { if :: nfull(c) -> x = 1 :: full(c) -> x = 2 fi; x = 3 }
active proctype B() { x = 4; x = 5 }`
    expectAll(text, 24, 34, 7)
  })
  it('a label before a block with an escape wraps both in a block, entered at a goto that is a step of its own (SPIN: 4 stored, 4 transitions, depth 3)', () => {
    const model = (label: string): string => `byte a;\nactive proctype P() { ${label} { goto X; a = 3 } unless { goto Y }; Y: a = 1; X: a = 2 }`
    expectAll(model('L:'), 4, 4, 3)
    // Without the label pan hunts through the goto from the process's start: the escape is never offered.
    expectAll(model(''), 3, 3, 2)
    // The same after another statement.
    expectAll(model('a = 5; L:'), 5, 5, 4)
    expectAll(model('a = 5;'), 4, 4, 3)
  })
  it("a block's entry offers the escapes of the escape's first statement too (SPIN: 5 stored, 6 transitions, depth 3)", () => {
    const model = (label: string): string => `byte g; short s; byte arr[3];\nactive proctype Q() { ${label} { s != 0 } unless { { arr[2] = arr[0] } unless { g = 1 } }; g = 2 }`
    expectAll(model('L:'), 5, 6, 3)
    // Without the label the unless is not in a block of its own: pan offers only the escape's first statement.
    expectAll(model(''), 4, 4, 3)
    // The same with an if opening the guarded block (random seed 6067).
    expectAll('byte g; short s; byte arr[3];\nactive proctype Q() { L: { if :: s != 0 fi } unless { { arr[2] = arr[0] } unless { g = 1 } }; g = 2 }', 5, 6, 3)
  })
  it("at a block's entry, nested escapes inside the block are tried innermost first, as one group (SPIN: 6 stored, 6 transitions, depth 3)", () => {
    // At the statement's own state the outer escape comes first (SPIN: 3, 3, 2).
    expectAll('byte a, l0;\nactive proctype Q() { { { a = 1 } unless { l0 = 1 } } unless { a == 0 } }', 3, 3, 2)
    expectAll('byte a, l0;\nactive proctype Q() { skip; { { { a = 1 } unless { l0 = 1 } } unless { a == 0 } } }', 6, 6, 3)
    expectAll('byte a, l0;\nactive proctype Q() { L: { { a = 1 } unless { l0 = 1 } } unless { a == 0 } }', 5, 5, 2)
    // A goto to the block's own label loops until an escape is taken (SPIN: 11 stored, 18 transitions, depth 6).
    expectAll('byte a, b;\nactive proctype P() { L: { { goto L } unless { a == 2 } } unless { b == 1 }; a = 3 }\nactive proctype Q() { a = 2; b = 1 }', 11, 18, 6)
  })
  it('from inside an atomic sequence, an escape that opens with a do is the jump into the do, always executable (SPIN: 4 stored, 6 transitions, depth 2)', () => {
    const model = (main: string): string => `byte g0; byte l0;\nactive proctype P0() { end: g0 < 2 }\nactive proctype P1() { ${main} unless { do :: timeout od } }`
    expectAll(model('{ atomic { if :: l0 = 1 :: l0 = 2 fi } }'), 4, 6, 2)
    expectAll(model('{ atomic { select (l0 : 0 .. 2) }; do :: l0 != 2 od }'), 4, 6, 2)
    // The last statement of the sequence is not atomic in pan's sense: the escape is the do's options there.
    expectAll(model('{ atomic { l0 = 1 } }'), 7, 9, 4)
  })
  it('a goto with an end label that ends an atomic sequence keeps its jump out as a step (SPIN: 1 stored, 2 transitions, depth 2)', () => {
    expectAll('init { end5: atomic { true; end4: goto end5 } }', 1, 2, 2)
    expectAll('init { end5: atomic { true; goto end5 } }', 1, 2, 1)
  })
  it('an else beside a d_step is executable when the d_step\'s first statement is not (SPIN: 3 stored, 3 transitions, depth 2)', () => {
    expectAll('byte x;\nactive proctype P() { do :: d_step { x > 0; x = 1 } :: else -> break od }', 3, 3, 2)
    // Once the other process has ended, _nr_pr > 1 no longer holds and the else leaves the loop.
    expectAll('byte x;\nactive proctype P1() { do :: d_step { _nr_pr > 1; x = 1 } :: else -> break od }\nactive proctype P2() { x == 0 }', 10, 12, 5)
  })
  it('a goto alone in an atomic sequence is its last element: the jumps after it fold (SPIN: 4 stored, 4 transitions, depth 3)', () => {
    expectAll('byte g1;\nactive proctype P0() { if :: atomic { goto L1 } fi; L1: goto L3; L3: g1 = 1 }', 4, 4, 3)
  })
  it('after a move of the timeout pass, the next move of an atomic sequence sees timeout false (SPIN: 4 stored, 4 transitions, depth 5)', () => {
    expectAll('byte x;\nactive proctype A() { atomic { timeout; x = 1; timeout; x = 2 } }', 4, 4, 5)
  })
  it('an atomic sequence that opens with a do is entered apart from the loop head; blocking inside counts one level more (SPIN: 8 stored, 9 transitions, depth 11)', () => {
    const text = `byte x, y;
active proctype A() { atomic { do :: timeout -> x = 1 - x :: y == 3 -> break od } }
active proctype B() { y < 3 -> y++; y < 3 -> y++ }`
    expectAll(text, 8, 9, 11)
  })
  it('a goto that opens a block or an atomic sequence is a step of its own (SPIN: 4 stored, 5 transitions, depth 3; 5, 6, 4; 8, 14, 3)', () => {
    const loop = (first: string): string => `byte g1;\nactive proctype Q() { ${first}; do :: timeout; L4: g1 = 1 od }`
    expectAll(loop('{ goto L4 }'), 4, 5, 3)
    expectAll(loop('atomic { goto L4 }'), 4, 5, 3)
    expectAll(loop('g1 = 2; { goto L4 }'), 5, 6, 4)
    expectAll('byte x;\nactive proctype A() { x = 1; L: { goto L; skip } }\nactive proctype B() { x = 2 }', 8, 14, 3)
  })
  it('but not when the block is the main part of an unless (SPIN: 6 stored, 7 transitions, depth 5)', () => {
    expectAll('byte g, l;\nactive proctype Q() { { goto L4 } unless { l = 1 }; do :: timeout; L4: g = (g + 1) % 3 od }', 6, 7, 5)
  })
  it('inside an atomic sequence, the element after an unless is a step of its own, as after fi/od (SPIN: depth 8; 10 with a statement after it)', () => {
    const text = (after: string): string => `byte g1; chan c1 = [2] of { byte };
active [2] proctype P0() { atomic { g1 = 1; { c1!1 } unless { g1 == 1 }${after} } }`
    expectAll(text(''), 7, 9, 8)
    expectAll(text('; g1 = 2'), 7, 9, 10)
  })
  it("a label on a for loop stands on the loop head, past the initialisation (SPIN: 9 stored, 10 transitions, depth 8; 10, 11, 9)", () => {
    expectAll('byte g;\nactive proctype Q() { byte l0 = 1; L: for (l0 : 0 .. 1) { g++ }; g < 5 -> goto L }', 9, 10, 8)
    const text = `typedef M { byte a }; chan c = [2] of { M }; byte g;
active proctype Q() { M m; m.a = 1; c!m; L: for (m in c) { g++ }; g < 5 -> goto L }`
    expectAll(text, 10, 11, 9)
  })
})

describe('the last step of an atomic sequence', () => {
  it('gives up control even when a goto after the sequence leads back into it (SPIN: 2 stored, 3 transitions)', () => {
    expectCounts('byte x;\nactive proctype P() { atomic { x > 0 || true; L1: skip; x = 2 }; goto L1 }', 2, 3)
  })
  it("so does an if's exit that ends the sequence, kept as a step of its own (SPIN: 257 stored, 515 transitions)", () => {
    expectCounts('byte x;\nactive proctype P() { atomic { x < 3 -> L1: if :: x++ :: x = x + 2 fi }; goto L1 }', 257, 515)
  })
})

describe('long atomic sequences', () => {
  it('a loop of 20,000 moves inside one atomic sequence is one step (SPIN: 3 stored, 3 transitions, depth 40,005)', () => {
    expectAll('int i;\nactive proctype P() { atomic { i = 0; do :: i < 20000 -> i++ :: else -> break od } }', 3, 3, 40005)
  })
  it('one that never blocks is a runtime error, not a crash', () => {
    const r = check('byte x;\nactive proctype P() { atomic { x < 300; L: x++; goto L } }')
    assert.equal(r.verdict, 'runtime-error')
    assert.match(r.message ?? '', /runs forever without blocking/)
  })
})

describe('provided clauses', () => {
  it('guard the termination of a process too: it stays at its end (SPIN: 2 stored, 2 transitions)', () => {
    expectCounts('byte g; active proctype P() provided (g != 2) { atomic { g = 2 } }', 2, 2)
  })
  it('guard the termination after each choice of a select (SPIN: 6 stored, 6 transitions)', () => {
    expectCounts('byte g; active proctype P() provided (g != 2) { select (g : 0 .. 2) }', 6, 6)
  })
})

describe('unless escapes', () => {
  it('an escape that opens with a goto is the statement at its label (SPIN: 7 stored, 9 transitions)', () => {
    expectCounts('byte x;\nactive proctype Q() { byte l0; { x > 0; l0 = 2 } unless { goto M }; l0 = 5; M: l0 = 3 }\nactive proctype R() { x = 1 }', 7, 9)
  })
  it('an escape that jumps back to its own unless offers the guarded statement again (SPIN: 6 stored, 7 transitions)', () => {
    expectCounts('proctype Q() { byte l0; L2: { select (l0 : 0 .. 1) } unless { goto L2 } }\ninit { run Q() }', 6, 7)
  })
  it('an outer escape takes priority over an inner one, as over the statement both guard (SPIN: 16 stored, 24 transitions)', () => {
    expectCounts('byte x;\nactive proctype Q() { byte l0 = 1; { { x > 0 } unless { goto M } } unless { l0 == 1 -> l0 = 2 }; l0 = 5; M: l0 = 3 }\nactive proctype R() { x = 1 }', 16, 24)
  })
  it('the escapes around an if or select that opens a block apply at the block entry too (SPIN: 3 stored, 6 transitions)', () => {
    expectCounts('byte g0 = 1, g1, l0;\nactive proctype P0() { do :: g0 == 1 od }\ninit { { { select (g1 : 0 .. 1) } unless { goto L1 }; L1: l0 = (g1 + 2) % 3 } }', 3, 6)
  })
  it("an escape's options are tried in reverse order, so an else among them comes first (SPIN: 7 stored, 7 transitions)", () => {
    expectCounts('byte a;\nactive proctype P() { { a < 1 } unless { if :: a < 2 -> a = 3 :: else -> a = 4 fi } }', 7, 7)
  })
  it('an escape that opens with an unless whose main part opens with a goto is the statement at its label (SPIN: 4 stored, 4 transitions)', () => {
    expectCounts('bool b0; byte l0;\nactive proctype P0() { { skip } unless { { goto L0 } unless { b0 }; l0 = 3 }; l0 = 4; goto E; L0: b0 = (b0); E: skip }', 4, 4)
  })
  it('so is one whose nested unless opens with a break: it leaves the loop (SPIN: 4 stored, 4 transitions)', () => {
    expectCounts('bool b0; byte l0;\nactive proctype P0() { do :: l0 < 2 -> { l0++ } unless { { break } unless { b0 } }; l0 = 5 :: l0 >= 2 -> break od; l0 = 7 }', 4, 4)
  })
  it('guard the entry of an atomic sequence that opens with an if under an unless (SPIN: 3 stored, 3 transitions)', () => {
    expectCounts('byte g1; byte l0;\ninit { atomic { { select (g1 : 0 .. 2) } unless { true }; l0 = 1 } }', 3, 3)
  })
  it('inside an atomic sequence, an escape that jumps out keeps its goto as a step (SPIN: 10 stored, 14 transitions)', () => {
    expectCounts('byte x;\nactive proctype Q() { byte l0; atomic { { x > 0; l0 = 2 } unless { goto M }; l0 = 1 }; l0 = 5; M: l0 = 3 }\nactive proctype R() { x = 1 }', 10, 14)
  })
})

describe('else among merged options', () => {
  it('is judged against the options tried before it, those of the enclosing do included (SPIN: 6 stored, 6 transitions)', () => {
    expectCounts('active proctype P() { byte l0 = 1; do :: l0 == 1 -> l0 = 2 :: if :: else -> l0 = 3 fi; break od }', 6, 6)
  })
  it("stays last in its own if, so it may come before the enclosing do's next options (SPIN: 10 stored, 13 transitions, depth 5)", () => {
    expectAll('active proctype P() { byte l0 = 1; do :: if :: else -> l0 = 4 fi :: l0 < 3 -> l0++ od }', 10, 13, 5)
  })
  it("an if's own else goes last, wherever it is written (SPIN: 4 stored, 4 transitions)", () => {
    expectCounts('active proctype P() { byte l0 = 1; if :: else -> l0 = 3 :: l0 == 1 -> l0 = 2 fi }', 4, 4)
  })
})

describe('labelled atomic sequences', () => {
  it('a goto to the label of one that opens with braces around an if gives up control too (SPIN: 6 stored, 8 transitions)', () => {
    expectCounts('byte arr[3];\ninit { byte l0; atomic { d_step { arr[2] = 1 }; goto L6; end5: printf("x") }; L6: atomic { { select (l0 : 0 .. 2) } } }', 6, 8)
  })
})

describe('enabled()', () => {
  it('of a process that has ended is false, as of one that does not exist (SPIN: an invalid end state, no error)', () => {
    const r = check('byte x;\nactive proctype P0() { x = 1; enabled(1); x = 2 }\nactive proctype P1() { x == 1; skip }')
    assert.equal(r.verdict, 'invalid-end-state', r.message)
  })
  it('of the asking process itself is an error, as pan reports it', () => {
    const r = check('byte x;\nactive proctype P0() { enabled(0); x = 1 }')
    assert.deepEqual([r.verdict, r.message], ['runtime-error', 'enabled(0) asks about the process itself'])
  })
  it('in guards that ask each other in a cycle is an error, not a stack overflow', () => {
    const r = check('byte x;\nactive proctype P0() { enabled(1); x = 1 }\nactive proctype P1() { enabled(0); x = 2 }')
    assert.deepEqual([r.verdict, r.message], ['runtime-error', 'enabled() calls in the guards of processes ask each other in a cycle'])
  })
})
