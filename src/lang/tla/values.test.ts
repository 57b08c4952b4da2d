import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { BUILTINS } from './builtins.js'
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
  NameTable,
  ValueReader,
  ValueWriter,
  LazyFcn,
  apply,
  compare,
  equals,
  isMember,
  makeFcn,
  makeSet,
  show,
  type Value,
} from './values.js'
import { ValueHasher } from './value-hash.js'

/** Names numbered in the test's writers; the others ('b', '', 'm2', 'y') are written as text. */
const table = new NameTable(['a', 'm1', 'x'])
const w = new ValueWriter(table)
const bytes = (v: Value): string => {
  w.reset()
  w.write(v)
  return Buffer.from(w.bytes()).toString('hex')
}

/** The values written one after the other, as hex. */
const hexOf = (writer: ValueWriter, vs: readonly Value[]): string => {
  writer.reset()
  for (const v of vs) writer.write(v)
  return Buffer.from(writer.bytes()).toString('hex')
}

const BOOLEANS = new SetValue([false, true])

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

  it('writes the same bytes for a value in every writer with the same name table, whatever each wrote before (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(value, { maxLength: 4 }), value, (before, v) => {
        const fresh = new ValueWriter(new NameTable(['x', 'm1', 'a']))
        for (const b of before) {
          fresh.reset()
          fresh.write(b)
        }
        fresh.reset()
        fresh.write(v)
        assert.equal(Buffer.from(fresh.bytes()).toString('hex'), bytes(v))
      }),
      { numRuns: 300 },
    )
  })

  it('reads back equal values from the bytes, numbered names and others alike (fast-check)', () => {
    const reader = new ValueReader(table)
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 3 }), (vs) => {
        w.reset()
        for (const v of vs) w.write(v)
        const back = reader.readAll(w.bytes().slice(), vs.length)
        assert.equal(back.length, vs.length)
        vs.forEach((v, i) => assert.ok(equals(back[i]!, v), `${show(back[i]!)} = ${show(v)}`))
        w.reset()
        for (const v of back) w.write(v)
        assert.deepEqual(w.bytes().slice(), (() => { const again = new ValueWriter(table); for (const v of vs) again.write(v); return again.bytes().slice() })())
      }),
      { numRuns: 300 },
    )
    assert.ok(new ValueReader(table).readAll(new Uint8Array([]), 0).length === 0)
    assert.throws(() => new ValueReader(table).readAll(new Uint8Array([1, 1]), 1), /bytes left/)
  })

  it('streams SUBSET S in the order of the sorted powerset, and stops when asked (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(value, { maxLength: 7 }), (xs) => {
        const base = makeSet(xs)
        const streamed: Value[] = []
        new SubsetSet(base).each((r) => {
          streamed.push(r)
          return true
        })
        // Every subset by its bit mask, then sorted: the eager powerset.
        const n = base.elems.length
        const all: Value[] = []
        for (let mask = 0; mask < 1 << n; mask++) all.push(makeSet(base.elems.filter((_, i) => mask & (1 << i))))
        assert.deepEqual(streamed, makeSet(all).elems)
        assert.deepEqual(new SubsetSet(base).enumerate().elems, makeSet(all).elems)
        let seen = 0
        assert.equal(new SubsetSet(base).each(() => ++seen < 3), n < 2)
        assert.equal(seen, Math.min(3, 1 << n))
      }),
    )
  })

  it('computes S \\ T and S \\cap T as filtering S by membership in T would, for small and large T (fast-check)', () => {
    const minus = BUILTINS['\\']!.fn
    const cap = BUILTINS['\\cap']!.fn
    // Elements from one pool, so that the two sets share some.
    const pool = fc.array(value, { minLength: 1, maxLength: 12 })
    fc.assert(
      fc.property(pool, fc.array(fc.nat(), { maxLength: 12 }), fc.array(fc.nat(), { maxLength: 12 }), (xs, is, js) => {
        const s = makeSet(is.map((i) => xs[i % xs.length]!))
        const t = makeSet(js.map((j) => xs[j % xs.length]!))
        const want = (keep: boolean): Value[] => s.elems.filter((e) => isMember(e, t) === keep)
        const diff = minus([s, t]) as SetValue
        const both = cap([s, t]) as SetValue
        assert.ok(equals(diff, new SetValue(want(false))), `${show(s)} \\ ${show(t)} gave ${show(diff)}`)
        assert.ok(equals(both, new SetValue(want(true))), `${show(s)} \\cap ${show(t)} gave ${show(both)}`)
        assert.ok(equals(cap([t, s]), both))
        // Normalized: sorted without duplicates.
        for (const r of [diff, both]) for (let i = 1; i < r.elems.length; i++) assert.ok(compare(r.elems[i - 1]!, r.elems[i]!) < 0)
      }),
      { numRuns: 500 },
    )
  })

  it('finds a value in a normalized set as comparing it with each element would, tuples of integers among others (fast-check)', () => {
    const pair = fc.tuple(fc.integer({ min: -3, max: 3 }), fc.integer({ min: -3, max: 3 })).map(([a, b]) => new TupleValue([a, b]))
    const elem = fc.oneof(value, pair, pair.map((t) => new TupleValue([...t.elems, 0])))
    fc.assert(
      fc.property(fc.array(elem, { maxLength: 24 }), elem, (xs, v) => {
        const set = makeSet(xs)
        assert.equal(isMember(v, set), set.elems.some((e) => equals(e, v)))
        for (const e of set.elems) assert.ok(isMember(e instanceof TupleValue ? new TupleValue([...e.elems]) : e, set))
      }),
      { numRuns: 500 },
    )
  })

  it('applies a function over model values found by value, not only by object', () => {
    const f = makeFcn([new ModelValue('m1'), new ModelValue('m2')], [1, 2])
    assert.equal(apply(f, new ModelValue('m2')), 2)
    assert.throws(() => apply(f, new ModelValue('m3')), EvalError)
  })

  it('writes a record inside another value by each writer\'s own name table, however often it was written before', () => {
    const r = new RecordValue(['a', 'y'], ['x', new ModelValue('m1')])
    const state = [makeSet([r, 3]), new TupleValue([r])]
    const other = new ValueWriter(new NameTable(['a', 'b', 'm1', 'y']))
    const plain = new ValueWriter()
    let n = 3
    const fresh = (t: NameTable): string => {
      const copy = new RecordValue(['a', 'y'], ['x', new ModelValue('m1')])
      return hexOf(new ValueWriter(t), [makeSet([copy, n]), new TupleValue([copy])])
    }
    const hex = (writer: ValueWriter): string => hexOf(writer, state)
    for (let i = 0; i < 3; i++) {
      assert.equal(hex(w), fresh(table))
      assert.equal(hex(other), fresh(new NameTable(['a', 'b', 'm1', 'y'])))
      assert.equal(hex(plain), fresh(NameTable.EMPTY))
      // A new state holding the same record objects, as a successor does.
      n = i
      state[0] = makeSet([r, n])
    }
    assert.notEqual(hex(w), hex(other))
  })

  it('writes one model value object by each writer\'s own name table, whichever wrote it before', () => {
    const m = new ModelValue('m1')
    const other = new ValueWriter(new NameTable(['a', 'b', 'm1']))
    const plain = new ValueWriter()
    const hex = (writer: ValueWriter, v: Value): string => {
      writer.reset()
      writer.write(v)
      return Buffer.from(writer.bytes()).toString('hex')
    }
    for (let i = 0; i < 2; i++) {
      assert.equal(bytes(m), bytes(new ModelValue('m1')))
      assert.equal(hex(other, m), hex(other, new ModelValue('m1')))
      assert.equal(hex(plain, m), hex(plain, new ModelValue('m1')))
    }
    assert.notEqual(bytes(m), hex(other, m))
    assert.notEqual(hex(plain, m), hex(other, m))
    assert.ok(equals(new ValueReader(table).readAll(Buffer.from(bytes(m), 'hex'), 1)[0]!, m))
  })
})

describe('TLA+ value hashes', () => {
  /** The value rebuilt from its bytes: equal, but made of new objects with no hash kept. */
  const copy = (v: Value): Value => new ValueReader(table).readAll(Buffer.from(bytes(v), 'hex'), 1)[0]!
  const hashOf = (v: Value, hasher = new ValueHasher()): string => {
    hasher.hash(v)
    return [hasher.h0, hasher.h1, hasher.h2, hasher.h3].join(',')
  }

  it('gives equal values, and only they, equal hashes, kept in the values or not (fast-check)', () => {
    const shared = new ValueHasher()
    fc.assert(
      fc.property(value, value, (a, b) => {
        // Hashed twice with one hasher (the second time from what the values keep), and once fresh.
        const ha = hashOf(a, shared)
        assert.equal(hashOf(a, shared), ha)
        assert.equal(hashOf(copy(a)), ha)
        assert.equal(hashOf(b, shared) === ha, equals(a, b))
      }),
      { numRuns: 1000 },
    )
  })

  it('hashes a state as the sequence of its values: equal states, and only they, give equal bytes (fast-check)', () => {
    const states = new ValueHasher()
    const hex = (s: readonly Value[], h = states): string => Buffer.from(h.stateBytes(s)).toString('hex')
    const state = fc.array(value, { minLength: 1, maxLength: 3 })
    fc.assert(
      fc.property(state, state, (s, t) => {
        const same = s.length === t.length && s.every((v, i) => equals(v, t[i]!))
        assert.equal(hex(s) === hex(t), same)
        assert.equal(hex(s), hex(s.map(copy), new ValueHasher()))
        // A state is not the tuple of its values, nor its values one more or less.
        assert.notEqual(hex(s), hex([new TupleValue(s)]))
        assert.notEqual(hex(s), hex(s.slice(1)))
      }),
      { numRuns: 500 },
    )
  })

  it('hashes a lazy set or function as the set or function it stands for, however it is represented', () => {
    assert.equal(hashOf(new IntervalSet(1, 3)), hashOf(makeSet([3, 2, 1])))
    assert.equal(hashOf(new FcnSet(new IntervalSet(1, 2), BOOLEANS)), hashOf(new FcnSet(new IntervalSet(1, 2), BOOLEANS).enumerate()))
    assert.equal(hashOf(new LazyFcn(new IntervalSet(1, 2), (x) => (x as number) * 10)), hashOf(new TupleValue([10, 20])))
    // A tuple is the function with domain 1..n; a record the function with its field names as domain.
    assert.equal(hashOf(new TupleValue(['a', 'b'])), hashOf(makeFcn([1, 2], ['a', 'b'])))
    assert.notEqual(hashOf(new TupleValue([2, 1])), hashOf(makeFcn([2, 3], [2, 1])))
    assert.equal(hashOf(new RecordValue(['x', 'y'], [1, 2])), hashOf(makeFcn(['x', 'y'], [1, 2])))
  })

  it('tells strings, model values, numbers and Booleans apart, whatever their text', () => {
    const leaves: Value[] = ['m', new ModelValue('m'), '\0m', '', new ModelValue(''), 0, 1, -1, false, true, 'TRUE', 'a much longer string than one block', 'a much longer string than one bloc', makeSet([]), new TupleValue([]), makeSet([0]), new TupleValue([0])]
    const hashes = new Set(leaves.map((v) => hashOf(v)))
    assert.equal(hashes.size, leaves.length)
    // In any hasher, with its strings kept or not.
    const h = new ValueHasher()
    for (const v of leaves) hashOf(v, h)
    assert.deepEqual(leaves.map((v) => hashOf(v, h)), leaves.map((v) => hashOf(v)))
  })
})
