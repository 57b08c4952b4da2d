import type { LivenessSpec } from '../model.js'
import type { StateGraph } from './fair-cycles.js'

/**
 * A state graph in growing typed arrays, for the fair-cycle searches: per state its atoms, per
 * edge its target, the index of its action and its action atoms. A state's edges are added
 * together (`beginEdges`, `addEdge`..., `endEdges`), in any order of states: breadth-first in id
 * order, or depth-first as an on-the-fly search expands them. A state whose edges were never
 * added is open: it has no steps at all, not even stuttering.
 */
export class GraphBuilder<S, A> {
  readonly initial: number[] = []
  readonly words: number
  private readonly nState: number
  private count = 0
  private edges = 0
  // The arrays below are replaced as they grow: read them again after adding to the graph.
  /** State s's edges, once expanded, are edgeStart[s] .. edgeEnd[s]-1. */
  edgeStart = new Int32Array(1024)
  edgeEnd = new Int32Array(1024)
  private expanded = new Uint8Array(1024)
  edgeTarget = new Int32Array(4096)
  private action = new Int32Array(4096)
  /** `words` words per edge, per state, per state's stuttering step: the atoms that hold. */
  edgeMask: Uint32Array
  stateMask: Uint32Array
  stutterMask: Uint32Array
  /** The state whose edges are being added, or -1. */
  private current = -1
  /** True while states were expanded in id order, each right after the one before. */
  private inOrder = true

  constructor(
    private readonly spec: LivenessSpec<S, A>,
    private readonly expander: (s: number) => boolean = () => true,
  ) {
    this.nState = spec.stateAtoms.length
    this.words = Math.max(1, Math.ceil((this.nState + spec.actionAtoms.length) / 32))
    this.edgeMask = new Uint32Array(4096 * this.words)
    this.stateMask = new Uint32Array(1024 * this.words)
    this.stutterMask = new Uint32Array(1024 * this.words)
  }

  get stateCount(): number {
    return this.count
  }
  get stutters(): boolean {
    return this.spec.stutters !== false
  }

  /** Expands state s through the hook given at construction (`fair-on-the-fly.ts`'s GrowingGraph); false when the search must stop. */
  expand(s: number): boolean {
    return this.expander(s)
  }

  get bytes(): number {
    return this.edgeStart.byteLength + this.edgeEnd.byteLength + this.expanded.byteLength + this.edgeTarget.byteLength + this.action.byteLength + this.edgeMask.byteLength + this.stateMask.byteLength + this.stutterMask.byteLength
  }

  isExpanded(id: number): boolean {
    return this.expanded[id] === 1
  }

  /** Adds a state (ids are given in order) and evaluates its state atoms; throws what an atom throws. */
  addState(s: S): void {
    const W = this.words
    // Counted first, so that ids stay those of the trace log even when an atom fails.
    const id = this.count++
    if ((id + 2) * W > this.stateMask.length || id + 2 > this.edgeStart.length) {
      this.stateMask = grow(this.stateMask, (id + 2) * W)
      this.stutterMask = grow(this.stutterMask, (id + 2) * W)
      this.edgeStart = grow(this.edgeStart, id + 2)
      this.edgeEnd = grow(this.edgeEnd, id + 2)
      this.expanded = grow(this.expanded, id + 2)
    }
    const atoms = this.spec.stateAtoms
    for (let i = 0; i < atoms.length; i++) if (atoms[i]!.bySteps === undefined && atoms[i]!.holds(s)) this.stateMask[id * W + (i >>> 5)]! |= 1 << (i & 31)
    if (this.spec.stutters !== false) this.setActionBits(this.stutterMask, id * W, s, undefined, s)
  }

  /** Starts the edges of state `id`. */
  beginEdges(id: number): void {
    if (id !== this.current + 1 || (id > 0 && this.edgeEnd[id - 1] !== this.edges)) this.inOrder = false
    this.current = id
    this.edgeStart[id] = this.edges
  }

  addEdge(from: S, action: A, to: S, target: number, index: number): void {
    const W = this.words
    const e = this.edges
    if (e + 1 > this.edgeTarget.length) {
      this.edgeTarget = grow(this.edgeTarget, e + 1)
      this.action = grow(this.action, e + 1)
      this.edgeMask = grow(this.edgeMask, (e + 1) * W)
    }
    this.edgeTarget[e] = target
    this.action[e] = index
    this.setActionBits(this.edgeMask, e * W, from, action, to)
    this.edges++
  }

  /** Ends the edges of the state begun last; the atoms derived from its steps are set now. */
  endEdges(): void {
    const id = this.current
    this.edgeEnd[id] = this.edges
    this.expanded[id] = 1
    const W = this.words
    // Atoms derived from the steps: set where some edge out of the state has the action atom.
    this.spec.stateAtoms.forEach((a, i) => {
      if (a.bySteps === undefined) return
      const j = this.nState + a.bySteps
      for (let e = this.edgeStart[id]!; e < this.edges; e++) {
        if ((this.edgeMask[e * W + (j >>> 5)]! & (1 << (j & 31))) === 0) continue
        this.stateMask[id * W + (i >>> 5)]! |= 1 << (i & 31)
        break
      }
    })
  }

  /** The number of breadth-first levels of the expanded graph from the initial states (a lone initial state: 1). */
  levels(): number {
    const n = this.count
    const level = new Int32Array(n)
    const queue = new Int32Array(n)
    let tail = 0
    for (const s of this.initial) {
      if (level[s] !== 0) continue
      level[s] = 1
      queue[tail++] = s
    }
    let depth = tail > 0 ? 1 : 0
    for (let head = 0; head < tail; head++) {
      const s = queue[head]!
      depth = level[s]!
      if (this.expanded[s] !== 1) continue
      for (let e = this.edgeStart[s]!; e < this.edgeEnd[s]!; e++) {
        const t = this.edgeTarget[e]!
        if (level[t] !== 0) continue
        level[t] = depth + 1
        queue[tail++] = t
      }
    }
    return depth
  }

  actionOf(edge: number): number {
    return this.action[edge]!
  }

  /**
   * The graph as it stands, its edges in id order (moved there if they were added in another
   * order, so that `actionOf` then names the returned graph's edges).
   */
  finish(): StateGraph {
    const W = this.words
    const n = this.count
    const open = this.expanded.subarray(0, n).includes(0) ? this.expanded.subarray(0, n).map((x) => 1 - x) : undefined
    if (!this.inOrder || open) this.relayout()
    else this.edgeStart[n] = this.edges
    return {
      stateCount: n,
      words: W,
      initial: Int32Array.from(this.initial),
      edgeStart: this.edgeStart.subarray(0, n + 1),
      edgeTarget: this.edgeTarget.subarray(0, this.edges),
      edgeMask: this.edgeMask.subarray(0, this.edges * W),
      stateMask: this.stateMask.subarray(0, n * W),
      stutterMask: this.stutterMask.subarray(0, n * W),
      stutters: this.spec.stutters !== false,
      ...(open ? { open } : {}),
    }
  }

  /** Moves the edges into id order: state s's edges are start[s] .. start[s+1]-1. */
  private relayout(): void {
    const W = this.words
    const n = this.count
    const target = new Int32Array(Math.max(1, this.edges))
    const action = new Int32Array(Math.max(1, this.edges))
    const eMask = new Uint32Array(Math.max(1, this.edges) * W)
    const start = new Int32Array(n + 2)
    let k = 0
    for (let s = 0; s < n; s++) {
      start[s] = k
      if (this.expanded[s] !== 1) continue
      for (let e = this.edgeStart[s]!; e < this.edgeEnd[s]!; e++, k++) {
        target[k] = this.edgeTarget[e]!
        action[k] = this.action[e]!
        eMask.set(this.edgeMask.subarray(e * W, e * W + W), k * W)
      }
    }
    start[n] = k
    this.edgeTarget = target
    this.action = action
    this.edgeMask = eMask
    this.edgeStart = start
    this.edgeEnd = start.subarray(1)
    this.inOrder = true
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

function grow<T extends Int32Array | Uint32Array | Uint8Array>(a: T, need: number): T {
  let n = a.length
  while (n < need) n = Math.ceil(n * 1.5) + 16
  const b = new (a.constructor as new (n: number) => T)(n)
  b.set(a)
  return b
}
