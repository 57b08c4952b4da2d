/**
 * `npm run bench`: the engine's throughput and memory per state, on one core.
 *
 *   1. A synthetic counter model written against the `Model` interface (bench/synthetic.ts), with
 *      an exactly known number of states, searched breadth-first and depth-first.
 *   2. The AWS DNS example (examples/aws-dns/fixed.ts, the atomic fix, which must hold) at
 *      3 enactors and 8 plans, breadth-first and depth-first (the two must agree), and a larger
 *      instance for a steadier rate.
 *
 * Breadth-first cases also run on two worker threads (names ending in -2w), for the scaling table;
 * when spin and gcc are on PATH, the Promela cases also run in SPIN side by side.
 *
 * Each case runs in its own node process, one after the other. The bench exits non-zero when a
 * count is wrong or a model that must hold does not; a missed performance target is only reported.
 * Results go to bench/results/latest.json.
 *
 *   node dist/bench/run.js            the full bench
 *   node dist/bench/run.js --quick    small sizes, to try the bench itself
 *   node dist/bench/run.js --stores   also the synthetic model in a bitstate search (16 MiB and
 *                                     64 MiB bit arrays), with hash compaction, and breadth-first
 *                                     with every frontier chunk spilled to disk
 *   node dist/bench/run.js --only RE  only the cases whose name matches the regular expression
 *                                     (e.g. --only 'synthetic-bfs' or --only 'Chameneos|Slush')
 *   node dist/bench/run.js --help     these options and the case names
 *   BENCH_RANGES=40,40,40,40          other counter ranges for the synthetic model
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir, totalmem } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { repoRoot, runCase, type CaseResult, type CaseSpec } from './cases.js'
import { expectedCounts } from './synthetic.js'

/** The engine's performance targets. */
const TARGET_STATES_PER_SECOND = 1_000_000
const TARGET_SEEN_BYTES_PER_STATE = 16

/** Reference figures: a 6.9 M-state DNS model, one core of these machines. Not measured here. */
const REFERENCE = [
  { tool: "SPIN's pan", statesPerSecond: 224_000 },
  { tool: 'TLC', statesPerSecond: 47_000 },
] as const

/** 5 counters: 24 * 24 * 24 * 20 * 20 = 5,529,600 states. */
const DEFAULT_RANGES = [24, 24, 24, 20, 20]
const QUICK_RANGES = [16, 16, 16, 16]
const DNS_FILE = 'examples/aws-dns/fixed.ts'
/** The required DNS size: 3 enactors, 8 plans, KEEP 1. */
const DNS_REQUIRED = { ENACTORS: 3, PLANS: 8, KEEP: 1 }
/** A larger DNS instance (about 1.2 M states, ~35 s at the time of writing) for a rate not dominated by warm-up. */
const DNS_LARGE = { ENACTORS: 4, PLANS: 12, KEEP: 1 }
const DNS_LARGE_QUICK = { ENACTORS: 4, PLANS: 8, KEEP: 1 }
/** A case that takes longer than this is killed and counts as a failure. */
const CASE_TIMEOUT_MS = 150_000

const selfPath = fileURLToPath(import.meta.url)

async function child(specJson: string): Promise<void> {
  const spec = JSON.parse(specJson) as CaseSpec
  const result = await runCase(spec)
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`)
}

function runInChild(spec: CaseSpec): { result?: CaseResult; error?: string; wallSeconds: number } {
  const t0 = performance.now()
  const r = spawnSync(process.execPath, [selfPath, '--case', JSON.stringify(spec)], {
    cwd: repoRoot,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: CASE_TIMEOUT_MS,
    maxBuffer: 64 * 1024 * 1024,
  })
  const wallSeconds = (performance.now() - t0) / 1000
  if (r.error) return { error: `${r.error.message}`, wallSeconds }
  const line = r.stdout.split('\n').find((l) => l.startsWith('RESULT '))
  if (r.status !== 0 || !line) {
    const why = r.signal ? `killed by ${r.signal}` : `exit code ${r.status}`
    const lines = (r.stderr || r.stdout).trim().split('\n')
    const message = lines.find((l) => /^\s*\w*Error( \[\w+\])?:/.test(l)) ?? lines.slice(-3).join(' | ')
    return { error: `${why}: ${message.trim()}`, wallSeconds }
  }
  return { result: JSON.parse(line.slice('RESULT '.length)) as CaseResult, wallSeconds }
}

// ---------------------------------------------------------------------------------------------
// Formatting

const int = (n: number): string => Math.round(n).toLocaleString('en-US')
const fixed = (n: number, d: number): string => n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d })
const mb = (bytes: number): string => fixed(bytes / 2 ** 20, 0)

function table(header: readonly string[], rows: readonly (readonly string[])[], leftColumns = 1): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (i < leftColumns ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd()
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n')
}

function describe(r: CaseResult): string {
  return [
    `  model ${r.model}, ${r.strategy.toUpperCase()}, ${r.workers} worker${r.workers === 1 ? "" : "s"}: ${r.status}${r.limit ? ` (${r.limit})` : ''}${r.violation ? ` — ${r.violation}` : ''}`,
    `  distinct states        ${int(r.distinct)}`,
    `  transitions            ${int(r.transitions)}`,
    `  depth                  ${int(r.depth)}`,
    `  seconds                ${fixed(r.seconds, 2)}   (model load ${fixed(r.loadSeconds, 2)} s, not included)`,
    `  states/s               ${int(r.statesPerSecond)}`,
    `  CPU                    ${fixed(r.cpuSeconds, 2)} s, ${int(r.statesPerCpuSecond)} states per CPU second`,
    `  transitions/s          ${int(r.transitionsPerSecond)}   (${fixed(r.transitions / Math.max(1, r.distinct), 2)} per state, ${fixed((r.seconds * 1e9) / Math.max(1, r.transitions), 0)} ns each)`,
    `  seen set               ${fixed(r.seenBytesPerState, 2)} bytes/state   (${mb(r.seenSetBytes)} MiB${smallTable(r.seenSetBytes)})`,
    `  trace links            ${fixed(r.traceBytesPerState, 2)} bytes/state   (${mb(r.traceBytes)} MiB${smallTable(r.traceBytes)})`,
    `  peak RSS               ${mb(r.peakRssBytes)} MiB`,
    ...(r.store ? [`  store                  ${storeText(r)}`] : []),
    ...(r.spilledBytes ? [`  frontier spilled       ${mb(r.spilledBytes)} MiB to disk`] : []),
  ].join('\n')
}

/** An approximate store's figures, as pan prints them. */
function storeText(r: CaseResult): string {
  const s = r.store!
  const bitstate = s.mode === 'bitstate' ? `, hash factor ${fixed(s.hashFactor!, 1)}, -k${s.hashFunctions}, ${fixed(s.fill! * 100, 1)} % of bits set` : ''
  return `${s.mode}${bitstate}; expected missed ${s.expectedMissed.toPrecision(2)}, expected coverage ${fixed(s.expectedCoverage * 100, 4)} %`
}

/** `--stores`: the synthetic model with the approximate stores, and with its frontier spilled. */
function storeCases(ranges: readonly number[]): CaseSpec[] {
  return [
    { kind: 'synthetic', name: 'synthetic-dfs-bitstate-16m', strategy: 'dfs', ranges, store: { mode: 'bitstate', bytes: 16 * 2 ** 20, hashFunctions: 3 } },
    { kind: 'synthetic', name: 'synthetic-dfs-bitstate-64m', strategy: 'dfs', ranges, store: { mode: 'bitstate', bytes: 64 * 2 ** 20, hashFunctions: 3 } },
    { kind: 'synthetic', name: 'synthetic-dfs-compact', strategy: 'dfs', ranges, store: { mode: 'hash-compact' } },
    { kind: 'synthetic', name: 'synthetic-bfs-spill', strategy: 'bfs', ranges, frontierBytes: 0 },
  ]
}

/** The seen set and the trace log start at 64 Ki entries (512 KiB), which dominates bytes/state for small models. */
function smallTable(bytes: number): string {
  return bytes > 0 && bytes <= 512 * 1024 ? ', the initial size: bytes/state means little here' : ''
}

function gitCommit(): { commit?: string; dirty?: boolean } {
  const head = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' })
  if (head.status !== 0) return {}
  const status = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: repoRoot, encoding: 'utf8' })
  return { commit: head.stdout.trim(), dirty: status.status === 0 ? status.stdout.trim() !== '' : undefined }
}

// ---------------------------------------------------------------------------------------------

/** Promela cases: the DNS example, and the larger corpus models when the corpus is there. */
function promelaCases(quick: boolean): CaseSpec[] {
  const cases: CaseSpec[] = [
    // SPIN's figures measured once with spin -o1 -o2 -o3 -DENACTORS=… -DPLANS=…, pan -DNOREDUCE -a.
    quick
      ? { kind: 'promela', name: 'dns-pml-3x4-bfs', strategy: 'bfs', file: 'examples/aws-dns/fixed.pml', defines: { ENACTORS: '3', PLANS: '4' }, ltl: 'never_delete_active', spin: { stored: 4820, transitions: 13901, panSeconds: 0.01 } }
      : { kind: 'promela', name: 'dns-pml-3x8-bfs', strategy: 'bfs', file: 'examples/aws-dns/fixed.pml', defines: { ENACTORS: '3', PLANS: '8' }, ltl: 'never_delete_active', spin: { stored: 87488, transitions: 299321, panSeconds: 0.1 } },
    // The same claim by nested depth-first search, as pan -a searches it.
    { kind: 'promela', name: `dns-pml-${quick ? '3x4' : '3x12'}-ndfs`, strategy: 'ndfs', file: 'examples/aws-dns/fixed.pml', defines: { ENACTORS: '3', PLANS: quick ? '4' : '12' }, ltl: 'never_delete_active' },
    // The progress model with its safety claim alone, then its liveness claim under weak fairness
    // (the on-the-fly fair-cycle search, which holds, so it explores every state); SPIN side by side
    // runs pan -a, and pan -a -f.
    ...(['never_delete_active', 'plans_handled'] as const).map(
      (ltl): CaseSpec => ({
        kind: 'promela',
        name: `dns-pml-progress-${quick ? '3x4' : '3x6'}-${ltl === 'plans_handled' ? 'fair' : 'safety'}`,
        strategy: 'bfs',
        file: 'examples/aws-dns/progress.pml',
        defines: { ENACTORS: '3', PLANS: quick ? '4' : '6' },
        ltl,
        ...(ltl === 'plans_handled' ? { fair: true } : {}),
      }),
    ),
  ]
  const corpus = process.env['WEFT_CORPUS'] ?? join(repoRoot, '..', 'shared', 'corpus')
  const manifestPath = join(corpus, 'promela', 'manifest.json')
  if (!existsSync(manifestPath)) {
    console.log(`(the corpus is not at ${corpus}: the corpus Promela cases are left out)`)
    return cases
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    name: string
    file: string
    mode: string
    expect: { canonical: { stored: number; transitions: number; panSeconds: number } }
  }[]
  const names = quick ? ['spin-ex/Book_1991/p337.pftp.ses'] : ['spin-ex/cambridge', 'sddf/spin_models/original_models/MuxEthDev/TxOnly', 'spin-ex/Book_1991/p337.pftp.ses']
  for (const name of names) {
    const e = manifest.find((x) => x.name === name && x.mode === 'safety')
    if (!e) continue
    const c = e.expect.canonical
    cases.push({ kind: 'promela', name: `${name.split('/').pop()}-dfs`, strategy: 'dfs', file: join(corpus, 'promela', e.file), defines: {}, spin: { stored: c.stored, transitions: c.transitions, panSeconds: c.panSeconds } })
  }
  return cases
}

/** The reduced cases' names end so; each has a twin without reduction, named without it. */
const REDUCED = '-por'

/**
 * Partial-order reduction (weft --reduce): the DNS Promela model's safety check (its claims left
 * out) and a few corpus models, each depth-first without and with reduction.
 */
function reductionCases(quick: boolean): CaseSpec[] {
  const models: { name: string; file: string; defines: Record<string, string> }[] = [
    { name: `dns-pml-${quick ? '3x4' : '3x8'}-safety`, file: 'examples/aws-dns/fixed.pml', defines: { ENACTORS: '3', PLANS: quick ? '4' : '8' } },
  ]
  const corpus = process.env['WEFT_CORPUS'] ?? join(repoRoot, '..', 'shared', 'corpus')
  if (existsSync(join(corpus, 'promela'))) {
    for (const file of quick ? ['spin-examples/eratosthenes.pml'] : ['spin-examples/eratosthenes.pml', 'spin-examples/leader0.pml', 'spin-examples/LTL/mobile1.pml']) {
      if (existsSync(join(corpus, 'promela', file))) models.push({ name: file.split('/').pop()!.replace(/\.pml$/, ''), file: join(corpus, 'promela', file), defines: {} })
    }
  }
  return models.flatMap((m): CaseSpec[] => [
    { kind: 'promela', name: `${m.name}-dfs`, strategy: 'dfs', file: m.file, defines: m.defines },
    { kind: 'promela', name: `${m.name}-dfs${REDUCED}`, strategy: 'dfs', file: m.file, defines: m.defines, reduce: true },
  ])
}

/** TLA+ cases: the DNS fix scaled up, and the largest corpus specs weft runs (TLC's figures from the manifest). */
function tlaCases(quick: boolean): CaseSpec[] {
  const cases: CaseSpec[] = [
    { kind: 'tla', name: 'dns-tla-3x8-bfs', strategy: 'bfs', file: 'examples/aws-dns/DnsFixed.tla', cfg: 'examples/aws-dns/DnsFixedLarge.cfg', tlc: { distinct: 14571, generated: 49283 } },
  ]
  const corpus = process.env['WEFT_CORPUS'] ?? join(repoRoot, '..', 'shared', 'corpus')
  const manifestPath = join(corpus, 'tla', 'manifest.json')
  if (!existsSync(manifestPath)) return cases
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { name: string; tla: string; cfg: string; tlcSeconds: number; expect: { distinct: number; generated: number } }[]
  const names = quick ? ['Chameneos/Chameneos'] : ['Chameneos/Chameneos', 'GameOfLife/GameOfLife', 'SlushProtocol/SlushSmall']
  for (const name of names) {
    const e = manifest.find((x) => x.name === name)
    if (!e) continue
    cases.push({ kind: 'tla', name: `${name.split('/').pop()}-bfs`, strategy: 'bfs', file: join(corpus, 'tla', e.tla), cfg: join(corpus, 'tla', e.cfg), tlc: { distinct: e.expect.distinct, generated: e.expect.generated, tlcSeconds: e.tlcSeconds } })
  }
  return cases
}

type PromelaSpec = Extract<CaseSpec, { kind: 'promela' }>

/** The one-worker Promela cases. */
function promelaSpecs(specs: readonly CaseSpec[]): PromelaSpec[] {
  return specs.filter((s): s is PromelaSpec => s.kind === 'promela' && (s.workers ?? 1) === 1)
}

/**
 * Runs SPIN's pan on a Promela case as the corpus measured it (spin -o1 -o2 -o3 -a, gcc -O2
 * -DNOREDUCE, pan; -DNOCLAIM without a claim, pan -a -N for one), when spin and gcc are on PATH.
 */
function runPan(spec: PromelaSpec): { stored: number; transitions: number; seconds: number; statesPerSecond: number } | undefined {
  const has = (tool: string): boolean => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0
  if (!has('spin') || !has('gcc')) return undefined
  const dir = mkdtempSync(join(tmpdir(), 'weft-bench-pan-'))
  try {
    const file = resolve(repoRoot, spec.file)
    const defines = Object.entries(spec.defines).map(([k, v]) => `-D${k}=${v}`)
    const spin = spawnSync('spin', ['-o1', '-o2', '-o3', ...defines, '-a', file], { cwd: dir, encoding: 'utf8' })
    if (spin.status !== 0) return undefined
    // A reduced case against pan's own partial-order reduction (still without statement merging: -o3).
    const cc = spawnSync('gcc', ['-O2', ...(spec.reduce ? [] : ['-DNOREDUCE']), ...(spec.ltl ? [] : ['-DNOCLAIM']), '-o', 'pan', 'pan.c'], { cwd: dir, encoding: 'utf8' })
    if (cc.status !== 0) return undefined
    const pan = spawnSync('./pan', [...(spec.ltl ? ['-a', '-N', spec.ltl] : []), ...(spec.fair ? ['-f'] : []), '-m10000000'], { cwd: dir, encoding: 'utf8', timeout: CASE_TIMEOUT_MS })
    const out = pan.stdout ?? ''
    const stored = Number(/(\d+) states, stored/.exec(out)?.[1] ?? NaN)
    const transitions = Number(/(\d+) transitions \(= stored\+matched\)/.exec(out)?.[1] ?? NaN)
    const seconds = Number(/pan: elapsed time ([\d.e+-]+) seconds/.exec(out)?.[1] ?? NaN)
    const rate = Number(/pan: rate ([\d.e+-]+) states\/second/.exec(out)?.[1] ?? NaN)
    if (!Number.isFinite(stored)) return undefined
    // pan prints no rate when its clock reads 0: count a hundredth of a second then.
    return { stored, transitions, seconds, statesPerSecond: Number.isFinite(rate) ? rate : stored / Math.max(seconds || 0, 0.01) }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const USAGE = `usage: npm run bench -- [--quick] [--stores] [--only REGEXP] [--help]

Runs each benchmark case in its own node process and prints states/s, transitions/s, bytes per
state, one against two workers, and ratios against SPIN (run side by side when spin is on PATH)
and TLC (the corpus manifest's times). Exits 1 when a count is wrong, 2 on a bad option.

  --quick         small sizes, to try the bench itself
  --stores        also the synthetic model with bitstate, hash compaction and a spilled frontier
  --only REGEXP   only the cases whose name matches (e.g. --only 'synthetic-bfs|Chameneos')
  --help          this text and the case names
  BENCH_RANGES=40,40,40,40   other counter ranges for the synthetic model (environment)`

async function main(argv: readonly string[]): Promise<number> {
  const caseAt = argv.indexOf('--case')
  if (caseAt >= 0) {
    await child(argv[caseAt + 1]!)
    return 0
  }
  const quick = argv.includes('--quick')
  const ranges = process.env['BENCH_RANGES']
    ? process.env['BENCH_RANGES'].split(',').map((x) => Number(x.trim()))
    : quick
      ? QUICK_RANGES
      : DEFAULT_RANGES
  const dnsLarge = quick ? DNS_LARGE_QUICK : DNS_LARGE
  const dnsTag = (c: Record<string, number>): string => `dns-${c['ENACTORS']}x${c['PLANS']}`

  const specs: CaseSpec[] = [
    { kind: 'synthetic', name: 'synthetic-bfs', strategy: 'bfs', ranges },
    { kind: 'synthetic', name: 'synthetic-dfs', strategy: 'dfs', ranges },
    { kind: 'dns', name: `${dnsTag(DNS_REQUIRED)}-bfs`, strategy: 'bfs', file: DNS_FILE, constants: DNS_REQUIRED },
    { kind: 'dns', name: `${dnsTag(DNS_REQUIRED)}-dfs`, strategy: 'dfs', file: DNS_FILE, constants: DNS_REQUIRED },
    { kind: 'dns', name: `${dnsTag(dnsLarge)}-bfs`, strategy: 'bfs', file: DNS_FILE, constants: dnsLarge },
    // The same model with its safety check alone, then with the progress properties under weak fairness.
    { kind: 'dns', name: `${dnsTag(DNS_REQUIRED)}-fixed-safety`, strategy: 'bfs', file: 'examples/aws-dns/fixed.ts', constants: DNS_REQUIRED },
    { kind: 'dns', name: `${dnsTag(DNS_REQUIRED)}-fixed-liveness`, strategy: 'bfs', file: 'examples/aws-dns/progress-fair.ts', constants: DNS_REQUIRED },
    ...promelaCases(quick),
    ...reductionCases(quick),
    ...tlaCases(quick),
    ...(argv.includes('--stores') ? storeCases(ranges) : []),
  ]
  // The same breadth-first and depth-first searches on two worker threads, for the scaling table.
  for (const spec of [...specs]) {
    // (Fair-cycle searches, reduced ones and the memory cases of --stores run on one thread.)
    const memoryCase = spec.kind === 'synthetic' && (spec.store !== undefined || spec.frontierBytes !== undefined)
    const parallel = spec.strategy === 'bfs' || (spec.strategy === 'dfs' && (spec.kind === 'synthetic' || (spec.kind === 'promela' && spec.spin !== undefined && !spec.reduce)))
    if (parallel && !memoryCase && (spec.kind !== 'dns' || spec.constants === dnsLarge) && !(spec.kind === 'promela' && spec.fair)) specs.push({ ...spec, name: `${spec.name}-2w`, workers: 2 })
  }
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE)
    console.log(`cases${quick ? ' (--quick)' : ''}:\n${specs.map((s) => `  ${s.name}`).join('\n')}`)
    return 0
  }
  const onlyAt = argv.indexOf('--only')
  if (onlyAt >= 0) {
    const pattern = argv[onlyAt + 1]
    let only: RegExp
    try {
      if (pattern === undefined) throw new Error('--only needs a regular expression')
      only = new RegExp(pattern)
    } catch (e) {
      console.error(`weft bench: ${(e as Error).message}`)
      return 2
    }
    specs.splice(0, specs.length, ...specs.filter((s) => only.test(s.name)))
    if (specs.length === 0) {
      console.error(`weft bench: no case name matches ${pattern} (--help lists them)`)
      return 2
    }
  }

  const expected = expectedCounts(ranges)
  console.log(`weft bench — node ${process.version}, ${cpus()[0]?.model ?? 'unknown cpu'}, ${mb(totalmem())} MiB RAM, one case per process, one worker (two for the runs named -2w)`)
  console.log(
    `synthetic model: ${ranges.length} counters, ranges ${ranges.join(' x ')} = ${int(expected.distinct)} states, ${int(expected.transitions)} transitions (exact)` +
      (expected.distinct < 5_000_000 ? '   [below the 5 M states of the full bench]' : ''),
  )
  console.log('')

  const failures: string[] = []
  const results: CaseResult[] = []
  const wall: Record<string, number> = {}
  for (const spec of specs) {
    console.log(`${spec.name} …`)
    const { result, error, wallSeconds } = runInChild(spec)
    wall[spec.name] = wallSeconds
    if (!result) {
      failures.push(`${spec.name}: the case failed (${error})`)
      console.log(`  FAILED: ${error}\n`)
      continue
    }
    results.push(result)
    console.log(describe(result))
    console.log(`  (process wall time ${fixed(wallSeconds, 1)} s)\n`)
  }

  // ---- correctness checks: these decide the exit code
  const byName = new Map(results.map((r) => [r.name, r]))
  for (const r of results) {
    if (r.status !== 'ok') failures.push(`${r.name}: status ${r.status}${r.limit ? ` (${r.limit})` : ''}${r.violation ? `: ${r.violation}` : ''}, expected ok`)
    if (r.kind === 'synthetic' && r.expected && r.store) {
      // An approximate store may miss states, never add any.
      if (r.distinct > r.expected.distinct) failures.push(`${r.name}: ${r.distinct} distinct states, more than the ${r.expected.distinct} there are`)
    } else if (r.kind === 'synthetic' && r.expected) {
      if (r.distinct !== r.expected.distinct) failures.push(`${r.name}: ${r.distinct} distinct states, expected exactly ${r.expected.distinct}`)
      if (r.transitions !== r.expected.transitions) failures.push(`${r.name}: ${r.transitions} transitions, expected exactly ${r.expected.transitions}`)
      if (r.strategy === 'bfs' && r.depth !== r.expected.bfsDepth) failures.push(`${r.name}: depth ${r.depth}, expected ${r.expected.bfsDepth}`)
    }
  }
  const dnsBfs = byName.get(`${dnsTag(DNS_REQUIRED)}-bfs`)
  const dnsDfs = byName.get(`${dnsTag(DNS_REQUIRED)}-dfs`)
  if (dnsBfs && dnsDfs && (dnsBfs.distinct !== dnsDfs.distinct || dnsBfs.transitions !== dnsDfs.transitions)) {
    failures.push(
      `${dnsTag(DNS_REQUIRED)}: BFS and DFS disagree (${dnsBfs.distinct} vs ${dnsDfs.distinct} states, ${dnsBfs.transitions} vs ${dnsDfs.transitions} transitions)`,
    )
  }

  for (const r of results) {
    if (r.kind !== 'promela' || !r.spin) continue
    if (r.distinct !== r.spin.stored || r.transitions !== r.spin.transitions) {
      failures.push(`${r.name}: ${r.distinct} states and ${r.transitions} transitions, SPIN stores ${r.spin.stored} with ${r.spin.transitions}`)
    }
  }

  for (const r of results) {
    if (r.kind !== 'tla' || !r.tlc) continue
    if (r.distinct !== r.tlc.distinct || r.transitions !== r.tlc.generated) {
      failures.push(`${r.name}: ${r.distinct} states and ${r.transitions} generated, TLC finds ${r.tlc.distinct} with ${r.tlc.generated}`)
    }
  }

  // ---- summary table
  console.log('Results')
  console.log(
    table(
      ['run', 'status', 'states', 'transitions', 'depth', 'seconds', 'states/s', 'CPU s', 'states/CPU s', 'trans/s', 'seen B/st', 'trace B/st', 'RSS MiB'],
      results.map((r) => [
        r.name,
        r.status,
        int(r.distinct),
        int(r.transitions),
        int(r.depth),
        fixed(r.seconds, 2),
        int(r.statesPerSecond),
        fixed(r.cpuSeconds, 2),
        int(r.statesPerCpuSecond),
        int(r.transitionsPerSecond),
        fixed(r.seenBytesPerState, 2),
        fixed(r.traceBytesPerState, 2),
        mb(r.peakRssBytes),
      ]),
      1,
    ),
  )
  console.log('')

  // ---- targets (reported, never fatal)
  const targets: { run: string; target: string; measured: string; pass: boolean }[] = []
  // The rate target is judged on CPU time: wall time on a shared machine measures the other load too.
  for (const r of results.filter((x) => x.kind === 'synthetic' && x.workers === 1)) {
    targets.push({
      run: r.name,
      target: `>= ${int(TARGET_STATES_PER_SECOND)} states/s`,
      measured: `${int(r.statesPerCpuSecond)} states per CPU second (${int(r.statesPerSecond)} per wall second)`,
      pass: r.statesPerCpuSecond >= TARGET_STATES_PER_SECOND,
    })
    targets.push({
      run: r.name,
      target: `<= ${TARGET_SEEN_BYTES_PER_STATE} seen-set bytes/state`,
      measured: `${fixed(r.seenBytesPerState, 2)} bytes/state`,
      pass: r.seenBytesPerState <= TARGET_SEEN_BYTES_PER_STATE,
    })
  }
  console.log('Targets (synthetic model)')
  console.log(table(['run', 'target', 'measured', 'result'], targets.map((t) => [t.run, t.target, t.measured, t.pass ? 'PASS' : 'MISS']), 2))
  console.log('')

  // ---- reference figures (not measured side by side)
  const dnsRuns = results.filter((r) => r.kind === 'dns' && r.strategy === 'bfs')
  const reference = dnsRuns.map((r) => ({
    run: r.name,
    distinct: r.distinct,
    statesPerSecond: r.statesPerSecond,
    ratios: REFERENCE.map((ref) => ({ tool: ref.tool, statesPerSecond: ref.statesPerSecond, ratio: r.statesPerSecond / ref.statesPerSecond })),
  }))
  if (reference.length > 0) {
    console.log('Reference figures, different model encodings — NOT measured side by side:')
    console.log(`  reference figures for a 6.9 M-state DNS model on one core of these machines: ${REFERENCE.map((x) => `${x.tool} ~${int(x.statesPerSecond)} states/s`).join(', ')}`)
    console.log(
      table(
        ['weft DNS run', 'states', 'weft states/s', ...REFERENCE.map((x) => `vs ${x.tool}`)],
        reference.map((x) => [x.run, int(x.distinct), int(x.statesPerSecond), ...x.ratios.map((q) => `${fixed(q.ratio, 2)}x`)]),
        1,
      ),
    )
    console.log('')
  }

  // ---- TLA+ against TLC's figures (the manifest's wall time less ~0.7 s of JVM start; not measured side by side)
  const tla = results.filter((r) => r.kind === 'tla' && r.tlc?.tlcSeconds)
  if (tla.length > 0) {
    console.log("TLA+ against TLC 2.20 (one worker; TLC's wall time from the corpus manifest less 0.7 s of JVM start, NOT measured side by side):")
    console.log(
      table(
        ['run', 'states', 'weft states/s', 'TLC states/s', 'ratio'],
        tla.map((r) => {
          const tlcRate = r.tlc!.distinct / Math.max(0.1, r.tlc!.tlcSeconds! - 0.7)
          return [r.name, int(r.distinct), int(r.statesPerSecond), int(tlcRate), `${fixed(r.statesPerSecond / tlcRate, 2)}x`]
        }),
        1,
      ),
    )
    console.log('')
  }

  // ---- Promela against SPIN's figures in the corpus manifest (pan's time, not measured side by side)
  const promela = results.filter((r) => r.kind === 'promela' && r.spin)
  if (promela.length > 0) {
    console.log("Promela against SPIN 6.5.2 (canonical configuration; pan's search time from the corpus manifest, one core, NOT measured side by side):")
    console.log(
      table(
        ['run', 'states', 'same counts', 'weft states/s', 'SPIN states/s', 'weft / SPIN'],
        promela.map((r) => {
          const spinRate = r.spin!.stored / Math.max(r.spin!.panSeconds, 1e-3)
          return [r.name, int(r.distinct), r.distinct === r.spin!.stored && r.transitions === r.spin!.transitions ? 'yes' : 'NO', int(r.statesPerSecond), int(spinRate), `${fixed(r.statesPerSecond / spinRate, 2)}x`]
        }),
        1,
      ),
    )
    console.log('')
  }

  // ---- partial-order reduction: each reduced case beside its twin without reduction
  const reductions = results
    .filter((r) => r.name.endsWith(REDUCED))
    .map((r) => ({ r, base: byName.get(r.name.slice(0, -REDUCED.length)) }))
    .filter((x): x is { r: CaseResult; base: CaseResult } => x.base !== undefined)
  for (const { r, base } of reductions) {
    if (r.status !== base.status || r.violation !== base.violation) failures.push(`${r.name}: partial-order reduction changed the verdict (${r.status} against ${base.status})`)
  }
  if (reductions.length > 0) {
    console.log('Partial-order reduction (weft --reduce, depth-first; safety checks without claims):')
    console.log(
      table(
        ['run', 'states', 'with --reduce', 'ratio', 'transitions', 'with --reduce', 'CPU s', 'with --reduce'],
        reductions.map(({ r, base }) => [base.name, int(base.distinct), int(r.distinct), `${fixed(r.distinct / Math.max(1, base.distinct), 2)}`, int(base.transitions), int(r.transitions), fixed(base.cpuSeconds, 2), fixed(r.cpuSeconds, 2)]),
        1,
      ),
    )
    console.log('')
  }

  // ---- one worker against two (the machine is shared: rates are noisy, repeat for a spread)
  const scaling = results
    .filter((r) => r.workers > 1)
    .map((r) => ({ r, base: byName.get(r.name.replace(/-2w$/, '')) }))
    .filter((x): x is { r: CaseResult; base: CaseResult } => x.base !== undefined)
    .map(({ r, base }) => ({ run: base.name, one: base.statesPerSecond, two: r.statesPerSecond, speedup: r.statesPerSecond / Math.max(1, base.statesPerSecond), sameCounts: r.distinct === base.distinct && r.transitions === base.transitions && (r.strategy === 'dfs' || r.depth === base.depth) }))
  for (const x of scaling) if (!x.sameCounts) failures.push(`${x.run}: two workers give other counts than one`)
  if (scaling.length > 0) {
    console.log(`Workers (${cpus().length} cores on this machine)`)
    console.log(table(['run', '1 worker states/s', '2 workers states/s', 'speed-up', 'same counts'], scaling.map((x) => [x.run, int(x.one), int(x.two), `${fixed(x.speedup, 2)}x`, x.sameCounts ? 'yes' : 'NO']), 1))
    console.log('')
  }

  // ---- SPIN side by side, when it is installed
  const live = promelaSpecs(specs).map((spec) => ({ spec, pan: runPan(spec) })).filter((x) => x.pan !== undefined)
  const liveRows = live.map(({ spec, pan }) => {
    const one = byName.get(spec.name)
    const two = byName.get(`${spec.name}-2w`)
    return { run: spec.name, panStored: pan!.stored, panStatesPerSecond: pan!.statesPerSecond, weft: one?.statesPerSecond ?? 0, weft2: two?.statesPerSecond }
  })
  if (liveRows.length > 0) {
    console.log(`Promela against SPIN 6.5.2 measured now, side by side (spin -o1 -o2 -o3 -a; gcc -O2 -DNOREDUCE, or for the ${REDUCED} runs without it, so with pan's reduction; pan):`)
    console.log(
      table(
        ['run', 'pan states', 'pan states/s', 'weft states/s', 'weft / pan', '2 workers / pan'],
        liveRows.map((x) => [x.run, int(x.panStored), int(x.panStatesPerSecond), int(x.weft), `${fixed(x.weft / x.panStatesPerSecond, 3)}x`, x.weft2 === undefined ? '-' : `${fixed(x.weft2 / x.panStatesPerSecond, 3)}x`]),
        1,
      ),
    )
    console.log('')
  } else if (promelaSpecs(specs).length > 0) {
    console.log('(spin or gcc is not on PATH: no side-by-side SPIN run)\n')
  }

  // ---- JSON
  const outDir = join(repoRoot, 'bench', 'results')
  mkdirSync(outDir, { recursive: true })
  const outFile = join(outDir, 'latest.json')
  const json = {
    timestamp: new Date().toISOString(),
    node: process.version,
    v8: process.versions.v8,
    platform: `${process.platform} ${process.arch}`,
    cpu: cpus()[0]?.model,
    totalMemoryBytes: totalmem(),
    ...gitCommit(),
    quick,
    synthetic: { ranges, expected },
    runs: results.map((r) => ({ ...r, processWallSeconds: wall[r.name] })),
    targets: {
      statesPerSecond: TARGET_STATES_PER_SECOND,
      seenBytesPerState: TARGET_SEEN_BYTES_PER_STATE,
      results: targets,
    },
    scaling,
    spinLive: liveRows,
    reference: { note: 'reference rates for a 6.9 M-state DNS model on one core, different model encodings, not measured side by side', figures: REFERENCE, ratios: reference },
    ok: failures.length === 0,
    failures,
  }
  writeFileSync(outFile, `${JSON.stringify(json, null, 2)}\n`)
  console.log(`wrote ${outFile}`)

  if (failures.length > 0) {
    console.log('\nFAILED: wrong counts or results')
    for (const f of failures) console.log(`  - ${f}`)
    return 1
  }
  console.log('all counts correct')
  return 0
}

process.exitCode = await main(process.argv.slice(2))
