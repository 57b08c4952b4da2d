import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { fingerprintOf } from '../../../test/support/fingerprints.js'
import { Fingerprinter, collisionProbability } from './fingerprint.js'
import { ByteFrontier, ObjectFrontier } from './frontier.js'
import { FingerprintSet } from './seen-set.js'
import { ADDED, NO_ROOM, PRESENT, SharedFingerprintSet } from './shared-seen-set.js'
import { NO_PARENT, TraceLog } from './trace-log.js'

describe('FingerprintSet', () => {
  it('holds more than 2^24 entries, growing from a small table', () => {
    const set = new FingerprintSet(1024)
    const n = 2 ** 24 + 100_000
    for (let i = 0; i < n; i++) {
      const [hi, lo] = fingerprintOf(i)
      if (!set.add(hi, lo)) assert.fail(`entry ${i} was reported as present before it was added`)
    }
    assert.equal(set.size, n)
    for (let i = 0; i < n; i += 9973) {
      const [hi, lo] = fingerprintOf(i)
      assert.equal(set.add(hi, lo), false)
      assert.equal(set.has(hi, lo), true)
    }
    for (let i = n; i < n + 1000; i++) {
      const [hi, lo] = fingerprintOf(i)
      assert.equal(set.has(hi, lo), false)
    }
    assert.equal(set.size, n)
    // 8 bytes a slot at a load between 0.53 and 0.8
    assert.ok(set.bytes / n <= 16, `${set.bytes / n} bytes per entry`)
  })

  it('treats the all-zero fingerprint like any other', () => {
    const set = new FingerprintSet(16)
    assert.equal(set.add(0, 0), true)
    assert.equal(set.has(0, 0), true)
    assert.equal(set.add(0, 0), false)
    assert.equal(set.size, 1)
    // (0, 0) marks empty slots; it must not be confused with its neighbours
    assert.equal(set.add(0, 1), true)
    assert.equal(set.add(1, 0), true)
    assert.equal(set.size, 3)
  })

  it('agrees with a JS Set on random sequences of adds', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(50), fc.nat(3))), (pairs) => {
        const set = new FingerprintSet(16)
        const ref = new Set<string>()
        for (const [hi, lo] of pairs) {
          const key = `${hi},${lo}`
          assert.equal(set.add(hi, lo), !ref.has(key))
          ref.add(key)
        }
        assert.equal(set.size, ref.size)
      }),
    )
  })

  it('adds from homes computed before the table grew as add does', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.tuple(fc.nat(), fc.nat(3)), { maxLength: 60 })), (batches) => {
        const set = new FingerprintSet(16)
        const ref = new Set<string>()
        for (const batch of batches) {
          // Homes for a whole batch, then its adds: a growth in the middle leaves later homes stale.
          const fps = Uint32Array.from(batch.flat())
          const homes = new Int32Array(batch.length)
          set.homes(fps, batch.length, homes)
          batch.forEach(([hi, lo], k) => {
            const key = `${hi},${lo}`
            assert.equal(set.addFrom(homes[k]!, hi, lo), !ref.has(key))
            ref.add(key)
          })
        }
        assert.equal(set.size, ref.size)
        for (const key of ref) assert.ok(set.has(...(key.split(',').map(Number) as [number, number])))
      }),
    )
  })
})

describe('SharedFingerprintSet', () => {
  it('keeps fingerprints that differ only in a zero half apart', () => {
    const set = SharedFingerprintSet.create(64)
    const x = 0x9e3779b9
    const pairs: [number, number][] = [
      [0, x],
      [1, x],
      [x, 0],
      [x, 1],
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
    ]
    for (const [hi, lo] of pairs) assert.equal(set.add(hi, lo, true), ADDED, `(${hi}, ${lo}) is new`)
    for (const [hi, lo] of pairs) {
      assert.equal(set.has(hi, lo), true, `(${hi}, ${lo}) is there`)
      assert.equal(set.add(hi, lo, true), PRESENT, `(${hi}, ${lo}) is there once`)
    }
    assert.equal(set.has(0, 2), false)
    assert.equal(set.add(0, 2, false), NO_ROOM)
    assert.equal(set.has(0, 2), false)
    // a rehash keeps them all, and still tells them apart
    const bigger = set.rehashed(200)
    for (const [hi, lo] of pairs) assert.equal(bigger.has(hi, lo), true, `(${hi}, ${lo}) after the rehash`)
    assert.equal(bigger.add(2, 0, true), ADDED)
  })

  it('agrees with a JS Set on random sequences of adds, zero halves and rehashes included', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(6), fc.nat(3), fc.boolean())), (ops) => {
        let set = SharedFingerprintSet.create(16)
        const ref = new Set<string>()
        for (const [hi, lo, grow] of ops) {
          const key = `${hi},${lo}`
          assert.equal(set.add(hi, lo, true), ref.has(key) ? PRESENT : ADDED)
          ref.add(key)
          if ((grow && set.capacity < 4096) || set.room(ref.size) === 0) set = set.rehashed(Math.ceil(set.capacity * 1.5))
        }
        for (let hi = 0; hi <= 6; hi++) for (let lo = 0; lo <= 3; lo++) assert.equal(set.has(hi, lo), ref.has(`${hi},${lo}`))
      }),
    )
  })
})

describe('Fingerprinter', () => {
  it('gives distinct fingerprints to a million distinct small states', () => {
    const fp = new Fingerprinter()
    const set = new FingerprintSet()
    const bytes = new Uint8Array(6)
    for (let i = 0; i < 1_000_000; i++) {
      bytes[0] = i & 0xff
      bytes[2] = (i >>> 8) & 0xff
      bytes[5] = (i >>> 16) & 0xff
      fp.digest(bytes)
      assert.equal(set.add(fp.hi, fp.lo), true, `collision at ${i}`)
    }
  })

  it('tells lengths apart, zeros included', () => {
    const fp = new Fingerprinter()
    const seen = new Set<string>()
    for (let n = 0; n < 16; n++) {
      fp.digest(new Uint8Array(n))
      seen.add(`${fp.hi},${fp.lo}`)
    }
    assert.equal(seen.size, 16)
  })

  it('is a function of the bytes only', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (b) => {
        const a = new Fingerprinter()
        const c = new Fingerprinter()
        a.digest(b)
        c.digest(Uint8Array.from(b))
        assert.deepEqual([a.hi, a.lo], [c.hi, c.lo])
      }),
    )
  })

  it('gives the same fingerprint from bytes and from the zero-padded words that hold them', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.nat(3), (b, wordAt) => {
        const a = new Fingerprinter()
        a.digest(b)
        // words with garbage before, and zeros after the last byte up to the word's end
        const words = new Uint32Array(wordAt + ((b.length + 3) >> 2) + 1).fill(0xdeadbeef)
        const bytes = new Uint8Array(words.buffer)
        bytes.fill(0, wordAt * 4, wordAt * 4 + ((b.length + 3) & ~3))
        bytes.set(b, wordAt * 4)
        const w = new Fingerprinter()
        w.digestWords(words, wordAt, b.length)
        assert.deepEqual([w.hi, w.lo], [a.hi, a.lo])
      }),
    )
  })

  it('reads views of a larger buffer a word at a time, whatever follows them, with the fingerprint of their bytes', () => {
    const shared = new Fingerprinter()
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(9), fc.nat(7), (b, at, after) => {
        const a = new Fingerprinter()
        a.digest(Uint8Array.from(b))
        // garbage around the bytes, in a buffer a fingerprinter sees again and again
        const buffer = new Uint8Array(at + b.length + after).fill(0xa5)
        buffer.set(b, at)
        const view = buffer.subarray(at, at + b.length)
        shared.digest(view)
        assert.deepEqual([shared.hi, shared.lo], [a.hi, a.lo])
        shared.digest(view)
        assert.deepEqual([shared.hi, shared.lo], [a.hi, a.lo])
        // another buffer in between, then the same view again
        shared.digest(new Uint8Array(at + 64).subarray(at))
        shared.digest(view)
        assert.deepEqual([shared.hi, shared.lo], [a.hi, a.lo])
      }),
    )
  })

  it('reports the birthday bound as the collision probability', () => {
    assert.equal(collisionProbability(1), 0)
    assert.ok(Math.abs(collisionProbability(2 ** 20) - (2 ** 20 * (2 ** 20 - 1)) / 2 ** 65) < 1e-20)
  })
})

describe('frontiers', () => {
  it('a byte frontier is first-in first-out across chunks, large entries included', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.uint8Array({ maxLength: 20 }), fc.constant(new Uint8Array(1_500_000).fill(7))), { maxLength: 40 }), (entries) => {
        const q = new ByteFrontier<Uint8Array>((b) => b.slice())
        const want: [number, Uint8Array][] = []
        let id = 0
        const drain = (k: number): void => {
          for (let i = 0; i < k && want.length > 0; i++) {
            const got = q.shift()
            const [wid, wbytes] = want.shift()!
            assert.equal(q.lastId, wid)
            assert.deepEqual(got, wbytes)
          }
        }
        for (const e of entries) {
          q.push(e, e, id)
          want.push([id++, e])
          if (id % 3 === 0) drain(1)
        }
        assert.equal(q.length, want.length)
        drain(want.length)
        assert.equal(q.length, 0)
      }),
      { numRuns: 50 },
    )
  })

  it('an object frontier is first-in first-out', () => {
    const q = new ObjectFrontier<string>()
    const empty = new Uint8Array(0)
    for (let i = 0; i < 10_000; i++) q.push(`s${i}`, empty, i)
    for (let i = 0; i < 10_000; i++) {
      assert.equal(q.shift(), `s${i}`)
      assert.equal(q.lastId, i)
    }
    assert.equal(q.length, 0)
  })
})

describe('TraceLog', () => {
  it('keeps every link through many growths (odd lengths included)', () => {
    const log = new TraceLog(16)
    const n = 200_000
    for (let i = 0; i < n; i++) log.push(i === 0 ? NO_PARENT : i - 1, i % 5)
    assert.equal(log.size, n)
    // every growth by half from 32 words must keep the length even, or links past it are lost
    const path = log.choices(n - 1)
    assert.equal(path.length, n)
    assert.equal(path[n - 1], (n - 1) % 5)
  })

  it('rebuilds the ChoicePath from parent links', () => {
    const log = new TraceLog(16)
    const root = log.push(NO_PARENT, 2)
    let id = root
    for (let i = 0; i < 100; i++) id = log.push(id, i % 7)
    const other = log.push(root, 5)
    assert.deepEqual(log.choices(other), [2, 5])
    const path = log.choices(id)
    assert.equal(path.length, 101)
    assert.equal(path[0], 2)
    assert.equal(path[100], 99 % 7)
  })
})
