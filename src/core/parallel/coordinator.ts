import { collisionProbability } from '../store/fingerprint.js'
import { SharedFingerprintSet } from '../store/shared-seen-set.js'
import type { Discovery, LimitKind, SearchOptions, SearchResult } from '../search/types.js'
import type { ExpandReply, InsertReply, LevelEvent } from './level-search.js'
import { ParallelControl } from './level-search.js'
import type { RecordBlock } from './records.js'

/**
 * One worker as the coordinator sees it: the two phases of a level, and the table swap after a
 * growth. The node platform implements it over `worker_threads`; tests may run `LevelSearch`
 * in the same thread.
 */
export interface LevelWorker {
  initial(): Promise<ExpandReply>
  /** `owners`: the successors go to the first `owners` workers (1 or all), by fingerprint. */
  expand(ranks: Int32Array, atBound: boolean, owners: number): Promise<ExpandReply>
  insert(sources: RecordBlock[], budget: number): Promise<InsertReply>
  resume(budget: number): Promise<InsertReply>
  setTable(table: SharedArrayBuffer): Promise<void>
}

export interface ParallelSearchOptions extends Omit<SearchOptions, 'strategy'> {
  /** `steps` when a lone initial state has depth 0 (the model's `depthUnit`). */
  readonly depthUnit?: 'states' | 'steps'
  /**
   * A level of fewer states than this has all its successors sent to the first worker, which
   * alone takes the next level (default `SMALL_LEVEL`): small levels then cost no messages to the
   * other workers, and no successor is sent twice.
   */
  readonly smallLevel?: number
}

/** Below this many states a level's successors all go to one worker. */
export const SMALL_LEVEL = 1024

/** The shared memory a parallel search needs before its workers start: the seen set, and its control block. */
export interface ParallelShared<C = ParallelControl> {
  readonly table: SharedFingerprintSet
  readonly control: C
}

export function createParallelShared(workers: number, initialCapacity = 1 << 16): ParallelShared {
  return { table: SharedFingerprintSet.create(initialCapacity), control: ParallelControl.create(workers) }
}

/** How much the table grows when it is full. */
const GROWTH = 1.5
/** How often the clock, memory and progress are looked at, in milliseconds. */
const POLL_MS = 50

/**
 * Level-synchronous breadth-first search over several workers sharing one seen set. Each level,
 * every worker expands its own states and routes the successors to their owners, then each owner
 * adds its successors in the order the one-worker search would meet them; the coordinator merges
 * the owners' key lists into the level's parent links (eight bytes a state, as the one-worker
 * trace log) and hands each worker the ranks of its states. Distinct states, transitions, depth,
 * the verdict and the reported violation (the first, in one-worker order, of the first level that
 * has one, so its trace is a shortest one and the same) do not depend on the number of workers.
 */
export async function searchParallel(workers: readonly LevelWorker[], shared: ParallelShared, options: ParallelSearchOptions): Promise<SearchResult> {
  const started = performance.now()
  const control = shared.control
  let table = shared.table
  const n = workers.length
  const steps = options.depthUnit === 'steps' ? 1 : 0
  const maxDepth = options.maxDepth === undefined ? Infinity : options.maxDepth + steps
  const maxStates = options.maxStates ?? Infinity
  const smallLevel = options.smallLevel ?? SMALL_LEVEL
  const idle: ExpandReply = { buckets: [], events: [], transitions: 0, stopped: false }
  const deadline = options.timeLimit === undefined ? Infinity : started + options.timeLimit * 1000
  /** Parent links of each level: level i + 1's states by rank, two words (parent rank, action). */
  const levels: Int32Array[] = []
  let distinct = 0
  let transitions = 0
  let violations = 0
  let first: Discovery | undefined
  let limit: LimitKind | undefined
  /** The first place (rank, action) a successor beyond the depth bound was found, in one-worker order. */
  let truncated: readonly [number, number] | undefined
  let depth = 0
  let queue = 0

  let lastProgress = started
  const timer = setInterval(() => {
    const now = performance.now()
    if (now > deadline) stop('time-limit')
    else if (options.memoryExhausted?.()) stop('memory')
    const reporter = options.reporter
    if (reporter?.progress && now - lastProgress >= 1000) {
      lastProgress = now
      let live = 0
      let liveTransitions = 0
      for (let w = 0; w < n; w++) {
        liveTransitions += control.counters[w * 2]!
        live += control.counters[w * 2 + 1]!
      }
      reporter.progress({ distinct: distinct + live, transitions: transitions + liveTransitions, queue, depth: Math.max(0, depth - steps), seconds: (now - started) / 1000 })
    }
  }, POLL_MS)
  function stop(kind: LimitKind): void {
    limit ??= kind
    control.stop()
  }

  const pathTo = (level: number, rank: number): number[] => {
    const out: number[] = []
    for (let l = level, r = rank; l >= 1 && r >= 0; l--) {
      const links = levels[l - 1]!
      out.push(links[2 * r + 1]!)
      r = links[2 * r]!
    }
    return out.reverse()
  }

  try {
    let replies: ExpandReply[] = [await workers[0]!.initial()]
    for (let w = 1; w < n; w++) replies.push(idle)
    // The level whose states were just expanded (0: the virtual parent of the initial states).
    let level = 0
    for (;;) {
      const events: LevelEvent[] = []
      for (const r of replies) {
        transitions += r.transitions
        if (r.truncated && (!truncated || before(r.truncated[0], r.truncated[1], truncated[0], truncated[1]))) truncated = r.truncated
        events.push(...r.events)
      }
      if (control.stopped) break

      // Phase two: each owner adds its successors, with budgets that keep the table below its load limit.
      const sources = workers.map((_, w) => replies.map((r) => r.buckets[w]).filter((b): b is RecordBlock => b !== undefined))
      const inserted = await insertAll(sources)
      for (const r of inserted.replies) events.push(...r.events)
      if (inserted.limited) break

      // Merge the owners' keys into this level's parent links and each owner's ranks.
      const keys = inserted.replies.map((r) => r.keys!)
      const { links, ranks } = mergeKeys(keys)

      if (events.length > 0) {
        violations += events.reduce((sum, e) => sum + (e.discovery.times ?? 1), 0)
        if (first === undefined) {
          const e = events.reduce((a, b) => (before(b.rank, b.order, a.rank, a.order) ? b : a))
          // One worker stops at the violation: a truncation it would not have met yet does not count.
          if (truncated && !options.continueAfterViolation && !before(truncated[0], truncated[1], e.rank, e.order)) truncated = undefined
          const choices = pathTo(level, e.rank)
          if (e.extend) choices.push(e.order)
          first = { ...e.discovery, choices }
        }
        if (!options.continueAfterViolation) {
          violations = 1
          break
        }
      }
      if (control.stopped) break
      if (links.length === 0) break
      levels.push(links)
      level++
      depth = level
      queue = links.length / 2
      const atBound = level >= maxDepth
      // A small level's successors all go to the first worker; a worker without states is not asked.
      const owners = queue < smallLevel ? 1 : n
      replies = await Promise.all(workers.map((w, i) => (ranks[i]!.length > 0 ? w.expand(ranks[i]!, atBound, owners) : idle)))
    }
  } finally {
    clearInterval(timer)
  }

  async function insertAll(sources: RecordBlock[][]): Promise<{ replies: InsertReply[]; limited: boolean }> {
    const total = new Array<number>(n).fill(0)
    const events: LevelEvent[][] = workers.map(() => [])
    // A worker that was sent no successors has nothing to add (and no states to keep): it is not asked.
    const done: (InsertReply | undefined)[] = sources.map((blocks) => (blocks.some((b) => b.count > 0) ? undefined : { done: true, added: 0, keys: new Int32Array(0), events: [], stopped: false }))
    let pending = workers.map((_, w) => w).filter((w) => done[w] === undefined)
    let calls = budgets(pending).map((b, i) => workers[pending[i]!]!.insert(sources[pending[i]!]!, b))
    for (;;) {
      const got = await Promise.all(calls)
      const paused: number[] = []
      got.forEach((r, i) => {
        const w = pending[i]!
        total[w] += r.added
        distinct += r.added
        events[w]!.push(...r.events)
        if (r.done) done[w] = r
        else paused.push(w)
      })
      if (control.stopped) return { replies: [], limited: true }
      if (paused.length === 0) break
      if (distinct >= maxStates) {
        stop('max-states')
        return { replies: [], limited: true }
      }
      if (table.room(distinct) === 0) {
        table = table.rehashed(Math.ceil(table.capacity * GROWTH))
        await Promise.all(workers.map((w) => w.setTable(table.buffer)))
      }
      pending = paused
      calls = budgets(pending).map((b, i) => workers[pending[i]!]!.resume(b))
    }
    return { replies: done.map((r, w) => ({ ...r!, added: total[w]!, events: events[w]! })), limited: false }
  }

  /** Splits the insertions allowed now among the given workers. */
  function budgets(among: readonly number[]): number[] {
    const room = Math.min(table.room(distinct), maxStates - distinct)
    const each = Math.floor(room / among.length)
    return among.map((_, i) => each + (i < room - each * among.length ? 1 : 0))
  }

  const seconds = (performance.now() - started) / 1000
  const status = first ? 'violation' : limit || truncated ? 'incomplete' : 'ok'
  const why = limit ?? (truncated ? 'max-depth' : undefined)
  const traceBytes = levels.reduce((s, l) => s + l.byteLength, 0)
  return {
    status,
    ...(first ? { violation: first } : {}),
    violations,
    ...(why && status !== 'ok' ? { limit: why } : {}),
    stats: {
      distinct,
      transitions,
      depth: Math.max(0, depth - steps),
      seconds,
      statesPerSecond: seconds > 0 ? Math.round(distinct / seconds) : distinct,
      collisionProbability: collisionProbability(distinct),
      seenSetBytes: table.bytes,
      traceBytes,
    },
  }
}

function before(rank: number, order: number, rank2: number, order2: number): boolean {
  return rank < rank2 || (rank === rank2 && order < order2)
}

/**
 * Merges the owners' sorted key lists (parent rank, action) into one level's parent links, and
 * gives each owner the rank of each of its states in the merged order.
 */
export function mergeKeys(keys: readonly Int32Array[]): { links: Int32Array; ranks: Int32Array[] } {
  const total = keys.reduce((s, k) => s + k.length, 0)
  const links = new Int32Array(total)
  const ranks = keys.map((k) => new Int32Array(k.length / 2))
  const at = keys.map(() => 0)
  for (let out = 0; out < total; out += 2) {
    let best = -1
    let bp = 0
    let ba = 0
    for (let w = 0; w < keys.length; w++) {
      const i = at[w]!
      const k = keys[w]!
      if (i >= k.length) continue
      const p = k[i]!
      const a = k[i + 1]!
      if (best < 0 || p < bp || (p === bp && a < ba)) {
        best = w
        bp = p
        ba = a
      }
    }
    links[out] = bp
    links[out + 1] = ba
    ranks[best]![at[best]! / 2] = out / 2
    at[best]! += 2
  }
  return { links, ranks }
}
