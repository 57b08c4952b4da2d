import type { Acceptance, Coverage, Explanation, EndStates, MessageEvent, Model, Property, StepLabel, TraceRenderOptions, ViolationInfo } from '../../core/model.js'
import type { Path } from '../../core/path.js'
import { TransitionFailure, isTransitionFailure } from '../../core/model.js'
import { lineColAt } from '../../diag/span.js'
import { executable, runDstep, type ProcGraph, type Transition } from './cfg.js'
import { promelaCoverage } from './coverage.js'
import { explainPromela, type ExplainIn } from './explain.js'
import { stepMessages } from './messages.js'
import type { Ev } from './expr.js'
import { flatten, type ProcSym, type Symbols } from './symbols.js'
import { slotsOf, truncator, type VType } from './types.js'
import { Exec, type Layout } from './vector.js'
import { indentOutput, renderPromelaTrace } from './trace.js'

/** One step of a Promela model from a stored state: the moves it is made of, and where it leads. */
export interface PmlStep {
  /** The moves taken: one, or more through an atomic sequence or a rendezvous. */
  readonly moves: readonly { readonly pid: number; readonly t: Transition }[]
  readonly next?: Int32Array
  /** A failure raised by the last move (an assertion, a runtime error). */
  readonly failure?: unknown
}

export interface Initialiser {
  readonly slot: number
  readonly size: number
  /** The initial value, already truncated to the variable's type. */
  readonly value?: Ev
  readonly chan?: import('./symbols.js').ChanType
}

/** Everything the runtime needs, compiled once from a model. */
export interface Program {
  readonly file: string
  readonly sources: ReadonlyMap<string, string>
  readonly symbols: Symbols
  readonly layout: Layout
  readonly graphs: readonly ProcGraph[]
  /** Per proctype: its `provided` clause. */
  readonly provided: readonly (Ev | undefined)[]
  /** Per proctype: its locals' initialisers, in declaration order, params excluded. */
  readonly localInits: readonly (readonly Initialiser[])[]
  readonly globalInits: readonly Initialiser[]
  /** The processes that start: active proctypes and init, in textual order. */
  readonly initial: readonly { readonly proc: ProcSym; readonly count: number; readonly priority: number }[]
  /** The `-end-` step of each proctype. */
  readonly endSteps: readonly Transition[]
  /** The model's `never` claims, compiled like proctypes without locals, by name. */
  readonly neverClaims: ReadonlyMap<string, ProcGraph>
  /** Per claim: its atoms' values, for the report of its violation (explain.ts). */
  readonly claimExplainers?: ReadonlyMap<string, ExplainIn>
}

const MAX_CHAIN = 100_000

/**
 * A Promela model for the engine, with SPIN's semantics in its canonical configuration: every
 * statement is one step; states inside atomic sequences and between the halves of a rendezvous
 * are not stored; `timeout` is a second pass when nothing else can move; processes are tried from
 * the highest pid down, their options in source order.
 */
export class PromelaModel implements Model<Int32Array, PmlStep> {
  readonly language = 'promela'
  readonly depthUnit = 'steps' as const
  readonly name: string
  readonly endStates: EndStates<Int32Array>
  private readonly x: Exec

  /** The slots of `hidden` globals: kept in the vector, left out of a state's identity (pan keeps them outside its state vector). */
  private readonly hidden: readonly number[]
  private scratch = new Int32Array(0)
  /** Whether the model has a rendezvous channel type at all (else no state has a dead end). */
  private readonly rendezvous: boolean

  constructor(readonly program: Program) {
    this.name = program.file
    this.x = new Exec(program.layout)
    this.endStates = { kind: 'invalid-end-state', isValid: (v) => this.allAtValidEnd(v) }
    this.rendezvous = program.layout.chanTypes.some((c) => c.capacity === 0)
    this.hidden = program.symbols.globalOrder
      .filter((g) => g.decl.visibility === 'hidden')
      .flatMap((g) => Array.from({ length: slotsOf(g.type) }, (_, k) => program.layout.globalsStart + g.offset + k))
  }

  initStates(): readonly Int32Array[] {
    const p = this.program
    const x = new Exec(p.layout)
    x.load(new Int32Array(p.layout.globalsStart + p.layout.globalSize))
    for (const init of p.globalInits) this.initialise(x, init)
    for (const { proc, count, priority } of p.initial) {
      for (let i = 0; i < count; i++) this.spawn(x, proc, [], priority)
    }
    return [x.v]
  }

  actions(v: Int32Array): readonly PmlStep[] {
    const x = this.x
    x.load(v)
    const out: PmlStep[] = []
    this.pass(v, false, out)
    if (out.length === 0) this.pass(v, true, out)
    return out
  }

  nextState(_v: Int32Array, step: PmlStep): Int32Array | undefined {
    const f = step.failure
    if (f === undefined) return step.next
    // A failed assert still completes its step (pan goes on from there with -c0).
    if (step.next && isTransitionFailure(f)) throw new TransitionFailure(f.kind, f.property, f.message, f.span, step.next)
    throw f
  }

  properties(): readonly Property<Int32Array>[] {
    return []
  }

  /**
   * Accept labels in the processes as a Büchi condition (pan -a without a claim): a behaviour that
   * passes an `accept` label infinitely often is an acceptance cycle.
   */
  acceptLabels(): Acceptance<Int32Array> {
    const x = new Exec(this.program.layout)
    return {
      kind: 'acceptance',
      name: 'accept labels',
      violation: 'acceptance-cycle',
      accepting: (v) => {
        x.load(v)
        for (let pid = 0; pid < x.nprocs; pid++) if (this.program.graphs[x.proctype(pid)]!.locations[x.pc(pid)]!.accept) return true
        return false
      },
    }
  }

  encode(v: Int32Array): Uint8Array {
    if (this.hidden.length === 0) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength)
    if (this.scratch.length !== v.length) this.scratch = new Int32Array(v.length)
    const w = this.scratch
    w.set(v)
    for (const slot of this.hidden) w[slot] = 0
    return new Uint8Array(w.buffer, 0, w.byteLength)
  }

  decode(bytes: Uint8Array): Int32Array {
    return new Int32Array(bytes.slice().buffer)
  }

  /** Creates a process: its record, parameters, locals and channels. Returns its pid. */
  spawn(x: Exec, proc: ProcSym, args: readonly number[], priority: number): number {
    const savedPid = x.pid
    const savedBase = x.base
    const pid = x.addProcess(proc.index, this.program.graphs[proc.index]!.entry, priority)
    x.as(pid)
    let at = 0
    for (const param of proc.params) {
      const scalars = flatten(param.type)
      scalars.forEach((sc, k) => (x.v[x.base + param.offset + k] = truncator(sc)(args[at + k] ?? 0)))
      at += scalars.length
    }
    for (const init of this.program.localInits[proc.index]!) this.initialise(x, init, pid)
    x.pid = savedPid
    x.base = savedBase
    if (savedPid < x.nprocs && savedPid !== pid) x.as(savedPid)
    return pid
  }

  private initialise(x: Exec, init: Initialiser, pid?: number): void {
    const at = (): number => (pid === undefined ? init.slot : x.procOff[pid]! + x.layout.procHeader + init.slot)
    if (init.chan) {
      for (let k = 0; k < init.size; k++) {
        const id = x.addChannel(init.chan)
        if (pid !== undefined) x.as(pid)
        x.v[at() + k] = id
      }
      return
    }
    if (!init.value) return
    for (let k = 0; k < init.size; k++) x.v[at() + k] = init.value(x)
  }

  /** One pass over the processes: with `timeout` false first, then true when nothing could move. */
  private pass(v: Int32Array, timeout: boolean, out: PmlStep[]): void {
    const x = this.x
    x.timeout = timeout
    const L = this.program.layout
    const perPid: (readonly Transition[])[] = []
    let top = -Infinity
    for (let pid = x.nprocs - 1; pid >= 0; pid--) {
      let steps: readonly Transition[]
      try {
        steps = this.enabledSteps(x, pid)
      } catch (failure) {
        x.load(v)
        out.push({ moves: [{ pid, t: this.currentTransition(x, pid) }], failure })
        continue
      }
      perPid[pid] = steps
      if (steps.length > 0 && L.hasPriority) top = Math.max(top, x.priority(pid))
    }
    for (let pid = x.nprocs - 1; pid >= 0; pid--) {
      const steps = perPid[pid]
      if (!steps || steps.length === 0) continue
      if (L.hasPriority && x.priority(pid) < top) continue
      for (const t of steps) this.expand(v, pid, t, [], out, 0)
      x.load(v)
    }
    x.timeout = false
  }

  /** The transitions process `pid` may take now: escapes first when one is executable, then the rest. */
  private enabledSteps(x: Exec, pid: number): readonly Transition[] {
    x.as(pid)
    const ptype = x.proctype(pid)
    const graph = this.program.graphs[ptype]!
    const loc = graph.locations[x.pc(pid)]!
    if (loc.isEnd) return pid === x.nprocs - 1 ? [this.program.endSteps[ptype]!] : []
    const provided = this.program.provided[ptype]
    if (provided && provided(x) === 0) return []
    if (loc.escapes.length > 0) {
      const esc = loc.escapes.filter((t) => this.canTake(x, pid, t))
      if (esc.length > 0) return esc
    }
    return loc.trans.filter((t) => this.canTake(x, pid, t))
  }

  private canTake(x: Exec, pid: number, t: Transition): boolean {
    x.as(pid)
    if (t.kind === 'send' && this.isRendezvous(x, t)) return this.receivers(x, pid, t).length > 0
    if (t.kind === 'dStep') {
      const graph = this.program.graphs[x.proctype(pid)]!
      return graph.locations[t.dstep!.entry]!.trans.some((u) => executable(x, u))
    }
    return executable(x, t)
  }

  private isRendezvous(x: Exec, t: Transition): boolean {
    return x.chanType(x.chan(t.chan!(x), t.span)).capacity === 0
  }

  /** The processes with a receive that matches a rendezvous send, highest pid first. */
  private receivers(x: Exec, sender: number, t: Transition): { pid: number; r: Transition; message: number[] }[] {
    x.as(sender)
    const id = t.chan!(x)
    const message = t.message!(x)
    const out: { pid: number; r: Transition; message: number[] }[] = []
    for (let q = x.nprocs - 1; q >= 0; q--) {
      if (q === sender) continue
      x.as(q)
      const ptype = x.proctype(q)
      const loc = this.program.graphs[ptype]!.locations[x.pc(q)]!
      if (loc.isEnd) continue
      const provided = this.program.provided[ptype]
      if (provided && provided(x) === 0) continue
      for (const r of [...loc.escapes, ...loc.trans]) {
        if (r.kind !== 'receive' || r.matcher!.chan(x) !== id) continue
        if (r.matcher!.matchesValues(x, message)) out.push({ pid: q, r, message })
      }
    }
    x.as(sender)
    return out
  }

  /** Takes transition `t` of `pid` from `v`; follows atomic sequences and rendezvous to the next stored states. */
  private expand(v: Int32Array, pid: number, t: Transition, before: PmlStep['moves'], out: PmlStep[], depth: number): void {
    const x = this.x
    const moves = [...before, { pid, t }]
    if (depth > MAX_CHAIN) {
      out.push({ moves, failure: new TransitionFailure('runtime-error', 'atomic', 'an atomic sequence runs forever without blocking', t.span) })
      return
    }
    let keeper = -1
    try {
      x.load(v)
      x.as(pid)
      if (t.kind === 'send' && this.isRendezvous(x, t)) {
        for (const { pid: q, r, message } of this.receivers(x, pid, t)) {
          x.load(v.slice())
          this.setPc(x, pid, t.to)
          x.as(q)
          r.matcher!.assignValues(x, message)
          this.setPc(x, q, r.to)
          this.setLast(x, q)
          this.continueFrom(x.v, r.keepsControl ? q : -1, [...moves, { pid: q, t: r }], out, depth)
        }
        return
      }
      x.load(v.slice())
      x.as(pid)
      if (t.kind === 'end') {
        x.removeLastProcess(this.program.symbols.procs[x.proctype(pid)]!.chans.length)
        this.setLast(x, pid)
        out.push({ moves, next: x.v })
        return
      }
      if (t.kind === 'dStep') {
        const graph = this.program.graphs[x.proctype(pid)]!
        runDstep(x, graph, t, (y, u) => {
          y.as(pid)
          u.effect(y)
        })
      } else {
        t.effect(x)
      }
      this.setPc(x, pid, t.to)
      this.setLast(x, pid)
      keeper = t.keepsControl ? pid : -1
    } catch (failure) {
      if (isTransitionFailure(failure) && failure.kind === 'assertion' && t.kind !== 'dStep') {
        // An assert has no other effect: its step completes as pan completes it, and every stored
        // state it leads to carries the failure.
        this.setPc(x, pid, t.to)
        this.setLast(x, pid)
        const start = out.length
        this.continueFrom(x.v, t.keepsControl ? pid : -1, moves, out, depth)
        for (let i = start; i < out.length; i++) if (out[i]!.failure === undefined) out[i] = { ...out[i]!, failure }
        return
      }
      out.push({ moves, failure: asFailure(failure, t) })
      return
    }
    this.continueFrom(x.v, keeper, moves, out, depth)
  }

  /** After a move: a stored state, unless a process keeps atomic control and can go on. */
  private continueFrom(w: Int32Array, keeper: number, moves: PmlStep['moves'], out: PmlStep[], depth: number): void {
    if (keeper < 0) {
      out.push({ moves, next: w })
      return
    }
    const x = this.x
    x.load(w)
    let steps: readonly Transition[]
    try {
      steps = this.enabledSteps(x, keeper)
    } catch (failure) {
      out.push({ moves, failure })
      return
    }
    if (steps.length === 0 || this.outranked(x, keeper)) {
      // Blocked inside the atomic sequence, or outranked by an executable process of higher priority
      // (pan checks priorities before each atomic step too): atomicity is lost and this state is stored.
      out.push({ moves, next: w })
      return
    }
    for (const t of steps) this.expand(w, keeper, t, moves, out, depth + 1)
  }

  /** With priorities: whether another process of strictly higher priority has an executable step. */
  private outranked(x: Exec, pid: number): boolean {
    if (!this.program.layout.hasPriority) return false
    const mine = x.priority(pid)
    for (let q = x.nprocs - 1; q >= 0; q--) {
      if (q === pid || x.priority(q) <= mine) continue
      let steps: readonly Transition[]
      try {
        steps = this.enabledSteps(x, q)
      } catch {
        // An error while testing another process: pan's enabled() would report it when that process runs.
        continue
      }
      if (steps.length > 0) {
        x.as(pid)
        return true
      }
    }
    x.as(pid)
    return false
  }

  private setPc(x: Exec, pid: number, pc: number): void {
    x.v[x.procOff[pid]! + 1] = pc
  }

  private setLast(x: Exec, pid: number): void {
    if (x.layout.hasLast) x.v[2] = pid
  }

  private currentTransition(x: Exec, pid: number): Transition {
    const graph = this.program.graphs[x.proctype(pid)]!
    const loc = graph.locations[x.pc(pid)]!
    return loc.trans[0] ?? this.program.endSteps[x.proctype(pid)]!
  }

  private allAtValidEnd(v: Int32Array): boolean {
    const x = new Exec(this.program.layout)
    x.load(v)
    for (let pid = 0; pid < x.nprocs; pid++) {
      const loc = this.program.graphs[x.proctype(pid)]!.locations[x.pc(pid)]!
      if (!loc.validEnd) return false
    }
    return true
  }

  /** True when process `pid` has an executable step in `x`'s state (`enabled(pid)`). */
  enabled(x: Exec, pid: number): boolean {
    const savedPid = x.pid
    const savedBase = x.base
    try {
      return this.enabledSteps(x, pid).length > 0
    } finally {
      x.pid = savedPid
      x.base = savedBase
    }
  }

  label(v: Int32Array, step: PmlStep): StepLabel {
    const first = step.moves[0]!
    const x = new Exec(this.program.layout)
    x.load(v)
    const name = this.program.symbols.procs[x.proctype(first.pid)]!.name
    const text = step.moves.map((m) => m.t.text).join(' ; ')
    return { action: text, process: `${name === ":init:" ? "init" : name}(${first.pid})`, span: first.t.span }
  }

  /** The trace in the layout of SPIN's guided simulation (`trace.ts`). */
  renderTrace(path: Path<Int32Array, PmlStep>, options: TraceRenderOptions): string {
    const items = path.steps.map((s, i) => ({ from: i === 0 ? path.init : path.steps[i - 1]!.state, to: s.state, system: s.action }))
    const last = path.steps.length === 0 ? path.init : path.steps[path.steps.length - 1]!.state
    const failing = path.failing ? { from: last, system: path.failing.action, ...(path.failing.action.next ? { to: path.failing.action.next } : {}) } : undefined
    return renderPromelaTrace(this.program, { items, ...(failing ? { failing } : {}), last: failing?.to ?? last }, options)
  }

  /** A failed assert's sub-expressions and their values (`explain.ts`). */
  explain(path: Path<Int32Array, PmlStep>, violation: ViolationInfo): Explanation | undefined {
    return explainPromela(this.program, path, violation)
  }

  /** The channel messages a step sends and receives (`messages.ts`), for sequence diagrams. */
  messages(v: Int32Array, step: PmlStep): readonly MessageEvent[] {
    return stepMessages(this.program, v, step)
  }

  /** Every statement, for --coverage (`coverage.ts`). */
  coverage(): Coverage<Int32Array, PmlStep> {
    return promelaCoverage(this.program)
  }

  /** The statements a step executes: an atomic sequence's, or both halves of a rendezvous, and the jumps pan keeps as steps (SPIN's depth counts each). */
  stepWeight(_v: Int32Array, step: PmlStep): number {
    return movesWeight(step)
  }

  /**
   * 1 when a process offers a rendezvous send that no process can receive: pan executes the send
   * and backs out one level deeper (its depth counts that level), where weft's send is not enabled.
   */
  deadEndWeight(v: Int32Array): number {
    if (!this.rendezvous) return 0
    const x = this.x
    x.load(v)
    for (let pid = x.nprocs - 1; pid >= 0; pid--) {
      x.as(pid)
      const loc = this.program.graphs[x.proctype(pid)]!.locations[x.pc(pid)]!
      if (loc.isEnd) continue
      for (const t of [...loc.escapes, ...loc.trans]) {
        if (t.kind !== 'send') continue
        try {
          if (this.isRendezvous(x, t) && this.receivers(x, pid, t).length === 0) return 1
        } catch {
          // An uninitialised channel: the search reports it where the send is tried.
        }
        x.as(pid)
      }
    }
    return 0
  }

  /**
   * What a step prints (`printf`, `printm`), laid out as SPIN's simulations lay it out: each process's
   * output indented by its pid. The moves are replayed on a copy, so that a `printf` inside an atomic
   * sequence sees the values the statements before it set.
   */
  output(v: Int32Array, step: PmlStep): string | undefined {
    const x = new Exec(this.program.layout)
    x.load(v.slice())
    let text = ''
    for (const m of step.moves) {
      x.as(m.pid)
      if (m.t.print) text += indentOutput(m.t.print(x), m.pid)
      // Rendezvous halves and process removal are not replayed: they print nothing themselves.
      if (m.t.kind === 'send' || m.t.kind === 'receive' || m.t.kind === 'end' || m.t.kind === 'dStep') continue
      try {
        m.t.effect(x)
      } catch {
        break
      }
    }
    return text || undefined
  }

  /**
   * The state by name, as SPIN's traces name it: globals, each process's locals as `Name(pid):x`,
   * each channel's messages as `chan n`, and each process's control location as `@Name(pid)` (kept
   * for replay, not shown in text traces, whose steps say where each process is).
   */
  view(v: Int32Array): Readonly<Record<string, unknown>> {
    const x = new Exec(this.program.layout)
    x.load(v)
    const p = this.program
    const out: Record<string, unknown> = {}
    for (const g of p.symbols.globalOrder) out[g.name] = this.valueOf(v, p.layout.globalsStart + g.offset, g.type)
    for (let pid = 0; pid < x.nprocs; pid++) {
      const sym = p.symbols.procs[x.proctype(pid)]!
      const who = `${sym.name === ':init:' ? 'init' : sym.name}(${pid})`
      const base = x.procOff[pid]! + p.layout.procHeader
      for (const l of sym.locals.values()) out[`${who}:${l.name}`] = this.valueOf(v, base + l.offset, l.type)
      out[`@${who}`] = x.pc(pid)
    }
    for (let c = 0; c < x.nchans; c++) {
      const off = x.chanOff[c]!
      const n = x.chanType(off).fields.length
      const msgs: number[][] = []
      for (let m = 0; m < v[off + 1]!; m++) msgs.push(Array.from(v.subarray(off + 2 + m * n, off + 2 + (m + 1) * n)))
      out[`chan ${c + 1}`] = msgs
    }
    return out
  }

  private valueOf(v: Int32Array, at: number, t: VType): unknown {
    switch (t.kind) {
      case 'scalar':
        return v[at]!
      case 'array': {
        const size = slotsOf(t.elem)
        return Array.from({ length: t.length }, (_, i) => this.valueOf(v, at + i * size, t.elem))
      }
      case 'struct': {
        const rec: Record<string, unknown> = {}
        for (const f of t.fields.values()) rec[f.name] = this.valueOf(v, at + f.offset, f.type)
        return rec
      }
    }
  }

  lineOf(span: { file: string; start: number }): number {
    const text = this.program.sources.get(span.file)
    return text === undefined ? 0 : lineColAt(text, span.start).line
  }
}

function asFailure(e: unknown, t: Transition): unknown {
  if (e instanceof Error && (e as { dstep?: boolean }).dstep) return new TransitionFailure('runtime-error', 'd_step', e.message, t.span)
  return e
}

/** The statements of a step as pan's depth counts them: each move, and the jumps pan takes as steps after it. */
export function movesWeight(step: { readonly moves: readonly { readonly t: Transition }[] }): number {
  let n = 0
  for (const m of step.moves) n += 1 + m.t.jumpSteps
  return n
}
