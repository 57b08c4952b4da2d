import type { Explanation, Model, ViolationInfo } from '../core/model.js'
import type { Path } from '../core/path.js'
import { followChoices, formatChoicePath } from '../core/path.js'
import type { Discovery, LimitKind, SearchResult, ViolationKind } from '../core/search/types.js'
import type { SimulationResult } from '../core/search/simulation.js'
import type { ItfTrace } from '../trace/itf.js'
import { pathToItf } from '../trace/itf.js'
import { VERSION } from '../version.js'
import type { CoverageSummary } from './coverage.js'

export type ResultKind = 'ok' | 'violation' | 'incomplete' | 'error'

export interface ViolationSummary {
  readonly kind: ViolationKind
  readonly name: string
  readonly message: string
  /** States in the counterexample, the initial state included. */
  readonly length: number
  /** The ChoicePath that `weft replay` and the API reproduce. */
  readonly path: string
  readonly trace: ItfTrace
  /** For a lasso: the index (from 0) of the state where the cycle starts; the last state is that state again. */
  readonly loop?: number
  /** Why it failed: the violated property's sub-terms and their values in the failing state (`Model.explain`). */
  readonly explanation?: Explanation
}

export interface StatsSummary {
  readonly distinct: number
  readonly transitions: number
  readonly depth: number
  readonly seconds: number
  readonly statesPerSecond: number
  /** The probability that a state was missed: a fingerprint collision, or with an approximate store, any miss. */
  readonly collisionProbability: number
  /** With an approximate store (`--bitstate`, `--hash-compact`): how states were stored and what may have been missed. */
  readonly store?: StoreSummary
  /** Bytes the breadth-first frontier moved to its spill file, when it spilled. */
  readonly spilledBytes?: number
}

/** An approximate store's figures, as pan reports them for -DBITSTATE and -DHC. */
export interface StoreSummary {
  readonly mode: 'bitstate' | 'hash-compact'
  /** Bytes of the bit array or the table. */
  readonly bytes: number
  /** Bitstate: bits in the array per state stored (best above 100). */
  readonly hashFactor?: number
  /** Bitstate: bits set per state (pan -k). */
  readonly hashFunctions?: number
  /** Bitstate: the fraction of the array's bits that are set. */
  readonly fill?: number
  /** The expected number of reachable states taken for others and not explored. */
  readonly expectedMissed: number
  /** stored / (stored + expected missed). */
  readonly expectedCoverage: number
}

export interface ErrorSummary {
  readonly code: string
  readonly message: string
  readonly file?: string
  readonly line?: number
  readonly col?: number
}

/** The result of a check: exactly what `--json` prints (DESIGN.md, JSON summary). */
export interface CheckSummary {
  readonly weft: string
  readonly model: string
  readonly language: string
  readonly result: ResultKind
  /**
   * Set when the search stored states approximately (`--bitstate`, `--hash-compact`): it may have
   * missed states, so `ok` means no violation was found in the states it explored.
   */
  readonly mode?: 'bitstate' | 'hash-compact'
  readonly violation?: ViolationSummary
  /** Violations found; more than one only when the search continued past them. */
  readonly violations?: number
  /** The limit that ended an incomplete search. */
  readonly limit?: LimitKind
  readonly stats?: StatsSummary
  /** With `--coverage`: how often each action or statement fired. */
  readonly coverage?: CoverageSummary
  /**
   * With `--reduce` (Promela): partial-order reduction was on; `reducedStates` were expanded with
   * one process's steps only, and `off` says why the model allows no reduction at all, when so.
   */
  readonly reduction?: { readonly kind: 'partial-order'; readonly reducedStates: number; readonly off?: string }
  readonly error?: ErrorSummary
}

export interface ModelInfo {
  /** The model's file as the user named it. */
  readonly file: string
  readonly language: string
}

/** Builds the summary of a search, re-executing the counterexample's ChoicePath to recover its states. */
export function summarizeSearch<S, A>(model: Model<S, A>, info: ModelInfo, result: SearchResult): { summary: CheckSummary; path?: Path<S, A> } {
  const s = result.stats
  const stats: StatsSummary = {
    distinct: s.distinct,
    transitions: s.transitions,
    depth: s.depth,
    seconds: round(s.seconds),
    statesPerSecond: s.statesPerSecond,
    collisionProbability: s.collisionProbability,
    ...storeSummary(s),
    ...(s.spilledBytes ? { spilledBytes: s.spilledBytes } : {}),
  }
  const approximate = stats.store ? { mode: stats.store.mode } : {}
  const base = { weft: VERSION, model: info.file, language: info.language, ...approximate }
  const extra = {
    ...(result.violations > 1 ? { violations: result.violations } : {}),
    ...(result.limit ? { limit: result.limit } : {}),
  }
  if (!result.violation) return { summary: { ...base, result: result.status, ...extra, stats } }
  const { violation, path } = describeViolation(model, info, result.violation)
  return { summary: { ...base, result: 'violation', violation, ...extra, stats }, path }
}

/** The `store` figures of an approximate search; nothing for an exact one. */
function storeSummary(s: SearchResult['stats']): { store?: StoreSummary } {
  const r = s.store
  if (!r || r.mode === 'exact') return {}
  return {
    store: {
      mode: r.mode,
      bytes: s.seenSetBytes,
      ...(r.hashFactor === undefined ? {} : { hashFactor: r.hashFactor, hashFunctions: r.hashFunctions!, fill: r.fill! }),
      expectedMissed: r.expectedMissed,
      expectedCoverage: r.expectedCoverage,
    },
  }
}

/** The summary of a simulation: `stats.depth` is the number of steps taken in all runs. */
export function summarizeSimulation<S, A>(model: Model<S, A>, info: ModelInfo, result: SimulationResult): { summary: CheckSummary; path?: Path<S, A> } {
  const base = { weft: VERSION, model: info.file, language: info.language }
  const stats: StatsSummary = {
    distinct: 0,
    transitions: result.steps,
    depth: 0,
    seconds: round(result.seconds),
    statesPerSecond: result.seconds > 0 ? Math.round(result.steps / result.seconds) : result.steps,
    collisionProbability: 0,
  }
  if (!result.violation) return { summary: { ...base, result: result.status, ...(result.status === 'incomplete' ? { limit: 'time-limit' as const } : {}), stats } }
  const { violation, path } = describeViolation(model, info, result.violation)
  return { summary: { ...base, result: 'violation', violation, stats }, path }
}

function describeViolation<S, A>(model: Model<S, A>, info: ModelInfo, d: Discovery): { violation: ViolationSummary; path?: Path<S, A> } {
  const pathText = formatChoicePath(d.choices, d.failingAction)
  if (d.choices.length === 0) {
    // The model failed before it had a state (its initial states could not be computed).
    const trace: ItfTrace = { '#meta': { format: 'ITF', source: info.file }, vars: [], states: [] }
    return { violation: { kind: d.kind, name: d.name, message: d.message, length: 0, path: pathText, trace } }
  }
  // Re-execution is deterministic, so it reaches the same states, and the failure again if there is one.
  const path = followChoices(model, d.choices, d.failingAction)
  const failingStep = path.failing ? model.label(path.steps.at(-1)?.state ?? path.init, path.failing.action) : undefined
  const trace = pathToItf(model, path, {
    source: info.file,
    violation: { kind: d.kind, name: d.name, message: d.message },
    ...(failingStep ? { failingStep: { action: failingStep.action, ...(failingStep.process ? { process: failingStep.process } : {}) } } : {}),
  })
  const lasso = d.loop === undefined ? trace : { ...trace, loop: d.loop }
  const explanation = explainViolation(model, path, { kind: d.kind, name: d.name, message: d.message })
  return {
    violation: {
      kind: d.kind,
      name: d.name,
      message: d.message,
      length: path.steps.length + 1,
      path: pathText,
      trace: lasso,
      ...(d.loop === undefined ? {} : { loop: d.loop }),
      ...(explanation ? { explanation } : {}),
    },
    path,
  }
}

/**
 * The model's explanation of a violation, if it gives one. An explanation only helps the reader:
 * when computing it fails (it re-evaluates parts of the model), the report goes without it.
 */
export function explainViolation<S, A>(model: Model<S, A>, path: Path<S, A>, violation: ViolationInfo): Explanation | undefined {
  if (!model.explain) return undefined
  try {
    return model.explain(path, violation)
  } catch {
    return undefined
  }
}

function round(seconds: number): number {
  return Math.round(seconds * 1000) / 1000
}
