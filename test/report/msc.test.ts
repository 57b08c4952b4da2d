/**
 * Sequence diagrams of counterexamples from each front end: lifelines, the step on each lifeline,
 * message arrows from send to receive, the violating step, a lasso's cycle; and their SVG.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { runCheck } from '../../src/api.js'
import type { Model } from '../../src/core/model.js'
import { claimProduct } from '../../src/lang/promela/claim.js'
import { loadPromela } from '../../src/lang/promela/load.js'
import { loadModelFile } from '../../src/platform/node/load-model.js'
import { renderMscSvg } from '../../src/report/msc-svg.js'
import { layoutMsc, type Msc } from '../../src/trace/msc.js'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))

function promela(text: string): Model<unknown, unknown> {
  const loaded = loadPromela({ file: 'm.pml', text })
  assert.ok(loaded.model, loaded.diagnostics.map((d) => d.message).join('\n'))
  return loaded.model as unknown as Model<unknown, unknown>
}

function diagramOf(model: Model<unknown, unknown>, strategy: 'bfs' | 'ndfs' = 'bfs'): Msc {
  const { summary, path } = runCheck(model, { strategy })
  assert.equal(summary.result, 'violation')
  return layoutMsc(model, path!, { violation: true, ...(summary.violation!.loop === undefined ? {} : { loop: summary.violation!.loop }) })
}

const who = (msc: Msc): string[] => msc.steps.map((s) => msc.lifelines[s.lifeline]!.name)

describe('sequence diagrams', () => {
  it('TypeScript: one lifeline per process (the process of defineModel), the violating step last', async () => {
    const model = await loadModelFile(join(ROOT, 'examples/aws-dns/race.ts'))
    const msc = diagramOf(model.model)
    assert.deepEqual(
      msc.lifelines.map((l) => l.name),
      ['planner', 'enactor 1', 'enactor 2'],
    )
    assert.deepEqual(who(msc), ['planner', 'planner', 'enactor 1', 'enactor 2', 'enactor 1', 'enactor 2', 'enactor 2', 'enactor 1', 'enactor 2'])
    assert.deepEqual(
      msc.steps.map((s) => s.action),
      ['plan', 'plan', 'take', 'take', 'check', 'check', 'apply', 'apply', 'cleanup'],
    )
    assert.deepEqual(
      msc.steps.map((s) => s.violating),
      [false, false, false, false, false, false, false, false, true],
    )
    assert.deepEqual(msc.arrows, [])
  })

  it('Promela: a rendezvous is an arrow within its step, a buffered message goes from its send down to its receive', () => {
    const msc = diagramOf(
      promela(`chan r = [0] of { byte, byte };
chan b = [2] of { byte };
active proctype A() { r!7,1; b!8; b!9 }
active proctype B() { byte x, y; r?x,y; b?x; b?y; assert(x > y) }
`),
    )
    assert.deepEqual(
      msc.lifelines.map((l) => l.name),
      ['A(0)', 'B(1)'],
    )
    assert.deepEqual(who(msc), ['A(0)', 'A(0)', 'B(1)', 'A(0)', 'B(1)', 'B(1)'])
    assert.deepEqual(
      msc.arrows.map((a) => [a.from, a.to, a.fromLifeline, a.toLifeline, a.channel, a.message, a.rendezvous]),
      [
        [0, 0, 0, 1, 'r', '7,1', true],
        [1, 2, 0, 1, 'b', '8', false],
        [3, 4, 0, 1, 'b', '9', false],
      ],
    )
    const last = msc.steps.at(-1)!
    assert.equal(last.failing, true)
    assert.equal(last.violating, true)
    assert.equal(msc.steps.filter((s) => s.violating).length, 1)
  })

  it('Promela: a message never received is drawn to the end of the diagram; receives match by channel', () => {
    const msc = diagramOf(
      promela(`chan a = [2] of { byte };
chan c = [2] of { byte };
active proctype P() { a!1; c!2; a!3; c?_; assert(false) }
`),
    )
    assert.deepEqual(
      msc.arrows.map((a) => [a.from, a.to, a.channel, a.message]),
      [
        [0, -1, 'a', '1'],
        [1, 3, 'c', '2'],
        [2, -1, 'a', '3'],
      ],
    )
  })

  it('Promela: a lasso marks its cycle', () => {
    const model = claimProduct(
      loadPromela({ file: 'l.pml', text: 'byte x;\nactive proctype A() { do :: x = 1 :: x = 0 od }\nltl reach2 { <> (x == 2) }\n' }).model!,
      'reach2',
    )!
    const { summary, path } = runCheck(model, { strategy: 'ndfs' })
    const loop = summary.violation!.loop!
    assert.equal(typeof loop, 'number')
    const msc = layoutMsc(model, path!, { violation: true, loop })
    assert.equal(msc.cycleStart, loop)
    assert.equal(msc.cycleState, loop + 1)
    assert.deepEqual(
      msc.steps.map((s) => s.inCycle),
      msc.steps.map((_, i) => i >= loop),
    )
    assert.match(renderMscSvg(msc), new RegExp(`back to state ${loop + 1}`))
  })

  it('TLA+: the process of \\E w \\in Workers : ... is the bound value, and the disjunct names the step', async () => {
    const loaded = await loadModelFile(join(ROOT, 'test/fixtures/tla/Workers.tla'))
    const msc = diagramOf(loaded.model)
    assert.deepEqual(
      msc.lifelines.map((l) => l.name),
      ['w1', 'w2'],
    )
    assert.deepEqual(
      msc.steps.map((s) => `${msc.lifelines[s.lifeline]!.name}: ${s.action}`),
      ['w1: Finish', 'w2: Finish'],
    )
    // Take(w) gives the same state for every w: each successor still names its own process.
    const init = loaded.model.initStates()[0]
    assert.deepEqual(
      loaded.model.actions(init).map((a) => {
        const l = loaded.model.label(init, a)
        return `${l.process}: ${l.action}`
      }),
      ['w1: Take', 'w1: Finish', 'w2: Take', 'w2: Finish'],
    )
  })

  it('SVG: a lifeline group per process, the violating step marked, text escaped', () => {
    const msc: Msc = {
      lifelines: [{ name: 'P<1>' }, { name: 'Q' }],
      steps: [
        { state: 2, lifeline: 0, action: 'x = "a" & b', violating: false, failing: false, inCycle: false },
        { state: 3, lifeline: 1, action: 'y++', violating: true, failing: false, inCycle: false },
      ],
      arrows: [{ from: 0, to: 1, fromLifeline: 0, toLifeline: 1, channel: 'q', message: '1', rendezvous: false }],
    }
    const svg = renderMscSvg(msc)
    assert.equal(svg.match(/class="lifeline"/g)?.length, 2)
    assert.equal(svg.match(/class="step violating"/g)?.length, 1)
    assert.match(svg, /data-lifeline="P&lt;1&gt;"/)
    assert.match(svg, /x = &quot;a&quot; &amp; b/)
    assert.equal(svg.match(/class="message"/g)?.length, 1)
    assert.doesNotMatch(svg, /<script/)
  })
})

// The Promela DNS race through its claim: the planner sends plans the enactors receive.
describe('the DNS race in Promela, drawn', () => {
  it('has a lifeline per process and arrows from the planner to the enactor that took each plan', () => {
    const file = join(ROOT, 'examples/aws-dns/race.pml')
    const model = claimProduct(loadPromela({ file, text: readFileSync(file, 'utf8') }).model!, 'never_delete_active')!
    const { path } = runCheck(model)
    const msc = layoutMsc(model, path!, { violation: true })
    assert.deepEqual(
      msc.lifelines.map((l) => l.name),
      ['Planner(0)', 'Enactor(1)', 'Enactor(2)'],
    )
    assert.deepEqual(
      msc.arrows.map((a) => [msc.lifelines[a.fromLifeline]!.name, msc.lifelines[a.toLifeline]!.name, a.channel, a.message]),
      [
        ['Planner(0)', 'Enactor(2)', 'queue', '1'],
        ['Planner(0)', 'Enactor(1)', 'queue', '2'],
      ],
    )
    // The claim's failing move has no lifeline: the process step before it is the violating one.
    const last = msc.steps.at(-1)!
    assert.equal(last.violating, true)
    assert.equal(msc.lifelines[last.lifeline]!.name, 'Enactor(1)')
    assert.match(last.action, /^d_step/)
    assert.equal(last.state, 13)
    assert.equal(msc.steps.filter((s) => s.violating).length, 1)
  })
})
