import type { Model, SuccessorSink } from '../model.js'
import { copyBytes } from '../store/bytes.js'
import { LITTLE_ENDIAN, type Fingerprinter } from '../store/fingerprint.js'
import type { SeenSet } from '../store/seen-set.js'

/** Entry kinds: a successor as bytes only, a successor with its state object, a failure. */
export const BYTES = 0
export const STATE = 1
export const FAILED = 2

/**
 * The successors of a batch of states, in order: each one's action index, bytes and fingerprint,
 * and the state object when it was computed as one (`Model.nextState`).
 *
 * Bytes go into one arena, each successor at a word-aligned offset with its last word
 * zero-padded, so that fingerprints read whole words (`Fingerprinter.digestWords`) and the bytes
 * of a new successor are copied once, from the arena to the frontier. The batch is the
 * `SuccessorSink` that `Model.successorsEncoded` writes to.
 */
export class SuccessorBatch<S> implements SuccessorSink {
  states: S[] = []
  ids: number[] = []
  /** starts[j]..starts[j+1] are state j's entries. */
  starts: number[] = []
  count = 0
  /** The state objects of the entries of kind STATE. */
  succ: (S | undefined)[] = []
  actions = new Int32Array(INITIAL)
  kinds = new Uint8Array(INITIAL)
  errors: unknown[] = []
  /** Entry k's fingerprint is fps[2k] (hi), fps[2k + 1] (lo). */
  fps = new Uint32Array(INITIAL * 2)
  /** Entry k's home in the seen set (`FingerprintSet.home`), to touch before the entries are added. */
  homes = new Int32Array(INITIAL)
  /** Entry k's bytes: `lengths[k]` bytes from offset `offsets[k]` of `bytes`. */
  offsets = new Int32Array(INITIAL)
  lengths = new Int32Array(INITIAL)
  bytes = new Uint8Array(INITIAL * 16)
  protected words = new Uint32Array(this.bytes.buffer)
  /** The first free byte of the arena (a multiple of 4). */
  private top = 0
  /** The action of the state's last entry, to check that a sink's successors come in order. */
  protected lastAction = -1

  reset(): void {
    this.states.length = 0
    this.ids.length = 0
    this.starts.length = 0
    this.count = 0
    this.top = 0
  }

  beginState(s: S, id: number): void {
    this.states.push(s)
    this.ids.push(id)
    this.starts.push(this.count)
    this.lastAction = -1
  }

  endState(): void {
    this.starts.push(this.count)
  }

  /** Drops the current state's entries (what a failed `successorsEncoded` added). */
  rollback(): void {
    this.truncate(this.starts[this.starts.length - 1]!)
  }

  /** Drops the entries from `mark` on; the next `add` may take any action. */
  truncate(mark: number): void {
    this.count = mark
    this.top = mark === 0 ? 0 : alignUp(this.offsets[mark - 1]! + this.lengths[mark - 1]!)
    this.lastAction = -1
  }

  /** The sink's `add`: room for a successor's bytes, in increasing action order. */
  add(action: number, length: number): number {
    if (action <= this.lastAction) throw new RangeError(`successor of action ${action} added after action ${this.lastAction}`)
    return this.reserve(BYTES, action, length)
  }

  /** A successor given by its bytes (copied: they may be a view of a reused buffer), and its state when computed as one. */
  addBytes(action: number, bytes: Uint8Array, state?: S): void {
    const at = this.reserve(state === undefined ? BYTES : STATE, action, bytes.length)
    copyBytes(bytes, 0, this.bytes, at, bytes.length)
    if (state !== undefined) this.succ[this.count - 1] = state
  }

  fail(action: number, error: unknown): void {
    this.reserve(FAILED, action, 0)
    this.errors[this.count - 1] = error
  }

  /** Computes the fingerprints of the entries (a failure's is that of no bytes), and their homes in `seen`. */
  fingerprint(fp: Fingerprinter, seen: Pick<SeenSet, 'homes'>): void {
    if (LITTLE_ENDIAN) fp.digestAll(this.words, this.offsets, this.lengths, this.count, this.fps)
    else {
      for (let k = 0; k < this.count; k++) {
        fp.digest(this.view(k))
        this.fps[2 * k] = fp.hi
        this.fps[2 * k + 1] = fp.lo
      }
    }
    seen.homes(this.fps, this.count, this.homes)
  }

  /** Entry k's bytes as a view (allocates: for the rare paths). */
  view(k: number): Uint8Array {
    return this.bytes.subarray(this.offsets[k]!, this.offsets[k]! + this.lengths[k]!)
  }

  private reserve(kind: number, action: number, length: number): number {
    const k = this.count
    if (k === this.actions.length) this.growEntries()
    const at = this.top
    const end = alignUp(at + length)
    if (end > this.bytes.length) this.growArena(end)
    // Zero the last word: the model writes only `length` bytes, and fingerprints read whole words.
    if (length > 0) this.words[(end >> 2) - 1] = 0
    this.top = end
    this.count = k + 1
    this.kinds[k] = kind
    this.actions[k] = action
    this.offsets[k] = at
    this.lengths[k] = length
    this.lastAction = action
    return at
  }

  private growEntries(): void {
    const n = this.actions.length * 2
    const grow = <T extends Int32Array | Uint8Array | Uint32Array>(a: T, b: T): T => {
      b.set(a)
      return b
    }
    this.actions = grow(this.actions, new Int32Array(n))
    this.kinds = grow(this.kinds, new Uint8Array(n))
    this.fps = grow(this.fps, new Uint32Array(n * 2))
    this.offsets = grow(this.offsets, new Int32Array(n))
    this.lengths = grow(this.lengths, new Int32Array(n))
    this.homes = grow(this.homes, new Int32Array(n))
  }

  private growArena(end: number): void {
    const bytes = new Uint8Array(alignUp(Math.max(end, this.bytes.length * 2)))
    bytes.set(this.bytes.subarray(0, this.top))
    this.bytes = bytes
    this.words = new Uint32Array(bytes.buffer)
  }
}

const INITIAL = 1024

/**
 * Adds the successors of `s` (or the failures computing them) to the batch, in action order:
 * all at once (`Model.successorsEncoded`) when `allAtOnce`, else action by action, as bytes only
 * (`Model.nextEncoded`) when `actionBytes`, else as states. A failing `successorsEncoded` is
 * dropped and the state taken again action by action, which reports the failure where it
 * happens. `continuation` gives the state a failed step still leads to, if any.
 */
export function addSuccessors<S, A>(model: Model<S, A>, s: S, batch: SuccessorBatch<S>, allAtOnce: boolean, actionBytes: boolean, continuation?: (e: unknown) => S | undefined): void {
  if (allAtOnce) {
    try {
      model.successorsEncoded!(s, batch)
      return
    } catch {
      batch.rollback()
    }
  }
  let acts: readonly A[]
  try {
    acts = model.actions(s)
  } catch (e) {
    batch.fail(-1, e)
    return
  }
  for (let i = 0; i < acts.length; i++) {
    try {
      if (actionBytes) {
        const bytes = model.nextEncoded!(s, acts[i]!)
        if (bytes !== undefined) batch.addBytes(i, bytes)
        continue
      }
      const t = model.nextState(s, acts[i]!)
      if (t !== undefined) batch.addBytes(i, model.encode(t), t)
    } catch (e) {
      batch.fail(i, e)
      const t = continuation?.(e)
      if (t !== undefined) batch.addBytes(i, model.encode(t), t)
    }
  }
}

function alignUp(n: number): number {
  return (n + 3) & ~3
}
