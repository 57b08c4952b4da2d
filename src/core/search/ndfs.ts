import type { Acceptance, Model } from '../model.js'
import { FingerprintSet } from '../store/seen-set.js'
import { Fingerprinter } from '../store/fingerprint.js'
import { Exploration, isOutOfMemory } from './shared.js'
import { SuccessorStack } from './successor-stack.js'
import type { SearchOptions, SearchResult } from './types.js'

/** One level of a depth-first stack. */
interface Level<S, A> {
  readonly state: S
  readonly actions: readonly A[]
  readonly choice: number
  /** The state's fingerprint. */
  readonly hi: number
  readonly lo: number
  /** The level's depth in the model's own steps (see Model.stepWeight). */
  readonly depth: number
  /** The next action to try, or for a level with `first` >= 0 the next entry of the successor stack. */
  next: number
  /** A blue level whose successors were computed together: its entries in the `SuccessorStack`, else -1. */
  first: number
  end: number
  /** The level below with the same `onStack` key, or -1. */
  below: number
}

/**
 * Nested depth-first search (Courcoubetis, Vardi, Wolper, Yannakakis; with Holzmann's stack
 * check): a first ("blue") search visits every reachable state; when it leaves an accepting
 * state, a second ("red") search from there looks for a way back to any state still on the blue
 * stack. Finding one closes an accepting cycle: the counterexample is a lasso, the blue stack
 * down to that state, then around the cycle. Red-visited states are remembered across second
 * searches, so the whole search is linear in the state graph.
 *
 * `distinct` counts the first search's states; `transitions` counts the states both searches
 * generate.
 */
export function searchNdfs<S, A>(model: Model<S, A>, options: SearchOptions): SearchResult {
  const ex = new Exploration(model, options)
  const acceptance = model.properties().find((p): p is Acceptance<S> => p.kind === 'acceptance')
  const red = new FingerprintSet()
  const fp = new Fingerprinter()
  const blue: Level<S, A>[] = []
  /**
   * Part of the fingerprint of each state on the blue stack → the highest level with that key; the
   * levels with the same key are chained through `below`.
   */
  const onStack = new Map<number, number>()
  const keyOf = (hi: number): number => hi & 0x3fffffff
  const levelOf = (hi: number, lo: number): number | undefined => {
    let i = onStack.get(keyOf(hi))
    while (i !== undefined && i >= 0) {
      const l = blue[i]!
      if (l.hi === hi && l.lo === lo) return i
      i = l.below
    }
    return undefined
  }
  // Successors as bytes first: a state is built (`keepNext`) only when it is new.
  const bytesFirst = model.nextEncoded !== undefined && model.keepNext !== undefined
  // The first search takes all successors of a state at once, as bytes with their fingerprints.
  const together = model.successorsEncodedFor !== undefined && model.decode !== undefined ? new SuccessorStack() : undefined
  let maxStack = 0
  let maxDepth = 0
  let truncated = false
  const weight = model.stepWeight?.bind(model)
  const deadEnd = model.deadEndWeight?.bind(model)
  const seenWeight = model.seenStepWeight?.bind(model)
  const reached = (state: S, depth: number): void => {
    const d = depth + (deadEnd ? deadEnd(state) : 0)
    if (d > maxDepth) maxDepth = d
  }
  const stepDepth = (from: Level<S, A>, a: number): number => from.depth + (weight ? weight(from.state, from.actions[a]!) : 1)
  /** A step of several moves to a state already visited still passed its inner states, which pan's depth counts. */
  const reachedInside = (from: Level<S, A>, a: number): void => {
    if (!weight) return
    const d = seenWeight ? from.depth + seenWeight(from.state, from.actions[a]!) : stepDepth(from, a) - 1
    if (d > maxDepth) maxDepth = d
  }

  // The successor `advance` computed (undefined when only its bytes were), and its bytes.
  let next: S | undefined
  let nextBytes: Uint8Array
  /**
   * Takes a level's next action: true when it leads somewhere (then in `nextBytes`, and `next` or
   * `keep()`); false when it is not enabled, or failed (the failure is recorded with `path`).
   */
  const advance = (top: Level<S, A>, a: number, path: () => number[]): boolean => {
    try {
      if (bytesFirst) {
        const b = model.nextEncoded!(top.state, top.actions[a]!)
        if (b === undefined) return false
        nextBytes = b
        next = undefined
        return true
      }
      const t = model.nextState(top.state, top.actions[a]!)
      if (t === undefined) return false
      nextBytes = model.encode(t)
      next = t
      return true
    } catch (e) {
      ex.failure(e, path(), a)
      const t = ex.continuation(e)
      if (t === undefined || ex.stopped) return false
      nextBytes = model.encode(t)
      next = t
      return true
    }
  }
  /** The state of the successor `advance` found; only right after it, before any other call to the model. */
  const keep = (): S => next ?? model.keepNext!()
  const pathTo = (levels: readonly { choice: number }[], extra?: number): number[] => {
    const out = levels.map((l) => l.choice)
    if (extra !== undefined) out.push(extra)
    return out
  }
  const actionsOf = (state: S, path: () => number[]): readonly A[] | undefined => {
    try {
      return model.actions(state)
    } catch (e) {
      ex.failure(e, path(), undefined)
      return undefined
    }
  }

  /** The second search, from the accepting state on top of the blue stack. True when it closed a cycle. */
  const redSearch = (): boolean => {
    const seed = blue[blue.length - 1]!
    // The seed is stored again for the second search, as pan counts it.
    if (red.add(seed.hi, seed.lo)) ex.transitions++
    const stack: Level<S, A>[] = [{ ...seed, next: 0, first: -1 }]
    while (stack.length > 0 && !ex.stopped) {
      const top = stack[stack.length - 1]!
      if (top.next >= top.actions.length) {
        stack.pop()
        continue
      }
      const a = top.next++
      if (!advance(top, a, () => [...pathTo(blue), ...pathTo(stack.slice(1))])) continue
      ex.transitions++
      fp.digest(nextBytes)
      const { hi, lo } = fp
      const level = levelOf(hi, lo)
      if (level !== undefined) {
        ex.record({
          kind: acceptance!.violation,
          name: acceptance!.name,
          message: `an accepting cycle of '${acceptance!.name}': a behaviour passes through accepting states forever`,
          choices: [...pathTo(blue), ...pathTo(stack.slice(1), a)],
          loop: level,
        })
        return true
      }
      if (!red.add(hi, lo)) {
        reachedInside(top, a)
        continue
      }
      const t = keep()
      const acts = actionsOf(t, () => [...pathTo(blue), ...pathTo(stack.slice(1), a)])
      if (!acts) continue
      const depth = stepDepth(top, a)
      reached(t, depth)
      stack.push({ state: t, actions: acts, choice: a, hi, lo, depth, next: 0, first: -1, end: 0, below: -1 })
    }
    return false
  }

  /** Pushes a new state (fingerprint hi, lo) on the blue stack, or records why it cannot be explored. */
  const enter = (state: S, hi: number, lo: number, choice: number, depth: number): void => {
    const acts = actionsOf(state, () => pathTo(blue, choice))
    if (!acts) return
    const key = keyOf(hi)
    const level: Level<S, A> = { state, actions: acts, choice, hi, lo, depth, next: 0, first: -1, end: 0, below: onStack.get(key) ?? -1 }
    onStack.set(key, blue.length)
    blue.push(level)
    if (blue.length > maxStack) maxStack = blue.length
    reached(state, depth)
    if (together) {
      const mark = together.count
      if (together.expand(model, state, acts, ex.fp, ex.seen)) {
        level.first = level.next = mark
        level.end = together.count
      }
    }
    ex.tick(blue.length, blue.length)
  }
  /** Takes the blue stack's top off. */
  const leave = (top: Level<S, A>): void => {
    if (top.below >= 0) onStack.set(keyOf(top.hi), top.below)
    else onStack.delete(keyOf(top.hi))
    if (top.first >= 0) together!.truncate(top.first)
    blue.pop()
  }

  try {
    const started = ex.initialStates((s, bytes, i) => {
      if (ex.stopped) return
      fp.digest(bytes)
      enter(s, fp.hi, fp.lo, i, 1)
      while (blue.length > 0 && !ex.stopped) {
        const top = blue[blue.length - 1]!
        if (top.next >= (top.first >= 0 ? top.end : top.actions.length)) {
          // Post-order: look for a cycle back through this state when it accepts.
          if (acceptance && top.actions.length > 0 && acceptance.accepting(top.state)) redSearch()
          if (ex.stopped) break
          leave(top)
          continue
        }
        if (top.first >= 0) {
          // Successors computed together: entry k, taken as the action-by-action path below takes its action.
          const k = top.next++
          const a = together!.actions[k]!
          const hi = together!.fps[2 * k]!
          const lo = together!.fps[2 * k + 1]!
          if (blue.length >= ex.maxDepth) {
            if (!ex.seen.has(hi, lo)) truncated = true
            continue
          }
          ex.transitions++
          if (!ex.admitFingerprint(hi, lo)) {
            reachedInside(top, a)
            continue
          }
          const t = model.decode!(together!.scratchView(k))
          ex.checkInvariants(t, () => pathTo(blue, a))
          if (ex.stopped) break
          enter(t, hi, lo, a, stepDepth(top, a))
          continue
        }
        const a = top.next++
        if (!advance(top, a, () => pathTo(blue))) continue
        const bytes = nextBytes
        if (blue.length >= ex.maxDepth) {
          if (!ex.isSeen(bytes)) truncated = true
          continue
        }
        ex.transitions++
        if (!ex.admit(bytes)) {
          reachedInside(top, a)
          continue
        }
        const { hi, lo } = ex.fp
        const t = keep()
        ex.checkInvariants(t, () => pathTo(blue, a))
        if (ex.stopped) break
        enter(t, hi, lo, a, stepDepth(top, a))
      }
    })
    if (!started) return ex.result(0, 0, false)
  } catch (e) {
    if (!isOutOfMemory(e)) throw e
    ex.outOfMemory()
  }
  // Depth in the model's own steps when it weighs them (the second searches continue the first's depth, as pan's do).
  return ex.result(weight ? maxDepth : maxStack, 0, truncated)
}
