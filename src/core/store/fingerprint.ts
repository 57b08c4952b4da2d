/**
 * 64-bit fingerprints of encoded states, as two 32-bit halves.
 *
 * Two murmur3-style lanes read the bytes once, a 32-bit little-endian word at a time (the last
 * word zero-padded; the length is mixed into the seeds, so padding never makes two encodings
 * equal), each lane with its own constants, and are cross-mixed at the end. `digest` reads a byte
 * array; `digestWords` reads the same words straight from a `Uint32Array` (states laid out at
 * word-aligned offsets), which gives the same fingerprint without assembling words from bytes.
 * The result is left in `hi`/`lo` rather than returned, so that the search loop allocates nothing
 * per state; one Fingerprinter belongs to one search.
 */
export class Fingerprinter {
  hi = 0
  lo = 0
  /** The buffer of the last bytes long enough to read as words, and its words (a model's reused encoding buffer, mostly). */
  private wordsOf: ArrayBufferLike | undefined
  private words: Uint32Array<ArrayBufferLike> = new Uint32Array(0)
  /** The buffer of the last bytes that could be read as words. */
  private seenOnce: ArrayBufferLike | undefined
  /** The last view read as words, and its first word in `words`. */
  private lastView: Uint8Array | undefined
  private lastAt = 0

  digest(b: Uint8Array): void {
    const n = b.length
    // Word-aligned bytes are read a word at a time, as `digestWords` reads them, the last word's bytes past `n` masked.
    // The same view as last time (a model's reused buffer) is not asked for its buffer again.
    if (b === this.lastView) {
      this.digestMasked(this.words, this.lastAt, n)
      return
    }
    if (LITTLE_ENDIAN && n >= WORDS_FROM && (b.byteOffset & 3) === 0) {
      const buffer = b.buffer
      // A word view is made for a buffer seen twice running, so that fresh buffers cost no view each.
      if (buffer !== this.wordsOf && buffer === this.seenOnce) {
        this.wordsOf = buffer
        this.words = new Uint32Array(buffer, 0, buffer.byteLength >> 2)
        this.lastView = undefined
      }
      this.seenOnce = buffer
      const at = b.byteOffset >> 2
      if (buffer === this.wordsOf && ((n & 3) === 0 || at + (n >> 2) < this.words.length)) {
        this.lastView = b
        this.lastAt = at
        this.digestMasked(this.words, at, n)
        return
      }
    }
    let h1 = seed1(n)
    let h2 = seed2(n)
    const whole = n & ~3
    let i = 0
    for (; i < whole; i += 4) {
      const k = b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)
      h1 = round1(h1, k)
      h2 = round2(h2, k)
    }
    const rest = n & 3
    if (rest !== 0) {
      let k = b[i]!
      if (rest > 1) k |= b[i + 1]! << 8
      if (rest > 2) k |= b[i + 2]! << 16
      h1 = round1(h1, k)
      h2 = round2(h2, k)
    }
    this.finish(h1, h2)
  }

  /**
   * `digest` of the `byteLength` bytes that start at word `at` of `words`, read as little-endian
   * words whose bytes past `byteLength` are zero. Only on a little-endian platform (`LITTLE_ENDIAN`).
   */
  digestWords(words: Uint32Array, at: number, byteLength: number): void {
    let h1 = seed1(byteLength)
    let h2 = seed2(byteLength)
    for (let i = at, end = at + ((byteLength + 3) >> 2); i < end; i++) {
      const k = words[i]! | 0
      h1 = round1(h1, k)
      h2 = round2(h2, k)
    }
    this.finish(h1, h2)
  }

  /** `digestWords` of `byteLength` bytes from word `at`, whatever the bytes past them in the last word. */
  private digestMasked(words: Uint32Array, at: number, byteLength: number): void {
    let h1 = seed1(byteLength)
    let h2 = seed2(byteLength)
    const end = at + (byteLength >> 2)
    for (let i = at; i < end; i++) {
      const k = words[i]! | 0
      h1 = round1(h1, k)
      h2 = round2(h2, k)
    }
    const rest = byteLength & 3
    if (rest !== 0) {
      const k = words[end]! & ((1 << (rest << 3)) - 1)
      h1 = round1(h1, k)
      h2 = round2(h2, k)
    }
    this.finish(h1, h2)
  }

  /**
   * `digestWords` of `count` states at once (state k: `lengths[k]` bytes from byte `offsets[k]`, a
   * multiple of 4), into `out` as (hi, lo) pairs: one call for a batch instead of one per state.
   */
  digestAll(words: Uint32Array, offsets: Int32Array, lengths: Int32Array, count: number, out: Uint32Array): void {
    for (let k = 0; k < count; k++) {
      const n = lengths[k]!
      let h1 = seed1(n)
      let h2 = seed2(n)
      for (let i = offsets[k]! >> 2, end = i + ((n + 3) >> 2); i < end; i++) {
        const w = words[i]! | 0
        h1 = round1(h1, w)
        h2 = round2(h2, w)
      }
      this.finish(h1, h2)
      out[2 * k] = this.hi
      out[2 * k + 1] = this.lo
    }
  }

  private finish(h1: number, h2: number): void {
    h1 = fmix32(h1)
    h2 = fmix32(h2 ^ h1)
    h1 = fmix32(h1 + h2)
    this.hi = h1 >>> 0
    this.lo = h2 >>> 0
  }
}

/** Bytes from which `digest` reads words: shorter ones may be typed arrays without a buffer of their own yet. */
const WORDS_FROM = 16

/** Whether typed arrays are little-endian here, so that `digestWords` may read a byte buffer's words. */
export const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1

function seed1(n: number): number {
  return 0x9747b28c ^ n
}

function seed2(n: number): number {
  return 0x2f6d3c51 ^ Math.imul(n, 0x27d4eb2f)
}

function round1(h: number, k: number): number {
  let k1 = Math.imul(k, 0xcc9e2d51)
  k1 = Math.imul((k1 << 15) | (k1 >>> 17), 0x1b873593)
  h ^= k1
  return (Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64) | 0
}

function round2(h: number, k: number): number {
  let k2 = Math.imul(k, 0x85ebca77)
  k2 = Math.imul((k2 << 13) | (k2 >>> 19), 0xc2b2ae3d)
  h ^= k2
  return (Math.imul((h << 17) | (h >>> 15), 5) + 0x52dce729) | 0
}

/** MurmurHash3's 32-bit finalizer. */
export function fmix32(h: number): number {
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  return h ^ (h >>> 16)
}

/**
 * The probability that two of `distinct` states share a fingerprint, so that one of them was never
 * explored: the birthday bound n(n-1)/2 over 2^64 fingerprints.
 */
export function collisionProbability(distinct: number): number {
  return Math.min(1, (distinct * (distinct - 1)) / 2 / 2 ** 64)
}
