import { estimates } from './bitstate.js'
import { grownCapacity, MAX_LOAD, readEach, slotOf, slotsOf, type SeenSet, type StoreReport } from './seen-set.js'

/**
 * Hash compaction (like pan -DHC): an open-addressing table, as `FingerprintSet`, that keeps only
 * 40 bits of each 64-bit fingerprint (its high word, which also gives the home slot, and 8 bits of
 * its low word): 5 bytes a slot, so 6 to 9.5 bytes a state with the load factor, against 10 to 15.
 * Two states whose kept bits agree are taken for one, so the search may miss states (about
 * n²/2⁴¹ of n), never report a violation that does not exist.
 */
export class CompactSet implements SeenSet {
  private high: Uint32Array
  private low: Uint8Array
  private capacity: number
  private limit: number
  private count = 0
  /** The all-zero key marks empty slots, so it is kept apart. */
  private hasZero = false

  constructor(initialCapacity = 1 << 16) {
    this.capacity = Math.max(16, Math.ceil(initialCapacity))
    this.high = new Uint32Array(this.capacity)
    this.low = new Uint8Array(this.capacity)
    this.limit = Math.floor(this.capacity * MAX_LOAD)
  }

  get size(): number {
    return this.count
  }

  get bytes(): number {
    return this.high.byteLength + this.low.byteLength
  }

  addFrom(_home: number, hi: number, lo: number): boolean {
    return this.add(hi, lo)
  }

  add(hi: number, lo: number): boolean {
    const b = lo & 0xff
    if (hi === 0 && b === 0) {
      if (this.hasZero) return false
      this.hasZero = true
      this.count++
      return true
    }
    const i = this.find(hi, b)
    if (i >= 0) return false
    this.high[~i] = hi
    this.low[~i] = b
    if (++this.count >= this.limit) this.grow()
    return true
  }

  has(hi: number, lo: number): boolean {
    const b = lo & 0xff
    if (hi === 0 && b === 0) return this.hasZero
    return this.find(hi, b) >= 0
  }

  homes(fps: Uint32Array, count: number, out: Int32Array): void {
    slotsOf(fps, count, this.capacity, out)
  }

  touchAll(homes: Int32Array, count: number): number {
    return readEach(this.high, homes, count)
  }

  report(): StoreReport {
    return { mode: 'hash-compact', ...estimates(this.count, compactMisses(this.count)) }
  }

  /** The slot of a key when it is there, else the complement (~i) of the empty slot where it would go. */
  private find(hi: number, b: number): number {
    const high = this.high
    const low = this.low
    const cap = this.capacity
    let i = slotOf(hi, cap)
    for (;;) {
      const h = high[i]!
      const l = low[i]!
      if (h === hi && l === b) return i
      if (h === 0 && l === 0) return ~i
      if (++i === cap) i = 0
    }
  }

  private grow(): void {
    const oldHigh = this.high
    const oldLow = this.low
    const cap = grownCapacity(this.capacity, MAX_SLOTS)
    const high = new Uint32Array(cap)
    const low = new Uint8Array(cap)
    for (let j = 0; j < oldHigh.length; j++) {
      const h = oldHigh[j]!
      const l = oldLow[j]!
      if (h === 0 && l === 0) continue
      let i = slotOf(h, cap)
      while (high[i] !== 0 || low[i] !== 0) if (++i === cap) i = 0
      high[i] = h
      low[i] = l
    }
    this.high = high
    this.low = low
    this.capacity = cap
    this.limit = Math.floor(cap * MAX_LOAD)
  }
}

const MAX_SLOTS = 2 ** 31 - 1

/** Bits kept of each fingerprint. */
export const COMPACT_BITS = 40

/** The expected number of states lost when `stored` states keep 40-bit keys: the birthday bound n(n−1)/2 over 2⁴⁰ keys. */
export function compactMisses(stored: number): number {
  return (stored * Math.max(0, stored - 1)) / 2 / 2 ** COMPACT_BITS
}
