import type { LivenessProperty, LivenessSpec, Model } from '../model.js'
import { FingerprintIndex } from '../store/fingerprint-index.js'
import { ByteFrontier, ObjectFrontier, type Frontier } from '../store/frontier.js'
import { NO_PARENT, TraceLog } from '../store/trace-log.js'
import { findFairLasso, STUTTER, type GraphLasso, type StateGraph } from './fair-cycles.js'
import { describeFailure, Exploration, isOutOfMemory } from './shared.js'
import type { Discovery, SearchOptions, SearchResult } from './types.js'

/**
 * Temporal properties under fairness (TLC's liveness checking with `-lncheck final`): a
 * breadth-first search builds the whole reachable graph, counting and checking exactly as the
 * safety search does (so distinct states, transitions, depth and safety counterexamples are the
 * same), and keeps each state's id, its edges and a bitmask of the atoms that hold per state and
 * per edge. Once the graph is complete, each property's automaton (of its negation) is combined
 * with it and searched for a fair accepting cycle (`fair-cycles.ts`); the first property with one
 * is reported, its counterexample a lasso: a shortest prefix, then a cycle through what the
 * acceptance and fairness conditions need.
 *
 * Cost: the safety search, plus per state and per edge 4 bytes per 32 atoms and 8 bytes of edge,
 * plus per property three words per product node. Nothing is checked while the graph is incomplete.
 */
export function searchLiveness<S, A>(model: Model<S, A>, options: SearchOptions): SearchResult {
  const spec = model.liveness!
  const ex = new Exploration(model, options)
  const log = new TraceLog()
  const index = new FingerprintIndex()
  const frontier: Frontier<S> = model.decode ? new ByteFrontier((b) => model.decode!(b)) : new ObjectFrontier<S>()
  const graph = new GraphBuilder(spec)
  const choicesOf = (id: number): number[] => log.choices(id)
  const fp = new Uint32Array(2)
  let depth = 0
  let truncated = false
  try {
    /** Adds a state that passed the seen set; its atoms are evaluated now (false when that failed). */
    const stored = (s: S, id: number): boolean => {
      index.set(fp[0]!, fp[1]!, id)
      try {
        graph.addState(s)
      } catch (e) {
        ex.record({ ...describeFailure(e), choices: choicesOf(id) })
        return false
      }
      return true
    }
    const started = ex.initialStates((s, bytes, i) => {
      ex.fingerprint(bytes, fp, 0)
      const id = log.push(NO_PARENT, i)
      // Into the frontier first: evaluating atoms may encode other states into the same buffer.
      frontier.push(s, bytes, id)
      if (!stored(s, id)) return
      graph.initial.push(id)
    })
    if (!started) return ex.result(0, log.bytes, false)
    let levelLeft = frontier.length
    let nextLevel = 0
    if (levelLeft > 0) depth = 1
    while (frontier.length > 0 && !ex.stopped) {
      if (levelLeft === 0) {
        levelLeft = nextLevel
        nextLevel = 0
        depth++
      }
      levelLeft--
      const atBound = depth >= ex.maxDepth
      const s = frontier.shift()
      const id = frontier.lastId
      graph.beginEdges(id)
      ex.tick(frontier.length, depth)
      if (ex.stopped) break
      let acts: readonly A[]
      try {
        acts = model.actions(s)
      } catch (e) {
        ex.failure(e, choicesOf(id), undefined)
        continue
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
          tid = log.push(id, a)
          frontier.push(t, bytes, tid)
          nextLevel++
          if (!stored(t, tid)) break
          ex.checkInvariantsOf(t, tid, choicesOf)
        } else {
          if (ex.stopped) break
          tid = index.get(fp[0]!, fp[1]!)
        }
        try {
          graph.addEdge(s, acts[a]!, t, tid, a)
        } catch (e) {
          ex.failure(e, choicesOf(id), a)
        }
      }
      if (enabled === 0 && !ex.stopped) ex.terminal(s, () => choicesOf(id))
    }
    if (!ex.stopped && !truncated && ex.first === undefined) {
      const g = graph.finish()
      for (const p of spec.properties) {
        const lasso = findFairLasso(g, p.violations, spec.fairness.map((f) => ({ strong: f.strong, enabled: f.enabled, taken: spec.stateAtoms.length + f.taken })))
        if (!lasso) continue
        ex.record(lassoDiscovery(p, lasso, graph, choicesOf))
        if (ex.stopped) break
      }
    }
  } catch (e) {
    if (!isOutOfMemory(e)) throw e
    ex.outOfMemory()
  }
  return ex.result(depth, log.bytes + graph.bytes, truncated)
}

/** A lasso of graph steps as a ChoicePath: stuttering steps are left out (the properties cannot tell). */
function lassoDiscovery(property: LivenessProperty, lasso: GraphLasso, graph: GraphBuilder<unknown, unknown>, choicesOf: (id: number) => number[]): Discovery {
  const { name, span } = property
  const choices = choicesOf(lasso.start)
  let loop = choices.length - 1
  for (let i = 0; i < lasso.steps.length; i++) {
    if (i === lasso.loop) loop = choices.length - 1
    const step = lasso.steps[i]!
    if (step !== STUTTER) choices.push(graph.actionOf(step))
  }
  if (lasso.loop === lasso.steps.length) loop = choices.length - 1
  const stutters = choices.length - 1 === loop
  return {
    kind: property.violation?.kind ?? 'property',
    name,
    message: property.violation?.message ?? `property '${name}' is violated: ${stutters ? 'the behaviour below stops changing at its last state' : 'the behaviour below repeats its cycle forever'}`,
    choices,
    loop,
    ...(span ? { span } : {}),
  }
}

/** The graph in growing typed arrays: edges are added state by state, in id order. */
class GraphBuilder<S, A> {
  readonly initial: number[] = []
  readonly words: number
  private readonly nState: number
  private count = 0
  private edges = 0
  private edgeStart = new Int32Array(1024)
  private edgeTarget = new Int32Array(4096)
  private edgeAction = new Int32Array(4096)
  private edgeMask: Uint32Array
  private stateMask: Uint32Array
  private stutterMask: Uint32Array
  private expanded = 0

  constructor(private readonly spec: LivenessSpec<S, A>) {
    this.nState = spec.stateAtoms.length
    this.words = Math.max(1, Math.ceil((this.nState + spec.actionAtoms.length) / 32))
    this.edgeMask = new Uint32Array(4096 * this.words)
    this.stateMask = new Uint32Array(1024 * this.words)
    this.stutterMask = new Uint32Array(1024 * this.words)
  }

  get bytes(): number {
    return this.edgeStart.byteLength + this.edgeTarget.byteLength + this.edgeAction.byteLength + this.edgeMask.byteLength + this.stateMask.byteLength + this.stutterMask.byteLength
  }

  addState(s: S): void {
    const W = this.words
    // Counted first, so that ids stay those of the trace log even when an atom fails.
    const id = this.count++
    if ((id + 2) * W > this.stateMask.length || id + 2 > this.edgeStart.length) {
      this.stateMask = grow(this.stateMask, (id + 2) * W)
      this.stutterMask = grow(this.stutterMask, (id + 2) * W)
      this.edgeStart = grow(this.edgeStart, id + 2)
    }
    const atoms = this.spec.stateAtoms
    for (let i = 0; i < atoms.length; i++) if (atoms[i]!.bySteps === undefined && atoms[i]!.holds(s)) this.stateMask[id * W + (i >>> 5)]! |= 1 << (i & 31)
    if (this.spec.stutters !== false) this.setActionBits(this.stutterMask, id * W, s, undefined, s)
  }

  /** Starts the edges of state `id` (states are expanded in id order). */
  beginEdges(id: number): void {
    while (this.expanded <= id) this.edgeStart[this.expanded++] = this.edges
  }

  addEdge(from: S, action: A, to: S, target: number, index: number): void {
    const W = this.words
    const e = this.edges
    if (e + 1 > this.edgeTarget.length) {
      this.edgeTarget = grow(this.edgeTarget, e + 1)
      this.edgeAction = grow(this.edgeAction, e + 1)
      this.edgeMask = grow(this.edgeMask, (e + 1) * W)
    }
    this.edgeTarget[e] = target
    this.edgeAction[e] = index
    this.setActionBits(this.edgeMask, e * W, from, action, to)
    this.edges++
  }

  actionOf(edge: number): number {
    return this.edgeAction[edge]!
  }

  finish(): StateGraph {
    this.beginEdges(this.count)
    const W = this.words
    // Atoms derived from the steps: set where some edge out of the state has the action atom.
    this.spec.stateAtoms.forEach((a, i) => {
      if (a.bySteps === undefined) return
      const j = this.nState + a.bySteps
      for (let s = 0; s < this.count; s++) {
        for (let e = this.edgeStart[s]!; e < this.edgeStart[s + 1]!; e++) {
          if ((this.edgeMask[e * W + (j >>> 5)]! & (1 << (j & 31))) === 0) continue
          this.stateMask[s * W + (i >>> 5)]! |= 1 << (i & 31)
          break
        }
      }
    })
    return {
      stateCount: this.count,
      words: W,
      initial: Int32Array.from(this.initial),
      edgeStart: this.edgeStart.subarray(0, this.count + 1),
      edgeTarget: this.edgeTarget.subarray(0, this.edges),
      edgeMask: this.edgeMask.subarray(0, this.edges * W),
      stateMask: this.stateMask.subarray(0, this.count * W),
      stutterMask: this.stutterMask.subarray(0, this.count * W),
      stutters: this.spec.stutters !== false,
    }
  }

  private setActionBits(out: Uint32Array, at: number, from: S, action: A | undefined, to: S): void {
    const atoms = this.spec.actionAtoms
    const base = this.nState
    for (let j = 0; j < atoms.length; j++) {
      if (!atoms[j]!.holds(from, action, to)) continue
      const i = base + j
      out[at + (i >>> 5)]! |= 1 << (i & 31)
    }
  }
}

function grow<T extends Int32Array | Uint32Array>(a: T, need: number): T {
  let n = a.length
  while (n < need) n = Math.ceil(n * 1.5) + 16
  const b = new (a.constructor as new (n: number) => T)(n)
  b.set(a)
  return b
}
