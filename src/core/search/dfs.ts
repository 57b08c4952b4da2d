import type { Model } from '../model.js'
import { Exploration, isOutOfMemory } from './shared.js'
import type { SearchOptions, SearchResult } from './types.js'

/**
 * The depth-first stack as parallel arrays (no object per level): for each level its state, its
 * actions, the index of the action that led to it (or of the initial state), the next action to
 * try and the end of those to try, and how many actions were enabled.
 */
export class Stack<S, A> {
  states: S[] = []
  actions: (readonly A[])[] = []
  choice: Int32Array = new Int32Array(1024)
  next: Int32Array = new Int32Array(1024)
  /** One past the last action to try (the actions' count, unless a range was given away). */
  end: Int32Array = new Int32Array(1024)
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
      this.end = grow(this.end)
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
    this.end[d] = actions.length
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
  const dfs = new DepthFirst(model, ex)
  try {
    // Each initial state is explored to the end before the next one is taken.
    const started = ex.initialStates((s, _bytes, i) => {
      if (ex.stopped) return
      dfs.enter(s, i, 1, false)
      dfs.run()
    })
    if (!started) return ex.result(0, 0, false)
  } catch (e) {
    if (!isOutOfMemory(e)) throw e
    ex.outOfMemory()
  }
  return ex.result(dfs.depthReached, 0, dfs.truncated)
}

/**
 * The depth-first search's stack and loop, which a search on worker threads also runs on the
 * parts of the graph it is given: a subtree below a state another worker reached, with only a
 * range of that state's actions to try (`enterRange`), under the path that led there (`head`).
 */
export class DepthFirst<S, A> {
  readonly stack = new Stack<S, A>()
  /** Choices from an initial state to the parent of the stack's bottom state (empty for a whole search). */
  head: readonly number[] = []
  /** Stack levels above the bottom state, on the path from its initial state. */
  base = 0
  maxStack = 0
  maxDepth = 0
  /** True when a successor beyond the depth bound was not yet seen. */
  truncated = false
  // The model's hooks are called as its methods (not bound copies), which the compiler can inline.
  private readonly weight: boolean
  private readonly deadEnd: boolean
  /** Successors as bytes first: a state is built (`keepNext`) only for a new successor. */
  private readonly bytesFirst: boolean
  private readonly seenWeight: boolean
  private readonly release: ((s: S) => void) | undefined
  private readonly pathNow = (): number[] => this.path()

  constructor(
    readonly model: Model<S, A>,
    readonly ex: Exploration<S, A>,
  ) {
    this.weight = model.stepWeight !== undefined
    this.deadEnd = model.deadEndWeight !== undefined
    this.bytesFirst = model.nextEncoded !== undefined && model.keepNext !== undefined && model.within === undefined && !ex.checksSteps
    this.seenWeight = model.seenStepWeight !== undefined
    this.release = this.bytesFirst ? model.release?.bind(model) : undefined
  }

  /** The depth reached: in the model's own steps when it weighs them, else in stack levels (the same when every weight is 1). */
  get depthReached(): number {
    return this.weight ? this.maxDepth : this.maxStack
  }

  /** The ChoicePath to the top of the stack, and one more choice if given. */
  path(extra?: number): number[] {
    const own = this.stack.path(extra)
    return this.head.length === 0 ? own : [...this.head, ...own]
  }

  /** The ChoicePath to the state at stack level `d` (0: the bottom). */
  pathTo(d: number): number[] {
    return [...this.head, ...this.stack.choice.subarray(0, d + 1)]
  }

  /** Pushes a new state, or records why it cannot be explored. */
  enter(state: S, choice: number, depth: number, kept: boolean): void {
    const ex = this.ex
    const stack = this.stack
    let actions: readonly A[]
    try {
      actions = this.model.actions(state)
    } catch (e) {
      ex.failure(e, this.path(choice), undefined)
      if (kept) this.release?.(state)
      return
    }
    stack.push(state, actions, choice, depth, kept)
    const levels = this.base + stack.length
    if (levels > this.maxStack) this.maxStack = levels
    if (depth > this.maxDepth) this.maxDepth = depth
    if (this.deadEnd) this.maxDepth = Math.max(this.maxDepth, depth + this.model.deadEndWeight!(state))
    ex.tick(levels, levels)
  }

  /**
   * Starts from a state another search reached (already stored, and with an enabled action), to
   * try only its actions `from` to `to`: `choices` is the path to it, `levels` its stack level on
   * that path and `depth` its depth.
   */
  enterRange(state: S, choices: readonly number[], levels: number, depth: number, from: number, to: number): void {
    this.head = choices.slice(0, -1)
    this.base = levels - 1
    this.enter(state, choices[choices.length - 1]!, depth, false)
    const stack = this.stack
    if (stack.length === 0) return
    stack.next[0] = from
    stack.end[0] = Math.min(to, stack.actions[0]!.length)
    // Another search took one of its actions already, so it is no terminal state.
    stack.enabled[0] = 1
  }

  /**
   * Explores until the stack is empty (true), or the search stopped or `pause` (asked before each
   * step, which adds at most one state) said to stop for now (false; `run` goes on from there).
   */
  run(pause?: () => boolean): boolean {
    const model = this.model
    const ex = this.ex
    const stack = this.stack
    const weight = this.weight
    const bytesFirst = this.bytesFirst
    const seenWeight = this.seenWeight
    const release = this.release
    const hasInvariants = ex.hasInvariants
    const pathNow = this.pathNow
    // Without a state budget a successor goes straight to the seen set.
    const unlimited = ex.options.maxStates === undefined
    while (stack.length > 0) {
      if (ex.stopped || (pause !== undefined && pause())) return false
      const d = stack.length - 1
      const acts = stack.actions[d]!
      const a = stack.next[d]!
      if (a >= stack.end[d]!) {
        if (stack.enabled[d] === 0) ex.terminal(stack.states[d]!, pathNow)
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
        ex.failure(e, this.path(), a)
        t = ex.continuation(e)
        if (t === undefined || ex.stopped) continue
        tb = model.encode(t)
      }
      stack.enabled[d]!++
      if (this.base + stack.length >= ex.maxDepth) {
        if (!ex.isSeen(tb)) this.truncated = true
        continue
      }
      ex.transitions++
      if (model.within && !ex.within(stack.states[d]!, t!, pathNow, a)) continue
      if (ex.checksSteps && !ex.checkStep(stack.states[d]!, t!, 0, a, pathNow) && ex.stopped) break
      if (!(unlimited ? ex.admitNew(tb) : ex.admit(tb))) {
        // A step of several moves (an atomic sequence, a rendezvous) to a state already seen still
        // passed its inner states, and pan's "depth reached" counts them.
        if (weight) this.maxDepth = Math.max(this.maxDepth, stack.depth[d]! + (seenWeight ? model.seenStepWeight!(stack.states[d]!, acts[a]!) : model.stepWeight!(stack.states[d]!, acts[a]!) - 1))
        continue
      }
      const kept = t === undefined
      t ??= model.keepNext!()
      if (hasInvariants) ex.checkInvariants(t, () => this.path(a))
      if (ex.stopped) break
      this.enter(t, a, stack.depth[d]! + (weight ? model.stepWeight!(stack.states[d]!, acts[a]!) : 1), kept)
    }
    return stack.length === 0
  }
}
