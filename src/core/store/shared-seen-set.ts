import { pairHomes, slotOf, touchPairs } from './seen-set.js'

/**
 * The seen set shared by the workers of a parallel search: 64-bit fingerprints in an
 * open-addressing table with linear probing, two 32-bit words a slot, in a `SharedArrayBuffer`.
 *
 * A slot is claimed by an atomic compare-exchange of its high word (zero marks an empty slot),
 * then its low word is stored. Lookups read the words plainly (an atomic load costs several
 * times as much, and a stale or racing read is harmless: see `find`). Two threads may add the
 * same fingerprint at once (in the depth-first search any worker may meet any state): a thread
 * that finds a slot with its high word but the low word not yet written (still zero) waits the
 * few instructions until it is, and a thread whose compare-exchange lost looks at the slot it
 * lost, so the fingerprint is stored once and exactly one of them is told it is new. That needs
 * both words of a stored fingerprint to be non-zero, so the table holds only those; the few
 * fingerprints with a zero half (one in 2^31) go to a short list after the table, added to under
 * a lock. No two fingerprints are merged.
 *
 * The table never grows by itself: the coordinator rehashes it into a bigger buffer between
 * phases, when no worker touches it (`rehashed`), and each worker is given a budget of insertions
 * that keeps the load below the limit until then.
 */
export class SharedFingerprintSet {
  readonly table: Uint32Array
  readonly capacity: number
  /** The list of fingerprints with a zero half: a count, then records of (written mark, hi, lo). */
  private readonly zeros: Int32Array

  constructor(readonly buffer: SharedArrayBuffer) {
    const words = buffer.byteLength >>> 2
    this.capacity = (words - ZERO_WORDS) >>> 1
    this.table = new Uint32Array(buffer, 0, this.capacity * 2)
    this.zeros = new Int32Array(buffer, this.capacity * 8, ZERO_WORDS)
  }

  /** A new, empty table of `capacity` slots. */
  static create(capacity: number): SharedFingerprintSet {
    if (capacity > MAX_SHARED_SLOTS) throw new RangeError('the seen set reached its largest size')
    return new SharedFingerprintSet(new SharedArrayBuffer(Math.max(16, capacity) * 8 + ZERO_WORDS * 4))
  }

  /** Bytes held by the table. */
  get bytes(): number {
    return this.buffer.byteLength
  }

  /** How many insertions keep the table at or below its load limit, given `count` entries. */
  room(count: number): number {
    return Math.max(0, Math.floor(this.capacity * SHARED_MAX_LOAD) - count)
  }

  has(hi: number, lo: number): boolean {
    if (hi === 0 || lo === 0) return this.findZero(hi, lo) >= 0
    return this.find(hi, lo, slotOf(hi, this.capacity)) >= 0
  }

  /**
   * Adds a fingerprint: `ADDED` when it was new, `PRESENT` when it was there, or `NO_ROOM` (and
   * nothing written) when it is new but `mayAdd` is false.
   */
  add(hi: number, lo: number, mayAdd: boolean): number {
    if (hi === 0 || lo === 0) return this.addZero(hi, lo, mayAdd)
    const table = this.table
    let j = this.find(hi, lo, slotOf(hi, this.capacity))
    while (j < 0) {
      if (!mayAdd) return NO_ROOM
      const empty = ~j
      if (Atomics.compareExchange(table, empty, 0, hi) === 0) {
        Atomics.store(table, empty + 1, lo)
        return ADDED
      }
      // Another thread claimed the slot first, for this fingerprint or another: look again from it.
      j = this.find(hi, lo, empty >>> 1)
    }
    return PRESENT
  }

  /** A copy of the table rehashed into `capacity` slots; only while no other thread uses either. */
  rehashed(capacity: number): SharedFingerprintSet {
    const next = SharedFingerprintSet.create(capacity)
    const old = this.table
    const table = next.table
    const cap = next.capacity
    for (let j = 0; j < old.length; j += 2) {
      const h = old[j]!
      if (h === 0) continue
      let i = slotOf(h, cap)
      while (table[i << 1] !== 0) if (++i === cap) i = 0
      table[i << 1] = h
      table[(i << 1) + 1] = old[j + 1]!
    }
    next.zeros.set(this.zeros)
    return next
  }

  /** The first word of each of `count` fingerprints' home slots (`fps`: hi, lo pairs), into `out`, for `touchAll`. */
  homes(fps: Uint32Array, count: number, out: Int32Array): void {
    pairHomes(fps, count, this.capacity, out)
  }

  /** Brings the given home slots into cache before they are looked up (`touchPairs`). */
  touchAll(homes: Int32Array, count: number): number {
    return touchPairs(this.table, homes, count)
  }

  /**
   * Linear probing, from slot `from`, for a fingerprint with both halves non-zero: the word index
   * of its slot when it is there, else the complement (~j) of the first empty slot.
   *
   * Plain reads suffice: a slot another thread is writing may be read as still empty, in which
   * case the compare-exchange in `add` fails and the probe looks at it again, or half-written
   * (high word set, low word still zero), in which case, when the high words are equal, the low
   * word is awaited with atomic loads.
   */
  private find(hi: number, lo: number, from: number): number {
    const table = this.table
    const cap = this.capacity
    let i = from
    for (;;) {
      const j = i << 1
      const h = table[j]!
      if (h === 0) return ~j
      if (h === hi) {
        let l = table[j + 1]!
        while (l === 0) l = Atomics.load(table, j + 1)
        if (l === lo) return j
      }
      if (++i === cap) i = 0
    }
  }

  /** The record of a fingerprint with a zero half in the list, or -1. */
  private findZero(hi: number, lo: number): number {
    const zeros = this.zeros
    const n = Math.min(Atomics.load(zeros, 0), ZERO_RECORDS)
    for (let r = 0; r < n; r++) {
      const at = 1 + r * 3
      // A record being written belongs to another fingerprint's owner, who finishes it at once.
      while (Atomics.load(zeros, at) === 0);
      if (zeros[at + 1] === (hi | 0) && zeros[at + 2] === (lo | 0)) return r
    }
    return -1
  }

  private addZero(hi: number, lo: number, mayAdd: boolean): number {
    const zeros = this.zeros
    // One in 2^31 fingerprints comes here, so a lock costs nothing worth counting.
    while (Atomics.compareExchange(zeros, LOCK_WORD, 0, 1) !== 0);
    try {
      if (this.findZero(hi, lo) >= 0) return PRESENT
      if (!mayAdd) return NO_ROOM
      const r = Atomics.add(zeros, 0, 1)
      // The list is full only past about 2^36 states.
      if (r >= ZERO_RECORDS) throw new RangeError('the seen set reached its largest size')
      const at = 1 + r * 3
      zeros[at + 1] = hi
      zeros[at + 2] = lo
      Atomics.store(zeros, at, 1)
      return ADDED
    } finally {
      Atomics.store(zeros, LOCK_WORD, 0)
    }
  }
}

export const ADDED = 1
export const PRESENT = 0
export const NO_ROOM = -1

/** The load at which the coordinator grows the table. */
export const SHARED_MAX_LOAD = 0.8

/** Slot indexes are shifted left by one, so they must stay below 2^30 as int32. */
const MAX_SHARED_SLOTS = 2 ** 30

/** Room for fingerprints with a zero half, and the words of their list (a count, three words each, then a lock). */
const ZERO_RECORDS = 32
const LOCK_WORD = 1 + ZERO_RECORDS * 3
const ZERO_WORDS = LOCK_WORD + 1
