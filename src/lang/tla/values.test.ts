import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import {
  EvalError,
  FcnSet,
  IntervalSet,
  InfiniteSet,
  ModelValue,
  RecordValue,
  SetValue,
  SubsetSet,
  TupleValue,
  ValueWriter,
  apply,
  compare,
  equals,
  isMember,
  makeFcn,
  makeSet,
  show,
  type Value,
} from './values.js'

/** One writer for the whole test: its bytes are canonical within one writer (strings are numbered in it). */
const w = new ValueWriter()
const bytes = (v: Value): string => {
  w.reset()
  w.write(v)
  return Buffer.from(w.bytes()).toString('hex')
}

const value: fc.Arbitrary<Value> = fc.letrec<{ v: Value }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    fc.boolean(),
    fc.integer({ min: -5, max: 5 }),
    fc.constantFrom('a', 'b', ''),
    fc.constantFrom(new ModelValue('m1'), new ModelValue('m2')),
    fc.array(tie('v'), { maxLength: 3 }).map((xs) => makeSet(xs)),
    fc.array(tie('v'), { maxLength: 3 }).map((xs) => new TupleValue(xs)),
    fc.dictionary(fc.constantFrom('x', 'y'), tie('v'), { maxKeys: 2 }).map((d) => makeFcn(Object.keys(d).sort(), Object.keys(d).sort().map((k) => d[k]!))),
  ),
})).v

describe('TLA+ values', () => {
  it('normalizes sets: order and duplicates do not matter', () => {
    assert.ok(equals(makeSet([3, 1, 2, 1]), makeSet([1, 2, 3])))
    assert.equal(show(makeSet([3, 1, 2, 1])), '{1, 2, 3}')
  })

  it('gives a function with domain 1..n, a tuple and a record of strings one representation each', () => {
    assert.ok(makeFcn([1, 2], ['a', 'b']) instanceof TupleValue)
    assert.ok(makeFcn(['a', 'b'], [1, 2]) instanceof RecordValue)
    assert.ok(equals(makeFcn([], []), new TupleValue([])))
    assert.equal(show(makeFcn([2, 3], [true, false])), '(2 :> TRUE @@ 3 :> FALSE)')
  })

  it('orders model values first and sets by size, as TLC does', () => {
    assert.ok(compare(new ModelValue('z'), 0) < 0)
    assert.ok(compare(makeSet([9]), makeSet([1, 2])) < 0)
    assert.ok(compare(1, 2) < 0)
  })

  it('keeps Nat, intervals, SUBSET and function sets lazy for membership', () => {
    assert.ok(isMember(7, new InfiniteSet('Nat')))
    assert.ok(!isMember(-1, new InfiniteSet('Nat')))
    assert.ok(isMember(3, new IntervalSet(1, 1_000_000_000)))
    assert.ok(isMember(makeSet([1]), new SubsetSet(makeSet([1, 2]))))
    assert.ok(isMember(new TupleValue([true, false]), new FcnSet(new IntervalSet(1, 2), new SetValue([false, true]))))
    assert.throws(() => new InfiniteSet('Nat').enumerate(), EvalError)
  })

  it('enumerates [S -> T] and SUBSET with the right sizes', () => {
    assert.equal(new FcnSet(new IntervalSet(1, 3), new IntervalSet(0, 1)).enumerate().elems.length, 8)
    assert.equal(new SubsetSet(new IntervalSet(1, 4)).enumerate().elems.length, 16)
  })

  it('applies functions only inside their domain', () => {
    assert.equal(apply(new TupleValue(['a', 'b']), 2), 'b')
    assert.throws(() => apply(new TupleValue(['a']), 2), /which is not in the domain of the function/)
  })

  it('gives equal values, and only they, equal bytes (fast-check)', () => {
    fc.assert(
      fc.property(value, value, (a, b) => {
        assert.equal(bytes(a) === bytes(b), equals(a, b))
        assert.equal(compare(a, b) === 0, equals(a, b))
        assert.equal(Math.sign(compare(a, b)) + Math.sign(compare(b, a)), 0)
      }),
      { numRuns: 500 },
    )
  })
})
