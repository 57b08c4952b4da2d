/**
 * Promela counterexamples in the layout of SPIN's guided simulation (`spin -t -p -g -l`): one line
 * per statement with its number, process, file:line and text, then the channels, globals and
 * locals it changed; the cycle's start of a lasso; where the trail ends; and the processes' places
 * and values at the end. Called only when rendering a trace, never in the search loop.
 *
 * Where SPIN prints its own internals, weft prints what helps a reader instead:
 * - statement numbers count every statement (never-claim moves and both halves of a rendezvous
 *   included; a d_step is one), as pan's depth does: for the same schedule they equal the numbers
 *   of SPIN's replay of a trail made in the canonical configuration (`spin -o3`, no statement
 *   merging; with merging, SPIN numbers a merged chain once);
 * - no "(state N)": pan's automaton state numbers have no meaning outside pan;
 * - the statement is its source text, not SPIN's normalised rewriting (`p <= PLANS`, not `((p<=3))`);
 *   pan's jump pseudo-statements (`.(goto)`, `break`) are not shown;
 * - only the variables and channels a statement changed are listed (SPIN repeats every channel, and
 *   a whole array when one element changes), array elements and struct fields each on their own line.
 */
import type { TraceRenderOptions } from '../../core/model.js'
import type { Span } from '../../diag/span.js'
import { lineColAt } from '../../diag/span.js'
import type { Transition } from './cfg.js'
import { channelNames, forEachVariable, processNameOf } from './messages.js'
import type { PmlStep, Program } from './model.js'
import { replayMoves } from './moves.js'
import type { Scalar } from './types.js'
import { Exec } from './vector.js'

/** One step of a trace: the never claim's move (with a claim), then the system's moves. */
export interface TraceItem {
  /** The system state before the step. */
  readonly from: Int32Array
  /** The system state after it (for a failing step: the state it still reaches, if any). */
  readonly to?: Int32Array
  readonly system?: PmlStep
  readonly claim?: { readonly text: string; readonly span: Span }
}

/** The never claim a trace runs with, for its moves and its place at the end. */
export interface TraceClaim {
  readonly name: string
  /** Where the claim is at the end. */
  readonly at?: { readonly span: Span; readonly isEnd: boolean }
  /** The claim is pan's non-progress claim (`-DNP`), whose moves SPIN does not print. */
  readonly hidden: boolean
}

export interface PromelaTrace {
  readonly items: readonly TraceItem[]
  /** The step that failed in the last state, if the trace ends with one. */
  readonly failing?: TraceItem
  /** The system state at the end. */
  readonly last: Int32Array
  readonly claim?: TraceClaim
}

interface Entry {
  readonly key: string
  readonly text: string
}

/**
 * Renders a trace as described in this file's header. A process's output (printf) is indented as in
 * SPIN's simulations, one column step further with a claim shown (SPIN runs the claim as process 0).
 */
export function renderPromelaTrace(program: Program, trace: PromelaTrace, options: TraceRenderOptions): string {
  const r = new Renderer(program)
  const lines: string[] = []
  let depth = 0
  let claimLine: number | undefined
  const claimMove = (claim: { text: string; span: Span }, always: boolean): void => {
    depth++
    if (trace.claim?.hidden) return
    const line = r.line(claim.span)
    if (always || line !== claimLine) lines.push(`Never claim moves to line ${line}\t[${claimText(claim.text)}]`)
    claimLine = line
  }
  const run = (item: TraceItem, failing: boolean): void => {
    const failure = failing ? (options.violation?.message ?? options.failure ?? 'the step fails') : undefined
    if (item.claim && (!failing || item.system)) claimMove(item.claim, false)
    if (!item.system) {
      if (failing && item.claim) {
        lines.push(`Error: ${failure}`)
        claimMove(item.claim, true)
      }
      return
    }
    const out = r.step(item, depth, failure, trace.claim && !trace.claim.hidden ? 1 : 0)
    for (const line of out.lines) lines.push(line)
    depth = out.depth
  }
  trace.items.forEach((item, i) => {
    if (options.loop === i) lines.push('  <<<<<START OF CYCLE>>>>>')
    run(item, false)
  })
  if (options.loop !== undefined && options.loop >= trace.items.length) lines.push('  <<<<<START OF CYCLE>>>>> (the last state repeats forever)')
  if (trace.failing) run(trace.failing, true)
  lines.push(`trail ends after ${depth} steps`)
  lines.push(...r.processes(trace.last, depth, trace.claim))
  return lines.join('\n')
}

class Renderer {
  private readonly mtypeNames = new Map<string, Map<number, string>>()

  constructor(private readonly program: Program) {
    for (const m of program.symbols.mtypes.values()) {
      const set = m.set ?? ''
      if (!this.mtypeNames.has(set)) this.mtypeNames.set(set, new Map())
      this.mtypeNames.get(set)!.set(m.value, m.name)
    }
  }

  line(span: Span, atEnd = false): number {
    const text = this.program.sources.get(span.file)
    return text === undefined ? 0 : lineColAt(text, atEnd ? Math.max(span.start, span.end - 1) : span.start).line
  }

  /** A step's statements, numbered from `depth`; with `failure`, the step fails (at the move that throws, or its last). */
  step(item: TraceItem, depth: number, failure: string | undefined, outputShift: number): { lines: string[]; depth: number } {
    const step = item.system!
    const lines: string[] = []
    let before = this.entries(item.from)
    let started: { pid: number; t: Transition; index: number } | undefined
    /** Where each move's lines start, so that an error line can go before the failing one, and its number. */
    const moveStart: number[] = []
    const moveNumber: number[] = []
    let n = depth
    const header = (num: number, pid: number, t: Transition, x: Exec | undefined): string =>
      t.kind === 'end' ? `${pad(num)}: proc ${pid} terminates` : `${pad(num)}:\tproc ${String(pid).padStart(2)} (${x ? this.procName(x, pid) : '?'}) ${this.where(t.span)}\t[${oneLine(t.text)}]`
    let names: Exec | undefined = new Exec(this.program.layout)
    names.load(item.from)
    let threw = false
    try {
      replayMoves(this.program, item.from, step, {
        begin: (pid, t, index, inner) => {
          if (!inner) {
            moveStart[index] = lines.length
            moveNumber[index] = ++n
            // The jumps pan takes as steps of their own after the statement (not shown) count too.
            n += t.jumpSteps
          }
          started = { pid, t, index }
        },
        statement: (x, pid, t, index, inner) => {
          if (t.kind === 'dStep' && !inner) return
          const last = index === step.moves.length - 1 && !inner && t.kind !== 'end'
          if (t.print) lines.push(indentOutput(t.print(x), pid + outputShift).replace(/\n$/, ''))
          lines.push(header(moveNumber[index]!, pid, t, names))
          if (t.kind === 'end') return
          // The last move's result is the state the search stored (the replay stops short of process removal).
          const after = last && item.to ? this.entries(item.to) : this.entries(x.v)
          lines.push(...changed(before, after).map(valueLine))
          before = after
          names = new Exec(this.program.layout)
          names.load(x.v)
        },
      })
    } catch {
      threw = true
    }
    if (failure !== undefined) {
      const at = threw && started ? started.index : step.moves.length - 1
      lines.splice(moveStart[at] ?? lines.length, lines.length, `Error: ${failure}`)
      const num = moveNumber[at] ?? n + 1
      n = num
      const failed = threw && started ? started : { pid: step.moves[at]!.pid, t: step.moves[at]!.t }
      lines.push(header(num, failed.pid, failed.t, names))
    }
    return { lines, depth: n }
  }

  /** The processes at the end, as SPIN lists them: globals and channels, then each process from the highest pid down with its place and locals. */
  processes(v: Int32Array, depth: number, claim: TraceClaim | undefined): string[] {
    const x = new Exec(this.program.layout)
    x.load(v)
    const all = this.entries(v)
    const lines = [`#processes: ${x.nprocs}`]
    lines.push(...all.filter((e) => !e.key.includes(':') || e.key.startsWith('queue ')).map(valueLine))
    for (let pid = x.nprocs - 1; pid >= 0; pid--) {
      const graph = this.program.graphs[x.proctype(pid)]!
      const loc = graph.locations[x.pc(pid)]!
      const where = `${loc.span.file}:${this.line(loc.span, loc.isEnd)}`
      lines.push(`${pad(depth)}:\tproc ${String(pid).padStart(2)} (${this.procName(x, pid)}) ${where}${loc.validEnd ? ' <valid end state>' : ''}`)
      const prefix = `${processNameOf(this.program, x, pid)}:`
      lines.push(...all.filter((e) => e.key.startsWith(prefix)).map(valueLine))
    }
    if (claim && !claim.hidden && claim.at) lines.push(`${pad(depth)}:\tproc  - (${claim.name}) ${claim.at.span.file}:${this.line(claim.at.span, claim.at.isEnd)}`)
    return lines
  }

  private where(span: Span): string {
    return `${span.file}:${this.line(span)}`
  }

  private procName(x: Exec, pid: number): string {
    const name = this.program.symbols.procs[x.proctype(pid)]!.name
    return name === ':init:' ? 'init' : name
  }

  /** Every channel, global and local of state `v` by SPIN's name, with its value as SPIN prints it. */
  private entries(v: Int32Array): Entry[] {
    const p = this.program
    const x = new Exec(p.layout)
    x.load(v)
    const out: Entry[] = []
    const chanNames = channelNames(p, x)
    for (let c = 0; c < x.nchans; c++) {
      const off = x.chanOff[c]!
      const type = x.chanType(off)
      // A rendezvous channel never holds a message (SPIN does not list it either).
      if (type.capacity === 0) continue
      const n = type.fields.length
      let text = ''
      for (let m = 0; m < v[off + 1]!; m++) text += `[${type.fields.map((f, k) => this.scalar(v[off + 2 + m * n + k]!, f)).join(',')}]`
      out.push({ key: `queue ${c + 1} (${chanNames.get(c + 1) ?? `chan ${c + 1}`})`, text })
    }
    // A channel variable's value is a channel id: the channel's own line shows what matters.
    forEachVariable(p, x, (name, at, scalar) => {
      if (scalar.kind !== 'chan') out.push({ key: name, text: this.scalar(v[at]!, scalar) })
    })
    return out
  }

  private scalar(value: number, s: Scalar): string {
    if (s.kind === 'mtype') return this.mtypeNames.get(s.mtypeSet ?? '')?.get(value) ?? String(value)
    return String(value)
  }
}

/** The entries of `after` that are new or differ from `before`, channels first, then globals, then locals. */
function changed(before: readonly Entry[], after: readonly Entry[]): Entry[] {
  const old = new Map(before.map((e) => [e.key, e.text]))
  return after.filter((e) => old.get(e.key) !== e.text)
}

/** A value as SPIN's `-g -l` print it: `x = 1`, `Enactor(1):plan = 2`, `queue 1 (q): [req,0]`. */
function valueLine(e: Entry): string {
  if (!e.key.startsWith('queue ')) return `\t\t${e.key} = ${e.text}`
  return `\t\t${e.key}:${e.text === '' ? '' : ` ${e.text}`}`
}

/** SPIN's `%3d`. */
function pad(n: number): string {
  return String(n).padStart(3)
}

/** A claim move's statements (`a ; b` through an atomic sequence), each once where a claim built from a formula repeats its text. */
function claimText(text: string): string {
  return oneLine(text)
    .split(' ; ')
    .filter((part, i, all) => i === 0 || part !== all[i - 1])
    .join(' ; ')
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}

/** A process's output as SPIN's simulations lay it out: 6 + 4 × pid columns in. */
export function indentOutput(text: string, pid: number): string {
  const pad = ' '.repeat(6 + 4 * pid)
  return text.replace(/(^|\n)(?=.)/g, `$1${pad}`)
}
