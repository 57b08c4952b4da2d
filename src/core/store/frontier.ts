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
}

const CHUNK = 1 << 20

export class ByteFrontier<S> implements Frontier<S> {
  private readonly chunks: Uint8Array[] = []
  private readonly views: DataView[] = []
  private head = 0
  private tail = CHUNK
  private count = 0
  lastId = 0
  private readonly scratch = new ScratchViews()

  constructor(private readonly decode: (bytes: Uint8Array) => S) {}

  get length(): number {
    return this.count
  }

  get bytes(): number {
    return this.chunks.length * CHUNK
  }

  push(state: S, encoded: Uint8Array, id: number): void {
    this.pushRange(state, encoded, 0, encoded.length, id)
  }

  pushRange(_state: S, bytes: Uint8Array, start: number, length: number, id: number): void {
    const need = 8 + length
    if (this.tail + need > CHUNK) {
      const size = Math.max(CHUNK, need)
      const chunk = new Uint8Array(size)
      if (this.chunks.length > 0) this.markEnd()
      this.chunks.push(chunk)
      this.views.push(new DataView(chunk.buffer))
      this.tail = 0
    }
    const view = this.views[this.views.length - 1]!
    view.setUint32(this.tail, id)
    view.setUint32(this.tail + 4, length)
    copyBytes(bytes, start, this.chunks[this.chunks.length - 1]!, this.tail + 8, length)
    this.tail += need
    this.count++
  }

  shift(): S {
    if (this.count === 0) throw new RangeError('shift from an empty frontier')
    let chunk = this.chunks[0]!
    let view = this.views[0]!
    if (this.head + 8 > chunk.length || view.getUint32(this.head + 4) === END) {
      this.chunks.shift()
      this.views.shift()
      this.head = 0
      chunk = this.chunks[0]!
      view = this.views[0]!
    }
    this.lastId = view.getUint32(this.head)
    const len = view.getUint32(this.head + 4)
    const state = this.decode(this.scratch.of(chunk, this.head + 8, len))
    this.head += 8 + len
    this.count--
    return state
  }

  /** Marks the rest of the tail chunk as unused, so that `shift` moves on to the next chunk. */
  private markEnd(): void {
    const chunk = this.chunks[this.chunks.length - 1]!
    if (this.tail + 8 <= chunk.length) this.views[this.views.length - 1]!.setUint32(this.tail + 4, END)
  }
}

/** Lengths are below the chunk size, so this length never occurs in an entry. */
const END = 0xffffffff

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
}
