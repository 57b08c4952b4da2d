import { collisionProbability } from './fingerprint.js'
import { slotOf, type SeenSet, type StoreReport } from './seen-set.js'

/**
 * Bitstate storage (SPIN's supertrace, pan -DBITSTATE): a state is `hashFunctions` bits of one bit
 * array, found by double hashing its 64-bit fingerprint (bit i at h1 + i·h2). A state whose bits
 * are all set already is taken as seen, which may be wrong: the search then misses it and what
 * only it leads to. It never takes a seen state for a new one, so it never reports a violation
 * that does not exist. A state costs no memory beyond the array, fixed at the start.
 */
export class BitstateSet implements SeenSet {
  private readonly words: Int32Array
  /** The words of the array (a power of two is not needed: words are chosen by Lemire's fast range). */
  private readonly wordCount: number
  private count = 0
  /** Bits set so far, for the fill the report gives. */
  private setBits = 0

  /** `bytes` of bit array (a multiple of 4, at least 4), `hashFunctions` bits per state. */
  constructor(
    bytes: number,
    readonly hashFunctions = 3,
  ) {
    this.wordCount = Math.max(1, Math.floor(bytes / 4))
    this.words = new Int32Array(this.wordCount)
  }

  get size(): number {
    return this.count
  }

  get bytes(): number {
    return this.words.byteLength
  }

  /** The bits of the array. */
  get bits(): number {
    return this.wordCount * 32
  }

  add(hi: number, lo: number): boolean {
    const words = this.words
    const n = this.wordCount
    const step = lo | 1
    let missing = 0
    for (let i = 0; i < this.hashFunctions; i++) {
      const x = (hi + Math.imul(i, step)) >>> 0
      const w = slotOf(x, n)
      const bit = 1 << (Math.imul(x ^ lo, 0x9e3779b1) >>> 27)
      const word = words[w]!
      if ((word & bit) === 0) {
        words[w] = word | bit
        missing++
      }
    }
    if (missing === 0) return false
    this.setBits += missing
    this.count++
    return true
  }

  has(hi: number, lo: number): boolean {
    const words = this.words
    const n = this.wordCount
    const step = lo | 1
    for (let i = 0; i < this.hashFunctions; i++) {
      const x = (hi + Math.imul(i, step)) >>> 0
      if ((words[slotOf(x, n)]! & (1 << (Math.imul(x ^ lo, 0x9e3779b1) >>> 27))) === 0) return false
    }
    return true
  }

  /** The word of each fingerprint's first bit. */
  homes(fps: Uint32Array, count: number, out: Int32Array): void {
    const n = this.wordCount
    for (let k = 0; k < count; k++) out[k] = slotOf(fps[2 * k]!, n)
  }

  touchAll(homes: Int32Array, count: number): number {
    const words = this.words
    let acc = 0
    for (let k = 0; k < count; k++) acc ^= words[homes[k]!]!
    return acc
  }

  report(): StoreReport {
    const missed = bitstateMisses(this.count, this.bits, this.hashFunctions)
    return {
      mode: 'bitstate',
      ...estimates(this.count, missed),
      hashFactor: this.count > 0 ? this.bits / this.count : this.bits,
      hashFunctions: this.hashFunctions,
      fill: this.setBits / this.bits,
    }
  }
}

/** The probability of a miss and the expected coverage, from the expected number of states missed (a Poisson estimate), plus the 64-bit fingerprints' own collisions. */
export function estimates(stored: number, expectedMissed: number): Pick<StoreReport, 'missProbability' | 'expectedMissed' | 'expectedCoverage'> {
  const missProbability = 1 - Math.exp(-expectedMissed) * (1 - collisionProbability(stored))
  return { missProbability, expectedMissed, expectedCoverage: stored + expectedMissed > 0 ? stored / (stored + expectedMissed) : 1 }
}

/**
 * The expected number of new states taken for seen ones while `stored` states were added to a
 * bit array of `bits` bits with `k` bits per state: the sum over the stores of the chance that all
 * k bits of a new state were already set, (1 − e^(−k·j/bits))^k after j stores (the Bloom filter
 * estimate), summed exactly for small counts and by Simpson's rule otherwise.
 */
export function bitstateMisses(stored: number, bits: number, k: number): number {
  const f = (j: number): number => (1 - Math.exp((-k * j) / bits)) ** k
  if (stored <= 4096) {
    let sum = 0
    for (let j = 0; j < stored; j++) sum += f(j)
    return sum
  }
  const steps = 4096
  const h = stored / steps
  let sum = f(0) + f(stored)
  for (let i = 1; i < steps; i++) sum += (i % 2 === 1 ? 4 : 2) * f(i * h)
  return (sum * h) / 3
}
