/**
 * Copies `length` bytes from `src` at `from` to `dst` at `to`. Short runs (most states) are copied
 * in a loop: `TypedArray.prototype.set` costs a call into the runtime and a view of the source,
 * which for a few bytes is several times the copy itself.
 */
export function copyBytes(src: Uint8Array, from: number, dst: Uint8Array, to: number, length: number): void {
  if (length > 64) {
    dst.set(from === 0 && length === src.length ? src : src.subarray(from, from + length), to)
    return
  }
  for (let i = 0; i < length; i++) dst[to + i] = src[from + i]!
}

/**
 * Views of bytes to hand to `Model.decode`, whose argument is only valid during the call: short
 * states are copied into one scratch buffer and passed as a view of it kept per length, so that
 * no view object is allocated per state; longer ones get a view of their own.
 */
export class ScratchViews {
  private readonly buffer = new Uint8Array(SCRATCH)
  private readonly views: Uint8Array[] = []

  of(src: Uint8Array, start: number, length: number): Uint8Array {
    if (length > SCRATCH) return src.subarray(start, start + length)
    copyBytes(src, start, this.buffer, 0, length)
    return (this.views[length] ??= this.buffer.subarray(0, length))
  }
}

const SCRATCH = 64
