import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { Fingerprinter } from '../store/fingerprint.js'
import { FingerprintSet } from '../store/seen-set.js'
import { SuccessorBatch } from './successor-batch.js'

describe('SuccessorBatch', () => {
  it('keeps every successor bytes and fingerprints them as Fingerprinter.digest does, across growth and reuse', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.uint8Array({ maxLength: 70 }), { maxLength: 3000 }), { minLength: 1, maxLength: 3 }), (rounds) => {
        const batch = new SuccessorBatch<number>()
        const fp = new Fingerprinter()
        const seen = new FingerprintSet()
        for (const entries of rounds) {
          // a reused arena holds old bytes: padding must not leak into fingerprints
          batch.reset()
          batch.beginState(0, 0)
          entries.forEach((b, i) => {
            const at = batch.add(i, b.length)
            batch.bytes.set(b, at)
          })
          batch.endState()
          batch.fingerprint(fp, seen)
          entries.forEach((b, k) => {
            assert.deepEqual(batch.view(k), b)
            fp.digest(b)
            assert.deepEqual([batch.fps[2 * k], batch.fps[2 * k + 1]], [fp.hi, fp.lo])
            assert.equal(batch.homes[k], seen.home(fp.hi))
          })
        }
      }),
      { numRuns: 30 },
    )
  })

  it('refuses successors out of action order, and rolls a state back', () => {
    const batch = new SuccessorBatch<number>()
    batch.reset()
    batch.beginState(0, 0)
    batch.add(0, 3)
    batch.beginState(1, 1)
    batch.add(2, 5)
    assert.throws(() => batch.add(2, 1), RangeError)
    batch.rollback()
    assert.equal(batch.count, 1)
    batch.add(0, 2)
    assert.equal(batch.count, 2)
  })
})
