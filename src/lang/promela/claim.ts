import type { Acceptance, Coverage, Explanation, MessageEvent, Model, StepLabel, SuccessorSink, TraceRenderOptions, ViolationInfo } from '../../core/model.js'
import type { Path } from '../../core/path.js'
import { isTransitionFailure, TransitionFailure } from '../../core/model.js'
import type { Span } from '../../diag/span.js'
import { executable, type ProcGraph, type Transition } from './cfg.js'
import { movesWeight, NOT_HERE, type PmlStep, type PromelaModel } from './model.js'
import { renderPromelaTrace, type TraceItem } from './trace.js'
import { explainProduct } from './explain.js'
import { Exec, VectorArena } from './vector.js'

/** One move of a never claim: where it goes, and the failure it raises (a failed `assert` in the claim). */
export interface ClaimMove {
  readonly to: number
  readonly text: string
  readonly span: Span
  readonly failure?: unknown
}

/** A step of the product: a claim move, then a system step (or none, when the system cannot move: stuttering). */
export interface ProductStep {
  readonly claim: ClaimMove
  readonly system?: PmlStep
  /** The system cannot move and the claim has no second move: the step is not enabled. */
  readonly blocked?: boolean
  /** The claim's second move, in place of a system that cannot move (np_ is false there). */
  readonly stutter?: ClaimMove
}

/**
 * A Promela model together with a never claim, as pan runs it with `-a`: the claim moves first,
 * reading the current state, then the system takes one step; when the system has no step, the
 * claim moves again in its place over the unchanged state (stuttering), and the state after that
 * second move is the one stored. A claim that reaches its closing brace,
 * or fails an assertion, is violated; a claim that passes an accept label infinitely often
 * (an accepting cycle, found by nested depth-first search) is violated too.
 *
 * A state is the system's vector with the claim's location appended.
 */
export class ClaimProduct implements Model<Int32Array, ProductStep> {
  readonly language = 'promela'
  readonly depthUnit = 'steps' as const
  readonly name: string
  private readonly x: Exec
  private readonly acceptance: Acceptance<Int32Array>
  /** The claim's moves from the state `actions` was last asked about (for `deadEndWeight`). */
  private lastMovesState: Int32Array | undefined
  private lastMoves: readonly ClaimMove[] = []
  /** The last product vector `systemOf` was asked for, and its system part. */
  private viewed: Int32Array | undefined
  private viewedSystem: Int32Array = new Int32Array(0)
  private readonly arena = new VectorArena()
  /** What the last `nextEncoded` computed: a product state (lastClaim -1), or a system state and the claim's location. */
  private lastNext: Int32Array | undefined
  private lastClaim = -1
  /** The claim's single moves (no atomic sequence, no failure), one per transition, shared by every state. */
  private readonly plainMoves = new Map<Transition, ClaimMove>()

  constructor(
    readonly system: PromelaModel,
    readonly claim: ProcGraph,
    readonly claimName: string,
    /** What an accepting cycle of this claim means. */
    violation: Acceptance<Int32Array>['violation'] = 'ltl',
  ) {
    this.name = system.name
    this.x = new Exec(system.program.layout)
    this.acceptance = {
      kind: 'acceptance',
      name: claimName,
      violation,
      accepting: (v) => claim.locations[v[v.length - 1]!]!.accept,
    }
  }

  initStates(): readonly Int32Array[] {
    return this.system.initStates().map((s) => this.withClaim(s, this.claim.entry))
  }

  actions(v: Int32Array): readonly ProductStep[] {
    const sys = this.systemOf(v)
    const moves = this.claimMoves(sys, v[v.length - 1]!)
    this.lastMovesState = v
    this.lastMoves = moves
    if (moves.length === 0) return []
    const steps = this.system.actions(sys)
    // When the system cannot move, pan lets the claim move a second time in its place (with np_
    // false, so the non-progress claim only goes on through its `(1)` wait loop) and stores the
    // state after that; a first move with no second one leads nowhere (pan still starts its second
    // search here).
    if (steps.length === 0) {
      return moves.flatMap((claim): ProductStep[] => {
        if (claim.failure !== undefined || this.claim.locations[claim.to]!.isEnd) return [{ claim }]
        const again = this.claimMoves(sys, claim.to, true)
        return again.length === 0 ? [{ claim, blocked: true }] : again.map((stutter) => ({ claim, stutter }))
      })
    }
    const out: ProductStep[] = []
    for (const claim of moves) {
      if (claim.failure !== undefined || this.claim.locations[claim.to]!.isEnd || steps.length === 0) out.push({ claim })
      else for (const system of steps) out.push({ claim, system })
    }
    return out
  }

  nextState(v: Int32Array, step: ProductStep): Int32Array | undefined {
    const { claim } = step
    if (step.blocked) return undefined
    if (step.stutter && (step.stutter.failure !== undefined || this.claim.locations[step.stutter.to]!.isEnd)) {
      return this.nextState(v, { claim: step.stutter })
    }
    if (claim.failure !== undefined) {
      // An error evaluating the claim (an uninitialised channel) is a runtime error, as pan reports it.
      if (isTransitionFailure(claim.failure) && claim.failure.kind === 'runtime-error') throw claim.failure
      const detail = claim.failure instanceof Error ? `: ${claim.failure.message}` : ''
      throw new TransitionFailure('ltl', this.claimName, `the claim '${this.claimName}' is violated${detail}`, claim.span)
    }
    if (this.claim.locations[claim.to]!.isEnd) throw new TransitionFailure('ltl', this.claimName, `the claim '${this.claimName}' reached its end`, claim.span)
    const sys = v.subarray(0, v.length - 1)
    const next = step.system ? this.system.nextState(sys, step.system) : sys
    return next === undefined ? undefined : this.withClaim(next, step.stutter ? step.stutter.to : claim.to)
  }

  private withClaim(sys: Int32Array, q: number): Int32Array {
    const v = this.arena.alloc(sys.length + 1)
    v.set(sys)
    v[sys.length] = q
    return v
  }

  /** `encode(nextState(v, step))`: the system's successor bytes with the claim's location after them, no product vector. */
  nextEncoded(v: Int32Array, step: ProductStep): Uint8Array | undefined {
    if (step.blocked) return undefined
    if (step.claim.failure !== undefined || this.claim.locations[step.claim.to]!.isEnd || !step.system) {
      const t = this.nextState(v, step)
      this.lastNext = t
      this.lastClaim = -1
      return t === undefined ? undefined : this.encode(t)
    }
    const sys = this.systemOf(v)
    const next = step.system.single ? this.system.apply(sys, step.system) : this.system.nextState(sys, step.system)
    this.lastNext = next
    this.lastClaim = step.claim.to
    return next === undefined ? undefined : this.system.encode(next, step.claim.to)
  }

  /**
   * `encode(nextState(v, step))` of every step of `actions(v)` into `sink`, without a step object
   * per pair of claim move and system step. A claim that fails or ends, a system that cannot move
   * or fails: these states are left to the step-by-step path (`NOT_HERE`).
   */
  successorsEncoded(v: Int32Array, sink: SuccessorSink): void {
    const sys = this.systemOf(v)
    const moves = this.claimMoves(sys, v[v.length - 1]!)
    this.lastMovesState = v
    this.lastMoves = moves
    if (moves.length === 0) return
    const steps = this.system.actions(sys)
    if (steps.length === 0) throw NOT_HERE
    let a = 0
    for (let i = 0; i < moves.length; i++) {
      const claim = moves[i]!
      if (claim.failure !== undefined || this.claim.locations[claim.to]!.isEnd) throw NOT_HERE
      a = this.system.encodeSuccessors(sys, steps, sink, a, claim.to)
    }
  }

  /**
   * `successorsEncoded` for the steps `actions(v)` returned: each step's successor as its own
   * action index. The same states as there are left to the step-by-step path (`NOT_HERE`).
   */
  successorsEncodedFor(v: Int32Array, steps: readonly ProductStep[], sink: SuccessorSink): void {
    const sys = this.systemOf(v)
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i]!
      if (step.blocked) continue
      const claim = step.claim
      if (claim.failure !== undefined || !step.system || this.claim.locations[claim.to]!.isEnd) throw NOT_HERE
      this.system.encodeStep(sys, step.system, sink, i, claim.to)
    }
  }

  /** The product state of the last `nextEncoded`: the system's successor with the claim's location appended. */
  keepNext(): Int32Array {
    return this.lastClaim < 0 ? this.lastNext! : this.withClaim(this.lastNext!, this.lastClaim)
  }

  /** The system's part of a product vector (a view, kept for the next call with the same vector). */
  private systemOf(v: Int32Array): Int32Array {
    if (v !== this.viewed) {
      this.viewed = v
      this.viewedSystem = v.subarray(0, v.length - 1)
    }
    return this.viewedSystem
  }

  properties(): readonly Acceptance<Int32Array>[] {
    return [this.acceptance]
  }

  encode(v: Int32Array): Uint8Array {
    // The system's encoding covers the claim's slot at the end too (it only blanks hidden globals).
    return this.system.encode(v)
  }

  decode(bytes: Uint8Array): Int32Array {
    // The system's bytes cover the claim's slot too.
    return this.system.decode(bytes)
  }

  label(v: Int32Array, step: ProductStep): StepLabel {
    if (step.system) return this.system.label(v.subarray(0, v.length - 1), step.system)
    const ends = step.claim.failure !== undefined || this.claim.locations[step.claim.to]!.isEnd
    return { action: ends ? step.claim.text : `${step.claim.text} (the system cannot move)`, process: `never ${this.claimName}`, span: step.claim.span, monitor: true }
  }

  /** The trace in the layout of SPIN's guided simulation (`trace.ts`): each claim move, then the system's. */
  renderTrace(path: Path<Int32Array, ProductStep>, options: TraceRenderOptions): string {
    const sys = (v: Int32Array): Int32Array => v.subarray(0, v.length - 1)
    const item = (from: Int32Array, step: ProductStep, to: Int32Array | undefined): TraceItem => ({
      from: sys(from),
      ...(to ? { to: sys(to) } : {}),
      ...(step.system ? { system: step.system } : {}),
      claim: { text: step.claim.text, span: step.claim.span },
    })
    const states = [path.init, ...path.steps.map((s) => s.state)]
    const items = path.steps.map((s, i) => item(states[i]!, s.action, s.state))
    const last = states[states.length - 1]!
    const failing = path.failing ? item(last, path.failing.action, undefined) : undefined
    // Where the claim is at the end: where its failing move goes (its closing brace, when it ends), else where it stopped.
    const at = this.claim.locations[path.failing ? path.failing.action.claim.to : last[last.length - 1]!]
    const claim = { name: this.claimName, hidden: this.claimName === 'np_', ...(at ? { at: { span: at.span, isEnd: at.isEnd } } : {}) }
    return renderPromelaTrace(this.system.program, { items, ...(failing ? { failing } : {}), last: sys(last), claim }, options)
  }

  /** A failed assert of the system, or the claim's atoms in the last state (`explain.ts`). */
  explain(path: Path<Int32Array, ProductStep>, violation: ViolationInfo): Explanation | undefined {
    return explainProduct(this, path, violation)
  }

  messages(v: Int32Array, step: ProductStep): readonly MessageEvent[] {
    return step.system ? this.system.messages(v.subarray(0, v.length - 1), step.system) : []
  }

  /** The system's statements: the claim's own moves are not counted. */
  coverage(): Coverage<Int32Array, ProductStep> {
    const system = this.system.coverage()
    return { items: system.items, fired: (v, step) => (step.system ? system.fired(v, step.system) : []) }
  }

  view(v: Int32Array): Readonly<Record<string, unknown>> {
    return { ...this.system.view(v.subarray(0, v.length - 1)), [`@never ${this.claimName}`]: v[v.length - 1]! }
  }

  /**
   * True when no accept location of the claim can be reached from its start: then only the claim's
   * end and its assertions can be violated, which a breadth-first search finds with a shortest trace.
   */
  get isSafety(): boolean {
    const seen = new Set<number>([this.claim.entry])
    const todo = [this.claim.entry]
    while (todo.length > 0) {
      const loc = this.claim.locations[todo.pop()!]!
      if (loc.accept) return false
      for (const t of loc.trans) {
        if (!seen.has(t.to)) {
          seen.add(t.to)
          todo.push(t.to)
        }
      }
    }
    return true
  }

  /** A claim move and the system's moves, as pan counts depth. */
  stepWeight(_v: Int32Array, step: ProductStep): number {
    return 1 + (step.system ? movesWeight(step.system) : step.stutter ? 1 : 0)
  }

  /**
   * pan moves the claim first and enters the state where the system is to move (one level deeper),
   * whatever the system then does: even when the step ends in a state already stored, or the system
   * cannot move and the claim stutters back to this state. Beyond it, the system's dead ends
   * (`PromelaModel.deadEndWeight`).
   */
  deadEndWeight(v: Int32Array): number {
    const sys = this.systemOf(v)
    // The searches ask right after `actions` of the same state: reuse its claim moves.
    const moves = this.lastMovesState === v ? this.lastMoves : this.claimMoves(sys, v[v.length - 1]!)
    if (!moves.some((m) => m.failure === undefined && !this.claim.locations[m.to]!.isEnd)) return 0
    return 1 + this.system.deadEndWeight(sys)
  }

  /** The claim's moves from location `q` over the system state `sys`, following its atomic sequences. */
  private claimMoves(sys: Int32Array, q: number, stutter = false): ClaimMove[] {
    const x = this.x
    x.load(sys)
    x.pid = 0
    x.base = 0
    x.stutter = stutter
    const out: ClaimMove[] = []
    this.visitClaim(x, q, '', 0, out)
    return out
  }

  /** The claim's moves from location `at` into `out`; `prefix` is the text of the atomic moves before. */
  private visitClaim(x: Exec, at: number, prefix: string, depth: number, out: ClaimMove[]): void {
    const loc = this.claim.locations[at]!
    for (const t of loc.trans) {
      let ok: boolean
      try {
        ok = executable(x, t)
      } catch (failure) {
        out.push({ to: t.to, text: prefix + t.text, span: t.span, failure })
        continue
      }
      if (!ok) continue
      try {
        t.effect(x)
      } catch (failure) {
        out.push({ to: t.to, text: prefix + t.text, span: t.span, failure })
        continue
      }
      if (t.keepsControl && depth < 1000 && !this.claim.locations[t.to]!.isEnd) {
        const before = out.length
        this.visitClaim(x, t.to, `${prefix}${t.text} ; `, depth + 1, out)
        if (out.length > before) continue
      }
      if (prefix === '') {
        let m = this.plainMoves.get(t)
        if (m === undefined) this.plainMoves.set(t, (m = { to: t.to, text: t.text, span: t.span }))
        out.push(m)
      } else out.push({ to: t.to, text: prefix + t.text, span: t.span })
    }
  }
}

/** The product of a model with its never claim of that name, or undefined when it has none by that name. */
export function claimProduct(model: PromelaModel, name: string): ClaimProduct | undefined {
  if (name === 'np_') return undefined
  const graph = model.program.neverClaims.get(name)
  return graph ? new ClaimProduct(model, graph, name) : undefined
}

/** The product pan -l explores: the model with the non-progress claim; its accepting cycles are non-progress cycles. */
export function nonProgressProduct(model: PromelaModel): ClaimProduct {
  return new ClaimProduct(model, model.program.neverClaims.get('np_')!, 'np_', 'non-progress-cycle')
}

/** The model with its accept labels as the acceptance condition (pan -a without a claim). */
export function acceptLabelModel(model: PromelaModel): Model<Int32Array, PmlStep> & { readonly language: string } {
  const acceptance = model.acceptLabels()
  return {
    language: model.language,
    name: model.name,
    depthUnit: model.depthUnit,
    initStates: () => model.initStates(),
    actions: (v) => model.actions(v),
    nextState: (v, a) => model.nextState(v, a),
    nextEncoded: (v, a) => model.nextEncoded(v, a),
    keepNext: () => model.keepNext(),
    successorsEncodedFor: (v, steps, sink) => model.successorsEncodedFor(v, steps, sink),
    properties: () => [acceptance],
    encode: (v) => model.encode(v),
    decode: (b) => model.decode(b),
    label: (v, a) => model.label(v, a),
    view: (v) => model.view(v),
    output: (v, a) => model.output(v, a),
    messages: (v, a) => model.messages(v, a),
    renderTrace: (p, o) => model.renderTrace(p, o),
    coverage: () => model.coverage(),
    stepWeight: (v, a) => model.stepWeight(v, a),
    deadEndWeight: (v) => model.deadEndWeight(v),
  }
}
