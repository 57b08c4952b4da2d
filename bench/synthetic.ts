/**
 * A synthetic model written directly against the engine's `Model` interface, with an exactly known
 * state space, for measuring the search loop itself (no front end, no codec).
 *
 * The state is k counters, one byte each; counter i ranges over 0..R[i]-1. Each counter has two
 * actions, in this order: `inc i` (enabled while c[i] < R[i]-1) and `reset i` (enabled while
 * c[i] > 0, sets it to 0). From the all-zero initial state every vector is reachable (increment
 * each counter up to its value), and nothing else is, so:
 *
 *   distinct    = prod_i R[i]
 *   transitions = 1 + sum_i (2 R[i] - 2) * prod_{j != i} R[j]
 *                 (the initial state, plus one generated successor per enabled action: for counter i
 *                  the values 0 and R[i]-1 enable one action each, the R[i]-2 others enable two)
 *   BFS depth   = 1 + sum_i (R[i] - 1)   (in states: reset only ever moves towards 0, so the
 *                  shortest path to c has sum_i c[i] steps)
 *
 * No state is terminal (a counter can always move), so deadlock checking finds nothing; one cheap
 * invariant (every counter within its range) exercises the invariant path on every new state.
 */
import type { Invariant, Model, StepLabel, SuccessorSink } from '../src/core/model.js'

export type CounterState = Uint8Array

export interface Expected {
  readonly distinct: number
  readonly transitions: number
  readonly bfsDepth: number
}

export function expectedCounts(ranges: readonly number[]): Expected {
  const product = ranges.reduce((p, r) => p * r, 1)
  let transitions = 1
  for (const r of ranges) transitions += (2 * r - 2) * (product / r)
  const bfsDepth = 1 + ranges.reduce((s, r) => s + (r - 1), 0)
  return { distinct: product, transitions, bfsDepth }
}

export function counterModel(ranges: readonly number[]): Model<CounterState, number> {
  if (ranges.length === 0 || ranges.some((r) => !Number.isInteger(r) || r < 2 || r > 256)) {
    throw new RangeError('counter ranges must be integers in 2..256')
  }
  const k = ranges.length
  const top = Uint8Array.from(ranges, (r) => r - 1)
  // The same action list for every state: even = inc, odd = reset, counter = index >> 1.
  const actions: readonly number[] = Object.freeze(Array.from({ length: 2 * k }, (_, i) => i))
  const inRange: Invariant<CounterState> = {
    kind: 'invariant',
    name: 'countersInRange',
    holds(s: CounterState): boolean {
      for (let i = 0; i < k; i++) if (s[i]! > top[i]!) return false
      return true
    },
  }
  const properties = Object.freeze([inRange])
  // The successor's bytes for nextEncoded, rewritten on each call.
  const scratch = new Uint8Array(k)
  // States the search gave back (`release`), for `decode` and `keepNext` to reuse.
  const pool: CounterState[] = []
  const copyOf = (bytes: Uint8Array): CounterState => {
    const t = pool.pop()
    if (t === undefined) return new Uint8Array(bytes)
    t.set(bytes)
    return t
  }

  return {
    name: `counters[${ranges.join('x')}]`,
    initStates: () => [new Uint8Array(k)],
    actions: () => actions,
    nextState(s: CounterState, a: number): CounterState | undefined {
      const i = a >> 1
      const v = s[i]!
      if ((a & 1) === 0) {
        if (v >= top[i]!) return undefined
        const t = new Uint8Array(s)
        t[i] = v + 1
        return t
      }
      if (v === 0) return undefined
      const t = new Uint8Array(s)
      t[i] = 0
      return t
    },
    nextEncoded(s: CounterState, a: number): Uint8Array | undefined {
      const i = a >> 1
      const v = s[i]!
      if ((a & 1) === 0 ? v >= top[i]! : v === 0) return undefined
      writeStep(s, scratch, 0, i, (a & 1) === 0 ? v + 1 : 0)
      return scratch
    },
    // The successor the last nextEncoded wrote, as a state of its own (depth-first search keeps it).
    keepNext: () => copyOf(scratch),
    // Every successor in one call, each written straight into the search's buffer.
    successorsEncoded(s: CounterState, sink: SuccessorSink): void {
      for (let i = 0; i < k; i++) {
        const v = s[i]!
        // (`add` may replace `sink.bytes`, so it is read after each `add`)
        if (v < top[i]!) {
          const at = sink.add(2 * i, k)
          writeStep(s, sink.bytes, at, i, v + 1)
        }
        if (v > 0) {
          const at = sink.add(2 * i + 1, k)
          writeStep(s, sink.bytes, at, i, 0)
        }
      }
    },
    properties: () => properties,
    // The state is its own canonical encoding.
    encode: (s: CounterState) => s,
    // The argument is only valid during the call (it is a view of the frontier), so copy it.
    // (`new Uint8Array(typedArray)` copies, and is about twice as fast as `.slice()` in V8.)
    decode: copyOf,
    release(s: CounterState): void {
      if (pool.length < POOL) pool.push(s)
    },
    label: (_s: CounterState, a: number): StepLabel => ({ action: `${a & 1 ? 'reset' : 'inc'} ${a >> 1}` }),
    view: (s: CounterState) => ({ counters: Array.from(s) }),
  }
}

/** The most released states the model keeps for reuse. */
const POOL = 1024

/** Writes state `s` with counter `i` set to `value` into `out` at `at`. */
function writeStep(s: CounterState, out: Uint8Array, at: number, i: number, value: number): void {
  for (let j = 0; j < s.length; j++) out[at + j] = s[j]!
  out[at + i] = value
}
