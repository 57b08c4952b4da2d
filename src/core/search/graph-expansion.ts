import type { Model } from '../model.js'
import { FingerprintIndex } from '../store/fingerprint-index.js'
import { NO_PARENT, TraceLog } from '../store/trace-log.js'
import { GraphBuilder } from './graph-builder.js'
import { describeFailure, type Exploration } from './shared.js'

/**
 * What both liveness searches do to a state: generate its steps, count and check them as the
 * safety search does (constraints, step properties, the seen set, invariants, deadlock), give each
 * new state an id in the trace log and the fingerprint index, and add the state's edges to the
 * graph. The searches differ in the order they expand states: breadth-first (`liveness.ts`) or as
 * the on-the-fly cycle search enters them (`liveness-on-the-fly.ts`).
 */
export class GraphExpansion<S, A> {
  readonly log = new TraceLog()
  readonly graph: GraphBuilder<S, A>
  private readonly index = new FingerprintIndex()
  private readonly fp = new Uint32Array(2)
  readonly choicesOf = (id: number): number[] => this.log.choices(id)

  constructor(
    private readonly model: Model<S, A>,
    private readonly ex: Exploration<S, A>,
    expander?: (s: number) => boolean,
  ) {
    this.graph = new GraphBuilder(model.liveness!, expander)
  }

  get bytes(): number {
    return this.log.bytes + this.graph.bytes
  }

  /**
   * Takes the initial states; `found` gets each new one with its id before its atoms are evaluated
   * (evaluating them may encode other states into the same buffer). False when the model could not
   * give them.
   */
  initialStates(found: (s: S, bytes: Uint8Array, id: number) => void): boolean {
    return this.ex.initialStates((s, bytes, i) => {
      this.ex.fingerprint(bytes, this.fp, 0)
      const id = this.log.push(NO_PARENT, i)
      found(s, bytes, id)
      if (this.stored(s, id)) this.graph.initial.push(id)
    })
  }

  /**
   * Generates state `id`'s steps into the graph; `found` gets each new state as above. At the depth
   * bound the steps are only generated: true when one of them leads to a state not yet seen.
   */
  expand(s: S, id: number, atBound: boolean, found: (t: S, bytes: Uint8Array, id: number) => void): boolean {
    const { model, ex, graph, fp, choicesOf } = this
    let truncated = false
    graph.beginEdges(id)
    let acts: readonly A[]
    try {
      acts = model.actions(s)
    } catch (e) {
      ex.failure(e, choicesOf(id), undefined)
      graph.endEdges()
      return false
    }
    let enabled = 0
    for (let a = 0; a < acts.length && !ex.stopped; a++) {
      let t: S | undefined
      let bytes: Uint8Array
      try {
        t = model.nextState(s, acts[a]!)
        if (t === undefined) continue
        bytes = model.encode(t)
      } catch (e) {
        ex.failure(e, choicesOf(id), a)
        continue
      }
      enabled++
      ex.fingerprint(bytes, fp, 0)
      if (atBound) {
        if (!ex.seen.has(fp[0]!, fp[1]!)) truncated = true
        continue
      }
      ex.transitions++
      if (model.within && !ex.within(s, t, () => choicesOf(id), a)) continue
      if (ex.checksSteps && !ex.checkStep(s, t, id, a, choicesOf)) continue
      let tid: number
      if (ex.admitFingerprint(fp[0]!, fp[1]!)) {
        tid = this.log.push(id, a)
        found(t, bytes, tid)
        if (!this.stored(t, tid)) break
        ex.checkInvariantsOf(t, tid, choicesOf)
      } else {
        if (ex.stopped) break
        tid = this.index.get(fp[0]!, fp[1]!)
      }
      try {
        graph.addEdge(s, acts[a]!, t, tid, a)
      } catch (e) {
        ex.failure(e, choicesOf(id), a)
      }
    }
    graph.endEdges()
    if (enabled === 0 && !ex.stopped) ex.terminal(s, () => choicesOf(id))
    return truncated
  }

  /** Adds a state that passed the seen set; its atoms are evaluated now (false when that failed). */
  private stored(s: S, id: number): boolean {
    this.index.set(this.fp[0]!, this.fp[1]!, id)
    try {
      this.graph.addState(s)
    } catch (e) {
      this.ex.record({ ...describeFailure(e), choices: this.choicesOf(id) })
      return false
    }
    return true
  }
}
