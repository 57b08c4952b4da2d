/** Distinct pseudo-random 64-bit fingerprints for store tests: a counter through an invertible mix, so no two repeat. */
export function fingerprintOf(i: number): [number, number] {
  let a = Math.imul(i ^ 0x5bd1e995, 0x9e3779b1) >>> 0
  a = (a ^ (a >>> 15)) >>> 0
  return [a, (Math.imul(i, 0x85ebca6b) ^ 0x1234567) >>> 0]
}
