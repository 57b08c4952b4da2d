import type { Model } from '../model.js'
import { Random } from '../random.js'
import { Exploration } from './shared.js'
import type { Discovery, Reporter } from './types.js'

export interface SimulationOptions {
  readonly seed: number
  /** How many runs. */
  readonly runs: number
  /** The most steps one run takes. */
  readonly steps: number
  readonly checkDeadlock: boolean
  /** Seconds for all runs together. */
  readonly timeLimit?: number
  /** Receives what each step prints (Promela `printf`), in order. */
  readonly onOutput?: (text: string, run: number) => void
  readonly reporter?: Reporter
}

export interface SimulationResult {
  readonly status: 'ok' | 'violation' | 'incomplete'
  readonly violation?: Discovery
  readonly seed: number
  /** Runs started. */
  readonly runs: number
  /** Steps taken over all runs. */
  readonly steps: number
  /** Runs that ended in a terminal state before the step bound. */
  readonly terminated: number
  readonly seconds: number
  /** The ChoicePath of the last run (the violating run's is the violation's). */
  readonly lastRun?: readonly number[]
}

/**
 * Random runs from random initial states, each action chosen uniformly among the enabled ones,
 * checking invariants, failures and deadlocks along the way. The same seed gives the same runs.
 */
export function simulate<S, A>(model: Model<S, A>, options: SimulationOptions): SimulationResult {
  const random = new Random(options.seed)
  // The checks and their wording are the exhaustive search's, so both report a violation alike.
  const ex = new Exploration(model, { strategy: 'dfs', checkDeadlock: options.checkDeadlock, continueAfterViolation: false })
  const started = performance.now()
  const deadline = options.timeLimit === undefined ? Infinity : started + options.timeLimit * 1000
  let steps = 0
  let terminated = 0
  let run = 0
  let timedOut = false
  let lastRun: number[] | undefined
  const done = (): SimulationResult => ({
    status: ex.first ? 'violation' : timedOut ? 'incomplete' : 'ok',
    violation: ex.first,
    seed: options.seed,
    runs: run,
    steps,
    terminated,
    seconds: (performance.now() - started) / 1000,
    ...(lastRun ? { lastRun } : {}),
  })
  let inits: readonly S[]
  try {
    inits = model.initStates()
  } catch (e) {
    ex.failure(e, [], undefined)
    return done()
  }
  if (inits.length === 0) return done()
  while (run < options.runs) {
    if (performance.now() > deadline) {
      timedOut = true
      break
    }
    run++
    const first = random.below(inits.length)
    let state: S = inits[first]!
    const choices = [first]
    lastRun = choices
    ex.checkInvariants(state, () => choices.slice())
    if (ex.stopped) return done()
    for (let k = 0; k < options.steps; k++) {
      let acts: readonly A[]
      try {
        acts = model.actions(state)
      } catch (e) {
        ex.failure(e, choices.slice(), undefined)
        return done()
      }
      // Candidates are enabled actions and actions that fail: a failure happens only if chosen.
      const candidates: { index: number; next: S | undefined; error?: unknown }[] = []
      for (let i = 0; i < acts.length; i++) {
        try {
          const next = model.nextState(state, acts[i]!)
          if (next !== undefined) candidates.push({ index: i, next })
        } catch (error) {
          candidates.push({ index: i, next: undefined, error })
        }
      }
      if (candidates.length === 0) {
        terminated++
        ex.terminal(state, () => choices.slice())
        if (ex.stopped) return done()
        break
      }
      const pick = candidates[random.below(candidates.length)]!
      if (pick.next === undefined) {
        ex.failure(pick.error, choices.slice(), pick.index)
        return done()
      }
      if (options.onOutput && model.output) {
        const text = model.output(state, acts[pick.index]!)
        if (text) options.onOutput(text, run)
      }
      state = pick.next
      choices.push(pick.index)
      steps++
      ex.checkInvariants(state, () => choices.slice())
      if (ex.stopped) return done()
    }
    options.reporter?.progress?.({ distinct: 0, transitions: steps, queue: options.runs - run, depth: choices.length, seconds: (performance.now() - started) / 1000 })
  }
  return done()
}
