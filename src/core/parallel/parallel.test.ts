import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { graphModel, type Graph } from '../../../test/support/graph-model.js'
import { randomGraph } from '../../../test/support/random-graph.js'
import { explore } from '../check.js'
import { isTransitionFailure, TransitionFailure, type Model } from '../model.js'
import type { SearchOptions, SearchResult } from '../search/types.js'
import { ParallelControl, LevelSearch } from './level-search.js'
import { BufferPool, RecordReader, RecordWriter, type RecordBlock } from './records.js'
import { SharedFingerprintSet } from '../store/shared-seen-set.js'
import { mergeKeys } from './coordinator.js'
import { searchParallelInThread } from './in-thread.js'

const base: SearchOptions = { strategy: 'bfs', checkDeadlock: true, continueAfterViolation: false }

/** How a model gives its successors: as states, as bytes action by action, or as bytes all at once. */
const SUCCESSORS = ['states', 'nextEncoded', 'successorsEncoded'] as const

/** The graph model with `Model.nextEncoded` or `Model.successorsEncoded`, whose workers then take successors as bytes only. */
function withSuccessors(graph: Model<number, number>, how: (typeof SUCCESSORS)[number]): Model<number, number> {
  const next = (s: number, a: number): Uint8Array | undefined => {
    const t = graph.nextState(s, a)
    return t === undefined ? undefined : graph.encode(t)
  }
  if (how === 'nextEncoded') return { ...graph, nextEncoded: next }
  if (how === 'states') return graph
  return {
    ...graph,
    // A failing action throws here, so the search takes the state again action by action.
    successorsEncoded(s, sink) {
      const acts = graph.actions(s)
      for (let i = 0; i < acts.length; i++) {
        const bytes = next(s, acts[i]!)
        if (bytes !== undefined) sink.bytes.set(bytes, sink.add(i, bytes.length))
      }
    },
  }
}

/** What must not depend on the number of workers. */
function sameAsOneWorker(one: SearchResult, many: SearchResult, label: string): void {
  assert.equal(many.status, one.status, `${label}: status`)
  assert.equal(many.limit, one.limit, `${label}: limit`)
  if (one.violation) {
    // the same violation, so the same (shortest) trace
    assert.deepEqual(
      { kind: many.violation?.kind, name: many.violation?.name, choices: many.violation?.choices, failingAction: many.violation?.failingAction },
      { kind: one.violation.kind, name: one.violation.name, choices: one.violation.choices, failingAction: one.violation.failingAction },
      `${label}: violation`,
    )
  } else {
    assert.deepEqual([many.stats.distinct, many.stats.transitions, many.stats.depth], [one.stats.distinct, one.stats.transitions, one.stats.depth], `${label}: counts`)
  }
}

describe('parallel breadth-first search (workers in one thread)', () => {
  it('gives the counts, verdict and violation of the one-worker search for every worker count', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.boolean(), fc.boolean(), fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }), fc.constantFrom(...SUCCESSORS), fc.integer({ min: 0, max: 8 }), async (seed, deadlock, cont, maxDepth, successors, smallLevel) => {
        const model = withSuccessors(graphModel(randomGraph(seed)), successors)
        const options: SearchOptions = { ...base, checkDeadlock: deadlock, continueAfterViolation: cont, ...(maxDepth === undefined ? {} : { maxDepth }) }
        const one = explore(model, options)
        for (const workers of [1, 2, 3, 5]) {
          // Levels below `smallLevel` states go to one worker, larger ones are split.
          const many = await searchParallelInThread(model, workers, { ...options, smallLevel })
          sameAsOneWorker(one, many, `seed ${seed}, ${workers} workers`)
          if (cont) {
            assert.equal(many.violations, one.violations, `seed ${seed}, ${workers} workers: violations`)
            assert.deepEqual([many.stats.distinct, many.stats.transitions], [one.stats.distinct, one.stats.transitions])
          }
        }
      }),
      { numRuns: 300 },
    )
  })

  it('past a violation, follows the state a failed step still reaches, as one worker does', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.constantFrom(...SUCCESSORS), async (seed, successors) => {
        const g = randomGraph(seed)
        const graph = graphModel(g)
        // A failed assert still completes its step (pan -c0): here it leads to the next node.
        const completing: Model<number, number> = {
          ...graph,
          nextState(s, a) {
            try {
              return graph.nextState(s, a)
            } catch (e) {
              if (!isTransitionFailure(e)) throw e
              throw new TransitionFailure(e.kind, e.property, e.message, e.span, (s + 1) % g.nodes)
            }
          },
        }
        const model = withSuccessors(completing, successors)
        const options: SearchOptions = { ...base, continueAfterViolation: true }
        const one = explore(model, options)
        for (const workers of [1, 2, 3]) {
          const many = await searchParallelInThread(model, workers, options)
          assert.deepEqual([many.violations, many.stats.distinct, many.stats.transitions], [one.violations, one.stats.distinct, one.stats.transitions], `seed ${seed}, ${workers} workers`)
        }
      }),
      { numRuns: 200 },
    )
  })

  it('stops at max-states with exactly that many states, as one worker does', async () => {
    const g: Graph = { nodes: 50, inits: [0], edges: Array.from({ length: 50 }, (_, i) => [(i + 1) % 50, (i * 7 + 3) % 50]) }
    for (const workers of [1, 2, 4]) {
      const r = await searchParallelInThread(graphModel(g), workers, { ...base, maxStates: 17 })
      assert.equal(r.status, 'incomplete')
      assert.equal(r.limit, 'max-states')
      assert.equal(r.stats.distinct, 17)
    }
  })

  it('grows the shared table past its first size', async () => {
    // 200,000 nodes in a ring with chords: more than the 52,428 entries the first table holds
    const n = 200_000
    const g: Graph = { nodes: n, inits: [0], edges: Array.from({ length: n }, (_, i) => [(i + 1) % n, (i * 31 + 7) % n]), validEnd: [] }
    const one = explore(graphModel(g), base)
    const many = await searchParallelInThread(graphModel(g), 3, base)
    assert.equal(one.status, 'ok')
    sameAsOneWorker(one, many, 'ring')
    assert.equal(many.stats.distinct, n)
    assert.ok(many.stats.seenSetBytes > 1 << 19)
  })

  it('merges sorted key lists into one order, with each owner’s ranks', () => {
    const a = Int32Array.from([0, 1, 0, 3, 2, 0])
    const b = Int32Array.from([0, 2, 1, 0])
    const { links, ranks } = mergeKeys([a, b])
    assert.deepEqual(Array.from(links), [0, 1, 0, 2, 0, 3, 1, 0, 2, 0])
    assert.deepEqual(Array.from(ranks[0]!), [0, 2, 4])
    assert.deepEqual(Array.from(ranks[1]!), [1, 3])
  })

  it('sends a successor met several times in a level once, with the first key, however it is computed', () => {
    // 0 -> 1, 2, 3; each of 1, 2, 3 -> 5, 4 (4 and 5 reached three times from the level {1, 2, 3})
    const g: Graph = { nodes: 6, inits: [0], edges: [[1, 2, 3], [5, 4], [5, 4], [5, 4], [], []], validEnd: [4, 5] }
    for (const how of SUCCESSORS) {
      const model = withSuccessors(graphModel(g), how)
      const table = SharedFingerprintSet.create(64)
      const worker = new LevelSearch(model, 0, 1, true, table.buffer, ParallelControl.create(1))
      const first = worker.insert(worker.initial().buckets, 100)
      assert.deepEqual(Array.from(first.keys!), [-1, 0])
      const second = worker.insert(worker.expand(Int32Array.of(0), false).buckets, 100)
      assert.deepEqual(Array.from(second.keys!), [0, 0, 0, 1, 0, 2])
      const third = worker.expand(Int32Array.of(0, 1, 2), false)
      assert.deepEqual(keysOf(third.buckets), [0, 0, 0, 1], how)
      assert.equal(third.transitions, 6, how)
    }
  })

  it('sends every successor of a small level to the first worker, and splits the others by fingerprint', () => {
    // 0 -> 1 .. 39
    const g: Graph = { nodes: 40, inits: [0], edges: [Array.from({ length: 39 }, (_, i) => i + 1), ...Array.from({ length: 39 }, () => [])], validEnd: [] }
    const counts = (owners: number): number[] => {
      const worker = new LevelSearch(graphModel(g), 0, 2, true, SharedFingerprintSet.create(64).buffer, ParallelControl.create(2))
      worker.insert(worker.initial().buckets.filter((b) => b.count > 0), 100)
      return worker.expand(Int32Array.of(0), false, owners).buckets.map((b) => b.count)
    }
    assert.deepEqual(counts(1), [39, 0])
    const split = counts(2)
    assert.equal(split[0]! + split[1]!, 39)
    assert.ok(split[0]! > 0 && split[1]! > 0, `${split}`)
  })

  it('writes records into reused buffers as into new ones', () => {
    const pool = new BufferPool(2)
    const big = new RecordWriter(16)
    for (let i = 0; i < 100; i++) big.push(i, i + 1, 7, 9, Uint8Array.of(i, i, i, i, i))
    pool.give(big.finish())
    const small = new RecordWriter(16)
    small.push(1, 1, 1, 1, Uint8Array.of(1))
    pool.give(small.finish())
    pool.give(new RecordWriter(8).finish())
    // the two largest buffers are kept, the largest handed out first
    const w = pool.writer()
    w.pushRange(3, 4, 5, 6, Uint8Array.of(0, 1, 2, 3, 4, 5, 6), 2, 3)
    w.push(8, 9, 10, 11, new Uint8Array(0))
    const block = w.finish()
    assert.ok(block.buffer.byteLength >= 100 * 32)
    const r = new RecordReader(block)
    const got: unknown[] = []
    for (; !r.done; r.next()) got.push([r.parentRank, r.action, r.hi, r.lo, Array.from(r.bytes.subarray(r.offset, r.offset + r.length))])
    assert.deepEqual(got, [
      [3, 4, 5, 6, [2, 3, 4]],
      [8, 9, 10, 11, []],
    ])
    assert.ok(pool.writer().finish().buffer.byteLength >= 16)
  })
})

/** The keys (parent rank, action) of the records of some blocks, in order. */
function keysOf(blocks: readonly RecordBlock[]): number[] {
  const keys: number[] = []
  for (const b of blocks) for (const r = new RecordReader(b); !r.done; r.next()) keys.push(r.parentRank, r.action)
  return keys
}
