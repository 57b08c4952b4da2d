import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import {
  always, and, atom, eventually, ff, formulaToString, iff, implies, not, or, release, tt, until, weakUntil, type Formula,
} from './formula.js'
import { buchiAcceptsLasso, holdsOnLasso, type Lasso } from './lasso.js'
import { parseSpinLtl } from './spin-syntax.js'
import { spinClaimAutomaton, spinFormulaText } from './spin-tl-automaton.js'
import { spinClaim, spinClaimText } from './spin-tl-claim.js'
import { TlError } from './spin-tl-node.js'

const names = ['p', 'q', 'r']

/** Random formulas over `atoms` atoms with every operator SPIN translates (all but X). */
function formulas(atoms: number, depth: number): fc.Arbitrary<Formula> {
  const leaf = fc.oneof(
    { weight: 6, arbitrary: fc.nat(atoms - 1).map((i) => atom(i, names[i]!)) },
    { weight: 1, arbitrary: fc.constantFrom(tt, ff) },
  )
  const unary = [not, always, eventually]
  const binary = [and, or, implies, iff, until, release, weakUntil]
  const build = (d: number): fc.Arbitrary<Formula> =>
    d === 0
      ? leaf
      : fc.oneof(
          { weight: 2, arbitrary: leaf },
          { weight: 3, arbitrary: fc.tuple(fc.nat(unary.length - 1), build(d - 1)).map(([k, a]) => unary[k]!(a)) },
          { weight: 4, arbitrary: fc.tuple(fc.nat(binary.length - 1), build(d - 1), build(d - 1)).map(([k, a, b]) => binary[k]!(a, b)) },
        )
  return build(depth)
}

function lassos(atoms: number): fc.Arbitrary<Lasso> {
  const letter = fc.subarray(Array.from({ length: atoms }, (_, i) => i))
  return fc.record({ prefix: fc.array(letter, { maxLength: 4 }), loop: fc.array(letter, { minLength: 1, maxLength: 4 }) })
}

/** What a predicate of the claim stands for: its name read as a formula (`1` and `0` are constants). */
function meaning(name: string): Formula {
  const text = name.replace(/\b1\b/g, 'true').replace(/\b0\b/g, 'false')
  const parsed = parseSpinLtl(text, (n) => (names.includes(n) ? names.indexOf(n) : undefined))
  assert.deepEqual(parsed.diagnostics, [], name)
  return parsed.value!
}

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
