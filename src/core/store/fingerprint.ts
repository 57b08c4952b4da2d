/**
 * 64-bit fingerprints of encoded states, as two 32-bit halves.
 *
 * Two murmur3-style lanes read the bytes once, each with its own constants, and are cross-mixed at
 * the end. The result is left in `hi`/`lo` rather than returned, so that the search loop allocates
 * nothing per state; one Fingerprinter belongs to one search.
 */
export class Fingerprinter {
  hi = 0
  lo = 0

  digest(b: Uint8Array): void {
    const n = b.length
    let h1 = 0x9747b28c ^ n
    let h2 = 0x2f6d3c51 ^ Math.imul(n, 0x27d4eb2f)
    const whole = n & ~3
    let i = 0
    for (; i < whole; i += 4) {
      const k = b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)
      let k1 = Math.imul(k, 0xcc9e2d51)
      k1 = Math.imul((k1 << 15) | (k1 >>> 17), 0x1b873593)
      h1 ^= k1
      h1 = (Math.imul((h1 << 13) | (h1 >>> 19), 5) + 0xe6546b64) | 0
      let k2 = Math.imul(k, 0x85ebca77)
      k2 = Math.imul((k2 << 13) | (k2 >>> 19), 0xc2b2ae3d)
      h2 ^= k2
      h2 = (Math.imul((h2 << 17) | (h2 >>> 15), 5) + 0x52dce729) | 0
    }
    const rest = n & 3
    if (rest !== 0) {
      let k = b[i]!
      if (rest > 1) k |= b[i + 1]! << 8
      if (rest > 2) k |= b[i + 2]! << 16
      let k1 = Math.imul(k, 0xcc9e2d51)
      h1 ^= Math.imul((k1 << 15) | (k1 >>> 17), 0x1b873593)
      let k2 = Math.imul(k, 0x85ebca77)
      h2 ^= Math.imul((k2 << 13) | (k2 >>> 19), 0xc2b2ae3d)
    }
    h1 = fmix32(h1)
    h2 = fmix32(h2 ^ h1)
    h1 = fmix32(h1 + h2)
    this.hi = h1 >>> 0
    this.lo = h2 >>> 0
  }
}

function fmix32(h: number): number {
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
