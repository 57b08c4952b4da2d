import type { Acceptance, Coverage, Explanation, EndStates, MessageEvent, Model, Property, StepLabel, SuccessorSink, TraceRenderOptions, ViolationInfo } from '../../core/model.js'
import type { Path } from '../../core/path.js'
import { TransitionFailure, isTransitionFailure } from '../../core/model.js'
import { lineColAt } from '../../diag/span.js'
import { executable, runDstep, type ProcGraph, type Transition } from './cfg.js'
import { promelaCoverage } from './coverage.js'
import { explainPromela, type ExplainIn } from './explain.js'
import { BLOCK_SHIFT, generateProcCode, type ProcCode } from './proc-code.js'
import { stepMessages } from './messages.js'
import type { Ev } from './expr.js'
import { flatten, type ProcSym, type Symbols } from './symbols.js'
import { slotsOf, truncator, type VType } from './types.js'
import { Exec, VectorArena, VectorCodec, type Layout } from './vector.js'
import { indentOutput, renderPromelaTrace } from './trace.js'

/**
 * One step of a Promela model from a stored state: the moves it is made of, and where it leads.
 *
 * A step of one move that leaves no atomic sequence running (most steps) is `single`: one object
 * per process and transition, shared by every state, whose successor `nextState` computes when
 * asked. A step through an atomic sequence or a rendezvous is computed whole by `actions`, as the
 * number of stored states it leads to is only known by running it.
 */
export interface PmlStep {
  /** The moves taken: one, or more through an atomic sequence or a rendezvous. */
  readonly moves: readonly { readonly pid: number; readonly t: Transition }[]
  /** The stored state it leads to, for a step computed by `actions` (not `single`). */
  readonly next?: Int32Array
  /** A failure raised by the last move (an assertion, a runtime error). */
  readonly failure?: unknown
  /** The step is the one move `moves[0]`, taken by `nextState`. */
  readonly single?: boolean
  /** The step was found in the second pass, where `timeout` is true (its effects read it so). */
  readonly timeout?: boolean
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
/** What `x` points at once the vector it was on is released. */
const NO_VECTOR = new Int32Array(0)
const NO_TRANSITIONS: readonly Transition[] = []
/** The most vectors `release` keeps for reuse. */
const MAX_SPARE = 4096

/** A process that can take a rendezvous send: its receive and the message it takes. */
interface Partner {
  readonly pid: number
  readonly r: Transition
  readonly message: number[]
}

/** What `canTake` finds. */
const NO = 0
const YES = 1
const RENDEZVOUS = 2

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

  /** Whether the model has a rendezvous channel type at all (else no state has a dead end). */
  private readonly rendezvous: boolean
  /** Successor vectors (`nextState`, `decode`, steps computed whole). */
  private readonly arena = new VectorArena()
  /** The context `apply` runs a single move in, and the vector it writes. */
  private readonly y: Exec
  private applied = new Int32Array(0)
  /** The state whose records `y` has found (a move from it needs no `load`); undefined once a move changed them. */
  private appliedFrom: Int32Array | undefined
  /** The successor the last `nextEncoded` encoded (`keepNext`). */
  private lastNext: Int32Array | undefined
  /** Vectors given back by the search (`release`), for `keepNext` to reuse. */
  private readonly spare: Int32Array[] = []
  private readonly codec: VectorCodec
  /** `single` steps by pid, then transition id; those of the timeout pass apart. */
  private readonly singles: PmlStep[][] = []
  private readonly timeoutSingles: PmlStep[][] = []
  /** Scratch of `pass`: the enabled moves of a state, in order, and their processes' priorities. */
  private readonly passPids: number[] = []
  private readonly passTs: Transition[] = []
  private readonly passPrio: number[] = []
  /** 1 for a send that completes a rendezvous. */
  private readonly passRendezvous: number[] = []
  /** Per proctype and location: its receives (escapes first), the partners a rendezvous send looks for. */
  private readonly receives: readonly (readonly (readonly Transition[])[])[]
  /** Per proctype and location: its sends (escapes first), where `deadEndWeight` looks for offers nobody takes. */
  private readonly sends: readonly (readonly (readonly Transition[])[])[]
  /**
   * What the first pass over `offersOf` (the state `actions` was last asked about) found of the
   * rendezvous sends it tried: per pid, by transition id, `offerStamp * 2` plus 1 when some process
   * can receive. `deadEndWeight`, asked about the same state next, counts no partners twice.
   */
  private readonly offers: number[][] = []
  private offersOf: Int32Array | undefined
  private offerStamp = 0
  /** True while `canTake` runs for the stored state of `offersOf` (not for states inside an atomic sequence). */
  private countingOffers = false
  /** The partners the last `receivers` kept (`canTake` keeps them while counting offers). */
  private lastPartners: Partner[] | undefined
  /** Scratch of `pass`: per enabled rendezvous send, the partners it found, which `expand` then takes. */
  private readonly passPartners: (Partner[] | undefined)[] = []
  /** The steps `actions` finds, before they are copied out. */
  private readonly found = new StepList()
  /** Scratch of `enabledSteps` (not `pass`'s, which may be in use; `enabled`, which a guard may call, has its own). */
  private readonly stepPids: number[] = []
  private readonly stepTs: Transition[] = []
  private readonly stepRdv: number[] = []
  /** Per proctype: its moves as generated code (`proc-code.ts`). */
  private readonly code: readonly ProcCode<Partner[] | undefined>[]

  constructor(readonly program: Program) {
    this.name = program.file
    this.x = new Exec(program.layout)
    this.y = new Exec(program.layout)
    const ofKind = (kind: Transition['kind']): Transition[][][] => program.graphs.map((g) => g.locations.map((l) => [...l.escapes, ...l.trans].filter((t) => t.kind === kind)))
    this.receives = ofKind('receive')
    this.sends = ofKind('send')
    this.endStates = { kind: 'invalid-end-state', isValid: (v) => this.allAtValidEnd(v) }
    this.rendezvous = program.layout.chanTypes.some((c) => c.capacity === 0)
    // `hidden` globals are kept in the vector and left out of a state's identity (pan keeps them outside its state vector).
    const hidden = program.symbols.globalOrder
      .filter((g) => g.decl.visibility === 'hidden')
      .flatMap((g) => Array.from({ length: slotsOf(g.type) }, (_, k) => program.layout.globalsStart + g.offset + k))
    const mask = new Uint8Array(hidden.length === 0 ? 0 : Math.max(...hidden) + 1)
    for (const slot of hidden) mask[slot] = 1
    this.codec = new VectorCodec(this.arena, mask)
    this.code = program.graphs.map((g, ptype) =>
      generateProcCode<Partner[] | undefined>(
        g.locations,
        program.provided[ptype] !== undefined,
        (x, pid, pids, ts, rdv, partners, n) => this.collectEnabled(x, pid, pids, ts, rdv, partners, n),
        (x, pid, t, pids, ts, rdv, partners, n) => this.collectOne(x, pid, t, pids, ts, rdv, partners, n),
      ),
    )
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
    const out = this.found
    out.length = 0
    this.pass(v, false, out)
    if (out.length === 0) this.pass(v, true, out)
    // An array of its own, of the size it needs (the search keeps it while it explores the state).
    return out.items.slice(0, out.length)
  }

  nextState(v: Int32Array, step: PmlStep): Int32Array | undefined {
    if (step.single) return this.apply(v, step, this.arena.alloc(v.length))
    const f = step.failure
    if (f === undefined) return step.next
    // A failed assert still completes its step (pan goes on from there with -c0).
    if (step.next && isTransitionFailure(f)) throw new TransitionFailure(f.kind, f.property, f.message, f.span, step.next, f.times)
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

  /**
   * The vector's canonical bytes (`VectorCodec`), in a buffer reused by the next call; with `last`,
   * those of the vector with that slot appended (a claim product's state).
   */
  encode(v: Int32Array, last?: number): Uint8Array {
    return this.codec.encode(v, last)
  }

  decode(bytes: Uint8Array): Int32Array {
    const n = this.codec.slotsOf(bytes)
    return this.codec.decodeInto(bytes, this.spareOf(n) ?? this.arena.alloc(n))
  }

  /** `encode(nextState(v, step))` without a successor vector of its own for a `single` step. */
  nextEncoded(v: Int32Array, step: PmlStep): Uint8Array | undefined {
    const next = step.single ? this.apply(v, step) : this.nextState(v, step)
    this.lastNext = next
    return next === undefined ? undefined : this.encode(next)
  }

  /**
   * The bytes of every successor, in action order, straight into the search's buffer: no step is
   * looked up twice and no successor vector is kept. A step that fails throws (`NOT_HERE`, or the
   * failure), and the search takes the state again action by action, which reports it.
   */
  successorsEncoded(v: Int32Array, sink: SuccessorSink): void {
    this.encodeSuccessors(v, this.actions(v), sink, 0, undefined)
  }

  /**
   * `steps`' successors from `v` into `sink` as actions `first`, `first + 1`…, each with `last`
   * appended when given (a claim's location); returns the next action index.
   */
  encodeSuccessors(v: Int32Array, steps: readonly PmlStep[], sink: SuccessorSink, first: number, last: number | undefined): number {
    let a = first
    for (let i = 0; i < steps.length; i++) this.encodeStep(v, steps[i]!, sink, a++, last)
    return a
  }

  /** `successorsEncoded` for the steps `actions(v)` returned (depth-first search keeps them). */
  successorsEncodedFor(v: Int32Array, steps: readonly PmlStep[], sink: SuccessorSink): void {
    this.encodeSuccessors(v, steps, sink, 0, undefined)
  }

  /** The successor of `step` from `v` into `sink` as action `action`, with `last` appended when given; throws `NOT_HERE` for a failing step. */
  encodeStep(v: Int32Array, step: PmlStep, sink: SuccessorSink, action: number, last: number | undefined): void {
    if (step.failure !== undefined) throw NOT_HERE
    this.codec.encodeTo(sink, action, step.single ? this.apply(v, step) : step.next!, last)
  }

  /** The successor of the last `nextEncoded`, as a vector of its own (`apply` writes a reused one). */
  keepNext(): Int32Array {
    const next = this.lastNext!
    const w = this.spareOf(next.length)
    if (w === undefined) return this.arena.copy(next)
    w.set(next)
    return w
  }

  /** A released vector of `n` slots, if there is one. */
  private spareOf(n: number): Int32Array | undefined {
    const spare = this.spare
    while (spare.length > 0) {
      const w = spare.pop()!
      // Vectors change length only when a process is created or removed: one of another length is dropped.
      if (w.length === n) return w
    }
    return undefined
  }

  /**
   * A vector `keepNext` or `decode` made that the search no longer holds: kept for the next. The
   * identity checks that skip finding a vector's records (`appliedFrom`, `offersOf`) must then
   * forget it, since it will hold another state.
   */
  release(v: Int32Array): void {
    if (v === this.appliedFrom) this.appliedFrom = undefined
    if (v === this.offersOf) this.offersOf = undefined
    if (v === this.x.v) this.x.reuse(NO_VECTOR)
    if (this.spare.length < MAX_SPARE) this.spare.push(v)
  }

  /**
   * Takes `single` step `step` from `v` and returns the successor, written into `w` (by default a
   * vector reused by the next call; a new one when a process is created or removed). Throws the
   * move's failure: a failed assertion with the state its step still reaches.
   */
  apply(v: Int32Array, step: PmlStep, w: Int32Array = this.scratchOf(v.length)): Int32Array {
    const { pid, t } = step.moves[0]!
    const y = this.y
    // The vector written is no longer the state whose offers were counted.
    if (w === this.offersOf) this.offersOf = undefined
    w.set(v)
    // From the same state as the last move, the records are where they were.
    if (v === this.appliedFrom) y.reuse(w)
    else {
      y.load(w)
      this.appliedFrom = v
    }
    y.as(pid)
    y.timeout = step.timeout === true
    try {
      if (t.kind === 'end') {
        y.removeLastProcess(this.program.symbols.procs[y.proctype(pid)]!.chans.length)
        this.setLast(y, pid)
        this.appliedFrom = undefined
        return y.v
      }
      if (t.kind === 'dStep') runDstep(y, this.program.graphs[y.proctype(pid)]!, t, dstepMove)
      else this.effect(y, pid, t)
    } catch (failure) {
      this.appliedFrom = undefined
      if (isTransitionFailure(failure) && failure.kind === 'assertion') {
        // An assert has no other effect: its step completes as pan completes it.
        this.setPc(y, pid, t.to)
        this.setLast(y, pid)
        throw new TransitionFailure(failure.kind, failure.property, failure.message, failure.span, this.arena.copy(y.v), failure.times)
      }
      throw asFailure(failure, t)
    }
    // A new process (`run`) replaced the vector: the next move starts with a `load`.
    if (y.v !== w) this.appliedFrom = undefined
    this.setPc(y, pid, t.to)
    this.setLast(y, pid)
    return y.v
  }

  private scratchOf(n: number): Int32Array {
    if (this.applied.length !== n) this.applied = new Int32Array(n)
    return this.applied
  }

  /** The `single` step of move `t` by `pid`. */
  private single(pid: number, t: Transition, timeout: boolean): PmlStep {
    const row = ((timeout ? this.timeoutSingles : this.singles)[pid] ??= [])
    return (row[t.id] ??= timeout ? { moves: [{ pid, t }], single: true, timeout } : { moves: [{ pid, t }], single: true })
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

  /**
   * One pass over the processes: with `timeout` false first, then true when nothing could move.
   * The enabled moves of every process are found first (a process whose guards fail gives one
   * failing step), then taken from the highest pid down: a move that keeps atomic control or
   * completes a rendezvous is followed to its stored states now, any other is a `single` step.
   */
  private pass(v: Int32Array, timeout: boolean, out: StepList): void {
    const x = this.x
    x.timeout = timeout
    const L = this.program.layout
    const pids = this.passPids
    const ts = this.passTs
    const prio = this.passPrio
    const rdv = this.passRendezvous
    let n = 0
    let top = -Infinity
    if (!timeout) {
      this.offersOf = v
      this.offerStamp++
      this.countingOffers = true
    }
    for (let pid = x.nprocs - 1; pid >= 0; pid--) {
      const start = n
      try {
        n = this.collect(x, pid, pids, ts, rdv, this.passPartners, n)
      } catch (failure) {
        n = start
        x.load(v)
        out.push({ moves: [{ pid, t: this.currentTransition(x, pid) }], failure })
        continue
      }
      if (n > start && L.hasPriority) {
        const p = x.priority(pid)
        for (let i = start; i < n; i++) prio[i] = p
        if (p > top) top = p
      }
    }
    this.countingOffers = false
    for (let i = 0; i < n; i++) {
      if (L.hasPriority && prio[i]! < top) continue
      const pid = pids[i]!
      const t = ts[i]!
      if (!t.keepsControl && rdv[i] === 0) {
        out.push(this.single(pid, t, timeout))
        continue
      }
      this.expand(v, pid, t, [], out, 0, rdv[i] === 1 ? this.passPartners[i] : undefined)
      this.passPartners[i] = undefined
      x.load(v)
    }
    x.timeout = false
  }

  /**
   * Appends the moves process `pid` may take now to `pids`/`ts` from index `n` and returns the new
   * end: escapes first when one is executable, then the rest.
   */
  private collectEnabled(x: Exec, pid: number, pids: number[], ts: Transition[], rdv: number[], partners: (Partner[] | undefined)[] | undefined, n: number): number {
    x.as(pid)
    const ptype = x.proctype(pid)
    const loc = this.program.graphs[ptype]!.locations[x.pc(pid)]!
    // The clause guards every step of the process, its termination included (pan's -end- move).
    const provided = this.program.provided[ptype]
    if (provided && provided(x) === 0) return n
    if (loc.isEnd) {
      if (pid !== x.nprocs - 1) return n
      pids[n] = pid
      ts[n] = this.program.endSteps[ptype]!
      rdv[n] = 0
      return n + 1
    }
    // The escapes of each nested unless in turn, outermost first, then the statements they guard.
    const levels = loc.escapeLevels
    for (let l = 0, from = 0; l < levels.length; from = levels[l++]!) {
      const end = this.collectFrom(x, pid, loc.escapes, pids, ts, rdv, partners, n, from, levels[l]!)
      if (end > n) return end
    }
    return this.collectFrom(x, pid, loc.trans, pids, ts, rdv, partners, n)
  }

  /** `collectFrom` for one transition. */
  private collectOne(x: Exec, pid: number, t: Transition, pids: number[], ts: Transition[], rdv: number[], partners: (Partner[] | undefined)[] | undefined, n: number): number {
    const c = this.canTake(x, pid, t)
    if (c === NO) return n
    pids[n] = pid
    rdv[n] = c === RENDEZVOUS ? 1 : 0
    if (partners !== undefined) partners[n] = c === RENDEZVOUS ? this.lastPartners : undefined
    ts[n] = t
    return n + 1
  }

  /** `collectEnabled` for one list of transitions (those from `from` to `to`). */
  private collectFrom(x: Exec, pid: number, list: readonly Transition[], pids: number[], ts: Transition[], rdv: number[], partners: (Partner[] | undefined)[] | undefined, n: number, from = 0, to = list.length): number {
    for (let i = from; i < to; i++) n = this.collectOne(x, pid, list[i]!, pids, ts, rdv, partners, n)
    return n
  }

  /** `collectEnabled` by the generated code of the process's proctype and location. */
  private collect(x: Exec, pid: number, pids: number[], ts: Transition[], rdv: number[], partners: (Partner[] | undefined)[] | undefined, n: number): number {
    return this.code[x.proctype(pid)]!.collect[x.pc(pid) >> BLOCK_SHIFT]!(x, pid, pids, ts, rdv, partners, n)
  }

  /** Transition `t`'s effect (not a d_step, not `-end-`) by process `pid`, in `x`, by the generated code of its location. */
  private effect(x: Exec, pid: number, t: Transition): void {
    this.code[x.proctype(pid)]!.effect[x.pc(pid) >> BLOCK_SHIFT]!(x, t)
  }

  /** The transitions process `pid` may take now: escapes first when one is executable, then the rest. */
  private enabledSteps(x: Exec, pid: number): readonly Transition[] {
    const ts = this.stepTs
    const n = this.collect(x, pid, this.stepPids, ts, this.stepRdv, undefined, 0)
    return n === 0 ? NO_TRANSITIONS : ts.slice(0, n)
  }

  /** Whether `pid` can take `t` now: NO, YES, or RENDEZVOUS (a send some process receives at once). */
  private canTake(x: Exec, pid: number, t: Transition): number {
    x.as(pid)
    if (t.kind === 'send') {
      // The send's guard, with its channel evaluated once.
      const off = x.chan(t.chan!(x), t.span)
      const capacity = x.chanType(off).capacity
      if (capacity === 0) {
        // In the first pass over a stored state the partners are kept: `expand` takes the send with them.
        const found = this.receivers(x, pid, t, this.countingOffers) > 0
        if (this.countingOffers) (this.offers[pid] ??= [])[t.id] = this.offerStamp * 2 + (found ? 1 : 0)
        return found ? RENDEZVOUS : NO
      }
      return x.v[off + 1]! < capacity ? YES : NO
    }
    // (A d_step's guard asks its first statement.)
    return executable(x, t) ? YES : NO
  }

  private isRendezvous(x: Exec, t: Transition): boolean {
    return x.chanType(x.chan(t.chan!(x), t.span)).capacity === 0
  }

  /**
   * The number of processes with a receive that matches a rendezvous send; with `keep`, they are
   * left in `lastPartners`, highest pid first (undefined when there are none).
   */
  private receivers(x: Exec, sender: number, t: Transition, keep: boolean): number {
    x.as(sender)
    const id = t.chan!(x)
    // The message in the statement's own array: the partners found get one copy, and a send nobody takes costs no array.
    const message = t.message!(x, true)
    let out: Partner[] | undefined
    let kept: number[] | undefined
    let found = 0
    for (let q = x.nprocs - 1; q >= 0; q--) {
      if (q === sender) continue
      const ptype = x.proctype(q)
      const pc = x.pc(q)
      const receives = this.receives[ptype]![pc]!
      const provided = this.program.provided[ptype]
      // A process with no receive here is no partner (its `provided` clause is still evaluated, as it may fail).
      if (receives.length === 0 && !provided) continue
      x.as(q)
      const loc = this.program.graphs[ptype]!.locations[pc]!
      if (loc.isEnd) continue
      if (provided && provided(x) === 0) continue
      for (let k = 0; k < receives.length; k++) {
        const r = receives[k]!
        if (r.matcher!.chan(x) !== id) continue
        if (!r.matcher!.matchesValues(x, message)) continue
        found++
        if (keep) (out ??= []).push({ pid: q, r, message: (kept ??= message.slice()) })
      }
    }
    x.as(sender)
    this.lastPartners = out
    return found
  }

  /**
   * Takes transition `t` of `pid` from `v`; follows atomic sequences and rendezvous to the next
   * stored states. A run of moves with one way on (a loop inside an atomic sequence) is followed
   * in a loop, not by recursion, so that long ones cost neither stack nor a copy of the moves each.
   */
  private expand(v: Int32Array, pid: number, t: Transition, before: PmlStep['moves'], out: StepList, depth: number, known?: Partner[]): void {
    const x = this.x
    const moves = [...before, { pid, t }]
    // The timeout flag when the chain went on to its second move (each move of an atomic sequence
    // is a new level of pan's search, which starts with timeout false); restored at the end.
    let timeout: boolean | undefined
    // Whether `v` is a vector this chain made (a move after the first), which no one else holds: the next move may write it.
    let own = false
    try {
      for (;;) {
        if (depth > MAX_CHAIN) {
          out.push({ moves, failure: new TransitionFailure('runtime-error', 'atomic', 'an atomic sequence runs forever without blocking', t.span) })
          return
        }
        let keeper = -1
        try {
          // `x` finds a vector's records when it loads it; the same vector, or a copy, needs no new look.
          if (x.v !== v) x.load(v)
          x.as(pid)
          if (t.kind === 'send' && this.isRendezvous(x, t)) {
            let partners = known
            if (partners === undefined) {
              this.receivers(x, pid, t, true)
              partners = this.lastPartners ?? []
            }
            for (const { pid: q, r, message } of partners) {
              x.load(this.arena.copy(v))
              this.setPc(x, pid, t.to)
              x.as(q)
              r.matcher!.assignValues(x, message)
              this.setPc(x, q, r.to)
              this.setLast(x, q)
              this.continueFrom(x.v, r.keepsControl ? q : -1, [...moves, { pid: q, t: r }], out, depth)
            }
            return
          }
          x.reuse(own ? v : this.arena.copy(v))
          x.as(pid)
          if (t.kind === 'end') {
            x.removeLastProcess(this.program.symbols.procs[x.proctype(pid)]!.chans.length)
            this.setLast(x, pid)
            out.push({ moves, next: x.v })
            return
          }
          if (t.kind === 'dStep') {
            const graph = this.program.graphs[x.proctype(pid)]!
            runDstep(x, graph, t, dstepMove)
          } else {
            this.effect(x, pid, t)
          }
          this.setPc(x, pid, t.to)
          this.setLast(x, pid)
          keeper = t.keepsControl ? pid : -1
        } catch (failure) {
          if (isTransitionFailure(failure) && failure.kind === 'assertion') {
            // An assert has no other effect: its step completes as pan completes it. pan counts the
            // failure once, where it executes the assert: the first state the step leads to carries
            // it (where the sequence branches after the assert, the others do not).
            this.setPc(x, pid, t.to)
            this.setLast(x, pid)
            const start = out.length
            this.continueFrom(x.v, t.keepsControl ? pid : -1, moves, out, depth)
            if (out.length > start) out.items[start] = { ...out.items[start]!, failure: this.firstOf(failure, out.items[start]!.failure) }
            return
          }
          out.push({ moves, failure: asFailure(failure, t) })
          return
        }
        if (keeper < 0) {
          out.push({ moves, next: x.v })
          return
        }
        timeout ??= x.timeout
        const w = x.v
        const next = this.nextMoves(w, keeper, moves, out)
        if (next === undefined) return
        if (next.length > 1) {
          for (const u of next) this.expand(w, keeper, u, moves, out, depth + 1)
          return
        }
        v = w
        own = true
        pid = keeper
        t = next[0]!
        depth++
        moves.push({ pid, t })
      }
    } finally {
      if (timeout !== undefined) x.timeout = timeout
    }
  }

  /**
   * A failed assert followed, later in the same step, by `later` (another failure, or none): the
   * assert is reported, as pan reports the first error it meets, and the step counts for both.
   */
  private firstOf(failure: TransitionFailure, later: unknown): TransitionFailure {
    if (later === undefined) return failure
    const more = isTransitionFailure(later) ? later.times : 1
    return new TransitionFailure(failure.kind, failure.property, failure.message, failure.span, undefined, failure.times + more)
  }

  /**
   * The moves `keeper`, keeping atomic control, can take next from `w` (with timeout false, as
   * each move of an atomic sequence is a new level of pan's search); undefined when there are none
   * and the state was recorded instead: blocked or outranked (atomicity is lost and the state is
   * stored), or a failure while finding them.
   */
  private nextMoves(w: Int32Array, keeper: number, moves: PmlStep['moves'], out: StepList): readonly Transition[] | undefined {
    const x = this.x
    if (x.v !== w) x.load(w)
    x.timeout = false
    let steps: readonly Transition[]
    try {
      steps = this.enabledSteps(x, keeper)
    } catch (failure) {
      out.push({ moves, failure })
      return undefined
    }
    if (steps.length === 0 || this.outranked(x, keeper)) {
      // pan checks priorities before each atomic step too.
      out.push({ moves, next: w })
      return undefined
    }
    return steps
  }

  /** After a move: a stored state, unless a process keeps atomic control and can go on. */
  private continueFrom(w: Int32Array, keeper: number, moves: PmlStep['moves'], out: StepList, depth: number): void {
    if (keeper < 0) {
      out.push({ moves, next: w })
      return
    }
    const timeout = this.x.timeout
    try {
      const steps = this.nextMoves(w, keeper, moves, out)
      if (steps !== undefined) for (const t of steps) this.expand(w, keeper, t, moves, out, depth + 1)
    } finally {
      this.x.timeout = timeout
    }
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
      // Arrays of its own: a guard may ask this while `enabledSteps` fills its scratch.
      return this.collect(x, pid, [], [], [], undefined, 0) > 0
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
    const reached = path.failing ? this.failedStepReaches(last, path.failing.action) : undefined
    const failing = path.failing ? { from: last, system: path.failing.action, ...(reached ? { to: reached } : {}) } : undefined
    return renderPromelaTrace(this.program, { items, ...(failing ? { failing } : {}), last: failing?.to ?? last }, options)
  }

  /** The state a failing step still reaches (a failed assert completes its step), if it does. */
  private failedStepReaches(v: Int32Array, step: PmlStep): Int32Array | undefined {
    if (!step.single) return step.next
    try {
      return this.nextState(v, step)
    } catch (failure) {
      return isTransitionFailure(failure) ? (failure.next as Int32Array | undefined) : undefined
    }
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
   * A step to a state already seen: pan passes its inner states, and when the step ends blocked inside
   * an atomic sequence (its last move keeps control), also the level where it finds the process blocked.
   */
  seenStepWeight(_v: Int32Array, step: PmlStep): number {
    const last = step.moves[step.moves.length - 1]!
    return movesWeight(step) - (last.t.keepsControl ? 0 : 1)
  }

  /**
   * 1 when a process offers a rendezvous send that no process can receive: pan executes the send
   * and backs out one level deeper (its depth counts that level), where weft's send is not enabled.
   */
  deadEndWeight(v: Int32Array): number {
    if (!this.rendezvous) return 0
    const x = this.x
    // Asked right after `actions(v)`, which left `x` on `v` with its records found.
    if (x.v !== v) x.load(v)
    // The offers the first pass over this state counted (`canTake`), as it counted them.
    const stamp = v === this.offersOf ? this.offerStamp : -1
    for (let pid = x.nprocs - 1; pid >= 0; pid--) {
      x.as(pid)
      const loc = this.program.graphs[x.proctype(pid)]!.locations[x.pc(pid)]!
      if (loc.isEnd) continue
      const counted = stamp < 0 ? undefined : this.offers[pid]
      for (const t of this.sends[x.proctype(pid)]![x.pc(pid)]!) {
        const offer = counted?.[t.id]
        if (offer === 2 * stamp) return 1
        if (offer === 2 * stamp + 1) continue
        try {
          if (this.isRendezvous(x, t) && this.receivers(x, pid, t, false) === 0) return 1
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

/** A list of steps that keeps its array from one state to the next (an array emptied by `length = 0` gives its storage up). */
class StepList {
  readonly items: PmlStep[] = []
  length = 0

  push(step: PmlStep): void {
    this.items[this.length++] = step
  }
}

/** Thrown by `successorsEncoded` for a state whose successors it leaves to the search's step-by-step path. */
export const NOT_HERE = new Error('a state left to the step-by-step path')

/**
 * One move inside a d_step, by the executing process: its record is found again first, since a
 * `run` before it may have moved the records (effects leave `x.pid` as they found it).
 */
function dstepMove(x: Exec, t: Transition): void {
  x.as(x.pid)
  t.effect(x)
}

function asFailure(e: unknown, t: Transition): unknown {
  if (e instanceof Error && (e as { dstep?: boolean }).dstep) return new TransitionFailure('runtime-error', 'd_step', e.message, t.span)
  return e
}

/** The statements of a step as pan's depth counts them: each move, and the jumps pan takes as steps after it. */
export function movesWeight(step: { readonly moves: readonly { readonly t: Transition }[] }): number {
  const moves = step.moves
  if (moves.length === 1) return 1 + moves[0]!.t.jumpSteps
  let n = 0
  for (const m of step.moves) n += 1 + m.t.jumpSteps
  return n
}
