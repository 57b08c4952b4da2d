import type { Model } from '../model.js'
import { Exploration, isOutOfMemory } from './shared.js'
import type { SearchOptions, SearchResult } from './types.js'

interface Frame<S, A> {
  readonly state: S
  readonly actions: readonly A[]
  /** The index of this state's action in its parent (or of the initial state). */
  readonly choice: number
  next: number
  enabled: number
}

/**
 * Exhaustive depth-first search with an explicit stack, trying actions in the model's order. The
 * path to a state is the stack itself, so no parent links are stored; counterexamples are not
 * shortest. `depth` is the deepest stack reached.
 */
export function searchDfs<S, A>(model: Model<S, A>, options: SearchOptions): SearchResult {
  const ex = new Exploration(model, options)
  const stack: Frame<S, A>[] = []
  const pathTo = (extra?: number): number[] => {
    const out = stack.map((f) => f.choice)
    if (extra !== undefined) out.push(extra)
    return out
  }
  let maxStack = 0
  let truncated = false

  /** Pushes a new state, or records why it cannot be explored. */
  const enter = (state: S, choice: number): void => {
    let actions: readonly A[]
    try {
      actions = model.actions(state)
    } catch (e) {
      ex.failure(e, pathTo(choice), undefined)
      return
    }
    stack.push({ state, actions, choice, next: 0, enabled: 0 })
    if (stack.length > maxStack) maxStack = stack.length
    ex.tick(stack.length, stack.length)
  }

  try {
    let inits: readonly S[]
    try {
      inits = model.initStates()
    } catch (e) {
      ex.failure(e, [], undefined)
      return ex.result(0, 0, false)
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
      ex.checkInvariants(s, () => [i])
      if (ex.stopped) break
      enter(s, i)
      while (stack.length > 0 && !ex.stopped) {
        const top = stack[stack.length - 1]!
        if (top.next >= top.actions.length) {
          if (top.enabled === 0) ex.terminal(top.state, () => pathTo())
          stack.pop()
          continue
        }
        const a = top.next++
        let t: S | undefined
        let tb: Uint8Array
        try {
          t = model.nextState(top.state, top.actions[a]!)
          if (t === undefined) continue
          tb = model.encode(t)
        } catch (e) {
          ex.failure(e, pathTo(), a)
          continue
        }
        top.enabled++
        if (stack.length >= ex.maxDepth) {
          if (!ex.isSeen(tb)) truncated = true
          continue
        }
        ex.transitions++
        if (!ex.admit(tb)) continue
        ex.checkInvariants(t, () => pathTo(a))
        if (ex.stopped) break
        enter(t, a)
      }
    }
  } catch (e) {
    if (!isOutOfMemory(e)) throw e
    ex.outOfMemory()
  }
  return ex.result(maxStack, 0, truncated)
}
