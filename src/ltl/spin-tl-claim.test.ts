import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { always, atom, formulaToString, implies, weakUntil, type Formula } from './formula.js'
import { buchiAcceptsLasso, holdsOnLasso } from './lasso.js'
import { spinClaimAutomaton, spinFormulaText } from './spin-tl-automaton.js'
import { spinClaim, spinClaimText } from './spin-tl-claim.js'
import { TlError } from './spin-tl-node.js'
import { predicateMeaning, randomFormulas, randomLassos } from '../../test/support/ltl-formulas.js'

const names = ['p', 'q', 'r']

const formulas = (atoms: number, depth: number): fc.Arbitrary<Formula> => randomFormulas(atoms, depth, false)
const lassos = randomLassos

const meaning = predicateMeaning(names)

describe("the port of SPIN's translator", () => {
  it('its claim for !f accepts exactly the lasso words on which f does not hold (random formulas, 2-3 atoms)', () => {
    let cases = 0
    let skipped = 0
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 3 }).chain((n) => fc.tuple(formulas(n, 3), fc.array(lassos(n), { minLength: 8, maxLength: 8 }))), ([f, words]) => {
        const text = spinFormulaText(f)!
        let claim
        try {
          claim = spinClaim(text, 3000)
        } catch (e) {
          // A few formulas with nested <-> need a long tableau (SPIN takes minutes); skip them.
          assert.ok(e instanceof TlError)
          skipped++
          return
        }
        const ba = spinClaimAutomaton(claim, meaning)
        for (const w of words) {
          cases++
          assert.equal(buchiAcceptsLasso(ba, w), !holdsOnLasso(f, w), `${formulaToString(f)} (${text})`)
        }
      }),
      { numRuns: 600, seed: 20240611 },
    )
    assert.ok(cases >= 4000 && skipped < 30, `${cases} words, ${skipped} formulas skipped`)
  })

  it('writes the claims SPIN writes for the basic formulas', () => {
    assert.equal(
      spinClaimText(spinClaim('!([] (p))'), '!([] (p))'),
      'never  {    /* !([] (p)) */\nT0_init:\n\tdo\n\t:: atomic { (! ((p))) -> assert(!(! ((p)))) }\n\t:: (1) -> goto T0_init\n\tod;\naccept_all:\n\tskip\n}\n',
    )
    assert.equal(spinClaimText(spinClaim('!(<> (p))'), '!(<> (p))'), 'never  {    /* !(<> (p)) */\naccept_init:\nT0_init:\n\tdo\n\t:: (! ((p))) -> goto T0_init\n\tod;\n}\n')
  })

  it('reads a parenthesised group without temporal operators as one predicate, and tells where it starts', () => {
    const claim = spinClaim('!((p) U ((q) && (! (r))))')
    assert.deepEqual(claim.predicates, [{ name: 'p', offset: 2 }, { name: '(q) && (! (r))', offset: 8 }])
  })

  it('writes W and -> as SPIN writes them, and has no text for X', () => {
    const p = atom(0, 'p')
    const q = atom(1, 'q')
    assert.equal(spinFormulaText(weakUntil(p, q)), '!(([] (p)) || ((p) U (q)))')
    assert.equal(spinFormulaText(implies(always(p), q), false), '(! ([] (p))) || (q)')
    assert.equal(spinFormulaText({ kind: 'next', arg: p }), undefined)
  })

  it('reports what SPIN reports as errors', () => {
    assert.throws(() => spinClaim('X p'), TlError)
    assert.throws(() => spinClaim('(p'), TlError)
    assert.throws(() => spinClaim('p U'), TlError)
  })
})
