import type { Model } from '../model.js'
import { DepthFirst } from '../search/dfs.js'
import { Exploration } from '../search/shared.js'
import type { Discovery, LimitKind, SearchResult } from '../search/types.js'
import { collisionProbability } from '../store/fingerprint.js'
import { exactReport, type SeenSet, type StoreReport } from '../store/seen-set.js'
import { ADDED, SharedFingerprintSet } from '../store/shared-seen-set.js'
import type { ParallelSearchOptions, ParallelShared } from './coordinator.js'

/**
 * Depth-first search on several workers sharing one seen set, as SPIN's multi-core mode does it:
 * each worker runs the one-worker depth-first loop on its own stack, adding states to the shared
 * table, and a worker with nothing to do is given part of another's stack: the untried actions of
 * its lowest level that has any (the largest subtrees, the ones the one-worker search would take
 * last), with the path that led there, so that its traces start at an initial state.
 *
 * Every state is stored and expanded once, by whichever worker adds it first, so a complete
 * search stores, generates and judges (invalid end states, deadlocks, failed steps, invariants)
 * exactly what the one-worker search does: the counts, and the error count past violations, are
 * the same. Which violation is met first, the depth reached and the counts of a search a
 * violation or a limit ended depend on the timing of the workers.
 */

/** Words of the control block shared by the coordinator and the workers. */
const STOP = 0
/** Workers waiting for work that nobody has yet promised to feed. */
const HUNGRY = 1
/** Set when the table needs the coordinator (to grow it, or to check the state budget): every worker pauses. */
const PAUSE = 2
/** Insertions left before the next pause, taken by the workers a chunk at a time. */
const ROOM = 3
const FLAG_WORDS = 4
/** Per worker, for progress: states added, transitions, stack height. */
const COUNTERS = 3

export class DfsControl {
  readonly flags: Int32Array
  readonly counters: Float64Array
  constructor(
    readonly buffer: SharedArrayBuffer,
    readonly workers: number,
  ) {
    this.flags = new Int32Array(buffer, 0, FLAG_WORDS)
    this.counters = new Float64Array(buffer, FLAG_WORDS * 4, workers * COUNTERS)
  }

  static create(workers: number): DfsControl {
    return new DfsControl(new SharedArrayBuffer(FLAG_WORDS * 4 + workers * COUNTERS * 8), workers)
  }

  get stopped(): boolean {
    return Atomics.load(this.flags, STOP) !== 0
  }

  stop(): void {
    Atomics.store(this.flags, STOP, 1)
  }
}

/** Part of a stack handed to another worker: a state, the path to it, and the range of its actions to try. */
export interface WorkItem {
  /** The state as `Model.transfer` (or `encode`) writes it. */
  readonly bytes: Uint8Array
  /** The ChoicePath to the state. */
  readonly choices: readonly number[]
  /** Its stack level on that path (an initial state is at level 1), and its depth in the model's unit. */
  readonly levels: number
  readonly depth: number
  readonly from: number
  readonly to: number
}

/** What a worker found since its last report. */
export interface DfsReport {
  readonly added: number
  readonly transitions: number
  readonly violations: number
  readonly first?: Discovery
  /** The deepest it went (stack levels, or the model's steps when it weighs them); and whether the depth bound cut a state off. */
  readonly depth: number
  readonly truncated: boolean
}

/** Why a worker's `run` returned: out of work, paused for the coordinator, stopped, or at the end of a slice. */
export type RunEnd = 'idle' | 'paused' | 'stopped' | 'running'

export type ToDfsWorker = { readonly op: 'start' } | { readonly op: 'work'; readonly item: WorkItem } | { readonly op: 'table'; readonly table: SharedArrayBuffer } | { readonly op: 'resume' }
export type FromDfsWorker = { readonly op: 'donate'; readonly item: WorkItem } | { readonly op: Exclude<RunEnd, 'running'>; readonly report: DfsReport }

/** Insertions a worker takes from the shared room at a time. */
const CHUNK = 256
/** Steps between looks at the shared flags (stop, pause, hungry workers). */
const POLL_EVERY = 64

/**
 * The shared table as one worker's seen set: it adds within the insertions the worker took from
 * the shared room (`budget`), which keeps the table below its load limit until the coordinator
 * grows it.
 */
class SharedSeen implements SeenSet {
  size = 0
  budget = 0
  constructor(public table: SharedFingerprintSet) {}
  get bytes(): number {
    return this.table.bytes
  }
  add(hi: number, lo: number): boolean {
    if (this.table.add(hi, lo, true) !== ADDED) return false
    this.size++
    this.budget--
    return true
  }
  addFrom(_home: number, hi: number, lo: number): boolean {
    return this.add(hi, lo)
  }
  has(hi: number, lo: number): boolean {
    return this.table.has(hi, lo)
  }
  homes(fps: Uint32Array, count: number, out: Int32Array): void {
    this.table.homes(fps, count, out)
  }
  touchAll(homes: Int32Array, count: number): number {
    return this.table.touchAll(homes, count)
  }
  report(): StoreReport {
    return exactReport(this.size)
  }
}

/** One worker of the parallel depth-first search. */
export class DfsWorker<S, A> {
  private readonly seen: SharedSeen
  private readonly ex: Exploration<S, A>
  private readonly dfs: DepthFirst<S, A>
  private readonly flags: Int32Array
  private readonly counters: Float64Array
  private readonly decode: (bytes: Uint8Array) => S
  private readonly encode: (state: S) => Uint8Array
  /** Initial states still to take (the first worker's, from `start`). */
  private roots: readonly S[] = []
  private nextRoot = 0
  private countdown = POLL_EVERY
  private stepsLeft = Infinity
  private why: RunEnd = 'running'
  /** What was reported already. */
  private reported = { added: 0, transitions: 0, violations: 0, first: false }
  private readonly pause = (): boolean => this.mustPause()

  constructor(
    model: Model<S, A>,
    readonly index: number,
    options: Pick<ParallelSearchOptions, 'checkDeadlock' | 'continueAfterViolation' | 'maxDepth'>,
    table: SharedArrayBuffer,
    control: DfsControl,
    private readonly donate: (item: WorkItem) => void,
  ) {
    this.seen = new SharedSeen(new SharedFingerprintSet(table))
    this.ex = new Exploration(model, { strategy: 'dfs', checkDeadlock: options.checkDeadlock, continueAfterViolation: options.continueAfterViolation, ...(options.maxDepth === undefined ? {} : { maxDepth: options.maxDepth }) }, this.seen)
    this.dfs = new DepthFirst(model, this.ex)
    this.flags = control.flags
    this.counters = control.counters
    const transfer = model.transfer
    this.decode = transfer ? (b) => transfer.decode(b) : (b) => model.decode!(b)
    this.encode = transfer ? (s) => transfer.encode(s) : (s) => model.encode(s).slice()
  }

  /** Takes the model's initial states (the first worker, once). */
  start(): void {
    this.roots = this.ex.initialStateList() ?? []
    if (this.ex.stopped) Atomics.store(this.flags, STOP, 1)
  }

  /** Takes part of another worker's stack. */
  take(item: WorkItem): void {
    this.dfs.enterRange(this.decode(item.bytes), item.choices, item.levels, item.depth, item.from, item.to)
  }

  /** The table after the coordinator grew it; the insertions taken before are given up. */
  setTable(table: SharedArrayBuffer): void {
    this.seen.table = new SharedFingerprintSet(table)
    this.seen.budget = 0
  }

  /** Searches until out of work, paused, stopped, or (for tests) after about `slice` steps. */
  run(slice = Infinity): RunEnd {
    const ex = this.ex
    const dfs = this.dfs
    this.stepsLeft = slice
    for (;;) {
      if (dfs.stack.length > 0 && !dfs.run(this.pause)) return this.end()
      if (this.nextRoot >= this.roots.length) return this.end('idle')
      if (this.mustPause()) return this.end()
      const i = this.nextRoot++
      const s = this.roots[i]!
      if (ex.takeInitial(s, i) === undefined) continue
      if (ex.stopped) return this.end()
      dfs.enter(s, i, 1, false)
    }
  }

  /** What was found since the last report. */
  report(): DfsReport {
    const ex = this.ex
    const r = this.reported
    const out: DfsReport = {
      added: this.seen.size - r.added,
      transitions: ex.transitions - r.transitions,
      violations: ex.violations - r.violations,
      ...(ex.first !== undefined && !r.first ? { first: ex.first } : {}),
      depth: this.dfs.depthReached,
      truncated: this.dfs.truncated,
    }
    this.reported = { added: this.seen.size, transitions: ex.transitions, violations: ex.violations, first: ex.first !== undefined }
    return out
  }

  private end(idle?: 'idle'): RunEnd {
    if (this.ex.stopped) {
      Atomics.store(this.flags, STOP, 1)
      return 'stopped'
    }
    if (idle) return 'idle'
    return this.why
  }

  /** Asked before each step: whether to return to the coordinator now. */
  private mustPause(): boolean {
    const seen = this.seen
    if (seen.budget <= 0 && !this.takeRoom()) {
      Atomics.store(this.flags, PAUSE, 1)
      this.why = 'paused'
      return true
    }
    if (--this.countdown > 0) return false
    this.countdown = POLL_EVERY
    const flags = this.flags
    if (Atomics.load(flags, STOP) !== 0) {
      this.why = 'stopped'
      return true
    }
    if (Atomics.load(flags, PAUSE) !== 0) {
      this.why = 'paused'
      return true
    }
    if (Atomics.load(flags, HUNGRY) > 0) this.share()
    const c = this.index * COUNTERS
    this.counters[c] = seen.size
    this.counters[c + 1] = this.ex.transitions
    this.counters[c + 2] = this.dfs.base + this.dfs.stack.length
    if ((this.stepsLeft -= POLL_EVERY) <= 0) {
      this.why = 'running'
      return true
    }
    return false
  }

  /** Takes a chunk of the shared room; false when none is left. */
  private takeRoom(): boolean {
    const flags = this.flags
    let room = Atomics.load(flags, ROOM)
    while (room > 0) {
      const take = Math.min(room, CHUNK)
      const was = Atomics.compareExchange(flags, ROOM, room, room - take)
      if (was === room) {
        this.seen.budget += take
        return true
      }
      room = was
    }
    return false
  }

  /** Gives a hungry worker the untried actions (half of them, when several) of the lowest level that has some. */
  private share(): void {
    const dfs = this.dfs
    const stack = dfs.stack
    // The top level is still being tried, and may yet turn out to have no enabled action.
    let d = 0
    while (d < stack.length - 1 && stack.next[d]! >= stack.end[d]!) d++
    if (d >= stack.length - 1) return
    const flags = this.flags
    let hungry = Atomics.load(flags, HUNGRY)
    for (;;) {
      if (hungry <= 0) return
      const was = Atomics.compareExchange(flags, HUNGRY, hungry, hungry - 1)
      if (was === hungry) break
      hungry = was
    }
    const next = stack.next[d]!
    const end = stack.end[d]!
    const mid = end - next >= 2 ? next + ((end - next) >> 1) : next
    stack.end[d] = mid
    this.donate({ bytes: this.encode(stack.states[d]!), choices: dfs.pathTo(d), levels: dfs.base + d + 1, depth: stack.depth[d]!, from: mid, to: end })
  }
}

/** A worker as the coordinator sees it: it sends it messages; its events come back through `DfsCoordinator.receive`. */
export interface DfsWorkerHandle {
  send(message: ToDfsWorker): void
}

export type DfsShared = ParallelShared<DfsControl>

export function createDfsShared(workers: number, initialCapacity = 1 << 16): DfsShared {
  return { table: SharedFingerprintSet.create(initialCapacity), control: DfsControl.create(workers) }
}

/** How much the table grows when it is full. */
const GROWTH = 2

/**
 * The coordinator of the parallel depth-first search: it hands work from the workers that share
 * it to those that ask, grows the table while every worker is paused, enforces the limits and
 * adds up what the workers report. `receive` takes the workers' events; `finished` resolves with
 * the result once no worker has work left, or the search stopped.
 */
export class DfsCoordinator {
  /** Each worker: still loading the model, waiting for work, searching, or paused for the table. */
  private readonly state: ('loading' | 'idle' | 'running' | 'paused')[]
  private readonly queue: WorkItem[] = []
  private table: SharedFingerprintSet
  private readonly flags: Int32Array
  private distinct = 0
  private transitions = 0
  private violations = 0
  private depth = 0
  private truncated = false
  private first: Discovery | undefined
  private limit: LimitKind | undefined
  private readonly started = performance.now()
  private readonly maxStates: number
  private done: ((r: SearchResult) => void) | undefined
  private failed: ((e: Error) => void) | undefined
  readonly finished: Promise<SearchResult>

  constructor(
    private readonly workers: readonly DfsWorkerHandle[],
    private readonly shared: DfsShared,
    private readonly options: ParallelSearchOptions,
  ) {
    this.table = shared.table
    this.flags = shared.control.flags
    this.maxStates = options.maxStates ?? Infinity
    this.state = workers.map(() => 'loading')
    this.finished = new Promise((resolve, reject) => {
      this.done = resolve
      this.failed = reject
    })
    // A failure before anyone waits for the result (a worker that cannot load the model) is not lost: it is thrown to whoever waits.
    this.finished.catch(() => {})
  }

  /** A worker failed (its thread died, or its code threw): the search fails with it. */
  fail(e: Error): void {
    this.shared.control.stop()
    this.failed?.(e)
  }

  /**
   * A worker has loaded the model: the first starts on the initial states, the others wait to be
   * fed. The search starts without waiting for the others, whose loading overlaps it.
   */
  ready(w: number): void {
    if (this.state[w] !== 'loading' || this.done === undefined || this.shared.control.stopped) return
    if (w === 0) {
      Atomics.store(this.flags, ROOM, this.room())
      this.state[0] = 'running'
      this.workers[0]!.send({ op: 'start' })
      return
    }
    const item = this.shared.control.stopped ? undefined : this.queue.shift()
    if (item) return this.give(w, item)
    this.state[w] = 'idle'
    Atomics.add(this.flags, HUNGRY, 1)
  }

  /** Checks the clock and memory, and reports progress (called now and then). */
  poll(deadline: number, lastProgress: { at: number }): void {
    const now = performance.now()
    if (now > deadline) this.stop('time-limit')
    else if (this.options.memoryExhausted?.()) this.stop('memory')
    const reporter = this.options.reporter
    if (reporter?.progress && now - lastProgress.at >= 1000) {
      lastProgress.at = now
      const c = this.shared.control.counters
      let distinct = 0
      let transitions = 0
      let stack = 0
      for (let w = 0; w < this.workers.length; w++) {
        distinct += c[w * COUNTERS]!
        transitions += c[w * COUNTERS + 1]!
        stack = Math.max(stack, c[w * COUNTERS + 2]!)
      }
      reporter.progress({ distinct, transitions, queue: stack, depth: stack, seconds: (now - this.started) / 1000 })
    }
  }

  stop(limit: LimitKind): void {
    this.limit ??= limit
    this.shared.control.stop()
    // With no worker searching (all still loading, say), nobody else will end the search.
    if (!this.state.includes('running')) this.finish()
  }

  receive(w: number, m: FromDfsWorker): void {
    if (m.op === 'donate') {
      const idle = this.state.indexOf('idle')
      if (idle >= 0 && !this.shared.control.stopped) this.give(idle, m.item)
      else this.queue.push(m.item)
      return
    }
    this.add(m.report)
    if (m.op === 'idle') {
      const item = this.shared.control.stopped ? undefined : this.queue.shift()
      if (item) this.give(w, item)
      else {
        this.state[w] = 'idle'
        Atomics.add(this.flags, HUNGRY, 1)
      }
    } else this.state[w] = m.op === 'paused' ? 'paused' : 'idle'
    // (A worker still loading has taken nothing: it holds no work and no room.)
    if (this.state.includes('running')) return
    if (this.shared.control.stopped) return this.finish()
    if (Atomics.load(this.flags, PAUSE) !== 0) return this.regrow()
    if (this.queue.length === 0) this.finish()
  }

  private give(w: number, item: WorkItem): void {
    this.state[w] = 'running'
    this.workers[w]!.send({ op: 'work', item })
  }

  private add(r: DfsReport): void {
    this.distinct += r.added
    this.transitions += r.transitions
    this.violations += r.violations
    this.first ??= r.first
    this.depth = Math.max(this.depth, r.depth)
    this.truncated ||= r.truncated
  }

  /** Insertions allowed until the next pause: below the table's load limit, and within the state budget. */
  private room(): number {
    return Math.min(this.table.room(this.distinct), this.maxStates - this.distinct)
  }

  /** Every worker is paused or idle: grow the table if it is full, renew the room, and go on. */
  private regrow(): void {
    if (this.distinct >= this.maxStates) {
      this.stop('max-states')
      return this.finish()
    }
    if (this.table.room(this.distinct) < CHUNK * this.workers.length * 4) {
      try {
        this.table = this.table.rehashed(Math.ceil(this.table.capacity * GROWTH))
      } catch (e) {
        if (!(e instanceof RangeError)) throw e
        this.stop('memory')
        return this.finish()
      }
    }
    // Every worker gives up the insertions it took: the room is counted afresh.
    for (const worker of this.workers) worker.send({ op: 'table', table: this.table.buffer })
    Atomics.store(this.flags, ROOM, this.room())
    Atomics.store(this.flags, PAUSE, 0)
    this.state.forEach((s, w) => {
      if (s !== 'paused') return
      this.state[w] = 'running'
      this.workers[w]!.send({ op: 'resume' })
    })
  }

  private finish(): void {
    const done = this.done
    if (done === undefined) return
    this.done = undefined
    const seconds = (performance.now() - this.started) / 1000
    const steps = this.options.depthUnit === 'steps' ? 1 : 0
    const first = this.first
    const status = first ? 'violation' : this.limit || this.truncated ? 'incomplete' : 'ok'
    const why = this.limit ?? (this.truncated ? 'max-depth' : undefined)
    done({
      status,
      ...(first ? { violation: first } : {}),
      violations: this.options.continueAfterViolation ? this.violations : first ? 1 : 0,
      ...(why && status !== 'ok' ? { limit: why } : {}),
      stats: {
        distinct: this.distinct,
        transitions: this.transitions,
        depth: Math.max(0, this.depth - steps),
        seconds,
        statesPerSecond: seconds > 0 ? Math.round(this.distinct / seconds) : this.distinct,
        collisionProbability: collisionProbability(this.distinct),
        seenSetBytes: this.table.bytes,
        traceBytes: 0,
      },
    })
  }
}

/** The deadline of a search from its time limit (seconds), from now. */
export function deadlineOf(options: ParallelSearchOptions): number {
  return options.timeLimit === undefined ? Infinity : performance.now() + options.timeLimit * 1000
}
