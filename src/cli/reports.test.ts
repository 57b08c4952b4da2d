/**
 * The command line's report files and counts: --html, --coverage, --dot, --graph-json, and
 * replaying a --trace-out trace for each front end (stdout, stderr, exit code and the files).
 */
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import type { CheckSummary } from '../report/summary.js'
import { main } from './main.js'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const abs = (rel: string): string => join(ROOT, rel)
const DIEHARD = abs('../shared/corpus/tla/DieHard/DieHard.tla')
const dir = mkdtempSync(join(tmpdir(), 'weft-reports-'))
const out = (name: string): string => join(dir, name)
after(() => rmSync(dir, { recursive: true, force: true }))

interface Run {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

async function runMain(args: readonly string[]): Promise<Run> {
  let stdout = ''
  let stderr = ''
  const code = await main(args, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } })
  return { code, stdout, stderr }
}

/** An HTML report must load nothing: no scripts, no external style sheets, images or fonts. */
function assertSelfContained(html: string): void {
  assert.doesNotMatch(html, /<script/i)
  assert.doesNotMatch(html, /<link/i)
  assert.doesNotMatch(html, /(src|href)\s*=/i)
  assert.doesNotMatch(html, /url\((?!#)/i)
  assert.doesNotMatch(html, /@import/i)
}

describe('weft check --html', () => {
  it('writes a self-contained report of the TypeScript race: verdict, one lifeline per process, the violating step', async () => {
    const run = await runMain(['check', abs('examples/aws-dns/race.ts'), '--html', out('race-ts.html')])
    assert.equal(run.code, 1)
    assert.equal(run.stderr, '')
    assert.match(run.stdout, /^Violation \(invariant\)/m)
    const html = readFileSync(out('race-ts.html'), 'utf8')
    assertSelfContained(html)
    assert.match(html, /<div class="verdict violation" id="verdict"><strong>Violation · invariant 'activePlanNotDeleted'<\/strong>/)
    assert.deepEqual(
      [...html.matchAll(/data-lifeline="([^"]*)"/g)].map((m) => m[1]),
      ['planner', 'enactor 1', 'enactor 2'],
    )
    assert.equal(html.match(/class="step violating"/g)?.length, 1)
    assert.match(html, /<tr data-state="10" class="violating">/)
    assert.match(html, /<code id="choice-path">0\/0\/0\/1\/2\/3\/4\/6\/5\/8<\/code>/)
    assert.match(html, /<section id="explanation"><h2>Why invariant &#39;activePlanNotDeleted&#39; fails in state 10<\/h2>/)
    assert.match(html, /<li style="padding-left:0em"><code>s\.deleted<\/code> = <code class="val">\[1\]<\/code><\/li>/)
  })

  it('writes the Promela race with its message arrows, and an ok report with its counts', async () => {
    const run = await runMain(['check', abs('examples/aws-dns/race.pml'), '--html', out('race-pml.html')])
    assert.equal(run.code, 1)
    const html = readFileSync(out('race-pml.html'), 'utf8')
    assertSelfContained(html)
    assert.deepEqual(
      [...html.matchAll(/data-lifeline="([^"]*)"/g)].map((m) => m[1]),
      ['Planner(0)', 'Enactor(1)', 'Enactor(2)'],
    )
    assert.equal(html.match(/<g class="message">/g)?.length, 2)
    const ok = await runMain(['check', abs('examples/aws-dns/fixed.pml'), '--html', out('fixed.html')])
    assert.equal(ok.code, 0)
    const fixed = readFileSync(out('fixed.html'), 'utf8')
    assert.match(fixed, /every property holds in all 341 reachable states/)
    assert.doesNotMatch(fixed, /<svg/)
  })

  it('says so when the file cannot be written', async () => {
    const run = await runMain(['check', abs('examples/aws-dns/race.ts'), '--html', join(dir, 'no-such-dir', 'r.html')])
    assert.equal(run.code, 2)
    assert.match(run.stderr, /^error\[CLI041\]: cannot write '.*no-such-dir\/r\.html'/)
  })
})

describe('weft simulate --html', () => {
  it('writes the violating run: verdict, sequence diagram, table and why it failed', async () => {
    const run = await runMain(['simulate', abs('examples/aws-dns/race.ts'), '--seed', '1', '--runs', '200', '--html', out('sim-race.html')])
    assert.equal(run.code, 1)
    const length = Number(/^Trace of (\d+) states:$/m.exec(run.stdout)?.[1])
    assert.ok(length > 0, run.stdout)
    const html = readFileSync(out('sim-race.html'), 'utf8')
    assertSelfContained(html)
    assert.match(html, /<p class="sub">weft [^<]* · typescript · simulation, seed 1<\/p>/)
    assert.match(html, /<strong>Violation · invariant 'activePlanNotDeleted'<\/strong>/)
    assert.equal(html.match(/<tr data-state=/g)?.length, length)
    assert.equal(html.match(/class="step violating"/g)?.length, 1)
    assert.match(html, /<dt>simulated steps<\/dt>/)
    assert.doesNotMatch(html, /<dt>distinct states<\/dt>/)
    assert.match(html, /<section id="explanation">/)
  })

  it('writes the last run when no run fails, in every front end', async () => {
    for (const model of ['examples/aws-dns/fixed.ts', 'examples/aws-dns/fixed.pml', 'examples/aws-dns/DnsFixed.tla']) {
      const file = out(`sim-${model.replace(/\W/g, '')}.html`)
      const run = await runMain(['simulate', abs(model), '--seed', '4', '--runs', '3', '--html', file])
      assert.equal(run.code, 0, run.stdout + run.stderr)
      const html = readFileSync(file, 'utf8')
      assertSelfContained(html)
      const shown = /the last run \((\d+) states\) is shown below/.exec(html)
      assert.ok(shown, model)
      assert.equal(html.match(/<tr data-state=/g)?.length, Number(shown[1]))
      assert.match(html, /<svg/)
      assert.doesNotMatch(html, /class="[^"]*violating/)
    }
  })
})

describe('weft check: why the property failed', () => {
  const cases: [string, string, string, string][] = [
    ['TypeScript', 'examples/aws-dns/race.ts', "invariant 'activePlanNotDeleted' fails in state 10", 's.deleted = [1]'],
    ['TLA+', 'examples/aws-dns/DnsRace.tla', 'invariant ActivePlanNotDeleted is FALSE in state 8', 'active \\notin deleted = FALSE'],
    ['Promela', 'examples/aws-dns/race.pml', "the claim 'never_delete_active' is violated in state 13 (the values of its atoms)", 'deleted[current] = 1'],
  ]
  for (const [language, model, title, line] of cases) {
    it(`${language}: after the text trace, and as violation.explanation in --json`, async () => {
      const text = await runMain(['check', abs(model)])
      assert.equal(text.code, 1)
      const why = text.stdout.slice(text.stdout.indexOf(`\nWhy ${title}:\n`))
      assert.ok(why.length > 0 && why.indexOf('\nChoice path: ') > 0, text.stdout)
      assert.ok(why.slice(0, why.indexOf('\nChoice path: ')).split('\n').some((l) => l.trim() === line), why)
      const summary = JSON.parse((await runMain(['check', abs(model), '--json'])).stdout) as CheckSummary
      const e = summary.violation!.explanation!
      assert.equal(e.title, title)
      assert.ok(e.terms.some((t) => `${t.term} = ${t.value}` === line))
    })
  }
})

describe('weft check --diff (TLA+)', () => {
  /** The lines of trace state `n` (`State n: <...>` up to the blank line). */
  const stateLines = (out: string, n: number): string[] => {
    const start = out.indexOf(`\nState ${n}: `)
    return out.slice(start + 1, out.indexOf('\n\n', start + 1)).split('\n').slice(1)
  }
  it("prints TLC's whole states by default, and only the variables each step changes with --diff", async () => {
    const model = abs('examples/aws-dns/DnsRace.tla')
    const full = await runMain(['check', model])
    const diff = await runMain(['check', model, '--diff'])
    assert.equal(full.code, 1)
    assert.equal(diff.code, 1)
    // State 2 (Produce) changes next and queue; TLC prints all six variables.
    assert.deepEqual(stateLines(full.stdout, 2), ['/\\ next = 2', '/\\ queue = <<1>>', '/\\ active = 0', '/\\ deleted = {}', '/\\ pc = (e1 :> "idle" @@ e2 :> "idle")', '/\\ plan = (e1 :> 0 @@ e2 :> 0)'])
    assert.deepEqual(stateLines(diff.stdout, 2), ['/\\ next = 2', '/\\ queue = <<1>>'])
    // The initial state is whole in both.
    assert.deepEqual(stateLines(diff.stdout, 1), stateLines(full.stdout, 1))
  })
})

describe('weft check --coverage', () => {
  it('adds the counts to the text and to --json', async () => {
    const text = await runMain(['check', abs('examples/aws-dns/fixed.pml'), '--coverage'])
    assert.equal(text.code, 0)
    assert.match(text.stdout, /^Coverage: 10 of 11 statements fired \(1 never did\)$/m)
    assert.match(text.stdout, /^Never fired \(unreached statements\):\n {2}Enactor: .*fixed\.pml:58 -end-$/m)
    const json = await runMain(['check', abs('examples/aws-dns/fixed.ts'), '--coverage', '--json'])
    const summary = JSON.parse(json.stdout) as CheckSummary
    assert.equal(summary.result, 'ok')
    assert.deepEqual(
      summary.coverage!.items.map((e) => [e.name, e.count]),
      [
        ['plan', 30],
        ['take', 28],
        ['checkAndApply', 52],
        ['cleanup', 54],
      ],
    )
    const plain = JSON.parse((await runMain(['check', abs('examples/aws-dns/fixed.ts'), '--json'])).stdout) as CheckSummary
    assert.equal(plain.coverage, undefined)
  })
})

describe('weft check --dot / --graph-json', () => {
  it('writes the state graph of a small model', async () => {
    const run = await runMain(['check', abs('examples/aws-dns/fixed.ts'), '--dot', out('fixed.dot'), '--graph-json', out('fixed.json')])
    assert.equal(run.code, 0)
    const dot = readFileSync(out('fixed.dot'), 'utf8')
    assert.equal(dot.match(/^ {2}s\d+ \[label=/gm)?.length, 84)
    const graph = JSON.parse(readFileSync(out('fixed.json'), 'utf8')) as { states: number; steps: number; nodes: unknown[]; edges: { from: number; to: number; action: string; process?: string }[] }
    assert.equal(graph.states, 84)
    assert.equal(graph.steps, 164)
    assert.deepEqual(graph.edges[0], { from: 0, to: 1, action: 'plan', process: 'planner' })
  })

  it('refuses a model too large to draw, before checking it', async () => {
    const run = await runMain(['check', abs('examples/aws-dns/fixed.ts'), '-D', 'ENACTORS=3', '-D', 'PLANS=8', '--dot', out('big.dot')])
    assert.equal(run.code, 2)
    assert.equal(run.stdout, '')
    assert.match(run.stderr, /^error\[CLI040\]: the model has more than 1,000 reachable states, too many for --dot$/m)
    assert.match(run.stderr, /= hint: make the model smaller/)
    assert.equal(existsSync(out('big.dot')), false)
  })
})

describe('weft replay of a --trace-out trace, for each front end', () => {
  const cases: [string, string, number, string][] = [
    ['TypeScript', abs('examples/aws-dns/race.ts'), 10, '0/0/0/1/2/3/4/6/5/8'],
    ['Promela', abs('examples/aws-dns/race.pml'), 13, '0/0/0/0/0/1/1/1/1/1/1/0/1'],
    ['TLA+', abs('test/fixtures/tla/Workers.tla'), 3, '0/1/2'],
  ]
  if (existsSync(DIEHARD)) cases.push(['TLA+ (DieHard, from the corpus)', DIEHARD, 7, '0/1/5/2/5/1/5'])
  for (const [language, model, length, path] of cases) {
    it(`${language}: replays with the same states and ChoicePath, and writes its HTML`, async () => {
      const trace = out(`${length}-${language.replace(/\W/g, '')}.itf.json`)
      const check = await runMain(['check', model, '--trace-out', trace])
      assert.equal(check.code, 1)
      const replay = await runMain(['replay', model, trace, '--json', '--html', `${trace}.html`])
      assert.equal(replay.stderr, '')
      assert.equal(replay.code, 0)
      const result = JSON.parse(replay.stdout) as { result: string; replay: { length: number; path: string } }
      assert.equal(result.result, 'ok')
      assert.equal(result.replay.length, length)
      assert.equal(result.replay.path, path)
      const html = readFileSync(`${trace}.html`, 'utf8')
      assertSelfContained(html)
      assert.equal(html.match(/<tr data-state=/g)?.length, length)
      // The trace names its violation, so the report says why it fails, as the check's does.
      assert.match(html, /<section id="explanation"><h2>Why /)
      const text = await runMain(['replay', model, trace])
      assert.match(text.stdout, new RegExp(`The trace replays: ${length} states, path ${path}\\.`))
    })
  }
})
