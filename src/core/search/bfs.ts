import type { Model } from '../model.js'
import { ByteFrontier, ObjectFrontier, type Frontier } from '../store/frontier.js'
import { NO_PARENT, TraceLog } from '../store/trace-log.js'
import { Exploration, isOutOfMemory } from './shared.js'
import type { SearchOptions, SearchResult } from './types.js'

/** States expanded together, and the successors gathered before the seen set is consulted. */
const BATCH_STATES = 64
const BATCH_SUCCESSORS = 512

/**
 * Exhaustive breadth-first search, level by level: the first counterexample found is a shortest
 * one. Costs the seen set plus eight bytes of parent links per state, and the frontier (bytes when
 * the model can decode states, objects otherwise).
 *
 * States are expanded in batches: first every successor of a few states is computed and
 * fingerprinted, then their seen-set slots are touched together (so that their cache misses
 * overlap), then each successor is taken in exactly the order an unbatched search would take it.
 * Batches stay within one level, so counts, depth and counterexamples are unchanged.
 */
export function searchBfs<S, A>(model: Model<S, A>, options: SearchOptions): SearchResult {
  const ex = new Exploration(model, options)
  const log = new TraceLog()
  const frontier: Frontier<S> = model.decode ? new ByteFrontier((b) => model.decode!(b)) : new ObjectFrontier<S>()
  const batch = new Batch<S>()
  // Successors as bytes only: a state object is built (decoded) only for a new successor.
  const bytesOnly = model.nextEncoded !== undefined && model.decode !== undefined && model.within === undefined
  const decode = (b: Uint8Array): S => model.decode!(b)
  const choicesOf = (id: number): number[] => log.choices(id)
  let depth = 0
  let truncated = false
  try {
    const started = ex.initialStates((s, bytes, i) => frontier.push(s, bytes, log.push(NO_PARENT, i)))
    if (!started) return ex.result(0, log.bytes, false)
    let levelLeft = frontier.length
    let nextLevel = 0
    if (levelLeft > 0) depth = 1
    while (frontier.length > 0 && !ex.stopped) {
      if (levelLeft === 0) {
        levelLeft = nextLevel
        nextLevel = 0
        depth++
      }
      const atBound = depth >= ex.maxDepth

      // 1. Expand a batch of states of this level: successors, their bytes and fingerprints.
      batch.reset()
      while (levelLeft > 0 && batch.states.length < BATCH_STATES && batch.count < BATCH_SUCCESSORS) {
        levelLeft--
        const s = frontier.shift()
        batch.beginState(s, frontier.lastId)
        let acts: readonly A[]
        try {
          acts = model.actions(s)
        } catch (e) {
          batch.fail(-1, e)
          continue
        }
        for (let i = 0; i < acts.length; i++) {
          try {
            if (bytesOnly) {
              const bytes = model.nextEncoded!(s, acts[i]!)
              if (bytes !== undefined) batch.addBytes(i, bytes, ex)
              continue
            }
            const t = model.nextState(s, acts[i]!)
            if (t === undefined) continue
            batch.add(i, t, model.encode(t), ex)
          } catch (e) {
            batch.fail(i, e)
            // Past violations, a step that completes despite its failure still leads on.
            const t = ex.continuation(e)
            if (t !== undefined) {
              if (bytesOnly) batch.addBytes(i, model.encode(t), ex)
              else batch.add(i, t, model.encode(t), ex)
            }
          }
        }
      }
      batch.endState()

      // 2. Bring the seen-set slots of the whole batch into cache at once.
      batch.touch(ex.seen)

      // 3. Take the successors in order, as one state at a time would.
      const fps = batch.fps
      for (let j = 0; j < batch.states.length && !ex.stopped; j++) {
        const s = batch.states[j]!
        const id = batch.ids[j]!
        ex.tick(frontier.length, depth)
        if (ex.stopped) break
        let enabled = 0
        let expanded = true
        for (let k = batch.starts[j]!, end = batch.starts[j + 1]!; k < end; k++) {
          const action = batch.actions[k]!
          if (batch.kinds[k] === FAILED) {
            // action -1: computing the state's actions failed, so it has no successors to judge
            if (action < 0) expanded = false
            ex.failure(batch.errors[k], log.choices(id), action < 0 ? undefined : action)
            if (ex.stopped) break
            continue
          }
          enabled++
          const hi = fps[2 * k]!
          const lo = fps[2 * k + 1]!
          if (atBound) {
            if (!ex.seen.has(hi, lo)) truncated = true
            continue
          }
          ex.transitions++
          if (model.within && !ex.within(s, batch.succ[k]!, () => log.choices(id), action)) continue
          if (ex.checksSteps && !ex.checkStep(s, batch.succ[k]!, id, action, choicesOf) && ex.stopped) break
          if (!ex.admitFingerprint(hi, lo)) {
            if (ex.stopped) break
            continue
          }
          const tid = log.push(id, action)
          nextLevel++
          if (bytesOnly) {
            const bytes = batch.bytesOf(k)
            frontier.push(undefined as S, bytes, tid)
            if (ex.hasInvariants) ex.checkInvariantsOf(decode(bytes), tid, choicesOf)
          } else {
            const t = batch.succ[k]!
            // Encoded again rather than kept: most successors are already seen and need no bytes.
            frontier.push(t, model.encode(t), tid)
            ex.checkInvariantsOf(t, tid, choicesOf)
          }
          if (ex.stopped) break
        }
        if (enabled === 0 && expanded && !ex.stopped) ex.terminal(s, () => log.choices(id))
      }
    }
  } catch (e) {
    if (!isOutOfMemory(e)) throw e
    ex.outOfMemory()
  }
  return ex.result(depth, log.bytes, truncated)
}

const OK = 0
const FAILED = 1

/** The successors of a batch of states, in order, with their fingerprints. */
class Batch<S> {
  states: S[] = []
  ids: number[] = []
  /** starts[j]..starts[j+1] are state j's entries. */
  starts: number[] = []
  count = 0
  succ: (S | undefined)[] = []
  actions = new Int32Array(BATCH_SUCCESSORS * 2)
  kinds = new Uint8Array(BATCH_SUCCESSORS * 2)
  errors: unknown[] = []
  fps = new Uint32Array(BATCH_SUCCESSORS * 4)
  /** Successors added as bytes: entry k's bytes end at ends[k] in the arena (and start where k - 1's end). */
  arena = new Uint8Array(BATCH_SUCCESSORS * 64)
  ends = new Int32Array(BATCH_SUCCESSORS * 2)

  reset(): void {
    this.states.length = 0
    this.ids.length = 0
    this.starts.length = 0
    this.count = 0
  }

  beginState(s: S, id: number): void {
    this.states.push(s)
    this.ids.push(id)
    this.starts.push(this.count)
  }

  endState(): void {
    this.starts.push(this.count)
  }

  add(action: number, t: S, bytes: Uint8Array, ex: { fingerprint(b: Uint8Array, out: Uint32Array, at: number): void }): void {
    const k = this.slot()
    this.succ[k] = t
    this.actions[k] = action
    this.kinds[k] = OK
    ex.fingerprint(bytes, this.fps, 2 * k)
  }

  /** A successor given by its bytes alone (copied: they may be a view of a reused buffer). */
  addBytes(action: number, bytes: Uint8Array, ex: { fingerprint(b: Uint8Array, out: Uint32Array, at: number): void }): void {
    const k = this.slot()
    const start = k === 0 ? 0 : this.ends[k - 1]!
    const end = start + bytes.length
    if (end > this.arena.length) {
      const arena = new Uint8Array(Math.max(end, this.arena.length * 2))
      arena.set(this.arena)
      this.arena = arena
    }
    this.arena.set(bytes, start)
    this.ends[k] = end
    this.actions[k] = action
    this.kinds[k] = OK
    ex.fingerprint(bytes, this.fps, 2 * k)
  }

  /** The bytes of a successor added by `addBytes`. */
  bytesOf(k: number): Uint8Array {
    return this.arena.subarray(k === 0 ? 0 : this.ends[k - 1]!, this.ends[k]!)
  }

  fail(action: number, error: unknown): void {
    const k = this.slot()
    this.succ[k] = undefined
    this.actions[k] = action
    this.kinds[k] = FAILED
    this.errors[k] = error
    this.ends[k] = k === 0 ? 0 : this.ends[k - 1]!
  }

  touch(seen: { touch(hi: number): number }): number {
    let acc = 0
    for (let k = 0; k < this.count; k++) if (this.kinds[k] === OK) acc ^= seen.touch(this.fps[2 * k]!)
    return acc
  }

  private slot(): number {
    const k = this.count++
    if (this.count > this.actions.length) {
      const grow = <T extends Int32Array | Uint8Array | Uint32Array>(a: T, make: (n: number) => T): T => {
        const b = make(a.length * 2)
        b.set(a)
        return b
      }
      this.actions = grow(this.actions, (n) => new Int32Array(n))
      this.kinds = grow(this.kinds, (n) => new Uint8Array(n))
      this.fps = grow(this.fps, (n) => new Uint32Array(n))
      this.ends = grow(this.ends, (n) => new Int32Array(n))
    }
    return k
  }
}
