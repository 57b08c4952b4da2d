import assert from 'node:assert/strict'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { after, describe, it } from 'node:test'
import fc from 'fast-check'
import { counterModel, expectedCounts } from '../../../bench/synthetic.js'
import { graphModel } from '../../../test/support/graph-model.js'
import { randomGraph } from '../../../test/support/random-graph.js'
import { explore } from '../../core/check.js'
import type { Model } from '../../core/model.js'
import { defaultSearchOptions, type SearchOptions } from '../../core/search/types.js'
import type { FrontierSpill, SpillFile } from '../../core/store/frontier.js'
import { check } from '../../node.js'
import { fileSpill, openSpillFile } from './spill-file.js'

const root = mkdtempSync(join(tmpdir(), 'weft-spill-test-'))
after(() => rmSync(root, { recursive: true, force: true }))

/** A fresh directory for one test's spill files. */
function freshDir(): string {
  return mkdtempSync(join(root, 'd-'))
}

/** `fileSpill` that also counts the files opened and closed. */
function countingSpill(dir: string, chunkBytes: number): FrontierSpill & { opened: number; closed: number } {
  const inner = fileSpill(0, dir, chunkBytes)
  const counts = {
    ...inner,
    opened: 0,
    closed: 0,
    open: (): SpillFile => {
      const file = inner.open()
      counts.opened++
      return { ...file, close: () => (counts.closed++, file.close()) }
    },
  }
  return counts
}

describe('the frontier spill file', () => {
  it('reads back what was written, in order, across rewinds, and leaves nothing behind', () => {
    const dir = freshDir()
    const file = openSpillFile(dir)
    const block = (n: number, v: number): Uint8Array => new Uint8Array(n).fill(v)
    file.write(block(100, 1), 100)
    file.write(block(50, 2), 30)
    const got = new Uint8Array(100)
    file.read(got, 100)
    assert.deepEqual(got, block(100, 1))
    file.read(got, 30)
    assert.deepEqual(got.subarray(0, 30), block(30, 2))
    file.rewind()
    file.write(block(10, 3), 10)
    file.read(got, 10)
    assert.deepEqual(got.subarray(0, 10), block(10, 3))
    assert.throws(() => file.read(got, 1), /ended early/)
    file.close()
    file.close()
    assert.deepEqual(readdirSync(dir), [])
  })

  it('spilling every chunk gives the same counts, verdict and trace as a frontier in memory, on random graphs', () => {
    const dir = freshDir()
    let spilled = 0
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.boolean(), fc.boolean(), fc.integer({ min: 12, max: 64 }), (seed, deadlock, go, chunkBytes) => {
        const g = randomGraph(seed, 120)
        const options: SearchOptions = { ...defaultSearchOptions, checkDeadlock: deadlock, continueAfterViolation: go }
        const want = explore(graphModel(g), options)
        const spill = countingSpill(dir, chunkBytes)
        const got = explore(graphModel(g), { ...options, frontierSpill: spill })
        assert.equal(got.status, want.status)
        assert.equal(got.violations, want.violations)
        assert.deepEqual(got.violation, want.violation)
        assert.deepEqual([got.stats.distinct, got.stats.transitions, got.stats.depth], [want.stats.distinct, want.stats.transitions, want.stats.depth])
        assert.equal(spill.closed, spill.opened)
        assert.ok(spill.opened <= 1)
        spilled += got.stats.spilledBytes ?? 0
        assert.deepEqual(readdirSync(dir), [])
      }),
      { numRuns: 150 },
    )
    assert.ok(spilled > 0, 'some searches spilled')
  })

  it('a larger model spills most of its frontier and counts exactly', () => {
    const dir = freshDir()
    const ranges = [10, 10, 10, 8]
    const r = explore(counterModel(ranges), { ...defaultSearchOptions, frontierSpill: fileSpill(1024, dir, 256) })
    const want = expectedCounts(ranges)
    assert.equal(r.status, 'ok')
    assert.deepEqual([r.stats.distinct, r.stats.transitions, r.stats.depth], [want.distinct, want.transitions, want.bfsDepth])
    assert.ok((r.stats.spilledBytes ?? 0) > 8 * want.distinct, `spilled ${r.stats.spilledBytes} bytes`)
    assert.deepEqual(readdirSync(dir), [])
  })

  it('is closed and removed when the search throws', () => {
    const dir = freshDir()
    const base = counterModel([10, 10, 10])
    let decoded = 0
    const model: Model<Uint8Array, number> = {
      ...base,
      decode: (b) => {
        if (++decoded === 500) throw new Error('decode exploded')
        return base.decode!(b)
      },
    }
    const spill = countingSpill(dir, 64)
    assert.throws(() => explore(model, { ...defaultSearchOptions, frontierSpill: spill }), /decode exploded/)
    assert.equal(spill.opened, 1)
    assert.equal(spill.closed, 1)
    assert.deepEqual(readdirSync(dir), [])
  })
})

describe("weft/node's check with the memory options", () => {
  it('runs an approximate store on one worker even when workers are asked for, and marks the summary', async () => {
    const ranges = [10, 10, 10, 8]
    const source = { file: fileURLToPath(new URL('../../../bench/synthetic-model.js', import.meta.url)), constants: { RANGES: ranges.join(',') } }
    const summary = await check(counterModel(ranges), { workers: 2, source, store: { mode: 'bitstate', bytes: 1 << 20, hashFunctions: 2 }, frontierMemory: 0 })
    assert.equal(summary.result, 'ok')
    assert.equal(summary.mode, 'bitstate')
    assert.equal(summary.stats?.distinct, expectedCounts(ranges).distinct)
    assert.equal(summary.stats?.store?.hashFunctions, 2)
    const exact = await check(counterModel(ranges), { frontierMemory: 0 })
    assert.equal(exact.mode, undefined)
    assert.equal(exact.stats?.store, undefined)
    assert.equal(exact.stats?.distinct, expectedCounts(ranges).distinct)
  })
})
