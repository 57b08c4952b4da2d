import type { Model } from './model.js'

export interface PathStep<S, A> {
  readonly action: A
  /** The action's index among the enabled-or-not actions of the state before it. */
  readonly index: number
  readonly state: S
}

/** A behaviour recovered from a ChoicePath: an initial state and the steps after it. */
export interface Path<S, A> {
  readonly choices: readonly number[]
  readonly init: S
  readonly steps: readonly PathStep<S, A>[]
  /** The action that failed in the last state (an assertion, a runtime error), if any. */
  readonly failing?: { readonly action: A; readonly index: number }
}

/** A ChoicePath that does not describe a behaviour of the model. */
export class PathMismatch extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message)
    this.name = 'PathMismatch'
  }
}

/**
 * Re-executes a ChoicePath (initial-state index, then action indices) to recover its states.
 * Deterministic models give back exactly the states the search saw. Throws PathMismatch when a
 * choice does not exist or is not enabled.
 */
export function followChoices<S, A>(model: Model<S, A>, choices: readonly number[], failingAction?: number): Path<S, A> {
  const inits = model.initStates()
  const first = choices[0]
  if (first === undefined || first < 0 || first >= inits.length) {
    throw new PathMismatch(`the model has ${inits.length} initial state(s); the path starts with ${String(first)}`, 0)
  }
  let state: S = inits[first]!
  const steps: PathStep<S, A>[] = []
  for (let k = 1; k < choices.length; k++) {
    const index = choices[k]!
    const acts = model.actions(state)
    const action = acts[index]
    if (action === undefined) throw new PathMismatch(`step ${k}: there is no action ${index} (the state has ${acts.length})`, k)
    const next = model.nextState(state, action)
    if (next === undefined) throw new PathMismatch(`step ${k}: action ${index} is not enabled`, k)
    steps.push({ action, index, state: next })
    state = next
  }
  if (failingAction === undefined) return { choices, init: inits[first]!, steps }
  const action = model.actions(state)[failingAction]
  if (action === undefined) throw new PathMismatch(`the failing action ${failingAction} does not exist`, choices.length)
  return { choices, init: inits[first]!, steps, failing: { action, index: failingAction } }
}

/** `0/3/1`: the initial state's index, then each action index. */
export function formatChoicePath(choices: readonly number[], failingAction?: number): string {
  return [...choices, ...(failingAction === undefined ? [] : [failingAction])].join('/')
}

export function parseChoicePath(text: string): number[] | undefined {
  if (!/^\d+(\/\d+)*$/.test(text.trim())) return undefined
  return text.trim().split('/').map(Number)
}
