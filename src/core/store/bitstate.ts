import { collisionProbability } from './fingerprint.js'
import { readEach, slotOf, slotsOf, type SeenSet, type StoreReport } from './seen-set.js'

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
  /**
   * The expected number of new states missed so far, summed over blocks of stores (the
   * trapezoid rule) at the fill reached (the bits set, counted, rather than a formula: states that get stored are those with
   * a bit not set yet, so the array fills faster than independent bits would).
   */
  private missed = 0
  /** `missesPerStore` at the last block's end. */
  private rate = 0

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

  addFrom(_home: number, hi: number, lo: number): boolean {
    return this.add(hi, lo)
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
    if ((++this.count & (BLOCK - 1)) === 0) {
      const rate = missesPerStore(this.setBits / this.bits, this.hashFunctions)
      this.missed += (BLOCK * (this.rate + rate)) / 2
      this.rate = rate
    }
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
    slotsOf(fps, count, this.wordCount, out)
  }

  touchAll(homes: Int32Array, count: number): number {
    return readEach(this.words, homes, count)
  }

  report(): StoreReport {
    const fill = this.setBits / this.bits
    const missed = this.missed + ((this.count & (BLOCK - 1)) * (this.rate + missesPerStore(fill, this.hashFunctions))) / 2
    return {
      mode: 'bitstate',
      ...estimates(this.count, missed),
      hashFactor: this.count > 0 ? this.bits / this.count : this.bits,
      hashFunctions: this.hashFunctions,
      fill,
    }
  }
}

/** The probability of a miss and the expected coverage, from the expected number of states missed (a Poisson estimate), plus the 64-bit fingerprints' own collisions. */
export function estimates(stored: number, expectedMissed: number): Pick<StoreReport, 'missProbability' | 'expectedMissed' | 'expectedCoverage'> {
  const missProbability = 1 - Math.exp(-expectedMissed) * (1 - collisionProbability(stored))
  return { missProbability, expectedMissed, expectedCoverage: stored + expectedMissed > 0 ? stored / (stored + expectedMissed) : 1 }
}

/** A miss probability of 1 would make the expected count infinite: the array is full, and the estimate says only that most states were missed. */
const MAX_MISS = 1 - 1e-9

/** Stores between two updates of the running estimate of missed states. */
const BLOCK = 256

/**
 * The expected number of new states missed per state stored, when `fill` of the bits are set:
 * a new state has all its k bits set already with probability p = fill^k, so the search offers
 * 1/(1 − p) new states on average until one is stored, p/(1 − p) of them missed.
 */
function missesPerStore(fill: number, k: number): number {
  const p = Math.min(MAX_MISS, fill ** k)
  return p / (1 - p)
}
