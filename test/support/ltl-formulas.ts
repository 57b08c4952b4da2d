import fc from 'fast-check'
import {
  always, and, atom, eventually, ff, iff, implies, next, not, or, release, tt, until, weakUntil, type Formula,
} from '../../src/ltl/formula.js'
import type { Lasso } from '../../src/ltl/lasso.js'
import { parseSpinLtl } from '../../src/ltl/spin-syntax.js'

/**
 * Random formulas over `atoms` atoms (p, q, r), at most `depth` operators deep, using every operator
 * (without `X` when `withNext` is false: SPIN 6.5.2 does not translate it).
 */
export function randomFormulas(atoms: number, depth: number, withNext = true): fc.Arbitrary<Formula> {
  const leaf = fc.oneof(
    { weight: 6, arbitrary: fc.nat(atoms - 1).map((i) => atom(i, 'pqr'[i]!)) },
    { weight: 1, arbitrary: fc.constantFrom(tt, ff) },
  )
  const unary = withNext ? [not, next, always, eventually] : [not, always, eventually]
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

/** Random lasso words over `atoms` atoms: a prefix of up to 4 letters, a loop of 1 to 4. */
export function randomLassos(atoms: number): fc.Arbitrary<Lasso> {
  const letter = fc.subarray(Array.from({ length: atoms }, (_, i) => i))
  return fc.record({
    prefix: fc.array(letter, { maxLength: 4 }),
    loop: fc.array(letter, { minLength: 1, maxLength: 4 }),
  })
}

/**
 * What a predicate of a SPIN claim stands for, for formulas over the atoms `names`: its name read as a
 * formula (SPIN writes `true` and `false` as `1` and `0`, and a group such as `(p) && (q)` is one name).
 */
export function predicateMeaning(names: readonly string[]): (name: string) => Formula {
  return (name) => {
    const text = name.replace(/\b1\b/g, 'true').replace(/\b0\b/g, 'false')
    const parsed = parseSpinLtl(text, (n) => (names.includes(n) ? names.indexOf(n) : undefined))
    if (!parsed.value) throw new Error(`predicate '${name}' is not a formula over ${names.join(', ')}`)
    return parsed.value
  }
}
