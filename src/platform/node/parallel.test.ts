import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { Worker } from 'node:worker_threads'
import fc from 'fast-check'
import { graphModel } from '../../../test/support/graph-model.js'
import { randomGraph } from '../../../test/support/random-graph.js'
import { explore } from '../../core/check.js'
import type { SearchOptions } from '../../core/search/types.js'
import { loadModelFile } from './load-model.js'
import { SharedFingerprintSet } from '../../core/store/shared-seen-set.js'
import { searchInWorkers, searchInWorkersDfs } from './parallel.js'

const fixture = 'test/fixtures/random-graph.ts'

describe('parallel breadth-first search on worker threads', () => {
  it('each worker loads the model from its file; counts, verdict and violation are those of one worker', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.boolean(), fc.integer({ min: 2, max: 3 }), async (seed, deadlock, workers) => {
        const options: SearchOptions = { strategy: 'bfs', checkDeadlock: deadlock, continueAfterViolation: false }
        const one = explore(graphModel(randomGraph(seed, 60)), options)
        const many = await searchInWorkers({ file: fixture, constants: { SEED: seed, NODES: 60 } }, workers, options)
        assert.equal(many.status, one.status)
        if (one.violation) {
          assert.deepEqual([many.violation?.kind, many.violation?.choices, many.violation?.failingAction], [one.violation.kind, one.violation.choices, one.violation.failingAction])
        } else {
          assert.deepEqual([many.stats.distinct, many.stats.transitions, many.stats.depth], [one.stats.distinct, one.stats.transitions, one.stats.depth])
        }
      }),
      { numRuns: 6 },
    )
  })

  it('a Promela model with a claim: the product is built in every worker', async () => {
    const options = { checkDeadlock: false, continueAfterViolation: false, depthUnit: 'steps' as const }
    const r = await searchInWorkers({ file: 'examples/aws-dns/fixed.pml', claim: 'never_delete_active' }, 2, options)
    assert.equal(r.status, 'ok')
    assert.deepEqual([r.stats.distinct, r.stats.transitions], [341, 765])
    const race = await searchInWorkers({ file: 'examples/aws-dns/race.pml', claim: 'never_delete_active' }, 2, options)
    assert.equal(race.status, 'violation')
    assert.equal(race.violation?.choices.length, 13)
  })

  it('a time limit stops every worker and the search ends incomplete', async () => {
    const r = await searchInWorkers({ file: 'examples/aws-dns/fixed.ts', constants: { ENACTORS: 4, PLANS: 12 } }, 2, { checkDeadlock: true, continueAfterViolation: false, timeLimit: 0.5 })
    assert.equal(r.status, 'incomplete')
    assert.equal(r.limit, 'time-limit')
    assert.ok(r.stats.seconds < 5, `${r.stats.seconds} s`)
  })

  it('a TLA+ spec: state bytes are the same in every thread (strings built during the search, a VIEW, SYMMETRY), so counts are one worker\'s', async () => {
    const cases: { file: string; config: string; constants: Record<string, string | number> }[] = [
      { file: 'test/fixtures/tla/Commit.tla', config: 'test/fixtures/tla/Commit.cfg', constants: {} },
      { file: 'test/fixtures/tla/Commit.tla', config: 'test/fixtures/tla/Commit.cfg', constants: { RM: '{r1, r2, r3, r4}' } },
      { file: 'test/fixtures/tla/Tokens.tla', config: 'test/fixtures/tla/Tokens.cfg', constants: { Max: 6 } },
      { file: 'test/fixtures/tla/Tokens.tla', config: 'test/fixtures/tla/TokensSym.cfg', constants: { Procs: '{p1, p2, p3, p4}' } },
    ]
    for (const source of cases) {
      const options: SearchOptions = { strategy: 'bfs', checkDeadlock: false, continueAfterViolation: false }
      const { model } = await loadModelFile(source.file, source.constants, { config: source.config })
      assert.ok(model.transfer, 'a TLA+ model moves its states between threads as bytes')
      const one = explore(model, options)
      const two = await searchInWorkers(source, 2, options)
      assert.equal(two.status, 'ok')
      assert.deepEqual([two.stats.distinct, two.stats.transitions, two.stats.depth], [one.stats.distinct, one.stats.transitions, one.stats.depth], `${source.config} ${JSON.stringify(source.constants)}`)
    }
  })
})

describe('parallel depth-first search on worker threads', () => {
  it('a complete search stores and generates what one worker does; a violation found is a real one', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.boolean(), async (seed, deadlock) => {
        const options: SearchOptions = { strategy: 'dfs', checkDeadlock: deadlock, continueAfterViolation: false }
        const one = explore(graphModel(randomGraph(seed, 3000)), options)
        const two = await searchInWorkersDfs({ file: fixture, constants: { SEED: seed, NODES: 3000 } }, 2, options)
        assert.equal(two.status, one.status)
        if (one.status === 'ok') assert.deepEqual([two.stats.distinct, two.stats.transitions], [one.stats.distinct, one.stats.transitions])
      }),
      { numRuns: 4 },
    )
  })

  it('a Promela model with a claim: the same counts as one worker, and a violation', async () => {
    const options = { checkDeadlock: false, continueAfterViolation: false, depthUnit: 'steps' as const }
    const r = await searchInWorkersDfs({ file: 'examples/aws-dns/fixed.pml', claim: 'never_delete_active' }, 2, options)
    assert.deepEqual([r.status, r.stats.distinct, r.stats.transitions], ['ok', 341, 765])
    const race = await searchInWorkersDfs({ file: 'examples/aws-dns/race.pml', claim: 'never_delete_active' }, 2, options)
    assert.equal(race.status, 'violation')
  })

  it('a larger model: both workers search, and the counts are one worker\'s', async () => {
    const source = { file: 'examples/aws-dns/fixed.ts', constants: { ENACTORS: 3, PLANS: 6 } }
    const { model } = await loadModelFile(source.file, source.constants)
    const options: SearchOptions = { strategy: 'dfs', checkDeadlock: true, continueAfterViolation: false }
    const one = explore(model, options)
    const two = await searchInWorkersDfs(source, 2, options)
    assert.equal(one.status, 'ok')
    assert.deepEqual([two.status, two.stats.distinct, two.stats.transitions], ['ok', one.stats.distinct, one.stats.transitions])
  })

  it('a time limit stops every worker and the search ends incomplete', async () => {
    const r = await searchInWorkersDfs({ file: 'examples/aws-dns/fixed.ts', constants: { ENACTORS: 4, PLANS: 12 } }, 2, { checkDeadlock: true, continueAfterViolation: false, timeLimit: 0.5 })
    assert.deepEqual([r.status, r.limit], ['incomplete', 'time-limit'])
    assert.ok(r.stats.seconds < 5, `${r.stats.seconds} s`)
  })
})

describe('worker threads that cannot load the model', () => {
  it('fail the search with the reason, breadth-first and depth-first alike', async () => {
    const source = { file: 'test/fixtures/no-such-model.pml' }
    const options = { checkDeadlock: true, continueAfterViolation: false }
    await assert.rejects(searchInWorkers(source, 2, options), /a search worker could not load the model: .*no-such-model/)
    await assert.rejects(searchInWorkersDfs(source, 2, options), /a search worker could not load the model: .*no-such-model/)
  })
})

describe('the shared seen set under threads', () => {
  it('stores a fingerprint two threads add at once exactly once, and tells exactly one of them it is new', async () => {
    const count = 200_000
    const table = SharedFingerprintSet.create(1 << 19)
    const module = new URL('../../core/store/shared-seen-set.js', import.meta.url).href
    // Both threads add the same fingerprints in the same order, so they race for the same slots.
    const code = `
      const { workerData, parentPort } = require('node:worker_threads')
      import(workerData.module).then(({ SharedFingerprintSet, ADDED }) => {
        const set = new SharedFingerprintSet(workerData.buffer)
        let added = 0
        for (let i = 1; i <= workerData.count; i++) if (set.add((i * 2654435761) >>> 0 || 1, i, true) === ADDED) added++
        parentPort.postMessage(added)
      })`
    const run = (): Promise<number> =>
      new Promise((resolve, reject) => {
        const w = new Worker(code, { eval: true, workerData: { module, buffer: table.buffer, count } })
        w.once('message', resolve)
        w.once('error', reject)
      })
    const added = await Promise.all([run(), run()])
    assert.equal(added[0]! + added[1]!, count)
    let stored = 0
    for (let j = 0; j < table.table.length; j += 2) if (table.table[j] !== 0) stored++
    assert.equal(stored, count)
  })
})
