/** Coverage counts (--coverage) and the state graph (--dot, --graph-json) for each front end. */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { runCheck } from '../../src/api.js'
import { loadPromela } from '../../src/lang/promela/load.js'
import { loadModelFile } from '../../src/platform/node/load-model.js'
import { renderCoverage } from '../../src/report/coverage.js'
import { buildStateGraph, renderDot } from '../../src/report/graph.js'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const sources = (f: string): string | undefined => {
  try {
    return readFileSync(f, 'utf8')
  } catch {
    return undefined
  }
}

describe('coverage', () => {
  it('TypeScript: every action fired, and the counts add up to the successors the search generated', async () => {
    const { model } = await loadModelFile(join(ROOT, 'examples/aws-dns/fixed.ts'))
    const { summary } = runCheck(model, { coverage: true })
    const c = summary.coverage!
    assert.deepEqual(
      c.items.map((e) => [e.group, e.name, e.count]),
      [
        ['planner', 'plan', 30],
        ['enactor', 'take', 28],
        ['enactor', 'checkAndApply', 52],
        ['enactor', 'cleanup', 54],
      ],
    )
    // A complete search: each generated successor fired exactly one action; the initial state fired none.
    assert.equal(
      c.items.reduce((n, e) => n + e.count, 0),
      summary.stats!.transitions - 1,
    )
    assert.equal(c.fired, 4)
    assert.equal(c.total, 4)
    // Counting changes nothing in the search.
    assert.deepEqual(runCheck(model).summary.stats!.distinct, summary.stats!.distinct)
  })

  it('Promela: statements with their lines, those never executed listed as unreached (as SPIN reports them)', () => {
    const file = 'cov.pml'
    const text = `byte x;
active proctype P() {
  do
  :: x < 2 -> x++
  :: x == 5 -> x = 0
  :: x == 2 -> break
  od
}
active proctype Q() {
  x > 9;
  x = 1
}
`
    const model = loadPromela({ file, text }).model!
    const { summary } = runCheck(model, { coverage: true, sources: (f) => (f === file ? text : undefined) })
    const c = summary.coverage!
    assert.equal(summary.result, 'violation') // Q blocks forever: an invalid end state
    const table = c.items.map((e) => `${e.group} ${e.line} ${e.name} ${e.count}`)
    assert.deepEqual(table, ['P 4 x < 2 2', 'P 4 x++ 2', 'P 5 x == 5 0', 'P 5 x = 0 0', 'P 6 x == 2 1', 'P 8 -end- 1', 'Q 10 x > 9 0', 'Q 11 x = 1 0', 'Q 12 -end- 0'])
    const text2 = renderCoverage(c)
    assert.match(text2, /^Coverage: 4 of 9 statements fired \(5 never did\)$/m)
    assert.match(text2, /^Never fired \(unreached statements\):\n {2}P: cov\.pml:5 x == 5\n {2}P: cov\.pml:5 x = 0\n {2}Q: cov\.pml:10 x > 9/m)
  })

  it('TLA+: per disjunct of the next-state relation, with its line, those inside \\E p \\in S : A(p) \\/ B(p) apart', async () => {
    const { model } = await loadModelFile(join(ROOT, 'test/fixtures/tla/Workers.tla'))
    const { summary } = runCheck(model, { coverage: true, sources })
    // Next == Reset \/ \E w \in Workers : Take(w) \/ (done[w] < 1 /\ Finish(w)): Take at its
    // definition, the guarded Finish where it is written.
    assert.deepEqual(
      summary.coverage!.items.map((e) => [e.name, e.line, e.count]),
      [
        ['Reset', 12, 0],
        ['Take', 9, 8],
        ['Finish', 14, 6],
      ],
    )
  })
})

describe('state graph', () => {
  it('has the distinct states of a complete search and an edge per generated successor', async () => {
    const { model } = await loadModelFile(join(ROOT, 'examples/aws-dns/fixed.ts'))
    const built = buildStateGraph(model, 1000)
    assert.ok('graph' in built)
    assert.equal(built.graph.nodes.length, 84)
    assert.equal(built.graph.edges.length, 164)
    assert.equal(built.graph.nodes.filter((n) => n.initial).length, 1)
    assert.deepEqual(built.graph.nodes[0]!.view['next'], { '#bigint': '1' })
    const dot = renderDot(built.graph, 'fixed')
    assert.equal(dot.match(/ -> /g)?.length, 164)
    assert.match(dot, /^digraph "fixed" \{/)
    assert.match(dot, /s0 -> s1 \[label="planner: plan"\];/)
  })

  it('goes past violations, marks the states that violate an invariant, and stops at the limit', async () => {
    const { model } = await loadModelFile(join(ROOT, 'examples/aws-dns/race.ts'))
    const built = buildStateGraph(model, 1000)
    assert.ok('graph' in built)
    // As `weft check --continue` counts them: 184 states, 356 generated (the initial one included), 24 violations.
    assert.equal(built.graph.nodes.length, 184)
    assert.equal(built.graph.edges.length, 355)
    assert.equal(built.graph.nodes.filter((n) => n.violates?.includes('activePlanNotDeleted')).length, 24)
    assert.ok('graph' in buildStateGraph(model, 184))
    assert.deepEqual(buildStateGraph(model, 183), { tooLarge: 183 })
  })
})
