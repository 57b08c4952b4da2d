import { slotOf } from './seen-set.js'

/**
 * The seen set shared by the workers of a parallel search: 64-bit fingerprints in an
 * open-addressing table with linear probing, two 32-bit words a slot, in a `SharedArrayBuffer`.
 *
 * A slot is claimed by an atomic compare-exchange of its high word (zero marks an empty slot),
 * then its low word is stored. The search guarantees that two threads never add the same
 * fingerprint at once (each fingerprint has one owning worker), so a thread that finds a slot
 * claimed but its low word not yet written can treat it as another fingerprint and probe on.
 * Both words are therefore kept non-zero: a half that is 0 is stored as 1, which merges two
 * fingerprints in 2^63 and changes nothing measurable.
 *
 * The table never grows by itself: the coordinator rehashes it into a bigger buffer between
 * phases, when no worker touches it (`rehashed`), and each worker is given a budget of insertions
 * that keeps the load below the limit until then.
 */
export class SharedFingerprintSet {
  readonly table: Uint32Array
  readonly capacity: number

  constructor(readonly buffer: SharedArrayBuffer) {
    this.table = new Uint32Array(buffer)
    this.capacity = this.table.length >>> 1
  }

  /** A new, empty table of `capacity` slots. */
  static create(capacity: number): SharedFingerprintSet {
    if (capacity > MAX_SHARED_SLOTS) throw new RangeError('the seen set reached its largest size')
    return new SharedFingerprintSet(new SharedArrayBuffer(Math.max(16, capacity) * 8))
  }

  /** Bytes held by the table. */
  get bytes(): number {
    return this.buffer.byteLength
  }

  /** How many insertions keep the table at or below its load limit, given `count` entries. */
  room(count: number): number {
    return Math.max(0, Math.floor(this.capacity * SHARED_MAX_LOAD) - count)
  }

  /** Reads a fingerprint's home slot (to bring it into cache). */
  touch(hi: number): number {
    return this.table[slotOf(hi || 1, this.capacity) << 1]!
  }

  has(hi: number, lo: number): boolean {
    const h0 = hi || 1
    const l0 = lo || 1
    const table = this.table
    const cap = this.capacity
    let i = slotOf(h0, cap)
    for (;;) {
      const j = i << 1
      const h = table[j]!
      if (h === 0) return false
      if (h === h0 && table[j + 1] === l0) return true
      if (++i === cap) i = 0
    }
  }

  /**
   * Adds a fingerprint: `ADDED` when it was new, `PRESENT` when it was there, or `NO_ROOM` (and
   * nothing written) when it is new but `mayAdd` is false.
   */
  add(hi: number, lo: number, mayAdd: boolean): number {
    const h0 = hi || 1
    const l0 = lo || 1
    const table = this.table
    const cap = this.capacity
    let i = slotOf(h0, cap)
    for (;;) {
      const j = i << 1
      let h = Atomics.load(table, j)
      if (h === 0) {
        if (!mayAdd) return NO_ROOM
        h = Atomics.compareExchange(table, j, 0, h0)
        if (h === 0) {
          Atomics.store(table, j + 1, l0)
          return ADDED
        }
      }
      if (h === h0 && Atomics.load(table, j + 1) === l0) return PRESENT
      if (++i === cap) i = 0
    }
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
    return next
  }
}

export const ADDED = 1
export const PRESENT = 0
export const NO_ROOM = -1

/** The load at which the coordinator grows the table. */
export const SHARED_MAX_LOAD = 0.8
/** Slot indexes are shifted left by one, so they must stay below 2^30 as int32. */
const MAX_SHARED_SLOTS = 2 ** 30
