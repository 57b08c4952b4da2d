import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { graphModel, reachable, type Graph } from '../../../test/support/graph-model.js'
import { explore } from '../check.js'
import { followChoices } from '../path.js'
import { defaultSearchOptions, type SearchOptions } from './types.js'

const bfs: SearchOptions = defaultSearchOptions
const dfs: SearchOptions = { ...defaultSearchOptions, strategy: 'dfs' }

// 0 -> 1 -> 2 -> 3 -> 4, a valid end at 4
const chain: Graph = { nodes: 5, inits: [0], edges: [[1], [2], [3], [4], []], validEnd: [4] }

describe('exhaustive search on hand-written graphs', () => {
  for (const options of [bfs, dfs]) {
    it(`${options.strategy}: counts a chain exactly`, () => {
      const r = explore(graphModel(chain), options)
      assert.equal(r.status, 'ok')
      assert.equal(r.stats.distinct, 5)
      assert.equal(r.stats.transitions, 5) // the initial state plus four edges
      assert.equal(r.stats.depth, 5)
    })

    it(`${options.strategy}: depth in steps counts edges, as SPIN does`, () => {
      const r = explore(graphModel(chain, { depthUnit: 'steps' }), options)
      assert.equal(r.stats.depth, 4)
    })

    it(`${options.strategy}: counts revisits as transitions`, () => {
      // a diamond with a back edge: 0 -> {1, 2} -> 3 -> 0
      const g: Graph = { nodes: 4, inits: [0, 0], edges: [[1, 2], [3], [3], [0]] }
      const r = explore(graphModel(g), options)
      assert.equal(r.status, 'ok')
      assert.equal(r.stats.distinct, 4)
      assert.equal(r.stats.transitions, 2 + 5)
    })

    it(`${options.strategy}: a terminal state that is not a valid end is a deadlock`, () => {
      const g: Graph = { nodes: 3, inits: [0], edges: [[1, 2], [], [-1]], validEnd: [1] }
      const r = explore(graphModel(g), options)
      assert.equal(r.status, 'violation')
      assert.equal(r.violation?.kind, 'deadlock')
      assert.deepEqual(r.violation?.choices, [0, 1])
      assert.equal(explore(graphModel(g), { ...options, checkDeadlock: false }).status, 'ok')
    })

    it(`${options.strategy}: an action that throws is a runtime error at the state before it`, () => {
      const g: Graph = { nodes: 3, inits: [0], edges: [[1], [2, 0], []], validEnd: [2], failing: { '1:1': 'error' } }
      const r = explore(graphModel(g), options)
      assert.equal(r.violation?.kind, 'runtime-error')
      assert.match(r.violation!.message, /edge 1:1 exploded/)
      assert.deepEqual(r.violation?.choices, [0, 0])
      assert.equal(r.violation?.failingAction, 1)
    })

    it(`${options.strategy}: a TransitionFailure is reported with its own kind`, () => {
      const g: Graph = { nodes: 2, inits: [0], edges: [[1], [1]], failing: { '1:0': 'assert' } }
      const r = explore(graphModel(g), options)
      assert.equal(r.violation?.kind, 'assertion')
      assert.equal(r.violation?.name, 'edge 1:0')
    })

    it(`${options.strategy}: max-states stops with the statistics so far`, () => {
      const r = explore(graphModel(chain), { ...options, maxStates: 3 })
      assert.equal(r.status, 'incomplete')
      assert.equal(r.limit, 'max-states')
      assert.equal(r.stats.distinct, 3)
      // exactly as many states as the space holds is still complete
      assert.equal(explore(graphModel(chain), { ...options, maxStates: 5 }).status, 'ok')
    })

    it(`${options.strategy}: max-depth leaves deeper states unexplored and says so`, () => {
      const r = explore(graphModel(chain), { ...options, maxDepth: 3 })
      assert.equal(r.status, 'incomplete')
      assert.equal(r.limit, 'max-depth')
      assert.equal(r.stats.distinct, 3)
      // a bound at the real depth finishes
      assert.equal(explore(graphModel(chain), { ...options, maxDepth: 5 }).status, 'ok')
    })

    it(`${options.strategy}: continue counts every violation and explores the whole space`, () => {
      const g: Graph = { nodes: 5, inits: [0], edges: [[1, 2], [3], [3], [4], []], bad: [1, 2], validEnd: [4] }
      const r = explore(graphModel(g), { ...options, continueAfterViolation: true })
      assert.equal(r.status, 'violation')
      assert.equal(r.violations, 2)
      assert.equal(r.stats.distinct, 5)
      assert.equal(r.stats.transitions, reachable(g).transitions)
    })
  }

  it('bfs: an invariant violation has a shortest trace', () => {
    // the bad node 5 is 5 steps away along 0-1-2-3-4-5 and 2 steps along 0-6-5; dfs takes the long way
    const g: Graph = { nodes: 7, inits: [0], edges: [[1, 6], [2], [3], [4], [5], [5], [5]], bad: [5] }
    const r = explore(graphModel(g), bfs)
    assert.equal(r.violation?.kind, 'invariant')
    assert.deepEqual(r.violation?.choices, [0, 1, 0])
    const d = explore(graphModel(g), dfs)
    assert.equal(d.violation?.kind, 'invariant')
    assert.deepEqual(d.violation?.choices, [0, 0, 0, 0, 0, 0])
    const path = followChoices(graphModel(g), r.violation!.choices)
    assert.deepEqual(
      path.steps.map((s) => s.state),
      [6, 5],
    )
  })

  it('dfs: depth adds up the model step weights, as SPIN counts steps inside atomic sequences', () => {
    const weighted = { ...graphModel(chain, { depthUnit: 'steps' }), stepWeight: (s: number) => (s === 1 ? 3 : 1) }
    // 0 -1-> 1 -3-> 2 -1-> 3 -1-> 4
    assert.equal(explore(weighted, dfs).stats.depth, 6)
    assert.equal(explore(graphModel(chain, { depthUnit: 'steps' }), dfs).stats.depth, 4)
  })

  it('dfs and ndfs: a weighted step to a state already seen counts its inner states, as pan does', () => {
    // 0 -1-> 1 -1-> 2, and 2 -4-> 1 (seen): the step back passes 3 inner states, to depth 2 + 3.
    const g = { nodes: 3, inits: [0], edges: [[1], [2], [1]] }
    const weighted = { ...graphModel(g, { depthUnit: 'steps' }), stepWeight: (s: number) => (s === 2 ? 4 : 1) }
    assert.equal(explore(weighted, dfs).stats.depth, 5)
    assert.equal(explore(weighted, { ...dfs, strategy: 'ndfs' }).stats.depth, 5)
    // Without weights a step back adds nothing.
    assert.equal(explore(graphModel(g, { depthUnit: 'steps' }), dfs).stats.depth, 2)
  })

  it('dfs and ndfs: deadEndWeight adds the levels a state tries and backs out of', () => {
    const g = { nodes: 3, inits: [0], edges: [[1], [2], []], validEnd: [2] }
    const model = { ...graphModel(g, { depthUnit: 'steps' }), stepWeight: () => 1, deadEndWeight: (s: number) => (s === 1 ? 4 : 0) }
    assert.equal(explore(model, dfs).stats.depth, 5)
    assert.equal(explore(model, { ...dfs, strategy: 'ndfs' }).stats.depth, 5)
  })

  it('an invariant that fails in an initial state gives a one-state trace', () => {
    const r = explore(graphModel({ nodes: 2, inits: [1, 0], edges: [[0], [1]], bad: [0] }), bfs)
    assert.deepEqual(r.violation?.choices, [1])
  })

  it('a time limit ends an endless search as incomplete', () => {
    const endless = counterModel()
    const r = explore(endless, { ...bfs, timeLimit: 0.05 })
    assert.equal(r.status, 'incomplete')
    assert.equal(r.limit, 'time-limit')
    assert.ok(r.stats.distinct > 0)
  })

  it('a memory probe that reports exhaustion ends the search cleanly', () => {
    const r = explore(counterModel(), { ...dfs, memoryExhausted: () => true })
    assert.equal(r.status, 'incomplete')
    assert.equal(r.limit, 'memory')
  })

  it('progress is reported to the reporter on long runs', () => {
    const seen: number[] = []
    explore(counterModel(), { ...bfs, timeLimit: 1.2, reporter: { progress: (p) => seen.push(p.distinct) } })
    assert.ok(seen.length >= 1)
    assert.ok(seen[0]! > 0)
  })
})

/** Counts upwards forever (until 2^32): a state space too large to finish. */
function counterModel() {
  const buf = new Uint8Array(4)
  const view = new DataView(buf.buffer)
  return {
    name: 'counter',
    initStates: () => [0],
    actions: () => [0],
    nextState: (s: number) => s + 1,
    properties: () => [],
    encode(s: number) {
      view.setUint32(0, s)
      return buf
    },
    label: () => ({ action: 'inc' }),
    view: (s: number) => ({ n: s }),
  }
}

/** Random graphs with some bad, failing and disabled edges. */
const graphs = fc
  .integer({ min: 1, max: 24 })
  .chain((n) =>
    fc.record({
      nodes: fc.constant(n),
      inits: fc.array(fc.nat(n - 1), { minLength: 1, maxLength: 3 }),
      edges: fc.array(fc.array(fc.integer({ min: -1, max: n - 1 }), { maxLength: 4 }), { minLength: n, maxLength: n }),
      bad: fc.array(fc.nat(n - 1), { maxLength: 2 }),
      validEnd: fc.array(fc.nat(n - 1), { maxLength: n }),
    }),
  )

describe('properties over random graphs', () => {
  it('bfs and dfs both count exactly what plain reachability finds', () => {
    fc.assert(
      fc.property(graphs, fc.boolean(), (g, decode) => {
        const clean: Graph = { ...g, bad: [] }
        const ref = reachable(clean)
        for (const options of [bfs, dfs]) {
          const r = explore(graphModel(clean, { decode }), { ...options, checkDeadlock: false })
          assert.equal(r.status, 'ok')
          assert.equal(r.stats.distinct, ref.distinct)
          assert.equal(r.stats.transitions, ref.transitions)
        }
        const r = explore(graphModel(clean, { decode }), { ...bfs, checkDeadlock: false })
        assert.equal(r.stats.depth, ref.depth)
      }),
      { numRuns: 300 },
    )
  })

  it('bfs and dfs agree on the verdict; bfs traces are shortest and replay to the violation', () => {
    fc.assert(
      fc.property(graphs, (g) => {
        const model = graphModel(g)
        const b = explore(model, bfs)
        const d = explore(model, dfs)
        assert.equal(b.status, d.status)
        const ref = reachable(g)
        const badReachable = (g.bad ?? []).filter((n) => ref.dist.has(n))
        const hasDeadlock = [...ref.dist.keys()].some((n) => g.edges[n]!.every((t) => t < 0) && !(g.validEnd ?? []).includes(n))
        assert.equal(b.status === 'violation', badReachable.length > 0 || hasDeadlock)
        if (b.violation?.kind === 'invariant') {
          // nothing bad is closer than the violation found
          const nearest = Math.min(...badReachable.map((n) => ref.dist.get(n)!))
          assert.equal(b.violation.choices.length, nearest)
        }
        for (const r of [b, d]) {
          if (!r.violation) continue
          const path = followChoices(model, r.violation.choices)
          const last = path.steps.at(-1)?.state ?? path.init
          if (r.violation.kind === 'invariant') assert.ok((g.bad ?? []).includes(last))
          if (r.violation.kind === 'deadlock') assert.ok(g.edges[last]!.every((t) => t < 0))
        }
      }),
      { numRuns: 400 },
    )
  })

  it('continuing past violations finds the full state space, in both orders', () => {
    fc.assert(
      fc.property(graphs, (g) => {
        const ref = reachable(g)
        for (const options of [bfs, dfs]) {
          const r = explore(graphModel(g), { ...options, continueAfterViolation: true })
          assert.equal(r.stats.distinct, ref.distinct)
          assert.equal(r.stats.transitions, ref.transitions)
        }
        const b = explore(graphModel(g), { ...bfs, continueAfterViolation: true })
        const d = explore(graphModel(g), { ...dfs, continueAfterViolation: true })
        assert.equal(b.violations, d.violations)
      }),
      { numRuns: 300 },
    )
  })
})

describe('breadth-first search on successor bytes (Model.nextEncoded)', () => {
  it('gives the counts, verdict and trace of the search on successor states', () => {
    fc.assert(
      fc.property(graphs, fc.boolean(), (g, cont) => {
        const m = graphModel(g)
        const bytes: typeof m = {
          ...m,
          nextEncoded: (s, a) => {
            const t = m.nextState(s, a)
            return t === undefined ? undefined : m.encode(t)
          },
        }
        const options = { ...bfs, continueAfterViolation: cont }
        const a = explore(m, options)
        const b = explore(bytes, options)
        assert.deepEqual([b.status, b.violations, b.stats.distinct, b.stats.transitions, b.stats.depth], [a.status, a.violations, a.stats.distinct, a.stats.transitions, a.stats.depth])
        assert.deepEqual(b.violation, a.violation)
      }),
      { numRuns: 300 },
    )
  })
})

describe('breadth-first search on all successors at once (Model.successorsEncoded)', () => {
  it('gives the counts, verdict and trace of the search action by action, failures and bad orders included', () => {
    fc.assert(
      fc.property(graphs, fc.boolean(), fc.boolean(), fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }), (g, cont, reversed, maxDepth) => {
        const m = graphModel(g)
        const all: typeof m = {
          ...m,
          // A failing edge throws and successors out of order are refused: the search then goes action by action.
          successorsEncoded(s, sink) {
            const acts = m.actions(s)
            const order = acts.map((_, i) => i)
            if (reversed) order.reverse()
            for (const i of order) {
              const t = m.nextState(s, acts[i]!)
              if (t === undefined) continue
              const b = m.encode(t)
              const at = sink.add(i, b.length)
              sink.bytes.set(b, at)
            }
          },
        }
        const options = { ...bfs, continueAfterViolation: cont, ...(maxDepth === undefined ? {} : { maxDepth }) }
        const a = explore(m, options)
        const b = explore(all, options)
        assert.deepEqual([b.status, b.violations, b.limit, b.stats.distinct, b.stats.transitions, b.stats.depth], [a.status, a.violations, a.limit, a.stats.distinct, a.stats.transitions, a.stats.depth])
        assert.deepEqual(b.violation, a.violation)
        // depth-first search takes actions one by one and must agree on the verdict
        if (maxDepth === undefined && !cont) assert.equal(explore(all, { ...dfs }).status, a.status)
      }),
      { numRuns: 300 },
    )
  })
})
