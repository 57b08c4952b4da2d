import type { Model } from '../model.js'
import { ByteFrontier, ObjectFrontier, type Frontier } from '../store/frontier.js'
import { NO_PARENT, TraceLog } from '../store/trace-log.js'
import { Exploration, isOutOfMemory } from './shared.js'
import type { SearchOptions, SearchResult } from './types.js'

/**
 * Exhaustive breadth-first search, level by level: the first counterexample found is a shortest
 * one. Costs the seen set plus eight bytes of parent links per state, and the frontier (bytes when
 * the model can decode states, objects otherwise).
 */
export function searchBfs<S, A>(model: Model<S, A>, options: SearchOptions): SearchResult {
  const ex = new Exploration(model, options)
  const log = new TraceLog()
  const frontier: Frontier<S> = model.decode ? new ByteFrontier((b) => model.decode!(b)) : new ObjectFrontier<S>()
  let depth = 0
  let truncated = false
  try {
    let inits: readonly S[]
    try {
      inits = model.initStates()
    } catch (e) {
      ex.failure(e, [], undefined)
      return ex.result(0, log.bytes, false)
    }
    for (let i = 0; i < inits.length && !ex.stopped; i++) {
      const s = inits[i]!
      ex.transitions++
      let bytes: Uint8Array
      try {
        bytes = model.encode(s)
      } catch (e) {
        ex.failure(e, [i], undefined)
        continue
      }
      if (!ex.admit(bytes)) continue
      const id = log.push(NO_PARENT, i)
      frontier.push(s, bytes, id)
      ex.checkInvariants(s, () => log.choices(id))
    }
    let levelLeft = frontier.length
    let nextLevel = 0
    if (levelLeft > 0) depth = 1
    while (frontier.length > 0 && !ex.stopped) {
      if (levelLeft === 0) {
        levelLeft = nextLevel
        nextLevel = 0
        depth++
      }
      levelLeft--
      const s = frontier.shift()
      const id = frontier.lastId
      ex.tick(frontier.length, depth)
      if (ex.stopped) break
      let acts: readonly A[]
      try {
        acts = model.actions(s)
      } catch (e) {
        ex.failure(e, log.choices(id), undefined)
        continue
      }
      const atBound = depth >= ex.maxDepth
      let enabled = 0
      for (let i = 0; i < acts.length; i++) {
        let bytes: Uint8Array
        let t: S | undefined
        try {
          t = model.nextState(s, acts[i]!)
          if (t === undefined) continue
          bytes = model.encode(t)
        } catch (e) {
          ex.failure(e, log.choices(id), i)
          if (ex.stopped) break
          continue
        }
        enabled++
        if (atBound) {
          if (!ex.isSeen(bytes)) truncated = true
          continue
        }
        ex.transitions++
        if (!ex.admit(bytes)) {
          if (ex.stopped) break
          continue
        }
        const tid = log.push(id, i)
        frontier.push(t, bytes, tid)
        nextLevel++
        ex.checkInvariants(t, () => log.choices(tid))
        if (ex.stopped) break
      }
      if (enabled === 0 && !ex.stopped) ex.terminal(s, () => log.choices(id))
    }
  } catch (e) {
    if (!isOutOfMemory(e)) throw e
    ex.outOfMemory()
  }
  return ex.result(depth, log.bytes, truncated)
}
