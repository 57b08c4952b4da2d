import { explore } from './core/check.js'
import { countCoverage } from './core/coverage.js'
import type { Model } from './core/model.js'
import { followChoices, type Path } from './core/path.js'
import { simulate as simulateRuns } from './core/search/simulation.js'
import type { Reporter, SearchOptions, SearchResult, StoreChoice } from './core/search/types.js'
import type { FrontierSpill } from './core/store/frontier.js'
import type { SourceLookup } from './diag/render.js'
import { summarizeCoverage } from './report/coverage.js'
import type { CheckSummary, ModelInfo } from './report/summary.js'
import { summarizeSearch, summarizeSimulation } from './report/summary.js'

export interface CheckOptions {
  /** `bfs` (default: shortest counterexamples), `dfs`, or `ndfs` (accepting cycles of the model's acceptance property). */
  readonly strategy?: 'bfs' | 'dfs' | 'ndfs'
  readonly maxStates?: number
  readonly maxDepth?: number
  /** Seconds. */
  readonly timeLimit?: number
  /** Report deadlocks (default true). */
  readonly deadlock?: boolean
  /** Keep searching past violations and count them. */
  readonly continue?: boolean
  /** Names the model in the summary (default: the model's name). */
  readonly file?: string
  readonly reporter?: Reporter
  /** Returns true when memory is nearly exhausted (the node entry point supplies one). */
  readonly memoryExhausted?: () => boolean
  /**
   * Count how often each action or statement fires (the summary's `coverage`); one extra call per
   * successor. Models without coverage items (hand-written ones) get no `coverage`.
   */
  readonly coverage?: boolean
  /** Source texts, so that coverage entries carry line numbers. */
  readonly sources?: SourceLookup
  /**
   * Worker threads for a breadth-first search (default 1). Only `check` from `weft/node` with a
   * `source` (the model's file, which each worker loads itself) uses more than one; a model
   * passed as an object alone is always searched on one worker.
   */
  readonly workers?: number
  /**
   * How states are stored (default exact): `{ mode: 'bitstate', bytes, hashFunctions }` (SPIN's
   * supertrace) or `{ mode: 'hash-compact' }`. Both may miss states; the summary then has a
   * `mode` and `stats.store` with the estimate. Breadth-first and depth-first safety searches only.
   */
  readonly store?: StoreChoice
  /** Where the breadth-first frontier may spill past a budget; `check` from `weft/node` gives a temporary file. */
  readonly frontierSpill?: FrontierSpill
}

export interface SimulateOptions {
  readonly seed?: number
  readonly runs?: number
  readonly steps?: number
  readonly deadlock?: boolean
  readonly timeLimit?: number
  readonly file?: string
  readonly onOutput?: (text: string, run: number) => void
  readonly reporter?: Reporter
}

/** A summary together with the counterexample's recovered states, for rendering. */
export interface Outcome<S, A> {
  readonly summary: CheckSummary
  readonly path?: Path<S, A>
  /** A simulation without a violation: its last run, re-executed (for the HTML report). */
  readonly run?: Path<S, A>
}

function infoOf(model: Model<unknown, unknown>, file: string | undefined): ModelInfo {
  const language = (model as { language?: unknown }).language
  return { file: file ?? model.name, language: typeof language === 'string' ? language : 'typescript' }
}

/** Runs an exhaustive check and returns the summary with the counterexample's path. */
export function runCheck<S, A>(model: Model<S, A>, options: CheckOptions = {}): Outcome<S, A> {
  const counting = options.coverage ? countCoverage(model) : undefined
  const result = explore(counting?.model ?? model, searchOptionsOf(model, options))
  const outcome = summarizeCheck(model, options, result)
  if (!counting) return outcome
  const unit = (model as { language?: unknown }).language === 'promela' ? 'statement' : 'action'
  return { ...outcome, summary: { ...outcome.summary, coverage: summarizeCoverage(counting.items, counting.counts, unit, options.sources) } }
}

/** The summary of a finished search, with the counterexample's path recovered on `model`. */
export function summarizeCheck<S, A>(model: Model<S, A>, options: CheckOptions, result: SearchResult): Outcome<S, A> {
  return summarizeSearch(model, infoOf(model as Model<unknown, unknown>, options.file), result)
}

/** The engine's search options for a check. */
export function searchOptionsOf<S, A>(model: Model<S, A>, options: CheckOptions): SearchOptions {
  return {
    strategy: options.strategy ?? 'bfs',
    checkDeadlock: (options.deadlock ?? true) && model.checkDeadlock !== false,
    continueAfterViolation: options.continue ?? false,
    ...(options.maxStates === undefined ? {} : { maxStates: options.maxStates }),
    ...(options.maxDepth === undefined ? {} : { maxDepth: options.maxDepth }),
    ...(options.timeLimit === undefined ? {} : { timeLimit: options.timeLimit }),
    ...(options.memoryExhausted ? { memoryExhausted: options.memoryExhausted } : {}),
    ...(options.reporter ? { reporter: options.reporter } : {}),
    ...(options.store ? { store: options.store } : {}),
    ...(options.frontierSpill ? { frontierSpill: options.frontierSpill } : {}),
  }
}

/** Runs seeded random simulations and returns the summary with the counterexample's path, if any. */
export function runSimulation<S, A>(model: Model<S, A>, options: SimulateOptions = {}): Outcome<S, A> {
  const result = simulateRuns(model, {
    seed: options.seed ?? 0,
    runs: options.runs ?? 1,
    steps: options.steps ?? 1000,
    checkDeadlock: (options.deadlock ?? true) && model.checkDeadlock !== false,
    ...(options.timeLimit === undefined ? {} : { timeLimit: options.timeLimit }),
    ...(options.onOutput ? { onOutput: options.onOutput } : {}),
    ...(options.reporter ? { reporter: options.reporter } : {}),
  })
  const outcome = summarizeSimulation(model, infoOf(model as Model<unknown, unknown>, options.file), result)
  // Re-execution is deterministic, so it reaches the run's states again.
  return result.violation || !result.lastRun ? outcome : { ...outcome, run: followChoices(model, result.lastRun) }
}

/**
 * Checks every reachable state of a model and resolves to the same object `weft check --json` prints.
 * Breadth-first by default, so a counterexample is a shortest one.
 */
export async function check<S, A>(model: Model<S, A>, options: CheckOptions = {}): Promise<CheckSummary> {
  return runCheck(model, options).summary
}

/** Random runs (seeded, so reproducible); resolves to a summary shaped like `check`'s. */
export async function simulate<S, A>(model: Model<S, A>, options: SimulateOptions = {}): Promise<CheckSummary> {
  return runSimulation(model, options).summary
}
