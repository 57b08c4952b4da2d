import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { runCheck } from '../../src/api.js'
import type { Model } from '../../src/core/model.js'
import type { TlaGrammar } from '../../src/lang/tla/parse.js'
import { loadTlaGrammar } from '../../src/platform/node/tla-grammar.js'
import { loadTlaText } from '../support/tla-text.js'

let grammar: TlaGrammar

function load(text: string, cfg: string | undefined, modules: Record<string, string> = {}) {
  return loadTlaText(grammar, text, cfg, modules)
}

function check(text: string, cfg: string, modules: Record<string, string> = {}) {
  const loaded = load(text, cfg, modules)
  assert.ok(loaded.model, loaded.diagnostics.map((d) => d.message).join('; '))
  return runCheck(loaded.model as unknown as Model<unknown, unknown>).summary
}

const COUNTER = `---- MODULE Spec ----
EXTENDS Naturals
CONSTANT N
VARIABLES x, y
Init == x = 0 /\\ y \\in {0, 1}
Inc == x < N /\\ x' = x + 1 /\\ UNCHANGED y
Flip == (y = 0 \\/ x = 0) /\\ y' = 1 - y /\\ UNCHANGED x
Next == Inc \\/ Flip
Inv == x <= N
Small == x < 2
====
`

describe('TLA+ specs', () => {
  before(async () => {
    grammar = await loadTlaGrammar()
  })

  it("counts states generated as TLC does: a disjunction of true guards forks", () => {
    const s = check(COUNTER, 'CONSTANT N = 2\nINIT Init\nNEXT Next\nINVARIANT Inv\nCHECK_DEADLOCK FALSE')
    assert.equal(s.result, 'ok')
    assert.deepEqual([s.stats!.distinct, s.stats!.transitions, s.stats!.depth], [6, 11, 3])
  })

  it('reports a deadlock with a shortest trace', () => {
    const s = check(COUNTER, 'CONSTANT N = 2\nINIT Init\nNEXT Next')
    assert.equal(s.result, 'violation')
    assert.equal(s.violation!.kind, 'deadlock')
    assert.equal(s.violation!.length, 3)
  })

  it('counts a successor outside a CONSTRAINT as generated, but neither keeps nor expands it', () => {
    const s = check(COUNTER, 'CONSTANT N = 2\nINIT Init\nNEXT Next\nCONSTRAINT Small')
    assert.equal(s.result, 'ok')
    assert.deepEqual([s.stats!.distinct, s.stats!.transitions, s.stats!.depth], [4, 10, 2])
  })

  it('takes SPECIFICATION apart into Init and [][Next]_vars, through EXTENDS and INSTANCE', () => {
    const base = `---- MODULE Base ----\nEXTENDS Naturals\nCONSTANT Max\nVARIABLE n\nStep == n < Max /\\ n' = n + 1\n====\n`
    const spec = `---- MODULE Spec ----\nEXTENDS Naturals\nVARIABLE c\nB == INSTANCE Base WITH Max <- 3, n <- c\nInit == c = 0\nSpec == Init /\\ [][B!Step]_c /\\ WF_c(B!Step)\n====\n`
    const s = check(spec, 'SPECIFICATION Spec', { Base: base })
    assert.deepEqual([s.result, s.stats!.distinct, s.stats!.transitions, s.stats!.depth], ['violation', 4, 4, 4])
    assert.equal(s.violation!.kind, 'deadlock')
  })

  it('reports an evaluation error during the search with the trace and the location', () => {
    const spec = `---- MODULE Spec ----\nEXTENDS Naturals\nVARIABLE x\nInit == x = 1\nNext == x' = <<2, 3>>[x]\n====\n`
    const s = check(spec, 'INIT Init\nNEXT Next')
    assert.equal(s.result, 'violation')
    assert.equal(s.violation!.kind, 'runtime-error')
    assert.match(s.violation!.message, /which is not in the domain of the function/)
    assert.equal(s.violation!.length, 3)
  })

  it('reports bad input with a code and a location', () => {
    const unknown = load(`---- MODULE Spec ----\nVARIABLE x\nInit == x = y\nNext == x' = x\n====\n`, 'INIT Init\nNEXT Next')
    assert.equal(unknown.model, undefined)
    assert.equal(unknown.diagnostics[0]!.code, 'TLA101')
    assert.equal(unknown.diagnostics[0]!.span!.start, `---- MODULE Spec ----\nVARIABLE x\nInit == x = `.length)
    const syntax = load(`---- MODULE Spec ----\nVARIABLE x\nInit == x = = 1\n====\n`, 'INIT Init')
    assert.equal(syntax.diagnostics[0]!.code, 'TLA001')
    const noValue = load(COUNTER, 'INIT Init\nNEXT Next')
    assert.equal(noValue.diagnostics[0]!.code, 'TLA133')
    const noDef = load(COUNTER, 'CONSTANT N = 1\nINIT Init\nNEXT Nxt')
    assert.equal(noDef.diagnostics[0]!.code, 'TLA135')
    const arity = load(`---- MODULE Spec ----\nVARIABLE x\nF(a) == a\nInit == x = F(1, 2)\nNext == x' = x\n====\n`, 'INIT Init\nNEXT Next')
    assert.equal(arity.diagnostics[0]!.code, 'TLA102')
    const falseAssume = load(`---- MODULE Spec ----\nEXTENDS Naturals\nASSUME 1 > 2\n====\n`, '')
    assert.equal(falseAssume.diagnostics[0]!.code, 'TLA134')
  })

  it('evaluates recursion, LET, LAMBDA, CHOOSE, EXCEPT and the standard modules', () => {
    const spec = `---- MODULE Spec ----
EXTENDS Naturals, Sequences, FiniteSets, TLC
RECURSIVE Sum(_)
Sum(s) == IF s = <<>> THEN 0 ELSE Head(s) + Sum(Tail(s))
fact[n \\in Nat] == IF n = 0 THEN 1 ELSE n * fact[n - 1]
Apply(F(_), v) == F(v)
r == [a |-> 1, b |-> <<1, 2>>]
ASSUME Sum(<<1, 2, 3>>) = 6
ASSUME fact[5] = 120
ASSUME Apply(LAMBDA z : z * 2, 21) = 42
ASSUME LET g(k) == k + 1 IN g(g(1)) = 3
ASSUME (CHOOSE v \\in {3, 1, 2} : TRUE) = 1
ASSUME [r EXCEPT !.b[2] = @ + 10] = [a |-> 1, b |-> <<1, 12>>]
ASSUME Cardinality(SUBSET {1, 2, 3}) = 8 /\\ {1, 2} \\subseteq Nat
ASSUME SelectSeq(<<1, 2, 3, 4>>, LAMBDA e : e % 2 = 0) = <<2, 4>>
ASSUME (1 :> "a" @@ 2 :> "b")[2] = "b" /\\ <<1, 2>> \\o <<3>> = <<1, 2, 3>>
ASSUME 2 \\in {x \\in Nat : x < 3} /\\ 7 \\in Nat \\ {0}
ASSUME (-7) \\div 2 = -4 /\\ (-7) % 2 = 1 /\\ -7 % 2 = 1 /\\ -7 \\div 2 = -3
====
`
    const loaded = load(spec, '')
    assert.deepEqual(loaded.diagnostics.map((d) => d.message), [])
    assert.ok(loaded.model)
  })

  describe('SYMMETRY', () => {
    const FLIPS = `---- MODULE Spec ----
EXTENDS TLC
CONSTANT P
VARIABLE x
Init == x \\in [P -> {0, 1}]
Next == \\E p \\in P : x' = [x EXCEPT ![p] = 1 - x[p]]
Perms == Permutations(P)
====
`
    const cfg = (extra: string) => `CONSTANTS p1 = p1 p2 = p2 p3 = p3 P = {p1, p2, p3}\nINIT Init\nNEXT Next\n${extra}`

    it('stores one state per orbit: 8 states of three bits, 4 orbits', () => {
      const plain = check(FLIPS, cfg(''))
      assert.deepEqual([plain.result, plain.stats!.distinct], ['ok', 8])
      const sym = check(FLIPS, cfg('SYMMETRY Perms'))
      assert.deepEqual([sym.result, sym.stats!.distinct], ['ok', 4])
    })

    it('closes a union of Permutations sets under composition, as TLC does', () => {
      // s ranges over the subsets of {a1, a2, b1, b2}; under Perm(A) x Perm(B) an orbit is
      // fixed by how many a's and how many b's s holds: 3 * 3 = 9 orbits of 16 states. Without
      // the closure, {a2, b2} and {a1, b1} would get different representatives.
      const spec = `---- MODULE Spec ----
EXTENDS TLC
CONSTANTS A, B
VARIABLE s
Init == s \\in SUBSET (A \\cup B)
Next == UNCHANGED s
Sym == Permutations(A) \\cup Permutations(B)
====
`
      const c = 'CONSTANTS a1 = a1 a2 = a2 b1 = b1 b2 = b2 A = {a1, a2} B = {b1, b2}\nINIT Init\nNEXT Next\nSYMMETRY Sym'
      const s = check(spec, c)
      assert.deepEqual([s.result, s.stats!.distinct], ['ok', 9])
      const plain = check(spec, c.replace('SYMMETRY Sym', ''))
      assert.equal(plain.stats!.distinct, 16)
    })

    it('applies to the VIEW when there is one', () => {
      // The view forgets y; with symmetry the view's orbits are counted: 4, not 8.
      const spec = FLIPS.replace('VARIABLE x', 'VARIABLES x, y').replace('Init == ', 'Init == y = 0 /\\ ').replace("x' = [x EXCEPT ![p] = 1 - x[p]]", "x' = [x EXCEPT ![p] = 1 - x[p]] /\\ y' = 1 - y").replace('Perms ==', 'V == x\nPerms ==')
      const s = check(spec, cfg('SYMMETRY Perms\nVIEW V'))
      assert.deepEqual([s.result, s.stats!.distinct], ['ok', 4])
    })

    it('finds a violation in a reduced search, with a trace of real states', () => {
      const s = check(FLIPS.replace('====', 'NotAll == \\E p \\in P : x[p] = 0\n===='), cfg('SYMMETRY Perms\nINVARIANT NotAll'))
      assert.equal(s.result, 'violation')
      assert.equal(s.violation!.name, 'NotAll')
      assert.equal(s.violation!.length, 1)
    })

    it('rejects a symmetry set that is not made of permutations of model values', () => {
      const bad = load(FLIPS.replace('Perms == Permutations(P)', 'Perms == {<<1, 2>>}'), cfg('SYMMETRY Perms'))
      assert.equal(bad.diagnostics[0]!.code, 'TLA141')
      assert.match(bad.diagnostics[0]!.message, /model values/)
    })
  })

  describe('POSTCONDITION, TLCGet and TLCSet', () => {
    const spec = COUNTER.replace('====', 'Post == TLCGet("distinct") = 6 /\\ TLCGet("stats").generated = 11 /\\ TLCGet("diameter") = 3\nWrongPost == TLCGet("distinct") = 7\nShallow == TLCGet("level") < 3\nReg == TLCSet(1, x) /\\ TLCGet(1) = x\n====').replace('EXTENDS Naturals', 'EXTENDS Naturals, TLC')
    const cfg = 'CONSTANT N = 2\nINIT Init\nNEXT Next\nCHECK_DEADLOCK FALSE\n'

    it('checks the postcondition after the search, with its statistics', () => {
      assert.equal(check(spec, cfg + 'POSTCONDITION Post').result, 'ok')
      const s = check(spec, cfg + 'POSTCONDITION WrongPost')
      assert.equal(s.result, 'violation')
      assert.deepEqual([s.violation!.kind, s.violation!.name, s.violation!.message], ['property', 'WrongPost', "the postcondition 'WrongPost' is violated"])
      assert.equal(s.stats!.distinct, 6)
    })

    it('gives the level of the current state: a constraint on it bounds the depth', () => {
      // Levels 1 and 2 are kept: the initial states and their successors (x = 1 or y flipped).
      const s = check(spec, cfg + 'CONSTRAINT Shallow')
      assert.deepEqual([s.result, s.stats!.depth], ['ok', 2])
    })

    it('keeps registers across evaluations', () => {
      assert.equal(check(spec, cfg + 'INVARIANT Reg').result, 'ok')
    })

    it('refuses a statistic before the search is over, with the location', () => {
      const s = check(spec.replace('Shallow == TLCGet("level") < 3', 'Shallow == TLCGet("distinct") > 0'), cfg + 'INVARIANT Shallow')
      assert.equal(s.violation!.kind, 'runtime-error')
      assert.match(s.violation!.message, /only available once the search is over/)
    })
  })

  it('computes a LET definition once each time its LET is entered, as TLC does (and again on the next entry)', () => {
    const spec = `---- MODULE Spec ----
EXTENDS Naturals, TLC
VARIABLE x
Init == x = 0 /\\ TLCSet(1, 0)
Next == x < 3 /\\ x' = LET c == IF TLCSet(1, TLCGet(1) + 1) THEN x + 1 ELSE 0 IN (c + c) - c
RECURSIVE Sum(_)
Sum(n) == IF n = 0 THEN 0 ELSE LET rest == Sum(n - 1) IN n + rest
Inv == /\\ \\A v \\in 1..3 : LET c == v * 2 IN c = v + v
       /\\ LET F(k) == LET d == k * k IN d + d IN F(x) = 2 * x * x /\\ F(x + 1) = 2 * (x + 1) * (x + 1)
       /\\ Sum(x + 20) = (x + 20) * (x + 21) \\div 2
Post == TLCGet(1) = 3
====
`
    // Post counts how often c was computed: once per step taken (three), not once per use.
    const s = check(spec, 'INIT Init\nNEXT Next\nINVARIANT Inv\nPOSTCONDITION Post\nCHECK_DEADLOCK FALSE')
    assert.equal(s.result, 'ok', s.violation?.message)
    assert.deepEqual([s.stats!.distinct, s.stats!.transitions], [4, 4])
  })
})
