import { ScratchViews, copyBytes } from './bytes.js'

/**
 * The breadth-first frontier: a FIFO of (state, id) pairs. `ByteFrontier` keeps encoded states in
 * chunked byte buffers (a few bytes of header per entry and no object per state); `ObjectFrontier`
 * keeps the state objects of models that cannot decode.
 */
export interface Frontier<S> {
  readonly length: number
  /** Approximate bytes held, for statistics. */
  readonly bytes: number
  push(state: S, encoded: Uint8Array, id: number): void
  /** `push` of the `length` bytes of `bytes` that start at `start`. */
  pushRange(state: S, bytes: Uint8Array, start: number, length: number, id: number): void
  /** Removes the oldest entry; its id is then in `lastId`. */
  shift(): S
  readonly lastId: number
  /** Releases what the frontier holds outside memory (a spill file). */
  close(): void
}

const CHUNK = 1 << 20

/**
 * A file the frontier moves chunks to when it holds more than its budget, read back in the order
 * written (a queue on disk). The platform supplies it (src/platform/node/spill-file.ts); where
 * there is no file system the frontier stays in memory.
 */
export interface SpillFile {
  /** Appends `length` bytes of `bytes`. */
  write(bytes: Uint8Array, length: number): void
  /** Reads the oldest `length` bytes not read yet into `into`. */
  read(into: Uint8Array, length: number): void
  /** Everything written has been read: the file may start over, empty. */
  rewind(): void
  /** Closes and removes the file. */
  close(): void
}

/** How a breadth-first frontier may spill: over `budgetBytes` of chunks in memory, to the file `open` makes (on first need). */
export interface FrontierSpill {
  readonly budgetBytes: number
  open(): SpillFile
  /** The chunk size (default 1 MiB); small sizes are for tests. */
  readonly chunkBytes?: number
}

/**
 * Entries (an id, a length, the bytes; the header is two big-endian words) in a queue of chunks.
 * The first chunk is read from and the last written to, both always in memory; with a spill file,
 * a chunk filled while the chunks in memory exceed the budget is written to the file (and its
 * buffer reused), and read back when the reading reaches it, so the order is that of a frontier
 * wholly in memory.
 */
export class ByteFrontier<S> implements Frontier<S> {
  /** The chunks, oldest first: the buffer of one in memory, undefined for one in the spill file. */
  private readonly chunks: (Uint8Array | undefined)[] = []
  /** Bytes used in each chunk (the last one's: `tail`). */
  private readonly used: number[] = []
  private inMemory = 0
  private head = 0
  private tail = 0
  private count = 0
  /** A buffer of `chunkBytes` no chunk uses, for the next one. */
  private spare: Uint8Array | undefined
  private file: SpillFile | undefined
  private onDisk = 0
  /** Bytes written to the spill file in all. */
  spilledBytes = 0
  lastId = 0
  private readonly scratch = new ScratchViews()
  private readonly chunkBytes: number

  constructor(
    private readonly decode: (bytes: Uint8Array) => S,
    private readonly spill?: FrontierSpill,
  ) {
    this.chunkBytes = spill?.chunkBytes ?? CHUNK
  }

  get length(): number {
    return this.count
  }

  /** Bytes of chunks in memory. */
  get bytes(): number {
    return this.inMemory
  }

  push(state: S, encoded: Uint8Array, id: number): void {
    this.pushRange(state, encoded, 0, encoded.length, id)
  }

  pushRange(_state: S, bytes: Uint8Array, start: number, length: number, id: number): void {
    const need = 8 + length
    const last = this.chunks.length - 1
    let chunk = last >= 0 ? this.chunks[last]! : undefined
    if (chunk === undefined || this.tail + need > chunk.length) {
      if (chunk !== undefined) this.seal(last)
      chunk = this.take(Math.max(this.chunkBytes, need))
      this.chunks.push(chunk)
      this.used.push(0)
      this.tail = 0
    }
    const t = this.tail
    writeWord(chunk, t, id)
    writeWord(chunk, t + 4, length)
    copyBytes(bytes, start, chunk, t + 8, length)
    this.tail = t + need
    this.count++
  }

  shift(): S {
    if (this.count === 0) throw new RangeError('shift from an empty frontier')
    const end = this.chunks.length === 1 ? this.tail : this.used[0]!
    if (this.head >= end) this.nextChunk()
    const chunk = this.chunks[0]!
    const h = this.head
    this.lastId = readWord(chunk, h)
    const len = readWord(chunk, h + 4)
    const state = this.decode(this.scratch.of(chunk, h + 8, len))
    this.head = h + 8 + len
    this.count--
    return state
  }

  /** Closes the spill file, if one was opened (and removes it); the frontier is not used after. */
  close(): void {
    this.file?.close()
    this.file = undefined
  }

  /** The last chunk is full: records its length and, over the budget, moves it to the spill file. */
  private seal(last: number): void {
    this.used[last] = this.tail
    const spill = this.spill
    if (spill === undefined || last === 0 || this.inMemory <= spill.budgetBytes) return
    const chunk = this.chunks[last]!
    this.file ??= spill.open()
    this.file.write(chunk, this.tail)
    this.spilledBytes += this.tail
    this.onDisk++
    this.chunks[last] = undefined
    this.release(chunk)
  }

  /** Drops the first chunk, read to its end, and brings the next one into memory if it is in the file. */
  private nextChunk(): void {
    this.release(this.chunks.shift()!)
    this.used.shift()
    this.head = 0
    if (this.chunks[0] !== undefined) return
    const length = this.used[0]!
    const chunk = this.take(length)
    this.file!.read(chunk, length)
    this.chunks[0] = chunk
    if (--this.onDisk === 0) this.file!.rewind()
  }

  /** A buffer of at least `size` bytes: the spare one when it fits. */
  private take(size: number): Uint8Array {
    let chunk = this.spare
    if (chunk !== undefined && chunk.length >= size) this.spare = undefined
    else chunk = new Uint8Array(size)
    this.inMemory += chunk.length
    return chunk
  }

  private release(chunk: Uint8Array): void {
    this.inMemory -= chunk.length
    if (chunk.length === this.chunkBytes) this.spare = chunk
  }
}

function writeWord(b: Uint8Array, at: number, v: number): void {
  b[at] = v >>> 24
  b[at + 1] = v >>> 16
  b[at + 2] = v >>> 8
  b[at + 3] = v
}

function readWord(b: Uint8Array, at: number): number {
  return ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0
}

export class ObjectFrontier<S> implements Frontier<S> {
  private items: S[] = []
  private ids: number[] = []
  private head = 0
  lastId = 0

  get length(): number {
    return this.items.length - this.head
  }

  get bytes(): number {
    return 0
  }

  push(state: S, _encoded: Uint8Array, id: number): void {
    this.items.push(state)
    this.ids.push(id)
  }

  pushRange(state: S, _bytes: Uint8Array, _start: number, _length: number, id: number): void {
    this.push(state, _bytes, id)
  }

  shift(): S {
    if (this.head >= this.items.length) throw new RangeError('shift from an empty frontier')
    const state = this.items[this.head]!
    this.lastId = this.ids[this.head]!
    this.head++
    if (this.head > 4096 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head)
      this.ids = this.ids.slice(this.head)
      this.head = 0
    }
    return state
  }

  close(): void {}
}
