import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { permutations } from './builtins.js'
import { Canonicalizer, permutationGroup, permute } from './symmetry.js'
import { ModelValue, SetValue, TupleValue, compare, equals, makeFcn, makeSet, type Value } from './values.js'

const mv = (n: string): ModelValue => new ModelValue(n)
const union = (a: Value, b: Value): Value => makeSet([...(a as SetValue).elems, ...(b as SetValue).elems])

describe('symmetry', () => {
  it('the group of Permutations(S) has |S|! elements, the identity left out', () => {
    const s = makeSet([mv('a'), mv('b'), mv('c')])
    assert.equal(permutationGroup(permutations(s)).length, 5)
  })

  it('a union of Permutations sets generates their product: 3! * 4! elements', () => {
    const a = permutations(makeSet([mv('v1'), mv('v2'), mv('v3')]))
    const b = permutations(makeSet([mv('r1'), mv('r2'), mv('r3'), mv('r4')]))
    assert.equal(permutationGroup(union(a, b)).length, 6 * 24 - 1)
  })

  it('a single transposition generates a group of two', () => {
    const swap = makeFcn([mv('a'), mv('b')], [mv('b'), mv('a')])
    assert.equal(permutationGroup(makeSet([swap])).length, 1)
  })

  it('rejects a function that is not a permutation of model values', () => {
    assert.throws(() => permutationGroup(makeSet([makeFcn([mv('a'), mv('b')], [mv('a'), mv('a')])])), /not a permutation/)
    assert.throws(() => permutationGroup(makeSet([new TupleValue([1, 2])])), /model values/)
  })

  it('permutes inside sets, tuples, records and function domains, keeping values normalized', () => {
    const p = new Map([
      ['a', mv('b')],
      ['b', mv('a')],
    ])
    const f = makeFcn([mv('a'), mv('c')], [1, mv('a')])
    const image = permute(makeSet([mv('a'), new TupleValue([mv('b'), 2]), f]), p)
    const want = makeSet([mv('b'), new TupleValue([mv('a'), 2]), makeFcn([mv('b'), mv('c')], [1, mv('b')])])
    assert.ok(equals(image, want))
  })

  it('every state of an orbit gets the same representative, the smallest of the orbit', () => {
    const names = ['a', 'b', 'c']
    const group = permutationGroup(permutations(makeSet(names.map(mv))))
    const canon = new Canonicalizer(group)
    // All functions from {a, b, c} to {0, 1}: 8 states in 4 orbits (by the number of 1s).
    const reps = new Set<string>()
    for (let bits = 0; bits < 8; bits++) {
      const state = [makeFcn(names.map(mv), names.map((_, i) => (bits >> i) & 1))]
      const rep = canon.canonical(state)
      for (const p of group) assert.ok(compare(rep[0]!, permute(state[0]!, p)) <= 0)
      reps.add(JSON.stringify((rep[0] as { vals: unknown }).vals))
    }
    assert.equal(reps.size, 4)
  })

  it('picks the smallest image of a state whose first value is a set, as comparing every image would (fast-check)', () => {
    const names = ['a', 'b', 'c', 'd']
    const group = permutationGroup(permutations(makeSet(names.map(mv))))
    const pair = fc.tuple(fc.constantFrom(...names), fc.constantFrom(...names), fc.integer({ min: 0, max: 2 })).map(([x, y, n]) => new TupleValue([mv(x), mv(y), n]))
    fc.assert(
      fc.property(fc.array(pair, { maxLength: 10 }), fc.integer({ min: 0, max: 3 }), (elems, k) => {
        const state: Value[] = [makeSet(elems), mv(names[k]!)]
        let least: readonly Value[] = state
        for (const p of group) {
          const image = state.map((v) => permute(v, p))
          const c = compare(image[0]!, least[0]!) || compare(image[1]!, least[1]!)
          if (c < 0) least = image
        }
        const rep = new Canonicalizer(group).canonical(state)
        assert.ok(equals(rep[0]!, least[0]!) && equals(rep[1]!, least[1]!))
      }),
      { numRuns: 200 },
    )
  })
})

