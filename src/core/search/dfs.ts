import type { Model } from '../model.js'
import { Exploration, isOutOfMemory } from './shared.js'
import type { SearchOptions, SearchResult } from './types.js'

/**
 * The depth-first stack as parallel arrays (no object per level): for each level its state, its
 * actions, the index of the action that led to it (or of the initial state), the next action to
 * try, and how many actions were enabled.
 */
class Stack<S, A> {
  states: S[] = []
  actions: (readonly A[])[] = []
  choice: Int32Array = new Int32Array(1024)
  next: Int32Array = new Int32Array(1024)
  enabled: Int32Array = new Int32Array(1024)
  /** The depth of each level in the model's own steps (see Model.stepWeight). */
  depth: Float64Array = new Float64Array(1024)
  /** 1 for a level whose state the model made with `keepNext` (given back with `release` on pop). */
  kept: Uint8Array = new Uint8Array(1024)
  length = 0

  push(state: S, actions: readonly A[], choice: number, depth: number, kept: boolean): void {
    const d = this.length++
    if (d === this.choice.length) {
      this.choice = grow(this.choice)
      this.next = grow(this.next)
      this.enabled = grow(this.enabled)
      const kept = new Uint8Array(this.kept.length * 2)
      kept.set(this.kept)
      this.kept = kept
      const bigger = new Float64Array(this.depth.length * 2)
      bigger.set(this.depth)
      this.depth = bigger
    }
    this.depth[d] = depth
    this.states[d] = state
    this.actions[d] = actions
    this.choice[d] = choice
    this.next[d] = 0
    this.enabled[d] = 0
    this.kept[d] = kept ? 1 : 0
  }

  pop(): void {
    const d = --this.length
    // Let the state and its actions be collected.
    this.states[d] = undefined as S
    this.actions[d] = undefined as unknown as readonly A[]
  }

  /** Pops the top level and returns its state (for the model to reuse). */
  take(): S {
    const s = this.states[this.length - 1]!
    this.pop()
    return s
  }

  /** The ChoicePath to the top, and one more choice if given. */
  path(extra?: number): number[] {
    const out = Array.from(this.choice.subarray(0, this.length))
    if (extra !== undefined) out.push(extra)
    return out
  }
}

function grow(a: Int32Array): Int32Array {
  const b = new Int32Array(a.length * 2)
  b.set(a)
  return b
}

/**
 * Exhaustive depth-first search with an explicit stack, trying actions in the model's order. The
 * path to a state is the stack itself, so no parent links are stored; counterexamples are not
 * shortest. `depth` is the deepest stack reached.
 */
export function searchDfs<S, A>(model: Model<S, A>, options: SearchOptions): SearchResult {
  const ex = new Exploration(model, options)
  const stack = new Stack<S, A>()
  let maxStack = 0
  let maxDepth = 0
  let truncated = false
  // The model's hooks are called as its methods (not bound copies), which the compiler can inline.
  const weight = model.stepWeight !== undefined
  const deadEnd = model.deadEndWeight !== undefined
  // Successors as bytes first: a state is built (`keepNext`) only for a new successor.
  const bytesFirst = model.nextEncoded !== undefined && model.keepNext !== undefined && model.within === undefined && !ex.checksSteps
  const seenWeight = model.seenStepWeight !== undefined
  const release = bytesFirst ? model.release?.bind(model) : undefined
  const hasInvariants = ex.hasInvariants
  // Without a state budget a successor goes straight to the seen set.
  const unlimited = options.maxStates === undefined

  /** Pushes a new state, or records why it cannot be explored. */
  const enter = (state: S, choice: number, depth: number, kept: boolean): void => {
    let actions: readonly A[]
    try {
      actions = model.actions(state)
    } catch (e) {
      ex.failure(e, stack.path(choice), undefined)
      if (kept) release?.(state)
      return
    }
    stack.push(state, actions, choice, depth, kept)
    if (stack.length > maxStack) maxStack = stack.length
    if (depth > maxDepth) maxDepth = depth
    if (deadEnd) maxDepth = Math.max(maxDepth, depth + model.deadEndWeight!(state))
    ex.tick(stack.length, stack.length)
  }

  try {
    // Each initial state is explored to the end before the next one is taken.
    const started = ex.initialStates((s, _bytes, i) => {
      if (ex.stopped) return
      enter(s, i, 1, false)
      while (stack.length > 0 && !ex.stopped) {
        const d = stack.length - 1
        const acts = stack.actions[d]!
        const a = stack.next[d]!
        if (a >= acts.length) {
          if (stack.enabled[d] === 0) ex.terminal(stack.states[d]!, () => stack.path())
          if (release !== undefined && stack.kept[d] === 1) release(stack.take())
          else stack.pop()
          continue
        }
        stack.next[d] = a + 1
        let t: S | undefined
        let tb: Uint8Array
        try {
          if (bytesFirst) {
            t = undefined
            const b = model.nextEncoded!(stack.states[d]!, acts[a]!)
            if (b === undefined) continue
            tb = b
          } else {
            t = model.nextState(stack.states[d]!, acts[a]!)
            if (t === undefined) continue
            tb = model.encode(t)
          }
        } catch (e) {
          ex.failure(e, stack.path(), a)
          t = ex.continuation(e)
          if (t === undefined || ex.stopped) continue
          tb = model.encode(t)
        }
        stack.enabled[d]!++
        if (stack.length >= ex.maxDepth) {
          if (!ex.isSeen(tb)) truncated = true
          continue
        }
        ex.transitions++
        if (model.within && !ex.within(stack.states[d]!, t!, () => stack.path(), a)) continue
        if (ex.checksSteps && !ex.checkStep(stack.states[d]!, t!, 0, a, () => stack.path()) && ex.stopped) break
        if (!(unlimited ? ex.admitNew(tb) : ex.admit(tb))) {
          // A step of several moves (an atomic sequence, a rendezvous) to a state already seen still
          // passed its inner states, and pan's "depth reached" counts them.
          if (weight) maxDepth = Math.max(maxDepth, stack.depth[d]! + (seenWeight ? model.seenStepWeight!(stack.states[d]!, acts[a]!) : model.stepWeight!(stack.states[d]!, acts[a]!) - 1))
          continue
        }
        const kept = t === undefined
        t ??= model.keepNext!()
        if (hasInvariants) ex.checkInvariants(t, () => stack.path(a))
        if (ex.stopped) break
        enter(t, a, stack.depth[d]! + (weight ? model.stepWeight!(stack.states[d]!, acts[a]!) : 1), kept)
      }
    })
    if (!started) return ex.result(0, 0, false)
  } catch (e) {
    if (!isOutOfMemory(e)) throw e
    ex.outOfMemory()
  }
  // Depth in the model's own steps when it weighs them, else in stack levels (the same when every weight is 1).
  return ex.result(weight ? maxDepth : maxStack, 0, truncated)
}
