import { copyBytes } from '../store/bytes.js'

/**
 * Successor records, as the workers of a parallel search pass them to each other: for each
 * successor its key (the rank of its parent in the level, then the action's index), its
 * fingerprint, and its encoded bytes. One growable buffer, five 32-bit words of header and the
 * bytes padded to a word; no object per record, and the buffer is transferable.
 */
export const HEADER_WORDS = 5

export class RecordWriter {
  private bytes: Uint8Array
  private words: Int32Array
  /** Length in words. */
  private end = 0
  count = 0

  /** Starts with `buffer` when given (its contents are overwritten), else with a new one of `initialBytes`. */
  constructor(initialBytes = 1 << 12, buffer?: ArrayBuffer) {
    this.bytes = buffer ? new Uint8Array(buffer) : new Uint8Array(initialBytes)
    this.words = new Int32Array(this.bytes.buffer, 0, this.bytes.length >>> 2)
  }

  push(parentRank: number, action: number, hi: number, lo: number, encoded: Uint8Array): void {
    this.pushRange(parentRank, action, hi, lo, encoded, 0, encoded.length)
  }

  /** As `push`, the bytes being `length` bytes of `from` at `offset`. */
  pushRange(parentRank: number, action: number, hi: number, lo: number, from: Uint8Array, offset: number, length: number): void {
    const need = HEADER_WORDS + ((length + 3) >>> 2)
    if ((this.end + need) * 4 > this.bytes.length) this.grow((this.end + need) * 4)
    const w = this.words
    const at = this.end
    w[at] = parentRank
    w[at + 1] = action
    w[at + 2] = hi
    w[at + 3] = lo
    w[at + 4] = length
    copyBytes(from, offset, this.bytes, (at + HEADER_WORDS) * 4, length)
    this.end = at + need
    this.count++
  }

  /** Copies one record from a reader's current position. */
  copy(from: RecordReader): void {
    const w = from.words
    const at = from.at
    const need = HEADER_WORDS + ((w[at + 4]! + 3) >>> 2)
    if ((this.end + need) * 4 > this.bytes.length) this.grow((this.end + need) * 4)
    this.words.set(w.subarray(at, at + need), this.end)
    this.end += need
    this.count++
  }

  /** The records written so far; the writer must not be used afterwards. */
  finish(): RecordBlock {
    return { buffer: this.bytes.buffer as ArrayBuffer, words: this.end, count: this.count }
  }

  private grow(atLeast: number): void {
    let size = this.bytes.length * 2
    while (size < atLeast) size *= 2
    const bigger = new Uint8Array(size)
    bigger.set(this.bytes.subarray(0, this.end * 4))
    this.bytes = bigger
    this.words = new Int32Array(bigger.buffer, 0, size >>> 2)
  }
}

/** A finished buffer of records (transferable between threads). */
export interface RecordBlock {
  readonly buffer: ArrayBuffer
  readonly words: number
  readonly count: number
}

/** Walks the records of a block in order. */
export class RecordReader {
  readonly words: Int32Array
  readonly bytes: Uint8Array
  private readonly end: number
  at = 0

  constructor(block: RecordBlock) {
    this.words = new Int32Array(block.buffer, 0, block.words)
    this.bytes = new Uint8Array(block.buffer)
    this.end = block.words
  }

  get done(): boolean {
    return this.at >= this.end
  }

  get parentRank(): number {
    return this.words[this.at]!
  }

  get action(): number {
    return this.words[this.at + 1]!
  }

  get hi(): number {
    return this.words[this.at + 2]! >>> 0
  }

  get lo(): number {
    return this.words[this.at + 3]! >>> 0
  }

  /** Where the current record's bytes are in `bytes`. */
  get offset(): number {
    return (this.at + HEADER_WORDS) * 4
  }

  get length(): number {
    return this.words[this.at + 4]!
  }

  next(): void {
    this.at += HEADER_WORDS + ((this.words[this.at + 4]! + 3) >>> 2)
  }
}

/**
 * Buffers of blocks a worker has read to the end, to write its next blocks into: a level's
 * blocks are about as large as the last level's, so reusing their buffers saves allocating,
 * zeroing and growing new ones, and the garbage collections their memory would cause.
 */
export class BufferPool {
  private readonly spare: ArrayBuffer[] = []

  constructor(private readonly keep: number) {}

  /** Gives back a block's buffer, which its reader no longer needs. */
  give(block: RecordBlock): void {
    this.spare.push(block.buffer)
    if (this.spare.length > this.keep) {
      // drop the smallest
      this.spare.sort((a, b) => b.byteLength - a.byteLength)
      this.spare.length = this.keep
    }
  }

  /** A writer into the largest spare buffer, or into a new one. */
  writer(initialBytes?: number): RecordWriter {
    let best = -1
    for (let i = 0; i < this.spare.length; i++) if (best < 0 || this.spare[i]!.byteLength > this.spare[best]!.byteLength) best = i
    if (best < 0) return new RecordWriter(initialBytes)
    const buffer = this.spare[best]!
    this.spare[best] = this.spare[this.spare.length - 1]!
    this.spare.pop()
    return new RecordWriter(initialBytes, buffer)
  }
}
