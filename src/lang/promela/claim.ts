import type { Acceptance, Coverage, MessageEvent, Model, StepLabel } from '../../core/model.js'
import { isTransitionFailure, TransitionFailure } from '../../core/model.js'
import type { Span } from '../../diag/span.js'
import { executable, type ProcGraph } from './cfg.js'
import type { PmlStep, PromelaModel } from './model.js'
import { Exec } from './vector.js'

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
  /** The successor vector `nextEncoded` writes. */
  private scratch = new Int32Array(0)

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
    return this.system.initStates().map((s) => withClaim(s, this.claim.entry))
  }

  actions(v: Int32Array): readonly ProductStep[] {
    const sys = v.subarray(0, v.length - 1)
    const moves = this.claimMoves(sys, v[v.length - 1]!)
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
    return next === undefined ? undefined : withClaim(next, step.stutter ? step.stutter.to : claim.to)
  }

  /** `encode(nextState(v, step))`, written into a reused buffer: no product vector per successor. */
  nextEncoded(v: Int32Array, step: ProductStep): Uint8Array | undefined {
    if (step.blocked) return undefined
    if (step.claim.failure !== undefined || this.claim.locations[step.claim.to]!.isEnd || !step.system) {
      const t = this.nextState(v, step)
      return t === undefined ? undefined : this.encode(t)
    }
    const next = this.system.nextState(v.subarray(0, v.length - 1), step.system)
    if (next === undefined) return undefined
    if (this.scratch.length !== next.length + 1) this.scratch = new Int32Array(next.length + 1)
    this.scratch.set(next)
    this.scratch[next.length] = step.claim.to
    return this.encode(this.scratch)
  }

  properties(): readonly Acceptance<Int32Array>[] {
    return [this.acceptance]
  }

  encode(v: Int32Array): Uint8Array {
    // The system's encoding covers the claim's slot at the end too (it only blanks hidden globals).
    return this.system.encode(v)
  }

  decode(bytes: Uint8Array): Int32Array {
    return new Int32Array(bytes.slice().buffer)
  }

  label(v: Int32Array, step: ProductStep): StepLabel {
    if (step.system) return this.system.label(v.subarray(0, v.length - 1), step.system)
    const ends = step.claim.failure !== undefined || this.claim.locations[step.claim.to]!.isEnd
    return { action: ends ? step.claim.text : `${step.claim.text} (the system cannot move)`, process: `never ${this.claimName}`, span: step.claim.span, monitor: true }
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
    return 1 + (step.system ? step.system.moves.length : step.stutter ? 1 : 0)
  }

  /** The claim's moves from location `q` over the system state `sys`, following its atomic sequences. */
  private claimMoves(sys: Int32Array, q: number, stutter = false): ClaimMove[] {
    const x = this.x
    x.load(sys)
    x.pid = 0
    x.base = 0
    x.stutter = stutter
    const out: ClaimMove[] = []
    const visit = (at: number, prefix: string, depth: number): void => {
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
          visit(t.to, `${prefix}${t.text} ; `, depth + 1)
          if (out.length > before) continue
        }
        out.push({ to: t.to, text: prefix + t.text, span: t.span })
      }
    }
    visit(q, '', 0)
    return out
  }
}

function withClaim(sys: Int32Array, q: number): Int32Array {
  const v = new Int32Array(sys.length + 1)
  v.set(sys)
  v[sys.length] = q
  return v
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
    properties: () => [acceptance],
    encode: (v) => model.encode(v),
    decode: (b) => model.decode(b),
    label: (v, a) => model.label(v, a),
    view: (v) => model.view(v),
    output: (v, a) => model.output(v, a),
    messages: (v, a) => model.messages(v, a),
    coverage: () => model.coverage(),
    stepWeight: (v, a) => model.stepWeight(v, a),
  }
}
