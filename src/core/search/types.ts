import type { Span } from '../../diag/span.js'
import type { FrontierSpill } from '../store/frontier.js'
import type { StoreReport } from '../store/seen-set.js'

export type ViolationKind =
  | 'assertion'
  | 'invariant'
  | 'deadlock'
  | 'invalid-end-state'
  | 'ltl'
  | 'property'
  | 'acceptance-cycle'
  | 'non-progress-cycle'
  | 'runtime-error'

/** Why a search stopped before it finished. */
export type LimitKind = 'max-states' | 'max-depth' | 'time-limit' | 'memory'

/** A counterexample as the engine records it: a ChoicePath, re-executed later to recover states and labels. */
export interface Discovery {
  readonly kind: ViolationKind
  /** The property's name: the invariant, the assertion, `deadlock`. */
  readonly name: string
  readonly message: string
  /** The initial state's index, then the index of each action taken. */
  readonly choices: readonly number[]
  /** When the last step itself failed (an assertion, a runtime error): the index of that action in the last state. */
  readonly failingAction?: number
  /** For a lasso (an accepting cycle): the index of the state where the cycle starts; the last state equals it. */
  readonly loop?: number
  readonly span?: Span
  /** How many violations the failing step counts for (`TransitionFailure.times`), when more than one. */
  readonly times?: number
}

export interface SearchStats {
  /** Distinct states stored. */
  readonly distinct: number
  /** Generated states: initial states plus every successor, new or already seen (SPIN's stored + matched, TLC's states generated). */
  readonly transitions: number
  /** The depth reached, in the model's depth unit. */
  readonly depth: number
  readonly seconds: number
  readonly statesPerSecond: number
  readonly collisionProbability: number
  /** Bytes in the seen set's table. */
  readonly seenSetBytes: number
  /** Bytes of parent links kept for traces (breadth-first search). */
  readonly traceBytes: number
  /** How states were stored, with the estimate of what was missed (breadth-first and depth-first search). */
  readonly store?: StoreReport
  /** Bytes the breadth-first frontier wrote to its spill file, when it spilled. */
  readonly spilledBytes?: number
}

export interface SearchResult {
  readonly status: 'ok' | 'violation' | 'incomplete'
  /** The first violation found. */
  readonly violation?: Discovery
  /** How many violations were found (more than one only with `continueAfterViolation`). */
  readonly violations: number
  /** Set when a limit ended the search early. */
  readonly limit?: LimitKind
  readonly stats: SearchStats
}

export interface Progress {
  readonly distinct: number
  readonly transitions: number
  readonly queue: number
  readonly depth: number
  readonly seconds: number
}

/** Receives progress during a search, about once a second. Never used for results. */
export interface Reporter {
  progress?(p: Progress): void
}

export interface SearchOptions {
  /**
   * `bfs` (default) finds shortest counterexamples; `dfs` uses less memory for traces; `ndfs`
   * (nested depth-first search) looks for accepting cycles of the model's acceptance property.
   */
  readonly strategy: 'bfs' | 'dfs' | 'ndfs'
  /** Stop, incomplete, rather than store more than this many states. */
  readonly maxStates?: number
  /** Do not explore states deeper than this (in the model's depth unit); the result is then incomplete. */
  readonly maxDepth?: number
  /** Seconds. */
  readonly timeLimit?: number
  /** Report terminal states that are not valid end states (default true). */
  readonly checkDeadlock: boolean
  /** Keep searching past violations and count them (pan -c0, TLC -continue). */
  readonly continueAfterViolation: boolean
  /** Returns true when memory is nearly exhausted; the search then stops cleanly. Supplied by the platform. */
  readonly memoryExhausted?: () => boolean
  readonly reporter?: Reporter
  /**
   * How the seen set stores states (breadth-first and depth-first safety searches only; default
   * exact): `hash-compact` keeps 40 bits of each fingerprint, `bitstate` sets `hashFunctions`
   * bits of a bit array of `bytes` bytes. Both may miss states, never report a false violation.
   */
  readonly store?: StoreChoice
  /** Lets the breadth-first frontier move chunks to disk past a budget (the platform gives the file). */
  readonly frontierSpill?: FrontierSpill
}

export type StoreChoice = { readonly mode: 'exact' } | { readonly mode: 'hash-compact' } | { readonly mode: 'bitstate'; readonly bytes: number; readonly hashFunctions?: number }

export const defaultSearchOptions: SearchOptions = Object.freeze({
  strategy: 'bfs',
  checkDeadlock: true,
  continueAfterViolation: false,
})
