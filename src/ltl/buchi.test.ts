import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { edgeCount, isTerminal, translate } from './buchi.js'
import {
  always, and, atom, eventually, ff, formulaToString, implies, negate, next, not, or, release, toNnf, tt, until,
  weakUntil, type Formula,
} from './formula.js'
import { buchiAcceptsLasso, generalizedAcceptsLasso, holdsOnLasso, type Lasso } from './lasso.js'
import { simplify } from './simplify.js'
import { randomFormulas, randomLassos } from '../../test/support/ltl-formulas.js'

const p = atom(0, 'p')
const q = atom(1, 'q')
const r = atom(2, 'r')

const formulas = randomFormulas
const lassos = randomLassos

const show = (w: Lasso): string => `${w.prefix.map((l) => `{${l.join(',')}}`).join('')}(${w.loop.map((l) => `{${l.join(',')}}`).join('')})^w`

describe('translation to Büchi automata', () => {
  it('accepts exactly the lasso words on which the formula holds (random formulas, 2-3 atoms)', () => {
    let cases = 0
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 3 }).chain((n) => fc.tuple(formulas(n, 4), fc.array(lassos(n), { minLength: 8, maxLength: 8 }))), ([f, words]) => {
        const t = translate(f)
        for (const w of words) {
          const expected = holdsOnLasso(f, w)
          cases++
          assert.equal(buchiAcceptsLasso(t.buchi, w), expected, `Büchi: ${formulaToString(f)} on ${show(w)}`)
          assert.equal(generalizedAcceptsLasso(t.generalized, w), expected, `generalized: ${formulaToString(f)} on ${show(w)}`)
        }
      }),
      { numRuns: 1500, seed: 20240611 },
    )
    assert.ok(cases >= 10000)
  })

  it('translates negations: the automaton of !f accepts the words f rejects', () => {
    fc.assert(
      fc.property(formulas(3, 4), fc.array(lassos(3), { minLength: 6, maxLength: 6 }), (f, words) => {
        const ba = translate(negate(f)).buchi
        for (const w of words) assert.equal(buchiAcceptsLasso(ba, w), !holdsOnLasso(f, w), `${formulaToString(f)} on ${show(w)}`)
      }),
      { numRuns: 800, seed: 7 },
    )
  })

  it('guards are satisfiable conjunctions over the formula\'s atoms; no dead or unreachable states remain', () => {
    fc.assert(
      fc.property(formulas(3, 4), (f) => {
        const ba = translate(f).buchi
        const atomIds = new Set(ba.atoms.map((a) => a.id))
        for (const es of ba.edges) {
          for (const e of es) {
            assert.ok(!e.guard.pos.some((x) => e.guard.neg.includes(x)), 'satisfiable guard')
            for (const x of [...e.guard.pos, ...e.guard.neg]) assert.ok(atomIds.has(x))
            assert.ok(e.to >= 0 && e.to < ba.stateCount)
          }
        }
        // every state is reachable
        const seen = new Set(ba.initial)
        const stack = [...ba.initial]
        while (stack.length) for (const e of ba.edges[stack.pop()!]!) if (!seen.has(e.to)) (seen.add(e.to), stack.push(e.to))
        assert.equal(seen.size, ba.stateCount)
      }),
      { numRuns: 500, seed: 3 },
    )
  })

  it('unsatisfiable formulas give the empty automaton, valid ones a single universal state', () => {
    for (const f of [ff, and(p, not(p)), and(always(p), eventually(not(p))), and(always(eventually(p)), eventually(always(not(p))))]) {
      const ba = translate(f).buchi
      assert.equal(ba.stateCount, 0, formulaToString(f))
      assert.deepEqual(ba.initial, [])
    }
    for (const f of [tt, or(p, not(p)), until(tt, tt), always(or(q, not(q)))]) {
      const ba = translate(f).buchi
      assert.equal(ba.stateCount, 1, formulaToString(f))
      assert.equal(edgeCount(ba), 1)
      assert.equal(ba.accepting[0], true)
      assert.equal(ba.strength, 'terminal')
    }
  })

  it('classifies automata: safety violations are terminal, liveness ones are not', () => {
    assert.ok(isTerminal(translate(negate(always(p))).buchi))
    assert.ok(isTerminal(translate(negate(always(implies(p, next(q))))).buchi))
    assert.ok(isTerminal(translate(negate(weakUntil(not(p), q))).buchi))
    assert.equal(translate(negate(always(eventually(p)))).buchi.strength, 'weak')
    assert.equal(translate(negate(eventually(always(p)))).buchi.strength, 'strong')
    assert.ok(!isTerminal(translate(negate(until(p, q))).buchi))
  })

  it('terminal automata accept exactly the words with a prefix that reaches an accepting state', () => {
    let terminal = 0
    fc.assert(
      fc.property(formulas(3, 4), fc.array(lassos(3), { minLength: 6, maxLength: 6 }), (f, words) => {
        const ba = translate(negate(f)).buchi
        if (ba.strength !== 'terminal') return
        terminal++
        for (const w of words) {
          // Unroll the lasso far enough to reach every product state, and walk the states along it.
          const letters = [...w.prefix, ...Array.from({ length: ba.stateCount + 1 }, () => w.loop).flat()]
          let cur = new Set(ba.initial)
          let reached = [...cur].some((s) => ba.accepting[s])
          for (const letter of letters) {
            const nextStates = new Set<number>()
            for (const s of cur) for (const e of ba.edges[s]!) if (e.guard.pos.every((x) => letter.includes(x)) && !e.guard.neg.some((x) => letter.includes(x))) nextStates.add(e.to)
            cur = nextStates
            reached ||= [...cur].some((s) => ba.accepting[s])
          }
          assert.equal(reached, buchiAcceptsLasso(ba, w), `${formulaToString(f)} on ${show(w)}`)
        }
      }),
      { numRuns: 600, seed: 19 },
    )
    assert.ok(terminal > 50, `only ${terminal} terminal automata`)
  })

  it('accepts with the right automaton on hand-picked words', () => {
    const ba = translate(negate(always(implies(p, eventually(q))))).buchi
    const word = (prefix: number[][], loop: number[][]): Lasso => ({ prefix, loop })
    assert.equal(buchiAcceptsLasso(ba, word([[0]], [[]])), true) // p, then never q
    assert.equal(buchiAcceptsLasso(ba, word([[0]], [[1]])), false) // p, then q forever
    assert.equal(buchiAcceptsLasso(ba, word([], [[0], [1]])), false)
    assert.equal(buchiAcceptsLasso(ba, word([], [[0, 1], [0]])), false)
    assert.equal(buchiAcceptsLasso(ba, word([[1]], [[0]])), true)
  })
})

describe('simplification and normal forms', () => {
  it('keep the meaning of formulas on lasso words', () => {
    fc.assert(
      fc.property(formulas(3, 4), fc.array(lassos(3), { minLength: 8, maxLength: 8 }), (f, words) => {
        const s = simplify(f)
        const n = toNnf(f)
        const neg = negate(f)
        for (const w of words) {
          const v = holdsOnLasso(f, w)
          assert.equal(holdsOnLasso(s, w), v, `simplify: ${formulaToString(f)} => ${formulaToString(s)} on ${show(w)}`)
          assert.equal(holdsOnLasso(n, w), v, `nnf: ${formulaToString(f)}`)
          assert.equal(holdsOnLasso(neg, w), !v, `negate: ${formulaToString(f)}`)
        }
      }),
      { numRuns: 2000, seed: 11 },
    )
  })

  it('applies the rewriting rules', () => {
    const cases: [Formula, string][] = [
      [eventually(eventually(p)), '<>p'],
      [always(always(p)), '[]p'],
      [eventually(always(eventually(p))), '[]<>p'],
      [always(eventually(always(p))), '<>[]p'],
      [until(next(p), next(q)), 'X (p U q)'],
      [release(next(p), next(q)), 'X (p V q)'],
      [and(next(p), next(q)), 'X (p && q)'],
      [and(always(p), always(q)), '[](p && q)'],
      [or(eventually(p), eventually(q)), '<>(p || q)'],
      [or(always(eventually(p)), always(eventually(q))), '[]<>(p || q)'],
      [and(p, tt), 'p'],
      [or(p, tt), 'true'],
      [and(p, not(p)), 'false'],
      [not(not(p)), 'p'],
      [until(p, eventually(q)), '<>q'],
      [until(tt, p), '<>p'],
      [release(ff, p), '[]p'],
      [eventually(until(p, q)), '<>q'],
      [always(release(p, q)), '[]q'],
      [next(always(eventually(p))), '[]<>p'],
      [and(q, or(p, q)), 'q'],
      [or(until(p, q), until(p, r)), 'p U (q || r)'],
      [and(until(p, r), until(q, r)), '(p && q) U r'],
      [weakUntil(p, ff), '[]p'],
      [eventually(and(p, always(eventually(q)))), '<>p && []<>q'],
      [not(always(implies(p, eventually(q)))), '<>([]!q && p)'],
    ]
    for (const [f, expected] of cases) assert.equal(formulaToString(simplify(f)), expected, formulaToString(f))
  })
})
