import { TransitionFailure, type SuccessorSink } from '../../core/model.js'
import type { Span } from '../../diag/span.js'
import type { ChanType } from './symbols.js'
import { truncate } from './types.js'

/**
 * The state vector: one Int32Array, laid out like pan's.
 *
 *   [nprocs, nchans, (_last)] globals… | process records, in pid order | channel records, in creation order
 *   process record: [proctype, pc, (priority)] locals…
 *   channel record: [channel type, length] messages… (unused slots kept at zero)
 *
 * Records of one proctype or channel type have one size, so offsets follow from the headers.
 */
export interface Layout {
  readonly globalsStart: number
  readonly globalSize: number
  /** Slots before a process's locals: proctype and pc, and priority when the model uses priorities. */
  readonly procHeader: number
  readonly hasPriority: boolean
  readonly hasLast: boolean
  /** Record size of each proctype. */
  readonly procSizes: readonly number[]
  readonly chanTypes: readonly ChanType[]
  /** Record size of each channel type. */
  readonly chanSizes: readonly number[]
}

export const MAX_PROCS = 255

/** Where the records of a vector are, and which process is executing: the context every compiled closure runs in. */
export class Exec {
  v: Int32Array = new Int32Array(0)
  nprocs = 0
  nchans = 0
  readonly procOff: number[] = []
  readonly chanOff: number[] = []
  /** The executing process and the start of its locals. */
  pid = 0
  base = 0
  /** The second pass of successor generation, in which `timeout` is true. */
  timeout = false
  /** A claim move in place of a system that cannot move (pan's claim stutter), in which `np_` is false. */
  stutter = false

  constructor(readonly layout: Layout) {}

  /** Points the context at a vector and finds its records. */
  load(v: Int32Array): void {
    this.v = v
    const L = this.layout
    this.nprocs = v[0]!
    this.nchans = v[1]!
    let pos = L.globalsStart + L.globalSize
    for (let i = 0; i < this.nprocs; i++) {
      this.procOff[i] = pos
      pos += L.procSizes[v[pos]!]!
    }
    for (let i = 0; i < this.nchans; i++) {
      this.chanOff[i] = pos
      pos += L.chanSizes[v[pos]!]!
    }
  }

  /** Points the context at a copy of its vector: the records are where they were. */
  reuse(w: Int32Array): void {
    this.v = w
  }

  /** Makes `pid` the executing process. */
  as(pid: number): void {
    this.pid = pid
    this.base = this.procOff[pid]! + this.layout.procHeader
  }

  pc(pid: number): number {
    return this.v[this.procOff[pid]! + 1]!
  }

  proctype(pid: number): number {
    return this.v[this.procOff[pid]!]!
  }

  priority(pid: number): number {
    return this.layout.hasPriority ? this.v[this.procOff[pid]! + 2]! : 1
  }

  /** The record offset of channel `id` (1-based, as channel variables hold it); a runtime error for an uninitialised channel. */
  chan(id: number, span: Span | undefined): number {
    if (id < 1 || id > this.nchans) throw new TransitionFailure('runtime-error', 'channel', id === 0 ? 'reference to an uninitialised channel' : `reference to channel ${id}, which does not exist`, span)
    return this.chanOff[id - 1]!
  }

  chanType(off: number): ChanType {
    return this.layout.chanTypes[this.v[off]!]!
  }

  /** Appends a process record (zeroed locals) after the last process; returns its pid. The caller then loads the new vector. */
  addProcess(proctype: number, pc: number, priority: number): number {
    const L = this.layout
    const v = this.v
    const at = this.nprocs === 0 ? L.globalsStart + L.globalSize : this.procOff[this.nprocs - 1]! + L.procSizes[v[this.procOff[this.nprocs - 1]!]!]!
    const size = L.procSizes[proctype]!
    const w = new Int32Array(v.length + size)
    w.set(v.subarray(0, at))
    w.set(v.subarray(at), at + size)
    w[at] = proctype
    w[at + 1] = pc
    if (L.hasPriority) w[at + 2] = priority
    w[0] = this.nprocs + 1
    const pid = this.nprocs
    this.load(w)
    return pid
  }

  /** Appends a channel record of the given type; returns its id. */
  addChannel(type: ChanType): number {
    const size = this.layout.chanSizes[type.id]!
    const w = new Int32Array(this.v.length + size)
    w.set(this.v)
    w[this.v.length] = type.id
    w[1] = this.nchans + 1
    this.load(w)
    return this.nchans
  }

  /** Removes the youngest process and the channels created after it (its own), as pan's `-end-` step does. */
  removeLastProcess(ownChannels: number): void {
    const L = this.layout
    const pid = this.nprocs - 1
    const start = this.procOff[pid]!
    const size = L.procSizes[this.v[start]!]!
    const keepChans = this.nchans - ownChannels
    const chansEnd = keepChans === 0 ? start + size : this.chanOff[keepChans - 1]! + L.chanSizes[this.v[this.chanOff[keepChans - 1]!]!]!
    const w = new Int32Array(this.v.length - size - (this.v.length - chansEnd))
    w.set(this.v.subarray(0, start))
    w.set(this.v.subarray(start + size, chansEnd), start)
    w[0] = this.nprocs - 1
    w[1] = keepChans
    this.load(w)
  }
}

/** Slots per slab of a `VectorArena` (16 KiB). */
const SLAB_SLOTS = 4096

/**
 * Hands out state vectors as views of shared slabs. A typed array of more than 64 bytes gets a
 * backing store of its own, which costs several times what a view of an existing buffer costs;
 * successor vectors are made by the million, most of them only to be found already seen. A slab is
 * freed once no vector in it is alive, so a long-lived vector (on the depth-first stack) keeps at
 * most one slab alive.
 */
export class VectorArena {
  private slab = new Int32Array(0)
  private at = 0

  /** A fresh vector of `n` slots (not zeroed: the caller fills it). */
  alloc(n: number): Int32Array {
    if (this.at + n > this.slab.length) {
      this.slab = new Int32Array(Math.max(SLAB_SLOTS, n))
      this.at = 0
    }
    const v = new Int32Array(this.slab.buffer, this.at * 4, n)
    this.at += n
    return v
  }

  /** A copy of `v`. */
  copy(v: Int32Array): Int32Array {
    const w = this.alloc(v.length)
    w.set(v)
    return w
  }
}

/**
 * A state vector's canonical bytes: each slot as one byte when it holds 0..254, else as 255 and
 * its four bytes. Slots hold small values mostly (control locations, bytes, booleans), so the
 * bytes are about a quarter of the vector's, and hashing them costs that much less. The code is
 * prefix-free, so equal vectors and only they have equal bytes. Slots marked hidden (pan keeps
 * `hidden` globals outside its state vector) are written as 0.
 */
export class VectorCodec {
  private out = new Uint8Array(0)
  private data = new DataView(this.out.buffer)
  /** Views of `out` by length: a reused buffer needs no new view per state. */
  private views: (Uint8Array | undefined)[] = []
  private readonly hiddenEnd: number

  constructor(
    private readonly arena: VectorArena,
    /** Per slot from 0: 1 when the slot is left out of the state's identity. */
    private readonly hidden: Uint8Array,
  ) {
    this.hiddenEnd = hidden.length
  }

  /** The bytes of `v` (and of a slot `last` after it, when given), in a buffer reused by the next call. */
  encode(v: Int32Array, last?: number): Uint8Array {
    const n = v.length
    if (this.out.length < 5 * (n + 1)) {
      this.out = new Uint8Array(5 * (n + 1))
      this.data = new DataView(this.out.buffer)
      this.views = new Array<Uint8Array | undefined>(5 * (n + 1) + 1).fill(undefined)
    }
    const b = this.out
    let k = 0
    let i = 0
    for (const h = Math.min(this.hiddenEnd, n); i < h; i++) {
      const x = this.hidden[i] === 1 ? 0 : v[i]!
      if (x >>> 0 < 255) b[k++] = x
      else k = wide(b, k, x)
    }
    // Four slots at a time while they all fit a byte: one (unaligned, little-endian) word store.
    const dv = this.data
    for (; i + 4 <= n; i += 4) {
      const x0 = v[i]!
      const x1 = v[i + 1]!
      const x2 = v[i + 2]!
      const x3 = v[i + 3]!
      if ((x0 | x1 | x2 | x3) >>> 0 < 255) {
        dv.setUint32(k, x0 | (x1 << 8) | (x2 << 16) | (x3 << 24), true)
        k += 4
        continue
      }
      if (x0 >>> 0 < 255) b[k++] = x0
      else k = wide(b, k, x0)
      if (x1 >>> 0 < 255) b[k++] = x1
      else k = wide(b, k, x1)
      if (x2 >>> 0 < 255) b[k++] = x2
      else k = wide(b, k, x2)
      if (x3 >>> 0 < 255) b[k++] = x3
      else k = wide(b, k, x3)
    }
    for (; i < n; i++) {
      const x = v[i]!
      if (x >>> 0 < 255) b[k++] = x
      else k = wide(b, k, x)
    }
    if (last !== undefined) {
      if (last >>> 0 < 255) b[k++] = last
      else k = wide(b, k, last)
    }
    return (this.views[k] ??= b.subarray(0, k))
  }

  /** `encode(v, last)` written into `sink` as the successor of action `action`. */
  encodeTo(sink: SuccessorSink, action: number, v: Int32Array, last?: number): void {
    const b = this.encode(v, last)
    const n = b.length
    const at = sink.add(action, n)
    const dst = sink.bytes
    for (let i = 0; i < n; i++) dst[at + i] = b[i]!
  }

  /** The vector of `encode`'s bytes (hidden slots 0). */
  decode(b: Uint8Array): Int32Array {
    return this.decodeInto(b, this.arena.alloc(this.slotsOf(b)))
  }

  /** The number of slots of the vector whose bytes are `b`. */
  slotsOf(b: Uint8Array): number {
    let n = 0
    for (let k = 0; k < b.length; n++) k += b[k] === 255 ? 5 : 1
    return n
  }

  /** `decode` into `v`, which has `slotsOf(b)` slots. */
  decodeInto(b: Uint8Array, v: Int32Array): Int32Array {
    const n = v.length
    for (let k = 0, i = 0; i < n; i++) {
      const c = b[k]!
      if (c !== 255) {
        v[i] = c
        k++
      } else {
        v[i] = b[k + 1]! | (b[k + 2]! << 8) | (b[k + 3]! << 16) | (b[k + 4]! << 24)
        k += 5
      }
    }
    return v
  }
}

function wide(b: Uint8Array, k: number, x: number): number {
  b[k] = 255
  b[k + 1] = x
  b[k + 2] = x >> 8
  b[k + 3] = x >> 16
  b[k + 4] = x >> 24
  return k + 5
}

/** Sends a message into a buffered channel's record: appended, or (sorted) before the first larger message. */
export function enqueue(x: Exec, off: number, values: readonly number[], sorted: boolean): void {
  const t = x.chanType(off)
  const n = t.fields.length
  const v = x.v
  const len = v[off + 1]!
  let at = len
  if (sorted) {
    for (let m = 0; m < len; m++) {
      if (compareMessage(v, off + 2 + m * n, values) > 0) {
        at = m
        break
      }
    }
    v.copyWithin(off + 2 + (at + 1) * n, off + 2 + at * n, off + 2 + len * n)
  }
  for (let f = 0; f < n; f++) v[off + 2 + at * n + f] = truncate(t.fields[f]!, values[f] ?? 0)
  v[off + 1] = len + 1
}

/** Removes message `m` of a channel, shifting the rest forward and zeroing the freed slots. */
export function dequeue(x: Exec, off: number, m: number): void {
  const n = x.chanType(off).fields.length
  const v = x.v
  const len = v[off + 1]!
  // Slot by slot: channels are short, and a builtin call costs more than the few moves.
  const end = off + 2 + (len - 1) * n
  for (let i = off + 2 + m * n; i < end; i++) v[i] = v[i + n]!
  for (let i = end; i < end + n; i++) v[i] = 0
  v[off + 1] = len - 1
}

function compareMessage(v: Int32Array, at: number, values: readonly number[]): number {
  for (let f = 0; f < values.length; f++) {
    const d = v[at + f]! - values[f]!
    if (d !== 0) return d
  }
  return 0
}
