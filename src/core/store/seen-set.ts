/**
 * The seen set: 64-bit fingerprints in an open-addressing table with linear probing, two words per
 * slot in one Uint32Array (all-zero marks an empty slot; that fingerprint itself is kept in a flag). It grows by half when 80 % full, so a
 * stored state costs 8 bytes / load, between 10 and 15 bytes. Unlike a JS Set it holds any number of
 * entries up to the typed-array limit (2^31 slots) and allocates nothing per state.
 */
export class FingerprintSet {
  private table: Uint32Array
  private capacity: number
  private limit: number
  private count = 0
  /** The all-zero fingerprint marks empty slots, so it is kept apart. */
  private hasZero = false

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
    const table = this.table
    const cap = this.capacity
    let i = slotOf(hi, cap)
    for (;;) {
      const j = i << 1
      const h = table[j]!
      const l = table[j + 1]!
      if (h === 0 && l === 0) {
        table[j] = hi
        table[j + 1] = lo
        if (++this.count >= this.limit) this.grow()
        return true
      }
      if (h === hi && l === lo) return false
      if (++i === cap) i = 0
    }
  }

  /**
   * Reads a fingerprint's home slot without changing anything. Touching the slots of a batch of
   * fingerprints first lets the processor wait for their cache misses together, so that the `add`
   * calls that follow find them in cache.
   */
  touch(hi: number): number {
    return this.table[slotOf(hi, this.capacity) << 1]!
  }

  has(hi: number, lo: number): boolean {
    if (hi === 0 && lo === 0) return this.hasZero
    const table = this.table
    const cap = this.capacity
    let i = slotOf(hi, cap)
    for (;;) {
      const j = i << 1
      const h = table[j]!
      const l = table[j + 1]!
      if (h === 0 && l === 0) return false
      if (h === hi && l === lo) return true
      if (++i === cap) i = 0
    }
  }

  private grow(): void {
    const old = this.table
    const cap = Math.min(MAX_SLOTS, Math.ceil(this.capacity * 1.5))
    if (cap <= this.capacity) throw new RangeError('the seen set reached its largest size')
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

const MAX_LOAD = 0.8
/** Slot indexes are shifted left by one, so they must stay below 2^30 as int32 (8 GiB of table). */
const MAX_SLOTS = 2 ** 30

/** Maps the high half of a fingerprint to a slot without division (Lemire's fast range). */
export function slotOf(hi: number, cap: number): number {
  const i = Math.floor((hi * cap) / 4294967296)
  return i < cap ? i : cap - 1
}
