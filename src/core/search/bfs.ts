import type { Model } from '../model.js'
import { ScratchViews } from '../store/bytes.js'
import { ByteFrontier, ObjectFrontier, type Frontier } from '../store/frontier.js'
import { NO_PARENT, TraceLog } from '../store/trace-log.js'
import { Exploration, isOutOfMemory } from './shared.js'
import { addSuccessors, FAILED, STATE, SuccessorBatch } from './successor-batch.js'
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
 * Batches stay within one level, so counts, depth and counterexamples are unchanged. A model with
 * `successorsEncoded` gives each state's successors in one call, as bytes.
 */
export function searchBfs<S, A>(model: Model<S, A>, options: SearchOptions): SearchResult {
  const ex = new Exploration(model, options)
  const log = new TraceLog()
  const bytesFrontier = model.decode ? new ByteFrontier((b) => model.decode!(b), options.frontierSpill) : undefined
  const frontier: Frontier<S> = bytesFrontier ?? new ObjectFrontier<S>()
  const batch = new SuccessorBatch<S>()
  // Successors as bytes only: a state object is built (decoded) only for a new successor.
  const bytesOnly = model.decode !== undefined && model.within === undefined && !ex.checksSteps && (model.nextEncoded !== undefined || model.successorsEncoded !== undefined)
  const allAtOnce = bytesOnly && model.successorsEncoded !== undefined
  const actionBytes = bytesOnly && model.nextEncoded !== undefined
  const decode = (b: Uint8Array): S => model.decode!(b)
  const scratch = new ScratchViews()
  const seen = ex.seen
  // Without a state budget a successor goes straight to the seen set.
  const unlimited = options.maxStates === undefined
  const choicesOf = (id: number): number[] => log.choices(id)
  // Past violations, a step that completes despite its failure still leads on.
  const continuation = (e: unknown): S | undefined => ex.continuation(e)
  // States decoded from the frontier go back to the model once expanded.
  const release = bytesFrontier !== undefined && model.release !== undefined
  // Constraints or step properties judge each step on its states (never the bytes-only case).
  const judgesSteps = model.within !== undefined || ex.checksSteps
  const invariants = ex.hasInvariants
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
        addSuccessors(model, s, batch, allAtOnce, actionBytes, continuation)
      }
      batch.endState()
      batch.fingerprint(ex.fp, ex.seen)

      // 2. Bring the seen-set slots of the whole batch into cache at once.
      ex.seen.touchAll(batch.homes, batch.count)

      // 3. Take the successors in order, as one state at a time would.
      const { fps, kinds, actions, offsets, lengths, homes } = batch
      for (let j = 0; j < batch.states.length && !ex.stopped; j++) {
        const s = batch.states[j]!
        const id = batch.ids[j]!
        ex.tick(frontier.length, depth)
        if (ex.stopped) break
        let enabled = 0
        let expanded = true
        for (let k = batch.starts[j]!, end = batch.starts[j + 1]!; k < end; k++) {
          const action = actions[k]!
          const kind = kinds[k]!
          if (kind === FAILED) {
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
          const t = kind === STATE ? batch.succ[k] : undefined
          if (judgesSteps) {
            if (model.within && !ex.within(s, t!, () => log.choices(id), action)) continue
            if (ex.checksSteps && !ex.checkStep(s, t!, id, action, choicesOf) && ex.stopped) break
          }
          if (!(unlimited ? seen.addFrom(homes[k]!, hi, lo) : ex.admitFingerprint(hi, lo))) {
            if (ex.stopped) break
            continue
          }
          const tid = log.push(id, action)
          nextLevel++
          frontier.pushRange(t as S, batch.bytes, offsets[k]!, lengths[k]!, tid)
          if (t !== undefined) ex.checkInvariantsOf(t, tid, choicesOf)
          else if (invariants) {
            // a state built only to be judged: the model may reuse it at once
            const u = decode(scratch.of(batch.bytes, offsets[k]!, lengths[k]!))
            ex.checkInvariantsOf(u, tid, choicesOf)
            if (release) model.release!(u)
          }
          if (ex.stopped) break
        }
        if (enabled === 0 && expanded && !ex.stopped) ex.terminal(s, () => log.choices(id))
      }
      if (release) for (let j = 0; j < batch.states.length; j++) model.release!(batch.states[j]!)
    }
  } catch (e) {
    if (!isOutOfMemory(e)) throw e
    ex.outOfMemory()
  } finally {
    frontier.close()
  }
  return ex.result(depth, log.bytes, truncated, bytesFrontier?.spilledBytes)
}
