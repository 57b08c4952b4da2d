import { collisionProbability } from './fingerprint.js'

/**
 * What the searches need of a seen set: the exact `FingerprintSet`, or the approximate
 * `BitstateSet` and `CompactSet` (store/bitstate.ts, store/compact-set.ts), which may take a new
 * state for one already seen, so that the search misses it, but never the other way round.
 */
export interface SeenSet {
  /** States stored (for a bit array: states it took as new). */
  readonly size: number
  readonly bytes: number
  /** Adds a fingerprint; true when it was not there before. */
  add(hi: number, lo: number): boolean
  /** `add` of a fingerprint whose home `homes` gave (when the table has grown since, it is found again). */
  addFrom(home: number, hi: number, lo: number): boolean
  has(hi: number, lo: number): boolean
  /** Where each of `count` fingerprints (`fps`: hi, lo pairs) is first looked up, into `out`, for `touchAll`. */
  homes(fps: Uint32Array, count: number, out: Int32Array): void
  /** Reads the table at `homes[0..count)` so that the adds that follow find those words in cache. */
  touchAll(homes: Int32Array, count: number): number
  /** How the store may have lost states, for the report. */
  report(): StoreReport
}

/** The report of an exact store of `count` 64-bit fingerprints: only a collision can hide a state. */
export function exactReport(count: number): StoreReport {
  const p = collisionProbability(count)
  return { mode: 'exact', missProbability: p, expectedMissed: p, expectedCoverage: 1 }
}

/** How states were stored, and the estimate of what an approximate store may have missed. */
export interface StoreReport {
  /** `exact`: 64-bit fingerprints; `hash-compact`: 40-bit ones; `bitstate`: a bit array (SPIN's supertrace). */
  readonly mode: 'exact' | 'hash-compact' | 'bitstate'
  /** The probability that at least one reachable state was taken for another and never explored. */
  readonly missProbability: number
  /** The expected number of states missed that way (each may hide its own successors too). */
  readonly expectedMissed: number
  /** The share of the reachable states the search is expected to have stored: stored / (stored + expected missed). */
  readonly expectedCoverage: number
  /** Bitstate: the bits in the array per state stored (SPIN's hash factor; best above 100). */
  readonly hashFactor?: number
  /** Bitstate: the bits set per state (pan -k). */
  readonly hashFunctions?: number
  /** Bitstate: the fraction of the array's bits that are set. */
  readonly fill?: number
}

/**
 * The seen set: 64-bit fingerprints in an open-addressing table with linear probing, two words per
 * slot in one Uint32Array (all-zero marks an empty slot; that fingerprint itself is kept in a flag). It grows by half when 80 % full, so a
 * stored state costs 8 bytes / load, between 10 and 15 bytes. Unlike a JS Set it holds any number of
 * entries up to the typed-array limit (2^31 slots) and allocates nothing per state.
 */
export class FingerprintSet implements SeenSet {
  private table: Uint32Array
  private capacity: number
  private limit: number
  private count = 0
  /** The all-zero fingerprint marks empty slots, so it is kept apart. */
  private hasZero = false
  /** The capacity for which `homes` last computed homes. */
  private homesCapacity = 0

  constructor(initialCapacity = 1 << 16) {
    this.capacity = Math.max(16, Math.ceil(initialCapacity))
    this.table = new Uint32Array(this.capacity * 2)
    this.limit = Math.floor(this.capacity * MAX_LOAD)
  }

  get size(): number {
    return this.count
  }

  /** Bytes held by the table. */
  get bytes(): number {
    return this.table.byteLength
  }

  /** Adds a fingerprint; true when it was not there before. May throw a RangeError when memory runs out while growing. */
  add(hi: number, lo: number): boolean {
    if (hi === 0 && lo === 0) {
      if (this.hasZero) return false
      this.hasZero = true
      this.count++
      return true
    }
    return this.insert(this.find(hi, lo), hi, lo)
  }

  addFrom(home: number, hi: number, lo: number): boolean {
    if (this.homesCapacity !== this.capacity || (hi === 0 && lo === 0)) return this.add(hi, lo)
    return this.insert(this.probe(home >> 1, hi, lo), hi, lo)
  }

  /** Stores a fingerprint at the empty slot `find` gave (~j), or nothing when it was found (j). */
  private insert(j: number, hi: number, lo: number): boolean {
    if (j >= 0) return false
    this.table[~j] = hi
    this.table[~j + 1] = lo
    if (++this.count >= this.limit) this.grow()
    return true
  }

  has(hi: number, lo: number): boolean {
    if (hi === 0 && lo === 0) return this.hasZero
    return this.find(hi, lo) >= 0
  }

  /** Removes every fingerprint, keeping the table's size (clearing costs one pass over it). */
  clear(): void {
    this.table.fill(0)
    this.count = 0
    this.hasZero = false
  }

  report(): StoreReport {
    return exactReport(this.count)
  }

  /** The index of the word where a fingerprint's probe starts, for `touchAll`; valid until the next `add`. */
  home(hi: number): number {
    return slotOf(hi, this.capacity) << 1
  }

  /** `home` of `count` fingerprints (`fps` holds hi, lo pairs), into `out`. */
  homes(fps: Uint32Array, count: number, out: Int32Array): void {
    this.homesCapacity = this.capacity
    pairHomes(fps, count, this.capacity, out)
  }

  /** See `touchPairs`. */
  touchAll(homes: Int32Array, count: number): number {
    return touchPairs(this.table, homes, count)
  }

  /**
   * Linear probing from the fingerprint's home slot (not the all-zero one): the word index of its
   * slot when it is there, else the complement (~j) of the empty slot where it would go.
   */
  private find(hi: number, lo: number): number {
    return this.probe(slotOf(hi, this.capacity), hi, lo)
  }

  /** `find`, from slot `i`. */
  private probe(i: number, hi: number, lo: number): number {
    const table = this.table
    const cap = this.capacity
    for (;;) {
      const j = i << 1
      const h = table[j]!
      const l = table[j + 1]!
      if (h === hi && l === lo) return j
      if (h === 0 && l === 0) return ~j
      if (++i === cap) i = 0
    }
  }

  private grow(): void {
    const old = this.table
    const cap = grownCapacity(this.capacity, MAX_SLOTS)
    const table = new Uint32Array(cap * 2)
    for (let j = 0; j < old.length; j += 2) {
      const h = old[j]!
      const l = old[j + 1]!
      if (h === 0 && l === 0) continue
      let i = slotOf(h, cap)
      while (table[(i << 1) + 1] !== 0 || table[i << 1] !== 0) if (++i === cap) i = 0
      table[i << 1] = h
      table[(i << 1) + 1] = l
    }
    this.table = table
    this.capacity = cap
    this.limit = Math.floor(cap * MAX_LOAD)
  }
}

/** The load at which an open-addressing seen set grows. */
export const MAX_LOAD = 0.8

/** The capacity an open-addressing seen set grows to: half as large again, up to `max` slots. */
export function grownCapacity(capacity: number, max: number): number {
  const cap = Math.min(max, Math.ceil(capacity * 1.5))
  if (cap <= capacity) throw new RangeError('the seen set reached its largest size')
  return cap
}

/** Seven slots, two words each: from any slot of a 64-byte line, into the next line. */
const AHEAD = 14
/** Slot indexes are shifted left by one, so they must stay below 2^30 as int32 (8 GiB of table). */
const MAX_SLOTS = 2 ** 30

/** Maps the high half of a fingerprint to a slot without division (Lemire's fast range). */
export function slotOf(hi: number, cap: number): number {
  // (a truncation to int32, cheaper than Math.floor: the quotient is below 2^31 and not negative)
  const i = ((hi * cap) / 4294967296) | 0
  return i < cap ? i : cap - 1
}

/** `SeenSet.homes` for a table of two words a slot: the first word of each fingerprint's home slot. */
export function pairHomes(fps: Uint32Array, count: number, cap: number, out: Int32Array): void {
  for (let k = 0; k < count; k++) out[k] = slotOf(fps[2 * k]!, cap) << 1
}

/**
 * `SeenSet.touchAll` for a table of two words a slot: reads the table at `homes[0..count)` and
 * seven slots on, without changing anything. Reading the slots of a batch first, in a loop that
 * does nothing else, lets the processor wait for their cache misses together (a loop with more
 * work per slot keeps fewer loads in flight), so that the lookups that follow find them in cache.
 * Seven slots on is the next cache line, where most probe runs that leave the home line end.
 */
export function touchPairs(table: Uint32Array, homes: Int32Array, count: number): number {
  const last = table.length - 2
  let acc = 0
  let k = 0
  for (; k + 4 <= count; k += 4) acc ^= table[homes[k]!]! ^ table[homes[k + 1]!]! ^ table[homes[k + 2]!]! ^ table[homes[k + 3]!]!
  for (; k < count; k++) acc ^= table[homes[k]!]!
  for (k = 0; k + 4 <= count; k += 4) {
    acc ^= table[Math.min(homes[k]! + AHEAD, last)]! ^ table[Math.min(homes[k + 1]! + AHEAD, last)]!
    acc ^= table[Math.min(homes[k + 2]! + AHEAD, last)]! ^ table[Math.min(homes[k + 3]! + AHEAD, last)]!
  }
  return acc
}

/** `SeenSet.homes` for a table of one element a slot: the slot of each fingerprint's high word. */
export function slotsOf(fps: Uint32Array, count: number, cap: number, out: Int32Array): void {
  for (let k = 0; k < count; k++) out[k] = slotOf(fps[2 * k]!, cap)
}

/** `SeenSet.touchAll` for a table of one element a slot: reads each home, changing nothing. */
export function readEach(table: Uint32Array | Int32Array, homes: Int32Array, count: number): number {
  let acc = 0
  for (let k = 0; k < count; k++) acc ^= table[homes[k]!]!
  return acc
}
