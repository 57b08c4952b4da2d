import { readFileSync, writeFileSync } from 'node:fs'
import { Command, CommanderError } from 'commander'
import { runSimulation, type Outcome } from '../api.js'
import { runCheckAsync } from '../node.js'
import type { Model } from '../core/model.js'
import { InputError, error, type Diagnostic } from '../diag/diagnostic.js'
import { renderDiagnostics } from '../diag/render.js'
import { lineColAt } from '../diag/span.js'
import { loadModelFile, type Constants, type LoadedModel } from '../platform/node/load-model.js'
import { memoryProbe } from '../platform/node/memory.js'
import type { CheckSummary } from '../report/summary.js'
import { acceptLabelModel, ClaimProduct, claimProduct, nonProgressProduct } from '../lang/promela/claim.js'
import { fairAcceptLabels, fairProduct } from '../lang/promela/fair.js'
import { PromelaModel } from '../lang/promela/model.js'
import { reduceModel, type ReductionInfo } from '../lang/promela/reduce.js'
import { renderSummary } from '../report/text.js'
import type { ItfTrace } from '../trace/itf.js'
import { replayItf } from '../trace/replay.js'
import { renderTextTrace } from '../trace/text.js'
import { VERSION } from '../version.js'
import { writeHtmlReport, writeReplayHtml, writeStateGraphs } from './artifacts.js'
import { ExitCode } from './codes.js'
import { runExplorer, type ExploreFlags } from './explore.js'
import { collectConstant, intBetween, nonNegativeInt, positiveInt, positiveSeconds } from './options.js'
import type { StoreChoice } from '../core/search/types.js'
import { ProgressLine } from './progress.js'

/** Where the command line writes; the real process streams, or buffers in tests. */
export interface Io {
  readonly stdout: { write(s: string): unknown }
  readonly stderr: { write(s: string): unknown; isTTY?: boolean }
}

interface CommonFlags {
  /** `--ltl NAME` gives a name; `--no-ltl` gives false. */
  ltl?: string | false
  acceptance?: boolean
  nonProgress?: boolean
  /** Promela: weak fairness in cycle searches (pan -f). */
  fair?: boolean
  json?: boolean
  traceOut?: string
  D?: Constants
  deadlock?: boolean
  timeLimit?: number
  /** TLA+: traces show only what each step changes. */
  diff?: boolean
  /** TLA+: the cfg file. */
  config?: string
}

interface CheckFlags extends CommonFlags {
  dfs?: boolean
  reduce?: boolean
  maxStates?: number
  maxDepth?: number
  continue?: boolean
  coverage?: boolean
  html?: string
  dot?: string
  graphJson?: string
  workers?: number
  memory?: number
  bitstate?: number
  hashFunctions?: number
  hashCompact?: boolean
  frontierMemory?: number
}

interface SimulateFlags extends CommonFlags {
  seed?: number
  steps?: number
  runs?: number
  html?: string
}

/** Runs the `weft` command line and returns its exit code. Never throws. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  let exitCode: number = ExitCode.ok
  const program = buildProgram(io, (code) => {
    exitCode = code
  })
  try {
    await program.parseAsync(argv, { from: 'user' })
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      if (e.exitCode === 0) return ExitCode.ok
      if (argv.includes('--json')) io.stdout.write(`${JSON.stringify(errorSummary(error(commanderCode(e), commanderMessage(e.message))))}\n`)
      return ExitCode.badInput
    }
    return reportFailure(e, io, argv.includes('--json'))
  }
  return exitCode
}

function buildProgram(io: Io, setExit: (code: number) => void): Command {
  const program = new Command('weft')
  program
    .description('weft, an explicit-state model checker: explores every reachable state of a model and reports a shortest counterexample')
    .version(VERSION, '-V, --version')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: (s, write) => write(`error[${/argument '.*' is invalid/.test(s) ? (/-D </.test(s) ? 'CLI014' : 'CLI001') : 'CLI002'}]: ${commanderMessage(s)}\nRun 'weft --help' for usage.\n`),
    })
    .showSuggestionAfterError(true)
    .addHelpText(
      'after',
      `
Exit codes:
  0  every property holds in every reachable state (with --bitstate or --hash-compact: in every state stored)
  1  a violation was found (its trace is printed)
  2  bad input: a file, a flag or the model itself
  3  incomplete: a limit was reached before the search finished
  4  internal error in weft

Examples:
  weft check examples/aws-dns/race.ts
  weft check examples/aws-dns/race.ts --json --trace-out race.itf.json
  weft replay examples/aws-dns/race.ts race.itf.json
  weft check examples/aws-dns/race.pml --html race.html
  weft explore examples/aws-dns/race.ts
  weft simulate examples/aws-dns/race.ts --seed 7 --runs 100`,
    )

  const common = (cmd: Command): Command =>
    cmd
      .option('--json', 'print one JSON object (the summary) on stdout and nothing else')
      .option('--trace-out <file>', 'write the counterexample as an ITF JSON trace')
      .option('-D <NAME=VALUE>', 'set a model constant (repeatable); the model module must export a function of its constants', collectConstant)
      .option('--no-deadlock', 'do not report states without successors')
      .option('--time-limit <seconds>', 'stop after this many seconds (result incomplete)', positiveSeconds('--time-limit'))
      .option('--ltl <name>', "(Promela) check this ltl formula or never claim")
      .option('--no-ltl', '(Promela) ignore ltl formulas and never claims: check assertions and end states only')
      .option('--acceptance', '(Promela) look for cycles through accept labels, without a claim (like pan -a)')
      .option('--non-progress', '(Promela) look for cycles that pass no progress label (like pan -l)')
      .option('--config <file>', '(TLA+) the model configuration (default: the .cfg beside the .tla)')
      .option('--diff', "(TLA+) traces show only the variables each step changes, not TLC's whole states")

  common(
    program
      .command('check')
      .description('check every reachable state (breadth-first by default, so the counterexample is a shortest one)')
      .argument('<model>', 'the model file (.pml, .tla, .ts, .mts, .js, .mjs)'),
  )
    .option('--dfs', 'search depth-first instead (less memory for traces; counterexamples not shortest)')
    .option('--max-states <n>', 'stop after storing this many states (result incomplete)', positiveInt('--max-states'))
    .option('--max-depth <n>', 'do not explore beyond this depth (result incomplete if states lie deeper)', positiveInt('--max-depth'))
    .option('--continue', 'keep searching past violations and count them (like pan -c0)')
    .option('--coverage', 'count how often each action or statement fired, and list those that never did')
    .option('--html <file>', 'write a self-contained HTML report: verdict, sequence diagram, trace table')
    .option('--dot <file>', 'write the reachable state graph in Graphviz dot (small models: up to 1,000 states)')
    .option('--graph-json <file>', 'write the reachable state graph as JSON: states with their variables, steps with their labels')
    .option('--workers <n>', 'worker threads (default 1): breadth-first, the same counts, verdict and trace for any number; with --dfs, the same counts for a complete search', positiveInt('--workers'))
    .option('--memory <MB>', 'stop cleanly (incomplete) when the process uses more than this many MiB', positiveInt('--memory'))
    .option('--reduce', '(Promela) partial-order reduction: a process whose next statements touch only its own locals moves alone; fewer states, same verdicts (safety checks, one worker)')
    .option('--fair', '(Promela) weak fairness in cycle searches: every process that can move moves in the cycle (like pan -f)')
    .option('--bitstate <MB>', 'bitstate (supertrace) search with a bit array of this many MiB, like pan -DBITSTATE -w: little memory, but states may be missed', intBetween('--bitstate', 1, MAX_BITSTATE_MB))
    .option('--hash-functions <k>', `bits set per state in a bitstate search (default ${DEFAULT_HASH_FUNCTIONS}, like pan -k)`, intBetween('--hash-functions', 1, MAX_HASH_FUNCTIONS))
    .option('--hash-compact', 'keep 40 bits of each state\'s fingerprint (5 bytes a slot) instead of 64, like pan -DHC: states may be missed')
    .option('--frontier-memory <MB>', 'MiB of breadth-first frontier kept in memory before chunks move to a temporary file (default: a quarter of --memory, else 1024)', nonNegativeInt('--frontier-memory'))
    .action(async (file: string, flags: CheckFlags) => {
      const store = storeChoice(flags, file)
      const loadedTargets = await loadTargets(file, flags, io)
      const targets = flags.reduce ? reduceTargets(loadedTargets, flags, file) : loadedTargets
      if (store) checkStoreTargets(targets, store, file)
      writeStateGraphs(systemOf(targets[0]!.model), flags, file)
      const progress = progressFor(io, flags)
      // Every claim in turn; the first violation decides, and its search gives the statistics.
      let outcome: Outcome<unknown, unknown> | undefined
      let checked: Target | undefined
      for (const target of targets) {
        checked = target
        outcome = await runCheckAsync(target.model, {
          file,
          workers: flags.workers ?? 1,
          source: { file, ...(flags.D ? { constants: flags.D } : {}), ...(flags.config === undefined ? {} : { config: flags.config }), ...(target.claim === undefined ? {} : { claim: target.claim }) },
          strategy: target.strategy,
          // With a claim, a state where nothing moves is not an error by itself (pan -a does not report it).
          deadlock: flags.deadlock !== false && target.strategy !== 'ndfs' && !target.fair && !(target.model instanceof ClaimProduct),
          continue: flags.continue === true,
          coverage: flags.coverage === true,
          sources: readSource,
          memoryExhausted: memoryProbe(flags.memory === undefined ? undefined : flags.memory * 2 ** 20),
          ...(flags.memory === undefined ? {} : { memoryLimit: flags.memory * 2 ** 20 }),
          ...(flags.frontierMemory === undefined ? {} : { frontierMemory: flags.frontierMemory * 2 ** 20 }),
          ...(store ? { store } : {}),
          ...(flags.maxStates === undefined ? {} : { maxStates: flags.maxStates }),
          ...(flags.maxDepth === undefined ? {} : { maxDepth: flags.maxDepth }),
          ...(flags.timeLimit === undefined ? {} : { timeLimit: flags.timeLimit }),
          ...(progress ? { reporter: progress } : {}),
        })
        if (outcome.summary.result !== 'ok') break
      }
      progress?.clear()
      const claimed = checked!.fair ? checked!.model.base : checked!.model
      const claim = claimed instanceof ClaimProduct ? `, claim '${claimed.claimName}'` : ''
      const search = checked!.fair ? 'fair cycles (weak fairness)' : checked!.strategy === 'ndfs' ? 'nested depth-first' : checked!.strategy === 'dfs' ? 'depth-first' : 'breadth-first'
      const reduction = (checked!.model as { reduction?: ReductionInfo }).reduction
      const off = reduction?.independence.off
      const mode = `${search}${claim}${reduction ? `, partial-order reduction${off === undefined ? '' : ` (none applies: ${off})`}` : ''}${storeMode(store)}`
      if (reduction) outcome = { ...outcome!, summary: { ...outcome!.summary, reduction: { kind: 'partial-order', reducedStates: reduction.reducedStates(), ...(off === undefined ? {} : { off }) } } }
      if (flags.html) writeHtmlReport(flags.html, checked!.model, outcome!, mode, readSource)
      setExit(finish(checked!.model, outcome!, flags, io, mode))
    })

  common(
    program
      .command('simulate')
      .description('random runs from the initial states, seeded and reproducible, checking the properties along the way')
      .argument('<model>', 'the model file (.pml, .tla, .ts, .mts, .js, .mjs)'),
  )
    .option('--seed <n>', 'the random seed (default 0)', nonNegativeInt('--seed'))
    .option('--steps <n>', 'the most steps in one run (default 1000)', positiveInt('--steps'))
    .option('--runs <n>', 'how many runs (default 1)', positiveInt('--runs'))
    .option('--html <file>', 'write the simulated run (the violating one, or the last) as a self-contained HTML report')
    .action(async (file: string, flags: SimulateFlags) => {
      const model = await loadForSimulation(file, flags, io)
      const outcome = runSimulation(model, {
        file,
        seed: flags.seed ?? 0,
        steps: flags.steps ?? 1000,
        runs: flags.runs ?? 1,
        deadlock: flags.deadlock !== false,
        ...(flags.timeLimit === undefined ? {} : { timeLimit: flags.timeLimit }),
        ...(flags.json ? {} : { onOutput: (text: string) => io.stdout.write(text) }),
      })
      const mode = `simulation, seed ${flags.seed ?? 0}`
      if (flags.html) writeHtmlReport(flags.html, model, outcome, mode, readSource)
      setExit(finish(model, outcome, flags, io, mode))
    })

  program
    .command('replay')
    .description('re-execute an ITF trace (as written by --trace-out) on the model and print it; exit 2 when it does not fit')
    .argument('<model>', 'the model file')
    .argument('<trace>', 'the ITF JSON trace file')
    .option('--json', 'print one JSON object on stdout and nothing else')
    .option('-D <NAME=VALUE>', 'set a model constant (repeatable)', collectConstant)
    .option('--config <file>', '(TLA+) the model configuration (default: the .cfg beside the .tla)')
    .option('--html <file>', 'write the replayed trace as a self-contained HTML report')
    .option('--diff', "(TLA+) show only the variables each step changes, not TLC's whole states")
    .action(async (file: string, traceFile: string, flags: { json?: boolean; D?: Constants; config?: string; html?: string; diff?: boolean }) => {
      const { model } = await loadModelFile(file, flags.D ?? {}, flags.config === undefined ? {} : { config: flags.config })
      const trace = readTrace(traceFile)
      const replayed = replayItf(model, trace)
      if (!replayed.ok) {
        throw new InputError([error('CLI021', `the trace '${traceFile}' does not fit the model: ${replayed.reason}`, { hint: `it replays up to state ${replayed.matched} of ${replayed.total}` })])
      }
      if (flags.html) writeReplayHtml(flags.html, model, replayed.path, trace as ItfTrace, file, languageOf(model), readSource)
      if (flags.json) {
        io.stdout.write(`${JSON.stringify({ weft: VERSION, model: file, language: languageOf(model), result: 'ok', replay: { trace: traceFile, length: replayed.path.steps.length + 1, path: replayed.path.choices.join('/') } })}\n`)
      } else {
        io.stdout.write(`${renderTextTrace(model, replayed.path, { sources: readSource, changesOnly: flags.diff === true })}\n\nThe trace replays: ${replayed.path.steps.length + 1} states, path ${replayed.path.choices.join('/')}.\n`)
      }
      setExit(ExitCode.ok)
    })

  program
    .command('explore')
    .description('serve a page on 127.0.0.1 to step through the model by hand, find or load counterexamples, and share positions by URL')
    .argument('<model>', 'the model file (.pml, .tla, .ts, .mts, .js, .mjs)')
    .option('--port <n>', 'the port to listen on (default 7878; 0 picks a free one)', nonNegativeInt('--port'))
    .option('-D <NAME=VALUE>', 'set a model constant (repeatable)', collectConstant)
    .option('--config <file>', '(TLA+) the model configuration (default: the .cfg beside the .tla)')
    .option('--ltl <name>', '(Promela) explore the product with this ltl formula or never claim (default: the first)')
    .option('--no-ltl', '(Promela) explore the model alone, without its claims')
    .action(async (file: string, flags: ExploreFlags) => {
      await runExplorer(file, flags, io.stdout)
      setExit(ExitCode.ok)
    })

  // Commander's own parse errors (unknown options, bad values) must not exit the process.
  for (const cmd of program.commands) cmd.exitOverride().configureOutput(program.configureOutput())
  return program
}

const MAX_BITSTATE_MB = 4096
const MAX_HASH_FUNCTIONS = 32
const DEFAULT_HASH_FUNCTIONS = 3

/**
 * The store the flags ask for (undefined: exact), refusing combinations that make no sense: both
 * approximate stores, --hash-functions without --bitstate, and any of the memory options with
 * worker threads, whose shared seen set and frontier are exact and in memory.
 */
function storeChoice(flags: CheckFlags, file: string): StoreChoice | undefined {
  if (flags.bitstate !== undefined && flags.hashCompact) throw new InputError([error('CLI034', '--bitstate and --hash-compact are two ways of storing states: give one', { file })])
  if (flags.hashFunctions !== undefined && flags.bitstate === undefined) throw new InputError([error('CLI034', '--hash-functions is for a bitstate search', { file, hint: 'add --bitstate <MB>' })])
  const given = flags.bitstate !== undefined ? '--bitstate' : flags.hashCompact ? '--hash-compact' : flags.frontierMemory !== undefined ? '--frontier-memory' : undefined
  if (given && (flags.workers ?? 1) > 1) {
    throw new InputError([error('CLI034', `${given} is for a search on one worker: the search on worker threads stores states exactly and keeps its frontier in memory`, { file, hint: 'drop --workers' })])
  }
  if (flags.bitstate !== undefined) return { mode: 'bitstate', bytes: flags.bitstate * 2 ** 20, hashFunctions: flags.hashFunctions ?? DEFAULT_HASH_FUNCTIONS }
  return flags.hashCompact ? { mode: 'hash-compact' } : undefined
}

/** An approximate store serves breadth-first and depth-first safety searches only. */
function checkStoreTargets(targets: readonly Target[], store: StoreChoice, file: string): void {
  const flag = store.mode === 'bitstate' ? '--bitstate' : '--hash-compact'
  for (const t of targets) {
    const liveness = t.model.liveness !== undefined && t.model.liveness.properties.length > 0
    if (t.strategy === 'ndfs' || t.fair || liveness) {
      throw new InputError([
        error('CLI034', `${flag} is for safety searches (breadth-first or depth-first), and this check is a ${liveness || t.fair ? 'liveness' : 'cycle'} search`, {
          file,
          hint: t.strategy === 'ndfs' ? 'add --no-ltl to check assertions and end states only' : 'check it with exact storage',
        }),
      ])
    }
  }
}

function storeMode(store: StoreChoice | undefined): string {
  if (store?.mode === 'bitstate') return `, bitstate ${store.bytes / 2 ** 20} MiB -k${store.hashFunctions ?? DEFAULT_HASH_FUNCTIONS}`
  return store?.mode === 'hash-compact' ? ', hash compaction' : ''
}

/** What one check runs: a model (or its product with a claim) and the search it needs. */
type Target = {
  readonly strategy: 'bfs' | 'dfs' | 'ndfs'
  /** The claim the model is the product with (so that worker threads can build it too). */
  readonly claim?: string
} & (
  | { readonly model: Model<unknown, unknown>; readonly fair?: undefined }
  /** Under weak fairness: the model's liveness spec holds the cycle condition; `base` is the model without it. */
  | { readonly model: Model<unknown, unknown> & { readonly base: Model<unknown, unknown> }; readonly fair: true }
)

/** The model whose states a state graph shows: the system, without a claim or fairness. */
function systemOf(model: Model<unknown, unknown>): Model<unknown, unknown> {
  const inner = (model as { base?: Model<unknown, unknown> }).base ?? model
  return inner instanceof ClaimProduct ? (inner.system as unknown as Model<unknown, unknown>) : inner
}

/** A cycle search under weak fairness (pan -f): the fair-cycle search over the model's whole graph. */
function fairTarget(model: Model<Int32Array, unknown> & { readonly base: Model<Int32Array, unknown> }, claim?: string): Target {
  return { model: model as unknown as Model<unknown, unknown> & { readonly base: Model<unknown, unknown> }, strategy: 'bfs', fair: true, ...(claim === undefined ? {} : { claim }) }
}

/**
 * Loads a model and decides what to check, as pan would: without claims, the safety checks; with
 * `--ltl NAME`, that claim (nested depth-first search for its accepting cycles and its end); with
 * claims and no flag, every claim in turn; with `--no-ltl`, the safety checks alone. Temporal
 * formulas (`ltl` blocks) cannot be translated yet, so a model that needs one is refused: silently
 * skipping a property would be a wrong answer.
 */
async function loadTargets(file: string, flags: CommonFlags & { dfs?: boolean }, io: Io): Promise<Target[]> {
  const loaded: LoadedModel = await loadModelFile(file, flags.D ?? {}, flags.config === undefined ? {} : { config: flags.config })
  if (loaded.warnings.length > 0) io.stderr.write(`${renderDiagnostics(loaded.warnings, readSource)}\n\n`)
  const safety: Target = { model: loaded.model, strategy: flags.dfs ? 'dfs' : 'bfs' }
  if (flags.fair && !(loaded.model instanceof PromelaModel)) throw new InputError([error('CLI033', '--fair is for Promela models (TLA+ and TypeScript models state their own fairness)', { file })])
  if (flags.acceptance || flags.nonProgress) {
    if (!(loaded.model instanceof PromelaModel)) throw new InputError([error('CLI032', `--${flags.acceptance ? 'acceptance' : 'non-progress'} is for Promela models`, { file })])
    if (flags.fair) return [fairTarget(flags.nonProgress ? fairProduct(nonProgressProduct(loaded.model)) : fairAcceptLabels(loaded.model))]
    const model = flags.nonProgress ? nonProgressProduct(loaded.model) : acceptLabelModel(loaded.model)
    return [{ model: model as unknown as Model<unknown, unknown>, strategy: 'ndfs' }]
  }
  if (flags.ltl === false || (loaded.claims.length === 0 && flags.ltl === undefined)) {
    // pan refuses -f without -a or -l ("-f requires the use of -a or -l"): there is no cycle to be fair in.
    if (flags.fair) {
      throw new InputError([
        error('CLI033', `--fair needs a cycle search, and ${flags.ltl === false ? '--no-ltl leaves' : 'the model has no ltl formula or never claim, so it gets'} only the safety check`, {
          file,
          hint: 'add --acceptance (accept labels) or --non-progress (progress labels), or check an ltl formula',
        }),
      ])
    }
    return [safety]
  }
  const wanted = typeof flags.ltl === 'string' ? [flags.ltl] : loaded.claims
  if (typeof flags.ltl === 'string' && !loaded.claims.includes(flags.ltl)) {
    const known = loaded.claims.length > 0 ? `; it has ${loaded.claims.map((c) => `'${c}'`).join(', ')}` : '; it has none'
    throw new InputError([error('CLI031', `the model has no ltl formula or never claim named '${flags.ltl}'${known}`, { file })])
  }
  return wanted.map((name) => {
    const product = loaded.model instanceof PromelaModel ? claimProduct(loaded.model, name) : undefined
    if (!product) {
      throw new InputError([
        error('CLI030', `ltl formulas cannot be checked yet, so '${name}' cannot be checked`, { file, hint: 'add --no-ltl to check assertions and end states only, as pan compiled with -DNOCLAIM does' }),
      ])
    }
    // A claim with no reachable accept state is a safety property: breadth-first gives a shortest trace
    // (and it has no cycles for fairness to judge).
    if (flags.fair && !product.isSafety) return fairTarget(fairProduct(product), name)
    return { model: product as unknown as Model<unknown, unknown>, strategy: product.isSafety ? (flags.dfs ? 'dfs' : 'bfs') : 'ndfs', claim: name }
  })
}

/**
 * The targets with partial-order reduction (`--reduce`): only a Promela model's safety check in one
 * thread, where its cycle proviso is known to hold; claims, cycle searches and fairness would need
 * the visibility conditions and the proviso in both nested searches, and worker threads would each
 * keep their own record of reduced states.
 */
function reduceTargets(targets: readonly Target[], flags: CheckFlags, file: string): Target[] {
  const refuse = (why: string, hint?: string): never => {
    throw new InputError([error('CLI035', `--reduce ${why}`, { file, ...(hint ? { hint } : {}) })])
  }
  if ((flags.workers ?? 1) > 1) refuse('works with one worker only', 'leave out --workers')
  return targets.map((t) => {
    if (t.fair || t.strategy === 'ndfs' || t.model instanceof ClaimProduct) refuse('checks safety only: not a claim, a cycle search or fairness', 'add --no-ltl to check assertions and end states with reduction')
    if (!(t.model instanceof PromelaModel)) refuse('is for Promela models')
    return { ...t, model: reduceModel(t.model as PromelaModel) as unknown as Model<unknown, unknown> } as Target
  })
}

/** Loads a model for simulation: its system alone (claims are not simulated). */
async function loadForSimulation(file: string, flags: CommonFlags, io: Io): Promise<Model<unknown, unknown>> {
  const loaded: LoadedModel = await loadModelFile(file, flags.D ?? {}, flags.config === undefined ? {} : { config: flags.config })
  if (loaded.warnings.length > 0) io.stderr.write(`${renderDiagnostics(loaded.warnings, readSource)}\n\n`)
  return loaded.model
}

function progressFor(io: Io, flags: CommonFlags): ProgressLine | undefined {
  return io.stderr.isTTY && !flags.json ? new ProgressLine(io.stderr) : undefined
}

/** Prints an outcome as text or JSON, writes the trace file, and returns the exit code. */
function finish<S, A>(model: Model<S, A>, outcome: Outcome<S, A>, flags: CommonFlags, io: Io, mode: string): number {
  const { summary, path } = outcome
  if (flags.traceOut && summary.violation) writeFileSync(flags.traceOut, `${JSON.stringify(summary.violation.trace, null, 2)}\n`)
  if (flags.json) io.stdout.write(`${JSON.stringify(summary)}\n`)
  else io.stdout.write(`${renderSummary(model, summary, path, { mode, sources: readSource, traceOut: flags.traceOut, changesOnly: flags.diff === true })}\n`)
  return exitCodeOf(summary)
}

export function exitCodeOf(summary: CheckSummary): number {
  switch (summary.result) {
    case 'ok':
      return ExitCode.ok
    case 'violation':
      return ExitCode.violation
    case 'incomplete':
      return ExitCode.incomplete
    case 'error':
      return ExitCode.badInput
  }
}

function languageOf(model: Model<unknown, unknown>): string {
  const language = (model as { language?: unknown }).language
  return typeof language === 'string' ? language : 'typescript'
}

function readTrace(file: string): unknown {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    throw new InputError([error('CLI020', `cannot read trace file '${file}'`)])
  }
  try {
    return JSON.parse(text)
  } catch (e) {
    const m = /position (\d+)/.exec(e instanceof Error ? e.message : '')
    const at = m ? lineColAt(text, Number(m[1])) : undefined
    throw new InputError([error('CLI020', `'${file}' is not JSON${at ? ` (line ${at.line}, column ${at.col})` : ''}`)])
  }
}

function readSource(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return undefined
  }
}

const MAX_SHOWN = 3

/** Source order: by file, then position; diagnostics without a position keep their place first. */
function bySource(a: Diagnostic, b: Diagnostic): number {
  if (!a.span || !b.span) return a.span ? 1 : b.span ? -1 : 0
  return a.span.file === b.span.file ? a.span.start - b.span.start : a.span.file < b.span.file ? -1 : 1
}

function reportFailure(e: unknown, io: Io, json: boolean): number {
  if (e instanceof InputError) {
    // One screen: the first errors, which are the ones that matter; the rest are often their echoes.
    const shown = [...e.diagnostics].sort(bySource).slice(0, MAX_SHOWN)
    const more = e.diagnostics.length - shown.length
    io.stderr.write(`${renderDiagnostics(shown, readSource)}\n${more > 0 ? `\n(${more} more error${more === 1 ? '' : 's'} not shown)\n` : ''}`)
    if (json) io.stdout.write(`${JSON.stringify(errorSummary(e.diagnostics[0]!))}\n`)
    return ExitCode.badInput
  }
  const message = e instanceof Error ? e.message : String(e)
  io.stderr.write(
    `internal error: ${message}\nThis is a bug in weft ${VERSION}. Please report it with the command line and the model that caused it.\n` +
      (process.env['WEFT_DEBUG'] ? `${e instanceof Error ? e.stack : ''}\n` : 'Set WEFT_DEBUG=1 to print the stack trace.\n'),
  )
  if (json) io.stdout.write(`${JSON.stringify({ weft: VERSION, result: 'error', error: { code: 'CHK900', message: `internal error: ${message}` } })}\n`)
  return ExitCode.internal
}

function errorSummary(d: Diagnostic): CheckSummary {
  const where = d.span ? locate(d.span.file, d.span.start) : undefined
  const file = d.span?.file ?? d.file
  return {
    weft: VERSION,
    model: file ?? '',
    language: '',
    result: 'error',
    error: { code: d.code, message: d.message, ...(file ? { file } : {}), ...(where ?? {}) },
  }
}

/** The code of a command-line parse error: a bad option value, a bad -D, or anything else. */
function commanderCode(e: CommanderError): string {
  if (e.code !== 'commander.invalidArgument') return 'CLI002'
  return /-D </.test(e.message) ? 'CLI014' : 'CLI001'
}

/** Commander's message in our wording: lower-case, no trailing period, no full stop mid-sentence. */
function commanderMessage(s: string): string {
  return s
    .replace(/^error: /, '')
    .replace(/ is invalid\. /, ' is invalid: ')
    .replace(/\.?\s*$/, '')
}

function locate(file: string, offset: number): { line: number; col: number } | undefined {
  const text = readSource(file)
  return text === undefined ? undefined : lineColAt(text, offset)
}
