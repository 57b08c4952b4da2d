/**
 * Tests of the `weft` command line (STYLE.md §7.5): each test checks stdout, stderr and the exit code.
 *
 * Some tests spawn the real command (`node bin/weft.js`, as a user runs it), the others call `main()`
 * in this process with buffers, which is much cheaper (one spawn costs about half a second). The
 * models are examples/aws-dns and the small models in test/fixtures.
 */
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import type { CheckSummary } from '../report/summary.js'
import type { ItfTrace } from '../trace/itf.js'
import { VERSION } from '../version.js'
import { main } from './main.js'

/** The repository root: this file compiles to dist/src/cli/main.test.js. */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const BIN = join(ROOT, 'bin', 'weft.js')

/** Paths relative to the root, as a user in the checkout types them (spawned commands run there). */
const RACE = 'examples/aws-dns/race.ts'
const FIXED = 'examples/aws-dns/fixed.ts'
const fixture = (name: string): string => `test/fixtures/${name}`

/** The same file as an absolute path, for `main()` in this process, whatever its working directory. */
const abs = (rel: string): string => join(ROOT, rel)

/** A stack frame as node prints it: a user must never see one for bad input. */
const STACK_FRAME = '    at '

interface Run {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** Runs the real command in the repository root, without WEFT_DEBUG (which would add stack traces). */
function spawnWeft(args: readonly string[]): Promise<Run> {
  const env = { ...process.env }
  delete env['WEFT_DEBUG']
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? -1 : -2), stdout, stderr }))
  })
}

/** Runs `main()` in this process with buffers for stdout and stderr. */
async function runMain(args: readonly string[]): Promise<Run> {
  let stdout = ''
  let stderr = ''
  const code = await main(args, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
  })
  return { code, stdout, stderr }
}

/** stdout of a `--json` run: exactly one JSON object and nothing else. */
function onlyJson(run: Run): CheckSummary {
  let value: unknown
  try {
    value = JSON.parse(run.stdout)
  } catch (e) {
    assert.fail(`stdout is not one JSON value (${e instanceof Error ? e.message : String(e)}):\n${run.stdout}\nstderr:\n${run.stderr}`)
  }
  assert.equal(typeof value, 'object', `stdout holds ${run.stdout}`)
  assert.ok(value !== null && !Array.isArray(value), `stdout holds ${run.stdout}`)
  assert.equal(run.stdout.trimEnd().split('\n').length, 1, 'the JSON object is printed on one line')
  return value as CheckSummary
}

/** Shows the whole run when an exit code is not the expected one. */
function assertExit(run: Run, code: number): void {
  assert.equal(run.code, code, `exit code ${run.code}, expected ${code}\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`)
}

/** The raw JSON numbers in ITF values (outside '#meta'): ITF writes integers as {'#bigint': '…'}. */
function rawNumbers(v: unknown): number[] {
  if (typeof v === 'number') return [v]
  if (Array.isArray(v)) return v.flatMap(rawNumbers)
  if (typeof v === 'object' && v !== null) {
    return Object.entries(v).flatMap(([k, e]) => (k === '#meta' ? [] : rawNumbers(e)))
  }
  return []
}

const big = (n: number): { '#bigint': string } => ({ '#bigint': String(n) })

/** The text report's timing parts, which differ from run to run. */
function withoutTimes(text: string): string {
  return text.replace(/\d[\d,.]* s\b/g, '<s>').replace(/\([\d,]+ states\/s\)/g, '(<rate>)')
}

describe('weft check: results', () => {
  it('reports no violation for the fixed DNS model, with its state count', async () => {
    const [text, json] = await Promise.all([spawnWeft(['check', FIXED]), spawnWeft(['check', FIXED, '--json'])])
    assertExit(text, 0)
    assert.match(text.stdout, /No violation: every property holds in all 84 reachable states/)
    assert.match(text.stdout, /84 distinct states, 165 transitions/)
    assert.equal(text.stderr, '')

    assertExit(json, 0)
    const summary = onlyJson(json)
    assert.equal(summary.weft, VERSION)
    assert.equal(summary.model, FIXED)
    assert.equal(summary.language, 'typescript')
    assert.equal(summary.result, 'ok')
    assert.equal(summary.violation, undefined)
    assert.equal(summary.limit, undefined)
    assert.equal(summary.stats?.distinct, 84)
    assert.equal(summary.stats?.transitions, 165)
    assert.equal(json.stderr, '')
  })

  it('finds the race as a 10-state trace through the enactors, in text', async () => {
    const run = await spawnWeft(['check', RACE])
    assertExit(run, 1)
    assert.match(run.stdout, /Violation \(invariant\): invariant 'activePlanNotDeleted' is violated/)
    assert.match(run.stdout, /Trace of 10 states, a shortest counterexample/)
    const states = run.stdout.match(/^State \d+:/gm) ?? []
    assert.deepEqual(
      states,
      Array.from({ length: 10 }, (_, i) => `State ${i + 1}:`),
      'the trace prints states 1 to 10',
    )
    assert.match(run.stdout, /^State 1: initial state$/m)
    // Two enactors each take, check and apply a plan, and one cleans up (which one is the search's choice).
    // Each step names its action's source line in the model (examples/aws-dns/dns.ts), from a stack trace.
    for (const step of ['planner: plan', 'enactor \\d: take', 'enactor \\d: check', 'enactor \\d: apply', 'enactor \\d: cleanup']) {
      assert.match(run.stdout, new RegExp(`^State \\d+: ${step} at examples/aws-dns/dns\\.ts:\\d+:\\d+$`, 'm'))
    }
    assert.equal((run.stdout.match(/^State \d+: enactor \d: apply at /gm) ?? []).length, 2, 'both enactors apply a plan')
    assert.match(run.stdout, /^Choice path: \d+(\/\d+){9}$/m)
    assert.equal(run.stderr, '')
  })

  it('--json prints one summary object with the contract fields and an ITF trace', async () => {
    const run = await spawnWeft(['check', RACE, '--json'])
    assertExit(run, 1)
    assert.equal(run.stderr, '')
    const s = onlyJson(run)
    for (const key of ['weft', 'model', 'language', 'result', 'violation', 'stats']) assert.ok(key in s, `the summary has '${key}'`)
    assert.equal(s.weft, VERSION)
    assert.equal(s.model, RACE)
    assert.equal(s.language, 'typescript')
    assert.equal(s.result, 'violation')

    const v = s.violation!
    assert.equal(v.kind, 'invariant')
    assert.equal(v.name, 'activePlanNotDeleted')
    assert.equal(typeof v.message, 'string')
    assert.match(v.message, /activePlanNotDeleted/)
    assert.equal(v.length, 10)
    assert.match(v.path, /^\d+(\/\d+){9}$/, 'the ChoicePath: the init index and one index per step')

    const t: ItfTrace = v.trace
    assert.equal(typeof t['#meta'], 'object')
    assert.equal(t['#meta']['format'], 'ITF')
    assert.deepEqual([...t.vars].sort(), ['active', 'deleted', 'enactors', 'next', 'queue'])
    assert.equal(t.states.length, 10)
    assert.deepEqual(rawNumbers(t.states), [], 'every integer in the states is written as {"#bigint": …}')
    const first = t.states[0]!
    assert.deepEqual(first['next'], big(1))
    assert.deepEqual(first['active'], big(0))
    assert.deepEqual(first['queue'], [])
    assert.deepEqual(first['enactors'], [
      { pc: 'idle', plan: big(0) },
      { pc: 'idle', plan: big(0) },
    ])
    // The last state breaks the invariant: the active plan is among the deleted ones.
    const last = t.states[9]!
    assert.ok(
      (last['deleted'] as unknown[]).some((d) => JSON.stringify(d) === JSON.stringify(last['active'])),
      `the active plan ${JSON.stringify(last['active'])} is deleted (${JSON.stringify(last['deleted'])})`,
    )

    const stats = s.stats!
    for (const k of ['distinct', 'transitions', 'depth', 'seconds', 'statesPerSecond', 'collisionProbability'] as const) {
      const n = stats[k]
      assert.ok(typeof n === 'number' && Number.isFinite(n) && n >= 0, `stats.${k} is a number: ${n}`)
    }
    assert.ok(stats.distinct >= 10 && stats.transitions >= stats.distinct - 1, `counts ${JSON.stringify(stats)}`)
    assert.ok(stats.collisionProbability < 1e-6)
  })

  it('--dfs finds the same kind of violation, depth-first', async () => {
    const [json, text] = [await runMain(['check', abs(RACE), '--dfs', '--json']), await runMain(['check', abs(RACE), '--dfs'])]
    assertExit(json, 1)
    const v = onlyJson(json).violation!
    assert.equal(v.kind, 'invariant')
    assert.equal(v.name, 'activePlanNotDeleted')
    assert.ok(v.length >= 10, `a depth-first trace is no shorter than the shortest one (10), got ${v.length}`)
    assert.equal(v.trace.states.length, v.length)

    assertExit(text, 1)
    assert.match(text.stdout, /depth-first/)
    assert.match(text.stdout, /Violation \(invariant\)/)
    assert.doesNotMatch(text.stdout, /a shortest counterexample/, 'only breadth-first promises a shortest trace')
  })

  it('-D sets the model constants and changes the counts', async () => {
    const plain = onlyJson(await runMain(['check', abs(RACE), '--json']))
    const run = await runMain(['check', abs(RACE), '-D', 'ENACTORS=3', '-D', 'PLANS=4', '--json'])
    assertExit(run, 1)
    const big3 = onlyJson(run)
    assert.equal(big3.violation?.kind, 'invariant')
    assert.equal((big3.violation?.trace.states[0]?.['enactors'] as unknown[]).length, 3, 'the model has 3 enactors')
    assert.notEqual(big3.stats?.distinct, plain.stats?.distinct)
    assert.ok(big3.stats!.distinct > plain.stats!.distinct, `more enactors, more states: ${big3.stats?.distinct} vs ${plain.stats?.distinct}`)

    const fixed = onlyJson(await runMain(['check', abs(FIXED), '-D', 'ENACTORS=3', '-D', 'PLANS=4', '--json']))
    assert.equal(fixed.result, 'ok')
    assert.ok(fixed.stats!.distinct > 84, `fixed.ts with 3 enactors and 4 plans has more than 84 states: ${fixed.stats?.distinct}`)

    // The counter counts from 0 to LIMIT (default 3): LIMIT + 1 states.
    const counter = await runMain(['check', abs(fixture('counter.ts')), '-D', 'LIMIT=5'])
    assertExit(counter, 0)
    assert.match(counter.stdout, /every property holds in all 6 reachable states/)
  })

  it('-D gives a TLA+ constant a value as the cfg writes one: a set of model values, a number, a bad value with its code', async () => {
    const spec = abs(fixture('tla/Commit.tla'))
    const one = onlyJson(await runMain(['check', spec, '-D', 'RM={r1}', '--json']))
    assert.deepEqual([one.result, one.stats?.distinct, one.stats?.transitions, one.stats?.depth], ['ok', 4, 5, 3])
    const two = onlyJson(await runMain(['check', spec, '-D', 'RM={r1, r2}', '--json']))
    assert.deepEqual([two.result, two.stats?.distinct, two.stats?.transitions], ['ok', 12, 23])
    const notSet = onlyJson(await runMain(['check', spec, '-D', 'RM=3', '--json']))
    assert.equal(notSet.violation?.kind, 'runtime-error')
    const bad = await runMain(['check', spec, '-D', 'RM={r1', '--json'])
    assertExit(bad, 2)
    assert.equal(onlyJson(bad).error?.code, 'TLA022')
    assert.match(onlyJson(bad).error?.message ?? '', /-D RM=\{r1: expected ',' or '\}'/)
  })

  it('--continue keeps searching and counts the violations', async () => {
    const run = await runMain(['check', abs(RACE), '--continue', '--json'])
    assertExit(run, 1)
    const s = onlyJson(run)
    assert.equal(s.result, 'violation')
    assert.ok((s.violations ?? 0) > 1, `several violations counted: ${s.violations}`)
  })
})

describe('weft check: limits', () => {
  it('--max-states ends the search incomplete (exit 3)', async () => {
    const run = await runMain(['check', abs(FIXED), '--max-states', '10', '--json'])
    assertExit(run, 3)
    const s = onlyJson(run)
    assert.equal(s.result, 'incomplete')
    assert.equal(s.limit, 'max-states')
    assert.equal(s.violation, undefined)
    assert.ok(s.stats!.distinct <= 10, `at most 10 states stored, got ${s.stats?.distinct}`)

    const text = await runMain(['check', abs(FIXED), '--max-states', '10'])
    assertExit(text, 3)
    assert.match(text.stdout, /Incomplete: .*max-states/)
  })

  it('--memory below what the process already uses stops the search cleanly (exit 3, limit memory)', async () => {
    const run = await runMain(['check', abs(FIXED), '-D', 'ENACTORS=3', '-D', 'PLANS=8', '--memory', '1', '--json'])
    assertExit(run, 3)
    const s = onlyJson(run)
    assert.equal(s.result, 'incomplete')
    assert.equal(s.limit, 'memory')
    assert.ok(s.stats!.distinct > 0 && s.stats!.distinct < 14_571, `some states and not all, got ${s.stats?.distinct}`)
  })

  it('--workers 2 gives the counts and the trace of one worker', async () => {
    const one = onlyJson(await runMain(['check', abs(FIXED), '-D', 'ENACTORS=3', '-D', 'PLANS=8', '--json']))
    const two = await runMain(['check', abs(FIXED), '-D', 'ENACTORS=3', '-D', 'PLANS=8', '--workers', '2', '--json'])
    assertExit(two, 0)
    assert.deepEqual([onlyJson(two).stats!.distinct, onlyJson(two).stats!.transitions, onlyJson(two).stats!.depth], [one.stats!.distinct, one.stats!.transitions, one.stats!.depth])
    const race = await runMain(['check', abs(RACE), '--workers', '2', '--json'])
    assertExit(race, 1)
    assert.equal(onlyJson(race).violation!.length, 10)
    assert.deepEqual(onlyJson(race).violation!.trace, onlyJson(await runMain(['check', abs(RACE), '--json'])).violation!.trace)
  })

  it('--dfs --workers 2 searches depth-first on two threads: one worker\'s counts, and a real counterexample', async () => {
    const args = ['check', abs('examples/aws-dns/fixed.pml'), '-D', 'ENACTORS=3', '-D', 'PLANS=6', '--dfs', '--json']
    const one = onlyJson(await runMain(args))
    const two = await runMain([...args, '--workers', '2'])
    assertExit(two, 0)
    assert.deepEqual([onlyJson(two).stats!.distinct, onlyJson(two).stats!.transitions], [one.stats!.distinct, one.stats!.transitions])
    const race = await runMain(['check', abs('examples/aws-dns/race.pml'), '--dfs', '--workers', '2', '--json'])
    assertExit(race, 1)
    // The trace is re-executed on the model, so it is a real run that ends in the violation.
    assert.equal(onlyJson(race).violation!.kind, 'ltl')
    assert.ok(onlyJson(race).violation!.length > 0)
  })

  it('--workers 2 on a TLA+ spec gives the counts of one worker', async () => {
    const args = ['check', abs(fixture('tla/Commit.tla')), '-D', 'RM={r1, r2, r3, r4}', '--json']
    const one = onlyJson(await runMain(args))
    const two = await runMain([...args, '--workers', '2'])
    assertExit(two, 0)
    assert.equal(one.stats!.distinct, 96)
    assert.deepEqual([onlyJson(two).stats!.distinct, onlyJson(two).stats!.transitions, onlyJson(two).stats!.depth], [one.stats!.distinct, one.stats!.transitions, one.stats!.depth])
  })

  it('a --max-states the search never reaches leaves it complete', async () => {
    const run = await runMain(['check', abs(FIXED), '--max-states', '84', '--json'])
    assertExit(run, 0)
    assert.equal(onlyJson(run).result, 'ok')
  })

  it('--max-depth ends the search incomplete (exit 3)', async () => {
    const run = await runMain(['check', abs(FIXED), '--max-depth', '3', '--json'])
    assertExit(run, 3)
    const s = onlyJson(run)
    assert.equal(s.result, 'incomplete')
    assert.equal(s.limit, 'max-depth')
    assert.ok(s.stats!.depth <= 3, `depth ${s.stats?.depth}`)
    assert.ok(s.stats!.distinct < 84)
  })

  it('--time-limit ends a longer search incomplete (exit 3)', async () => {
    const run = await runMain(['check', abs(FIXED), '-D', 'ENACTORS=3', '-D', 'PLANS=6', '--time-limit', '0.001', '--json'])
    assertExit(run, 3)
    const s = onlyJson(run)
    assert.equal(s.result, 'incomplete')
    assert.equal(s.limit, 'time-limit')
    // The complete search stores 4,564 states and takes about 0.1 s.
    assert.ok(s.stats!.distinct < 4564, `stopped early, at ${s.stats?.distinct} states`)
  })
})

describe('weft check: violations of the model code', () => {
  it('an action that throws is a runtime error, with the trace that led there', async () => {
    const json = await runMain(['check', abs(fixture('runtime-error.ts')), '--json'])
    assertExit(json, 1)
    const v = onlyJson(json).violation!
    assert.equal(v.kind, 'runtime-error')
    assert.match(v.message, /fixture broke at x = 2/)
    assert.equal(v.length, 3)
    assert.deepEqual(
      v.trace.states.map((st) => st['x']),
      [big(0), big(1), big(2)],
    )

    const text = await runMain(['check', abs(fixture('runtime-error.ts'))])
    assertExit(text, 1)
    assert.match(text.stdout, /Violation \(runtime-error\): fixture broke at x = 2/)
    assert.match(text.stdout, /^State 3: inc at (.*\/)?test\/fixtures\/runtime-error\.ts:9:13$/m)
    assert.match(text.stdout, /Failing step: inc at (.*\/)?test\/fixtures\/runtime-error\.ts:9:13/)
    assert.ok(!text.stdout.includes(STACK_FRAME) && !text.stderr.includes(STACK_FRAME), 'no stack trace')
  })

  it('a failed assert() in an action is an assertion violation', async () => {
    const run = await runMain(['check', abs(fixture('assertion.ts')), '--json'])
    assertExit(run, 1)
    const v = onlyJson(run).violation!
    assert.equal(v.kind, 'assertion', `kind '${v.kind}', message '${v.message}'`)
    assert.equal(v.name, 'x stays below 2')
    assert.equal(v.message, 'assertion violated: x stays below 2')
    assert.equal(v.length, 3)
  })

  it('a state without successors that is not a valid end is a deadlock; --no-deadlock accepts it', async () => {
    const run = await runMain(['check', abs(fixture('deadlock.ts')), '--json'])
    assertExit(run, 1)
    const v = onlyJson(run).violation!
    assert.equal(v.kind, 'deadlock')
    assert.equal(v.length, 3)
    assert.deepEqual(v.trace.states.at(-1)?.['x'], big(2))

    const off = await runMain(['check', abs(fixture('deadlock.ts')), '--no-deadlock'])
    assertExit(off, 0)
    assert.match(off.stdout, /No violation: every property holds in all 3 reachable states/)
  })

  it('a model outside this package can import weft as an ES module, and a CommonJS one is told how', async () => {
    // A model in a fresh folder, like one a user writes in their own project (no package.json there).
    const dir = mkdtempSync(join(tmpdir(), 'weft-cli-'))
    try {
      const source =
        "import { defineModel } from 'weft'\n" +
        'export default defineModel<{ x: number }>({ init: { x: 0 }, actions: { inc: (s) => s.x < 2 && { x: s.x + 1 } }, validEnd: (s) => s.x === 2 })\n'
      writeFileSync(join(dir, 'counter.mts'), source)
      const run = await runMain(['check', join(dir, 'counter.mts')])
      assertExit(run, 0)
      assert.match(run.stdout, /all 3 reachable states/)
      // A .ts file with no "type": "module" above it is CommonJS to node, where weft's resolver does not reach.
      writeFileSync(join(dir, 'counter.ts'), source)
      const cjs = await runMain(['check', join(dir, 'counter.ts')])
      assertExit(cjs, 2)
      assert.match(cjs.stderr, /error\[CLI012\]/)
      assert.match(cjs.stderr, /name it \.mts/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('weft check: bad input (exit 2)', () => {
  interface BadInput {
    readonly what: string
    readonly args: readonly string[]
    readonly code: string
    readonly message: RegExp
  }
  const cases: readonly BadInput[] = [
    { what: 'a missing model file', args: ['check', abs(fixture('does-not-exist.ts'))], code: 'CLI010', message: /cannot find model file '.*does-not-exist\.ts'/ },
    { what: 'a directory', args: ['check', abs('examples')], code: 'CLI010', message: /is a directory/ },
    { what: 'a .txt file', args: ['check', abs(fixture('not-a-model.txt'))], code: 'CLI011', message: /cannot read '\.txt' models/ },
    { what: 'a module that throws while loading', args: ['check', abs(fixture('throws-on-load.ts'))], code: 'CLI012', message: /cannot load model '.*throws-on-load\.ts': fixture exploded while loading/ },
    { what: 'a module exporting no model', args: ['check', abs(fixture('no-model.ts'))], code: 'CLI012', message: /'.*no-model\.ts' does not export a model/ },
    { what: 'an unknown flag', args: ['check', abs(RACE), '--bogus'], code: 'CLI002', message: /unknown option '--bogus'/ },
    { what: 'a bad flag value', args: ['check', abs(FIXED), '--max-states', 'abc'], code: 'CLI001', message: /--max-states.*'abc'/ },
    { what: 'an unknown command', args: ['frobnicate', abs(RACE)], code: 'CLI002', message: /unknown command 'frobnicate'/ },
    { what: 'a missing model argument', args: ['check'], code: 'CLI002', message: /missing required argument 'model'/ },
    { what: '-D for a model that takes no constants', args: ['check', abs(fixture('fixed-counter.ts')), '-D', 'X=1'], code: 'CLI013', message: /fixed model.*-D X=/ },
    { what: 'a -D not written NAME=VALUE', args: ['check', abs(RACE), '-D', 'PLANS'], code: 'CLI014', message: /NAME=VALUE.*'PLANS'/ },
    { what: 'a bit array of 0 MiB', args: ['check', abs(FIXED), '--bitstate', '0'], code: 'CLI001', message: /--bitstate.*from 1 to 4,096.*'0'/ },
    { what: 'a bit array too large', args: ['check', abs(FIXED), '--bitstate', '5000'], code: 'CLI001', message: /--bitstate.*'5000'/ },
    { what: 'no hash functions', args: ['check', abs(FIXED), '--bitstate', '1', '--hash-functions', '0'], code: 'CLI001', message: /--hash-functions.*from 1 to 32/ },
    { what: 'a frontier budget that is not a number', args: ['check', abs(FIXED), '--frontier-memory', 'lots'], code: 'CLI001', message: /--frontier-memory.*'lots'/ },
    { what: '--hash-functions without --bitstate', args: ['check', abs(FIXED), '--hash-functions', '2'], code: 'CLI034', message: /--hash-functions is for a bitstate search/ },
    { what: 'both approximate stores', args: ['check', abs(FIXED), '--bitstate', '1', '--hash-compact'], code: 'CLI034', message: /--bitstate and --hash-compact .* give one/ },
    { what: 'a bitstate search on worker threads', args: ['check', abs(FIXED), '--bitstate', '1', '--workers', '2'], code: 'CLI034', message: /--bitstate is for a search on one worker/ },
    { what: 'a frontier budget on worker threads', args: ['check', abs(FIXED), '--frontier-memory', '64', '--workers', '2'], code: 'CLI034', message: /--frontier-memory is for a search on one worker/ },
    { what: 'hash compaction for a cycle search', args: ['check', abs('examples/aws-dns/race.pml'), '--acceptance', '--hash-compact'], code: 'CLI034', message: /--hash-compact is for safety searches .* cycle search/ },
  ]

  for (const c of cases) {
    it(`${c.what}: a message on stderr, no stack trace`, async () => {
      const run = await runMain(c.args)
      assertExit(run, 2)
      assert.equal(run.stdout, '')
      assert.match(run.stderr, /^error\[CLI\d{3}\]: /)
      assert.match(run.stderr, c.message)
      assert.ok(!run.stderr.includes(STACK_FRAME), `no stack trace in:\n${run.stderr}`)
    })

    it(`${c.what}: with --json, an error object with code ${c.code}`, async () => {
      const run = await runMain([...c.args, '--json'])
      assertExit(run, 2)
      const s = onlyJson(run)
      assert.equal(s.weft, VERSION)
      assert.equal(s.result, 'error')
      assert.match(s.error?.message ?? '', c.message)
      assert.equal(s.error?.code, c.code, `error ${JSON.stringify(s.error)}`)
      assert.ok(!run.stderr.includes(STACK_FRAME), `no stack trace in:\n${run.stderr}`)
    })
  }

  it('the real command prints no stack trace either', async () => {
    const runs = await Promise.all([
      spawnWeft(['check', fixture('throws-on-load.ts')]),
      spawnWeft(['check', fixture('no-model.ts'), '--json']),
      spawnWeft(['check', FIXED, '--max-states', 'abc']),
    ])
    for (const run of runs) {
      assertExit(run, 2)
      assert.match(run.stderr, /^error\[CLI\d{3}\]: /)
      assert.ok(!run.stderr.includes(STACK_FRAME), `no stack trace in:\n${run.stderr}`)
    }
    assert.match(runs[0]!.stderr, /fixture exploded while loading/)
    assert.equal(runs[0]!.stdout, '')
    assert.equal(onlyJson(runs[1]!).error?.code, 'CLI012')
    assert.match(runs[2]!.stderr, /'abc'/)
  })

  it('with --json, an error in the model file names that file', async () => {
    const file = abs(fixture('throws-on-load.ts'))
    const s = onlyJson(await runMain(['check', file, '--json']))
    assert.equal(s.result, 'error')
    assert.equal(s.error?.file, file, `error ${JSON.stringify(s.error)}`)
  })
})

describe('weft check: bitstate, hash compaction and the frontier spill', () => {
  it('a bitstate search with room to spare finds every state, and says it is partial and by how much', async () => {
    const exact = onlyJson(await runMain(['check', abs(FIXED), '--json']))
    const run = await runMain(['check', abs(FIXED), '--json', '--bitstate', '2', '--hash-functions', '4'])
    assertExit(run, 0)
    const s = onlyJson(run)
    assert.equal(s.result, 'ok')
    assert.equal(s.mode, 'bitstate')
    assert.equal(s.stats?.distinct, exact.stats?.distinct)
    assert.equal(s.stats?.transitions, exact.stats?.transitions)
    const store = s.stats!.store!
    assert.deepEqual([store.mode, store.bytes, store.hashFunctions], ['bitstate', 2 ** 21, 4])
    assert.equal(store.hashFactor, 2 ** 24 / s.stats!.distinct)
    assert.ok(store.expectedCoverage > 0.9999 && store.expectedCoverage <= 1)
    assert.equal(exact.mode, undefined)
    assert.equal(exact.stats?.store, undefined)

    const text = await runMain(['check', abs(FIXED), '--bitstate', '1'])
    assertExit(text, 0)
    assert.match(text.stdout, /breadth-first, bitstate 1 MiB -k3/)
    assert.match(text.stdout, /partial .*states may have been missed/)
    assert.match(text.stdout, /hash factor [\d.]+ \(best if > 100\)/)
    assert.match(text.stdout, /expected coverage: /)
    assert.doesNotMatch(text.stdout, /holds in all/)

    const dir = mkdtempSync(join(tmpdir(), 'weft-bitstate-'))
    try {
      const html = join(dir, 'report.html')
      assertExit(await runMain(['check', abs(FIXED), '--bitstate', '1', '--html', html]), 0)
      const page = readFileSync(html, 'utf8')
      assert.match(page, /the search is partial \(bitstate\): states may have been missed, expected coverage/)
      assert.doesNotMatch(page, /holds in all/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('hash compaction counts exactly on a small model, with its own estimate', async () => {
    const exact = onlyJson(await runMain(['check', abs(FIXED), '--json', '--dfs']))
    const s = onlyJson(await runMain(['check', abs(FIXED), '--json', '--dfs', '--hash-compact']))
    assert.equal(s.mode, 'hash-compact')
    assert.deepEqual([s.stats?.distinct, s.stats?.transitions], [exact.stats?.distinct, exact.stats?.transitions])
    assert.ok(s.stats!.store!.expectedMissed < 1e-6)
    const text = await runMain(['check', abs(FIXED), '--hash-compact'])
    assert.match(text.stdout, /Hash compaction: 40 bits kept per state/)
  })

  it('a violation found by a bitstate search is real, and not claimed to be a shortest one', async () => {
    const run = await runMain(['check', abs(RACE), '--bitstate', '1'])
    assertExit(run, 1)
    assert.match(run.stdout, /Violation \(invariant\)/)
    assert.doesNotMatch(run.stdout, /a shortest counterexample/)
    const json = onlyJson(await runMain(['check', abs(RACE), '--bitstate', '1', '--json']))
    const exact = onlyJson(await runMain(['check', abs(RACE), '--json']))
    assert.deepEqual(json.violation?.path, exact.violation?.path)
  })

  it('--frontier-memory 0 gives the same result as the frontier in memory', async () => {
    const a = onlyJson(await runMain(['check', abs(RACE), '--json', '--frontier-memory', '0']))
    const b = onlyJson(await runMain(['check', abs(RACE), '--json']))
    assert.deepEqual({ ...a.stats, seconds: 0, statesPerSecond: 0 }, { ...b.stats, seconds: 0, statesPerSecond: 0 })
    assert.deepEqual(a.violation, b.violation)
  })
})

describe('weft replay', () => {
  let dir = ''
  let traceFile = ''
  let checkRun: Run | undefined

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'weft-cli-'))
    traceFile = join(dir, 'race.itf.json')
    checkRun = await spawnWeft(['check', RACE, '--trace-out', traceFile])
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  /** Writes a copy of the trace, changed by `edit`, and returns its path. */
  function tampered(name: string, edit: (t: ItfTrace) => void): string {
    const t = JSON.parse(readFileSync(traceFile, 'utf8')) as ItfTrace
    edit(t)
    const file = join(dir, name)
    writeFileSync(file, JSON.stringify(t))
    return file
  }

  it('check --trace-out writes the counterexample as ITF', () => {
    assertExit(checkRun!, 1)
    assert.ok(checkRun!.stdout.includes(`Trace written to ${traceFile}`), checkRun!.stdout)
    const t = JSON.parse(readFileSync(traceFile, 'utf8')) as ItfTrace
    assert.equal(t['#meta']['format'], 'ITF')
    assert.equal(t.states.length, 10)
    assert.deepEqual(rawNumbers(t.states), [])
  })

  it('check --trace-out writes no file when there is no violation', async () => {
    const file = join(dir, 'none.itf.json')
    const run = await runMain(['check', abs(FIXED), '--trace-out', file])
    assertExit(run, 0)
    assert.ok(!existsSync(file), 'no trace file')
    assert.doesNotMatch(run.stdout, /Trace written/)
  })

  it('replays the trace: exit 0, the trace printed', async () => {
    const run = await spawnWeft(['replay', RACE, traceFile])
    assertExit(run, 0)
    assert.equal(run.stderr, '')
    assert.match(run.stdout, /^State 1: initial state$/m)
    assert.match(run.stdout, /^State 10: enactor \d: (apply|cleanup) at examples\/aws-dns\/dns\.ts:\d+:\d+$/m)
    assert.match(run.stdout, /enactor 1: take/)
    const path = /^Choice path: (\S+)$/m.exec(checkRun!.stdout)?.[1]
    assert.ok(path, 'the check printed its choice path')
    assert.ok(run.stdout.includes(`The trace replays: 10 states, path ${path}.`), run.stdout)
  })

  it('replay --json prints one object', async () => {
    const run = await runMain(['replay', abs(RACE), traceFile, '--json'])
    assertExit(run, 0)
    const s = onlyJson(run) as CheckSummary & { replay?: { length: number } }
    assert.equal(s.result, 'ok')
    assert.equal(s.replay?.length, 10)
  })

  it('a tampered trace does not fit: exit 2 and a message', async () => {
    const file = tampered('changed.itf.json', (t) => {
      t.states[5]!['active'] = big(7)
    })
    const run = await runMain(['replay', abs(RACE), file])
    assertExit(run, 2)
    assert.equal(run.stdout, '')
    assert.match(run.stderr, /error\[CLI021\]: the trace '.*changed\.itf\.json' does not fit the model/)
    assert.match(run.stderr, /state 5 to state 6/)
    assert.ok(!run.stderr.includes(STACK_FRAME))

    const json = await runMain(['replay', abs(RACE), file, '--json'])
    assertExit(json, 2)
    const s = onlyJson(json)
    assert.equal(s.result, 'error')
    assert.equal(s.error?.code, 'CLI021')
  })

  it('a trace of another model does not fit, a trace that is not JSON is bad input', async () => {
    const other = await runMain(['replay', abs(FIXED), traceFile])
    assertExit(other, 2)
    assert.match(other.stderr, /does not fit the model/)

    const notJson = join(dir, 'broken.json')
    writeFileSync(notJson, '{"states": [')
    const broken = await runMain(['replay', abs(RACE), notJson])
    assertExit(broken, 2)
    assert.match(broken.stderr, /error\[CLI020\]: '.*broken\.json' is not JSON/)

    const missing = await runMain(['replay', abs(RACE), join(dir, 'nope.json')])
    assertExit(missing, 2)
    assert.match(missing.stderr, /error\[CLI020\]: cannot read trace file/)
  })
})

describe('weft simulate', () => {
  it('finds the race with a seed, and the same seed prints the same run', async () => {
    const args = ['simulate', RACE, '--seed', '1', '--runs', '200']
    const [a, b] = await Promise.all([spawnWeft(args), spawnWeft(args)])
    assertExit(a, 1)
    assertExit(b, 1)
    assert.match(a.stdout, /simulation, seed 1/)
    assert.match(a.stdout, /Violation \(invariant\): invariant 'activePlanNotDeleted' is violated/)
    assert.match(a.stdout, /^Choice path: /m)
    assert.equal(withoutTimes(b.stdout), withoutTimes(a.stdout))
    assert.equal(a.stderr, '')
  })

  it('--json gives the same violation as the text run', async () => {
    const run = await runMain(['simulate', abs(RACE), '--seed', '1', '--runs', '200', '--json'])
    assertExit(run, 1)
    const v = onlyJson(run).violation!
    assert.equal(v.kind, 'invariant')
    assert.equal(v.name, 'activePlanNotDeleted')
    const again = onlyJson(await runMain(['simulate', abs(RACE), '--seed', '1', '--runs', '200', '--json'])).violation!
    assert.equal(again.path, v.path)
  })

  it('a simulation of the fixed model finds nothing (exit 0)', async () => {
    const run = await runMain(['simulate', abs(FIXED), '--seed', '1', '--runs', '20'])
    assertExit(run, 0)
    assert.match(run.stdout, /No violation in [\d,]+ simulated steps/)
  })
})

describe('weft --help', () => {
  it('the program help lists the commands and exit codes (real command)', async () => {
    const run = await spawnWeft(['--help'])
    assertExit(run, 0)
    for (const word of ['check', 'simulate', 'replay', 'Exit codes', '--version']) assert.ok(run.stdout.includes(word), `help mentions '${word}'`)
    assert.equal(run.stderr, '')
  })

  const options: Readonly<Record<string, readonly string[]>> = {
    check: ['--json', '--trace-out', '-D', '--no-deadlock', '--time-limit', '--dfs', '--max-states', '--max-depth', '--continue', '--workers', '--memory', '--fair', '--bitstate', '--hash-functions', '--hash-compact', '--frontier-memory'],
    simulate: ['--json', '--trace-out', '-D', '--no-deadlock', '--time-limit', '--seed', '--steps', '--runs'],
    replay: ['--json', '-D', '<trace>'],
  }
  for (const [command, flags] of Object.entries(options)) {
    it(`${command} --help lists its options`, async () => {
      const run = await runMain([command, '--help'])
      assertExit(run, 0)
      assert.match(run.stdout, new RegExp(`^Usage: weft ${command} `))
      for (const flag of flags) assert.ok(run.stdout.includes(flag), `'${command} --help' mentions '${flag}'`)
      assert.equal(run.stderr, '')
    })
  }

  it('--version prints the version; no command at all is a usage error', async () => {
    const version = await runMain(['--version'])
    assertExit(version, 0)
    assert.equal(version.stdout.trim(), VERSION)

    const none = await runMain([])
    assertExit(none, 2)
    assert.match(none.stderr, /Usage: weft/)
  })
})

describe('weft check --fair (Promela weak fairness, pan -f)', () => {
  // Each fixture's header holds what SPIN 6.5.2 said with and without -f (spin -a; gcc -DNOREDUCE;
  // pan -a or -l, then with -f): the verdicts below were measured with SPIN, not derived by weft.
  const dir = 'test/fixtures/promela-fair'
  const fixtures = readdirSync(abs(dir)).filter((f) => f.endsWith('.pml'))
  it('has the SPIN-derived fixtures', () => assert.ok(fixtures.length >= 8, fixtures.join(', ')))
  for (const name of fixtures) {
    const text = readFileSync(abs(`${dir}/${name}`), 'utf8')
    const expect = /expect: (?:mode=(\S+) )?plain=(\w+) fair=(\w+)/.exec(text)
    it(`${name}: the verdicts of pan and pan -f`, async () => {
      assert.ok(expect, `${name} states its expectation`)
      const [, mode, plain, fair] = expect
      const args = ['check', abs(`${dir}/${name}`), '--json', ...(mode ? [`--${mode}`] : [])]
      const kind = mode === 'non-progress' ? 'non-progress-cycle' : mode === 'acceptance' ? 'acceptance-cycle' : 'ltl'
      for (const [flags, verdict] of [[[], plain], [['--fair'], fair]] as const) {
        const run = await runMain([...args, ...flags])
        assertExit(run, verdict === 'ok' ? 0 : 1)
        const summary = onlyJson(run)
        assert.equal(summary.result, verdict, `${name} ${flags.join(' ')}`)
        if (verdict === 'violation') {
          assert.equal(summary.violation?.kind, kind)
          // A lasso: the cycle closes where the ITF trace says it starts.
          assert.equal(typeof summary.violation?.trace.loop, 'number')
        }
      }
    })
  }

  it('prints its search and a lasso whose cycle is fair: both processes move in it', async () => {
    const run = await runMain(['check', abs(`${dir}/blocked.pml`), '--fair'])
    assertExit(run, 1)
    assert.match(run.stdout, /fair cycles \(weak fairness\), claim 'p'/)
    assert.match(run.stdout, /Violation \(ltl\): an accepting cycle of 'p': .*\(every process credited in it: weak fairness\)/)
    const cycle = run.stdout.split('-- the cycle starts here --')[1] ?? ''
    assert.match(cycle, /A\(0\)/)
    assert.equal(run.stderr, '')
  })

  it('without a cycle to judge it is a usage error, as pan -f without -a or -l is', async () => {
    const noClaim = await runMain(['check', abs('examples/aws-dns/race.pml'), '--no-ltl', '--fair'])
    assertExit(noClaim, 2)
    assert.match(noClaim.stderr, /error\[CLI033\]: --fair needs a cycle search, and --no-ltl leaves only the safety check/)
    assert.ok(!noClaim.stderr.includes(STACK_FRAME))
    const ts = await runMain(['check', abs('examples/aws-dns/progress.ts'), '--fair', '--json'])
    assertExit(ts, 2)
    assert.equal(onlyJson(ts).error?.code, 'CLI033')
  })

  it('temporal properties are checked on one thread whatever --workers says (they were skipped before)', async () => {
    const run = await runMain(['check', abs('examples/aws-dns/progress.ts'), '--workers', '2', '--json'])
    assertExit(run, 1)
    assert.equal(onlyJson(run).violation?.name, 'plan1Handled')
  })

  it('a safety claim is checked as without --fair: breadth-first, with its shortest trace', async () => {
    const [plain, fair] = [await runMain(['check', abs('examples/aws-dns/race.pml'), '--json']), await runMain(['check', abs('examples/aws-dns/race.pml'), '--json', '--fair'])]
    assertExit(fair, 1)
    assert.deepEqual(onlyJson(fair).violation?.path, onlyJson(plain).violation?.path)
  })
})

describe('weft check --reduce (Promela partial-order reduction)', () => {
  const RACE_PML = abs('examples/aws-dns/race.pml')

  it('stores fewer states for the same verdict, and says that the reduction was on', async () => {
    const [plain, reduced] = [await runMain(['check', RACE_PML, '--no-ltl', '--json']), await runMain(['check', RACE_PML, '--no-ltl', '--reduce', '--json'])]
    assertExit(plain, 0)
    assertExit(reduced, 0)
    const [p, r] = [onlyJson(plain), onlyJson(reduced)]
    assert.equal(p.reduction, undefined)
    assert.equal(r.reduction?.kind, 'partial-order')
    assert.ok(r.reduction!.reducedStates > 0)
    assert.ok(r.stats!.distinct < p.stats!.distinct, `${r.stats!.distinct} states with reduction, ${p.stats!.distinct} without`)
    const text = await runMain(['check', RACE_PML, '--no-ltl', '--reduce', '--dfs'])
    assertExit(text, 0)
    assert.match(text.stdout, /depth-first, partial-order reduction/)
  })

  it('is refused, with a hint, where its conditions are not known to hold', async () => {
    const cases: [string[], RegExp][] = [
      [['check', RACE_PML, '--reduce'], /error\[CLI035\]: --reduce checks safety only: not a claim, a cycle search or fairness/],
      [['check', RACE_PML, '--no-ltl', '--reduce', '--workers', '2'], /error\[CLI035\]: --reduce works with one worker only/],
      [['check', RACE_PML, '--acceptance', '--reduce'], /error\[CLI035\]/],
      [['check', abs(RACE), '--reduce'], /error\[CLI035\]: --reduce is for Promela models/],
    ]
    for (const [args, message] of cases) {
      const run = await runMain(args)
      assertExit(run, 2)
      assert.match(run.stderr, message)
      assert.ok(!run.stderr.includes(STACK_FRAME))
    }
  })
})
