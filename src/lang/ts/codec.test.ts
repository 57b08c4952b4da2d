import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { StateCodec } from './codec.js'

const codec = new StateCodec()
const bytes = (v: unknown): number[] => [...codec.encode(v)]

const plain = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.integer(),
    fc.double({ noNaN: true }),
    fc.string(),
    fc.boolean(),
    fc.constant(null),
    fc.bigInt(),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 3 }), tie('value'), { maxKeys: 4 }),
  ),
})).value

describe('StateCodec', () => {
  it('ignores object key order', () => {
    assert.deepEqual(bytes({ a: 1, b: [2, 3] }), bytes({ b: [2, 3], a: 1 }))
  })

  it('ignores Set and Map insertion order', () => {
    assert.deepEqual(bytes(new Set([3, 1, 2])), bytes(new Set([1, 2, 3])))
    assert.deepEqual(bytes(new Map([['x', 1], ['y', 2]])), bytes(new Map([['y', 2], ['x', 1]])))
  })

  it('tells apart values that print alike', () => {
    const distinct = [1, '1', 1n, true, [1], { 1: 1 }, new Set([1]), null, 1.5, -1, [], {}, '', 0]
    const seen = new Set(distinct.map((v) => bytes(v).join(',')))
    assert.equal(seen.size, distinct.length)
  })

  it('treats -0 as 0 and skips undefined fields', () => {
    assert.deepEqual(bytes(-0), bytes(0))
    assert.deepEqual(bytes({ a: 1, b: undefined }), bytes({ a: 1 }))
  })

  it('round-trips plain values, and decoding gives frozen objects', () => {
    fc.assert(
      fc.property(plain, (v) => {
        const once = codec.encode(v).slice()
        const back = codec.decode(once)
        assert.deepEqual([...codec.encode(back)], [...once])
      }),
    )
    const back = codec.decode(codec.encode({ a: [1, { b: 2 }] }).slice()) as { a: unknown[] }
    assert.ok(Object.isFrozen(back) && Object.isFrozen(back.a) && Object.isFrozen(back.a[1]))
  })

  it('equal bytes mean equal values', () => {
    fc.assert(
      fc.property(plain, plain, (a, b) => {
        const same = bytes(a).join(',') === bytes(b).join(',')
        if (same) assert.deepEqual(codec.decode(codec.encode(a).slice()), codec.decode(codec.encode(b).slice()))
      }),
    )
  })

  it('rejects what is not plain data, naming where it is', () => {
    assert.throws(() => codec.encode({ f: () => 1 }), /'f' is a function/)
    assert.throws(() => codec.encode({ d: [new Date(0)] }), /'d\[0\]' is a Date instance/)
    assert.throws(() => codec.encode(undefined), /whole state\) is undefined/)
  })
})
