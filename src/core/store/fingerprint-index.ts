/**
 * 64-bit fingerprints mapped to state ids, in an open-addressing table with linear probing (three
 * words per slot: the fingerprint and the id plus one, so that an empty slot is all zero). For
 * searches that need the id of a state already seen (the liveness graph's edges); 12 bytes / load
 * per state.
 */
export class FingerprintIndex {
  private table: Uint32Array
  private capacity: number
  private count = 0

  constructor(initialCapacity = 1 << 14) {
    this.capacity = Math.max(16, initialCapacity)
    this.table = new Uint32Array(this.capacity * 3)
  }

  get bytes(): number {
    return this.table.byteLength
  }

  /** Records the id of a fingerprint that is not in the index yet. */
  set(hi: number, lo: number, id: number): void {
    if ((this.count + 1) * 10 > this.capacity * 7) this.grow()
    this.place(this.table, this.capacity, hi, lo, id + 1)
    this.count++
  }

  /** The id of a fingerprint, or -1. */
  get(hi: number, lo: number): number {
    const table = this.table
    const cap = this.capacity
    let i = slotOf(hi, lo, cap)
    for (;;) {
      const j = i * 3
      const v = table[j + 2]!
      if (v === 0) return -1
      if (table[j] === hi >>> 0 && table[j + 1] === lo >>> 0) return v - 1
      if (++i === cap) i = 0
    }
  }

  private place(table: Uint32Array, cap: number, hi: number, lo: number, v: number): void {
    let i = slotOf(hi, lo, cap)
    while (table[i * 3 + 2] !== 0) if (++i === cap) i = 0
    table[i * 3] = hi
    table[i * 3 + 1] = lo
    table[i * 3 + 2] = v
  }

  private grow(): void {
    const old = this.table
    const cap = this.capacity * 2
    const table = new Uint32Array(cap * 3)
    for (let j = 0; j < old.length; j += 3) if (old[j + 2] !== 0) this.place(table, cap, old[j]!, old[j + 1]!, old[j + 2]!)
    this.table = table
    this.capacity = cap
  }
}

function slotOf(hi: number, lo: number, cap: number): number {
  return ((hi ^ Math.imul(lo, 0x9e3779b1)) >>> 0) % cap
}
