import { isTransitionFailure, type Invariant, type Model } from '../model.js'
import { badTerminal, describeFailure, failedInvariant } from '../search/shared.js'
import type { Discovery } from '../search/types.js'
import { ScratchViews } from '../store/bytes.js'
import { Fingerprinter } from '../store/fingerprint.js'
import { FingerprintSet } from '../store/seen-set.js'
import { ADDED, NO_ROOM, SharedFingerprintSet } from '../store/shared-seen-set.js'
import { addSuccessors, FAILED, STATE, SuccessorBatch } from '../search/successor-batch.js'
import { BufferPool, RecordReader, RecordWriter, type RecordBlock } from './records.js'

/**
 * Something found while taking one level: a failure, a bad terminal state or a violated
 * invariant, keyed by where the one-worker search would meet it, so that every worker count
 * reports the same one (the smallest key of the first level that has any).
 */
export interface LevelEvent {
  /** The rank, in its level, of the state being expanded (-1 for the initial states). */
  readonly rank: number
  /** The action's index (-1: computing the actions failed; TERMINAL: judged after every action). */
  readonly order: number
  /** The ChoicePath is the expanded state's, then `order` appended. */
  readonly extend: boolean
  readonly discovery: Omit<Discovery, 'choices'>
}

export const TERMINAL = 0x7fffffff

/** A worker's answer to `initial` or `expand`: its successors, by owning worker. */
export interface ExpandReply {
  readonly buckets: RecordBlock[]
  readonly events: LevelEvent[]
  readonly transitions: number
  /** Where a successor beyond the depth bound was first found not yet seen (rank, action), if anywhere. */
  readonly truncated?: readonly [number, number]
  readonly stopped: boolean
}

/** A worker's answer to `insert` or `resume`. */
export interface InsertReply {
  /** False: paused before a new state because the budget ran out; `resume` goes on. */
  readonly done: boolean
  readonly added: number
  /** When done: the keys (parent rank, action) of the new states, in order, two words each. */
  readonly keys?: Int32Array
  readonly events: LevelEvent[]
  readonly stopped: boolean
}

/** Shared between the coordinator and the workers: a stop flag and counters for progress. */
export class ParallelControl {
  readonly flags: Int32Array
  readonly counters: Float64Array
  constructor(
    readonly buffer: SharedArrayBuffer,
    readonly workers: number,
  ) {
    this.flags = new Int32Array(buffer, 0, 2)
    this.counters = new Float64Array(buffer, 8, workers * 2)
  }

  static create(workers: number): ParallelControl {
    return new ParallelControl(new SharedArrayBuffer(8 + workers * 16), workers)
  }

  get stopped(): boolean {
    return Atomics.load(this.flags, 0) !== 0
  }

  stop(): void {
    Atomics.store(this.flags, 0, 1)
  }
}

/** The worker that owns a fingerprint: it alone adds it to the seen set. */
export function ownerOf(lo: number, workers: number): number {
  return (lo >>> 0) % workers
}

const POLL_EVERY = 256
/** States expanded together, and the successors gathered before the seen set is consulted (as search/bfs.ts). */
const BATCH_STATES = 64
const BATCH_SUCCESSORS = 512

/**
 * One worker's part of a level-synchronous breadth-first search. Each level runs in two phases:
 * `expand` computes the successors of the worker's own states (in rank order) and sends each one
 * not seen in an earlier level, nor sent by this worker earlier in this level, to the worker that
 * owns its fingerprint; `insert` then takes the
 * successors this worker owns in key order (parent rank, action), adds the new ones to the shared
 * seen set, checks their invariants and keeps them as the worker's states of the next level.
 * Taking them in key order makes each state's parent the one the one-worker search would give it,
 * so ranks, traces and the reported violation do not depend on the number of workers.
 */
export class LevelSearch<S, A> {
  private seen: SharedFingerprintSet
  private readonly fp = new Fingerprinter()
  private readonly invariants: readonly Invariant<S>[]
  /** This level's states, in rank order. */
  private frontier: RecordBlock | undefined
  private merge: Merge | undefined
  /** The blocks being merged, whose buffers are reused once the merge is done. */
  private sources: readonly RecordBlock[] = []
  private readonly pool: BufferPool
  private countdown = POLL_EVERY
  /** A state from the bytes workers send each other: `transfer`'s when the model has it, else `encode`'s. */
  private readonly decode: (bytes: Uint8Array) => S
  private readonly batch = new SuccessorBatch<S>()
  /**
   * The fingerprints this worker sent in this level. Only the first successor with a given
   * fingerprint is sent: the worker meets its successors in key order, so a later one has a
   * larger key and would lose to the first at its owner anyway. This cuts the records sent, and
   * the owners' lookups, to a few per new state, however many parents it has in the level. It
   * costs 10 to 15 bytes per successor sent in the largest level.
   */
  private readonly sent = new FingerprintSet()
  private readonly views = new ScratchViews()
  /** For each successor of a batch, 1 when it is not in the seen set; the homes of those in `sent`. */
  private fresh = new Uint8Array(1024)
  private freshHomes = new Int32Array(1024)
  /** Successors as bytes only (no state object for a successor), all of a state's in one call. */
  private readonly allAtOnce: boolean
  /** Successors as bytes only, one action at a time. */
  private readonly actionBytes: boolean

  constructor(
    private readonly model: Model<S, A>,
    readonly index: number,
    private readonly workers: number,
    private readonly checkDeadlock: boolean,
    table: SharedArrayBuffer,
    private readonly control: ParallelControl,
    /** Past violations, a step that completes despite its failure still leads on (`TransitionFailure.next`). */
    private readonly continueAfterViolation = false,
  ) {
    this.seen = new SharedFingerprintSet(table)
    // A level's buffers: a block for each worker, then the next level's states.
    this.pool = new BufferPool(workers + 2)
    this.invariants = model.properties().filter((p): p is Invariant<S> => p.kind === 'invariant')
    const transfer = model.transfer
    this.decode = transfer ? (b) => transfer.decode(b) : (b) => model.decode!(b)
    // A successor's state object is needed for `within`, and for `transfer`, whose bytes are not `encode`'s.
    const bytesOnly = model.within === undefined && transfer === undefined
    this.allAtOnce = bytesOnly && model.successorsEncoded !== undefined
    this.actionBytes = bytesOnly && model.nextEncoded !== undefined
  }

  /** The state a failed step still reaches, when the search goes on past violations. */
  private readonly continuation = (e: unknown): S | undefined => (this.continueAfterViolation && isTransitionFailure(e) ? (e.next as S | undefined) : undefined)

  setTable(table: SharedArrayBuffer): void {
    this.seen = new SharedFingerprintSet(table)
  }

  /** The initial states as successors of a virtual state of rank -1 (called on one worker). */
  initial(): ExpandReply {
    const out = this.buckets()
    const events: LevelEvent[] = []
    let transitions = 0
    let inits: readonly S[]
    try {
      inits = this.model.initStates()
    } catch (e) {
      return { buckets: [], events: [{ rank: -1, order: -1, extend: false, discovery: describeFailure(e) }], transitions: 0, stopped: false }
    }
    for (let i = 0; i < inits.length; i++) {
      const s = inits[i]!
      transitions++
      try {
        if (this.model.within && !this.model.within(undefined, s)) continue
        this.emit(out, -1, i, s, this.model.encode(s))
      } catch (e) {
        events.push({ rank: -1, order: i, extend: true, discovery: describeFailure(e) })
      }
    }
    return { buckets: out.map((w) => w.finish()), events, transitions, stopped: false }
  }

  /**
   * Phase one: the successors of this worker's states; `ranks[i]` is the rank of its i-th state.
   * The successors go to the first `owners` workers (all, or 1 for a small level), by fingerprint.
   * States are expanded in batches, as the one-worker search does (search/bfs.ts): the successors
   * of a few states are computed and fingerprinted, their seen-set slots brought into cache
   * together, then each successor is looked up and routed in order.
   */
  expand(ranks: Int32Array, atBound: boolean, owners = this.workers): ExpandReply {
    const model = this.model
    const seen = this.seen
    const out = this.buckets()
    const events: LevelEvent[] = []
    let transitions = 0
    let truncated: [number, number] | undefined
    let stopped = false
    const batch = this.batch
    const sent = this.sent
    sent.clear()
    const frontier = this.frontier!
    const reader = new RecordReader(frontier)
    this.frontier = undefined
    let k = 0
    while (!reader.done && !stopped) {
      // 1. The successors of a batch of states, as bytes (and as states where computed as such), and their fingerprints.
      batch.reset()
      while (!reader.done && batch.states.length < BATCH_STATES && batch.count < BATCH_SUCCESSORS) {
        if (--this.countdown <= 0) {
          this.countdown = POLL_EVERY
          this.control.counters[this.index * 2] = transitions
          if (this.control.stopped) {
            stopped = true
            break
          }
        }
        const s = this.decode(this.views.of(reader.bytes, reader.offset, reader.length))
        reader.next()
        batch.beginState(s, ranks[k++]!)
        addSuccessors(model, s, batch, this.allAtOnce, this.actionBytes, this.continuation)
      }
      batch.endState()
      batch.fingerprint(this.fp, seen)
      // 2. Their seen-set slots into cache at once; then which are new, and the slots of those in the set of those sent.
      seen.touchAll(batch.homes, batch.count)
      const fresh = this.fresh.length >= batch.count ? this.fresh : (this.fresh = new Uint8Array(batch.count * 2))
      const freshHomes = this.freshHomes.length >= batch.count ? this.freshHomes : (this.freshHomes = new Int32Array(batch.count * 2))
      let freshCount = 0
      for (let e = 0; e < batch.count; e++) {
        const isNew = batch.kinds[e] !== FAILED && !seen.has(batch.fps[2 * e]!, batch.fps[2 * e + 1]!)
        fresh[e] = isNew ? 1 : 0
        if (isNew) freshHomes[freshCount++] = sent.home(batch.fps[2 * e]!)
      }
      sent.touchAll(freshHomes, freshCount)
      // 3. Each successor in order: dropped when seen in an earlier level, else sent to its owner.
      const { fps, kinds, actions, offsets, lengths } = batch
      for (let j = 0; j < batch.states.length; j++) {
        const s = batch.states[j]!
        const rank = batch.ids[j]!
        let enabled = 0
        let expanded = true
        for (let e = batch.starts[j]!, end = batch.starts[j + 1]!; e < end; e++) {
          const action = actions[e]!
          if (kinds[e] === FAILED) {
            const discovery = describeFailure(batch.errors[e])
            if (action < 0) {
              // computing the state's actions failed, so it has no successors to judge
              expanded = false
              events.push({ rank, order: -1, extend: false, discovery })
            } else events.push({ rank, order: action, extend: false, discovery: { ...discovery, failingAction: action } })
            continue
          }
          enabled++
          const hi = fps[2 * e]!
          const lo = fps[2 * e + 1]!
          if (atBound) {
            if (!truncated && fresh[e] === 1) truncated = [rank, action]
            continue
          }
          transitions++
          const t = kinds[e] === STATE ? batch.succ[e] : undefined
          if (model.within) {
            try {
              if (!model.within(s, t!)) continue
            } catch (err) {
              events.push({ rank, order: action, extend: true, discovery: describeFailure(err) })
              continue
            }
          }
          if (fresh[e] === 0 || !sent.add(hi, lo)) continue
          const bucket = out[ownerOf(lo, owners)]!
          if (model.transfer) bucket.push(rank, action, hi, lo, model.transfer.encode(t!))
          else bucket.pushRange(rank, action, hi, lo, batch.bytes, offsets[e]!, lengths[e]!)
        }
        if (enabled === 0 && expanded) {
          const bad = badTerminal(model, this.checkDeadlock, s)
          if (bad) events.push({ rank, order: TERMINAL, extend: false, discovery: bad })
        }
      }
    }
    this.control.counters[this.index * 2] = 0
    this.pool.give(frontier)
    return { buckets: out.map((w) => w.finish()), events, transitions, ...(truncated ? { truncated } : {}), stopped }
  }

  /** Phase two: the successors this worker owns, one block from each worker, with a budget of new states. */
  insert(sources: readonly RecordBlock[], budget: number): InsertReply {
    this.merge = new Merge(sources, this.pool.writer(1 << 16))
    this.sources = sources
    return this.resume(budget)
  }

  /** Goes on with a paused `insert` with a new budget. */
  resume(budget: number): InsertReply {
    const m = this.merge!
    const seen = this.seen
    const events: LevelEvent[] = []
    let added = 0
    let stopped = false
    while (m.pos < m.size || m.fill(seen)) {
      const got = seen.add(m.fps[2 * m.pos]!, m.fps[2 * m.pos + 1]!, added < budget)
      if (got === NO_ROOM) return { done: false, added, events, stopped }
      const r = m.current()
      m.pos++
      if (got !== ADDED) continue
      added++
      m.next.copy(r)
      m.pushKey(r.parentRank, r.action)
      const failed = this.invariants.length > 0 ? failedInvariant(this.invariants, this.decode(this.views.of(r.bytes, r.offset, r.length))) : undefined
      if (failed) events.push({ rank: r.parentRank, order: r.action, extend: true, discovery: failed })
      if (--this.countdown <= 0) {
        this.countdown = POLL_EVERY
        this.control.counters[this.index * 2 + 1] = m.next.count
        if (this.control.stopped) {
          stopped = true
          break
        }
      }
    }
    this.control.counters[this.index * 2 + 1] = 0
    this.frontier = m.next.finish()
    this.merge = undefined
    for (const b of this.sources) this.pool.give(b)
    this.sources = []
    return { done: true, added, keys: m.keys.slice(0, m.keyWords), events, stopped }
  }

  private buckets(): RecordWriter[] {
    return Array.from({ length: this.workers }, () => this.pool.writer())
  }

  private emit(out: RecordWriter[], rank: number, action: number, state: S, bytes: Uint8Array): void {
    const fp = this.fp
    fp.digest(bytes)
    out[ownerOf(fp.lo, this.workers)]!.push(rank, action, fp.hi, fp.lo, this.model.transfer ? this.model.transfer.encode(state) : bytes)
  }
}

/** Records taken from the blocks at a time, so that their seen-set slots are brought into cache together. */
const MERGE_BATCH = 256

/**
 * Merges sorted blocks of records by key (parent rank, then action), a batch at a time: `fill`
 * takes the next records in key order and brings their seen-set slots into cache, `current` is
 * the record at `pos` in the batch.
 */
class Merge {
  /** The keys (parent rank, action) of the records kept, two words each. */
  keys = new Int32Array(1 << 12)
  keyWords = 0
  size = 0
  pos = 0
  /** Batch entry i: its record's block and position there, fingerprint (hi, lo) and home slot. */
  readonly blocks = new Int32Array(MERGE_BATCH)
  readonly ats = new Int32Array(MERGE_BATCH)
  readonly fps = new Uint32Array(MERGE_BATCH * 2)
  private readonly homes = new Int32Array(MERGE_BATCH)
  private readonly readers: RecordReader[]
  /** Read the batch's records again, by position. */
  private readonly cursors: RecordReader[]

  constructor(
    sources: readonly RecordBlock[],
    /** Where the records kept go: the worker's states of the next level. */
    readonly next: RecordWriter,
  ) {
    this.readers = sources.map((b) => new RecordReader(b))
    this.cursors = sources.map((b) => new RecordReader(b))
  }

  /** Takes the next batch; false when every record was taken. */
  fill(seen: SharedFingerprintSet): boolean {
    let n = 0
    for (; n < MERGE_BATCH; n++) {
      const w = this.pick()
      if (w < 0) break
      const r = this.readers[w]!
      this.blocks[n] = w
      this.ats[n] = r.at
      this.fps[2 * n] = r.hi
      this.fps[2 * n + 1] = r.lo
      r.next()
    }
    this.size = n
    this.pos = 0
    seen.homes(this.fps, n, this.homes)
    seen.touchAll(this.homes, n)
    return n > 0
  }

  current(): RecordReader {
    const r = this.cursors[this.blocks[this.pos]!]!
    r.at = this.ats[this.pos]!
    return r
  }

  pushKey(parentRank: number, action: number): void {
    if (this.keyWords + 2 > this.keys.length) {
      const bigger = new Int32Array(this.keys.length * 2)
      bigger.set(this.keys)
      this.keys = bigger
    }
    this.keys[this.keyWords++] = parentRank
    this.keys[this.keyWords++] = action
  }

  /** The block whose current record has the smallest key, or -1 when all are done. */
  private pick(): number {
    let best = -1
    let bp = 0
    let ba = 0
    for (let w = 0; w < this.readers.length; w++) {
      const r = this.readers[w]!
      if (r.done) continue
      const p = r.parentRank
      const a = r.action
      if (best < 0 || p < bp || (p === bp && a < ba)) {
        best = w
        bp = p
        ba = a
      }
    }
    return best
  }
}
