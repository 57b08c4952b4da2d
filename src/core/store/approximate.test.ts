import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { fingerprintOf } from '../../../test/support/fingerprints.js'
import { BitstateSet, estimates } from './bitstate.js'
import { CompactSet, compactMisses } from './compact-set.js'
import { ByteFrontier, type FrontierSpill, type SpillFile } from './frontier.js'

describe('BitstateSet', () => {
  it('with a large array, takes every distinct fingerprint as new once and only once', () => {
    const set = new BitstateSet(1 << 20, 3)
    const n = 20_000
    for (let i = 0; i < n; i++) assert.equal(set.add(...fingerprintOf(i)), true, `entry ${i}`)
    for (let i = 0; i < n; i++) {
      assert.equal(set.has(...fingerprintOf(i)), true)
      assert.equal(set.add(...fingerprintOf(i)), false)
    }
    assert.equal(set.size, n)
    const r = set.report()
    assert.equal(r.mode, 'bitstate')
    assert.equal(r.hashFunctions, 3)
    assert.equal(r.hashFactor, (8 << 20) / n)
    assert.ok(r.expectedMissed < 0.01, `expected missed ${r.expectedMissed}`)
    assert.ok(r.expectedCoverage > 0.999999)
  })

  it('never forgets a fingerprint it took, whatever the array size (no false "new")', () => {
    fc.assert(
      fc.property(fc.integer({ min: 4, max: 4096 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 3000 }), (bytes, k, n) => {
        const set = new BitstateSet(bytes, k)
        for (let i = 0; i < n; i++) set.add(...fingerprintOf(i))
        for (let i = 0; i < n; i++) assert.equal(set.has(...fingerprintOf(i)), true)
        assert.ok(set.size <= n)
      }),
      { numRuns: 60 },
    )
  })

  it('with a tiny array stores fewer states, and its estimate of the states missed follows the real count', () => {
    for (const [bytes, k] of [
      [1024, 3],
      [4096, 2],
      [8192, 3],
      [2048, 1],
    ] as const) {
      const set = new BitstateSet(bytes, k)
      const n = 10_000
      for (let i = 0; i < n; i++) set.add(...fingerprintOf(i))
      // The estimate is over the states stored, so compare with what was missed among as many offered.
      const missed = n - set.size
      const r = set.report()
      assert.ok(set.size < n, `${bytes} bytes, -k${k}: ${set.size} stored`)
      assert.ok(r.hashFactor! < 10, `hash factor ${r.hashFactor}`)
      assert.ok(r.expectedCoverage < 0.99, `coverage ${r.expectedCoverage}`)
      assert.ok(r.missProbability > 0.99)
      const offered = set.size + r.expectedMissed
      // The estimate from the bits set, against the true count of misses among the n states offered.
      assert.ok(Math.abs(offered - n) / n < 0.1, `${bytes} bytes, -k${k}: ${set.size} stored + ${r.expectedMissed.toFixed(0)} expected missed vs ${n} offered (${missed} missed)`)
      assert.ok(r.fill! > 0 && r.fill! <= 1)
    }
  })
})

describe('store estimates', () => {
  it('hash compaction: the birthday bound over 40 bits', () => {
    assert.equal(compactMisses(1), 0)
    assert.equal(compactMisses(2 ** 20), (2 ** 20 * (2 ** 20 - 1)) / 2 ** 41)
    const e = estimates(1000, 0)
    assert.equal(e.expectedCoverage, 1)
    assert.ok(e.missProbability < 1e-12)
    assert.ok(Math.abs(estimates(100, 100).expectedCoverage - 0.5) < 1e-12)
  })
})

describe('CompactSet', () => {
  it('holds distinct fingerprints through growth, at most about 9.5 bytes a state', () => {
    const set = new CompactSet(16)
    const n = 300_000
    let lost = 0
    for (let i = 0; i < n; i++) if (!set.add(...fingerprintOf(i))) lost++
    // 40 of 64 bits: n²/2^41 ≈ 0.04 expected losses here
    assert.equal(lost, 0)
    assert.equal(set.size, n)
    for (let i = 0; i < n; i += 7) assert.equal(set.add(...fingerprintOf(i)), false)
    assert.ok(set.bytes / n <= 9.5, `${set.bytes / n} bytes per state`)
    assert.equal(set.report().mode, 'hash-compact')
  })

  it('keeps the all-zero key apart from empty slots', () => {
    const set = new CompactSet(16)
    assert.equal(set.has(0, 0x1200), false)
    assert.equal(set.add(0, 0x1200), true) // low byte 0: the all-zero key
    assert.equal(set.add(0, 0), false)
    assert.equal(set.has(0, 0x5600), true)
    assert.equal(set.add(0, 1), true)
    assert.equal(set.size, 2)
  })

  it('takes two fingerprints that differ only outside the 40 kept bits for one', () => {
    const set = new CompactSet()
    assert.equal(set.add(0xdeadbeef, 0x00000042), true)
    assert.equal(set.add(0xdeadbeef, 0xffffff42), false)
    assert.equal(set.add(0xdeadbeef, 0x00000043), true)
  })
})

/** A spill file in memory, which counts what passed through it. */
class MemorySpill implements SpillFile {
  private data: number[] = []
  private at = 0
  writes = 0
  closed = false

  write(bytes: Uint8Array, length: number): void {
    this.writes++
    for (let i = 0; i < length; i++) this.data.push(bytes[i]!)
  }

  read(into: Uint8Array, length: number): void {
    for (let i = 0; i < length; i++) into[i] = this.data[this.at++]!
  }

  rewind(): void {
    assert.equal(this.at, this.data.length, 'rewound before everything was read')
    this.data = []
    this.at = 0
  }

  close(): void {
    this.closed = true
  }
}

describe('a spilling byte frontier', () => {
  it('is first-in first-out whatever its chunks, budget and interleaving of pushes and shifts', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.uint8Array({ maxLength: 30 }), fc.uint8Array({ minLength: 60, maxLength: 200 }), fc.constant('shift' as const)), { maxLength: 300 }),
        fc.integer({ min: 16, max: 256 }),
        fc.integer({ min: 0, max: 1024 }),
        (ops, chunkBytes, budgetBytes) => {
          const files: MemorySpill[] = []
          const spill: FrontierSpill = { budgetBytes, chunkBytes, open: () => (files.push(new MemorySpill()), files.at(-1)!) }
          const q = new ByteFrontier<Uint8Array>((b) => b.slice(), spill)
          const want: [number, Uint8Array][] = []
          let id = 0
          const take = (): void => {
            const got = q.shift()
            const [wid, wbytes] = want.shift()!
            assert.equal(q.lastId, wid)
            assert.deepEqual(got, wbytes)
          }
          for (const op of ops) {
            if (op !== 'shift') {
              q.push(op, op, id)
              want.push([id++, op])
            } else if (want.length > 0) take()
            assert.equal(q.length, want.length)
          }
          while (want.length > 0) take()
          assert.ok(files.length <= 1, 'one spill file at the most')
          q.close()
          for (const f of files) assert.ok(f.closed)
        },
      ),
      { numRuns: 200 },
    )
  })

  it('moves every chunk but the first and the last to the file at a budget of 0, and back', () => {
    let file: MemorySpill | undefined
    const q = new ByteFrontier<Uint8Array>((b) => b.slice(), { budgetBytes: 0, chunkBytes: 64, open: () => (file = new MemorySpill()) })
    const entry = new Uint8Array(24) // 32 bytes with its header: two a chunk
    for (let i = 0; i < 100; i++) q.push(entry.fill(i), entry, i)
    assert.equal(file?.writes, 48) // 50 chunks, the first and the last in memory
    assert.equal(q.spilledBytes, 48 * 64)
    assert.equal(q.bytes, 128)
    for (let i = 0; i < 100; i++) {
      assert.deepEqual(q.shift(), new Uint8Array(24).fill(i))
      assert.equal(q.lastId, i)
    }
  })
})
