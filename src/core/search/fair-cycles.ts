/**
 * Fair accepting cycles in the product of a state graph with a generalized Büchi automaton.
 *
 * The graph is the model's reachable states with their edges, in typed arrays, and a bitmask of
 * atoms per state (state atoms) and per edge (action atoms). Unless `stutters` is false, every
 * state also has an implicit stuttering self-loop, whose action atoms are `stutterMask`. A product node is a pair (state,
 * automaton state); its successors pair each step of the state (its edges, then the stutter) with
 * each automaton edge whose guard the letter (state atoms | step atoms) satisfies.
 *
 * A counterexample is a fair accepting strongly connected set of product nodes: for each acceptance
 * set some internal edge belongs to it; for each weakly fair action some node where it is disabled
 * or some internal edge taking it; for each strongly fair action, if it is enabled at some node,
 * some internal edge taking it. A component that fails only a strong-fairness condition still holds
 * fair cycles that avoid the nodes where the action is enabled: those nodes are removed and the rest
 * decomposed again (the Streett emptiness check). Components are found by an iterative Tarjan
 * search; each is then judged on its own, so that judging could be shared among workers.
 */

export interface StateGraph {
  readonly stateCount: number
  /** Words per mask (32 atoms per word). */
  readonly words: number
  /** The initial states' ids, in order. */
  readonly initial: Int32Array
  /** State s's edges are edgeStart[s] .. edgeStart[s+1]-1. */
  readonly edgeStart: Int32Array
  readonly edgeTarget: Int32Array
  /** `words` words per edge: the action atoms that hold on the step. */
  readonly edgeMask: Uint32Array
  /** `words` words per state: the state atoms that hold in it. */
  readonly stateMask: Uint32Array
  /** `words` words per state: the action atoms that hold on its stuttering step. */
  readonly stutterMask: Uint32Array
  /**
   * False when the states have no implicit stuttering step (Promela: a behaviour only stutters
   * where the model itself makes a step that changes nothing). Default true.
   */
  readonly stutters?: boolean
  /**
   * 1 for a state whose steps are unknown (an on-the-fly search stopped before expanding it): it
   * has no steps at all, not even stuttering. Default: every state is expanded.
   */
  readonly open?: Uint8Array
}

export interface ProductAutomaton {
  readonly stateCount: number
  readonly initial: readonly number[]
  readonly edges: readonly (readonly { readonly guard: { readonly pos: readonly number[]; readonly neg: readonly number[] }; readonly to: number; readonly acc: readonly number[] }[])[]
  readonly acceptanceSets: number
}

/** A fairness condition over atom ids: `enabled` a state atom, `taken` an action atom. */
export interface FairnessAtoms {
  readonly strong: boolean
  readonly enabled: number
  readonly taken: number
}

/** A step of a lasso: an edge index, or STUTTER for the state's stuttering step. */
export const STUTTER = -1

/** A fair accepting behaviour: from `start`, the steps; the cycle is steps[loop..], back to the state reached after steps[..loop]. */
export interface GraphLasso {
  readonly start: number
  readonly steps: readonly number[]
  /** The states after each step. */
  readonly states: readonly number[]
  readonly loop: number
}

/**
 * Looks for a fair behaviour the automaton accepts. Cost: linear in the product's edges for the
 * decomposition, plus a re-decomposition per strong-fairness refinement.
 */
export function findFairLasso(graph: StateGraph, automaton: ProductAutomaton, fairness: readonly FairnessAtoms[]): GraphLasso | undefined {
  if (automaton.stateCount === 0 || automaton.initial.length === 0) return undefined
  const product = new Product(graph, automaton)
  const roots: number[] = []
  for (const s of graph.initial) for (const q of automaton.initial) roots.push(product.node(s, q))
  const found = product.search(roots, fairness)
  if (found.size === 0) return undefined
  return product.lasso(roots, found, fairness)
}

/** What a cycle must pass through: an edge of an acceptance set, an edge taking a fair action, a node where it is disabled. */
type Requirement = { readonly kind: 'acc' | 'taken' | 'disabled'; readonly index: number }

class Product {
  readonly Q: number
  readonly size: number
  /** 1 when each state has its stuttering step after its edges, else 0. */
  private readonly stutter: number
  private readonly aut: CompiledAutomaton
  /** The component label of each node (0: not yet decomposed, or removed). */
  readonly label: Int32Array
  private nextLabel = 1
  /** Tarjan's numbering (-1: not visited in the current decomposition), lowlinks and stack marks, per node. */
  private readonly index: Int32Array
  private readonly low: Int32Array
  private readonly onStack: Uint8Array
  private counter = 0

  constructor(
    readonly g: StateGraph,
    readonly a: ProductAutomaton,
  ) {
    this.Q = a.stateCount
    this.size = g.stateCount * this.Q
    this.stutter = g.stutters === false ? 0 : 1
    this.aut = new CompiledAutomaton(a, g.words)
    this.label = new Int32Array(this.size)
    this.index = new Int32Array(this.size).fill(-1)
    this.low = new Int32Array(this.size)
    this.onStack = new Uint8Array(this.size)
  }

  node(s: number, q: number): number {
    return s * this.Q + q
  }

  /** How many (step, automaton edge) pairs node x has; successor k is decoded by `succ`. */
  degree(x: number): number {
    const s = (x / this.Q) | 0
    const q = x - s * this.Q
    if (this.g.open?.[s] === 1) return 0
    return (this.g.edgeStart[s + 1]! - this.g.edgeStart[s]! + this.stutter) * (this.aut.edgeFirst[q + 1]! - this.aut.edgeFirst[q]!)
  }

  /** The step (edge index or STUTTER) of pair k of node x. */
  stepOf(x: number, k: number): number {
    const s = (x / this.Q) | 0
    const q = x - s * this.Q
    const i = (k / (this.aut.edgeFirst[q + 1]! - this.aut.edgeFirst[q]!)) | 0
    const e = this.g.edgeStart[s]! + i
    return e < this.g.edgeStart[s + 1]! ? e : STUTTER
  }

  /** The automaton edge of pair k of node x. */
  autEdgeOf(x: number, k: number): number {
    const s = (x / this.Q) | 0
    const q = x - s * this.Q
    const n = this.aut.edgeFirst[q + 1]! - this.aut.edgeFirst[q]!
    return this.aut.edgeFirst[q]! + (k % n)
  }

  /** The successor node of pair k of node x, or -1 when the guard does not hold. */
  succ(x: number, k: number): number {
    const g = this.g
    const W = g.words
    const s = (x / this.Q) | 0
    const q = x - s * this.Q
    const first = this.aut.edgeFirst[q]!
    const n = this.aut.edgeFirst[q + 1]! - first
    const i = (k / n) | 0
    const j = first + (k - i * n)
    const e = g.edgeStart[s]! + i
    const stutter = e >= g.edgeStart[s + 1]!
    const t = stutter ? s : g.edgeTarget[e]!
    const masks = stutter ? g.stutterMask : g.edgeMask
    const at = stutter ? s * W : e * W
    if (!this.aut.allows(j, g.stateMask, s * W, masks, at)) return -1
    return t * this.Q + this.aut.edgeTo[j]!
  }

  private stateAtom(x: number, atom: number): boolean {
    const s = (x / this.Q) | 0
    return (this.g.stateMask[s * this.g.words + (atom >>> 5)]! & (1 << (atom & 31))) !== 0
  }

  private stepAtom(x: number, step: number, atom: number): boolean {
    const W = this.g.words
    const s = (x / this.Q) | 0
    const bits = step === STUTTER ? this.g.stutterMask[s * W + (atom >>> 5)]! : this.g.edgeMask[step * W + (atom >>> 5)]!
    return (bits & (1 << (atom & 31))) !== 0
  }

  /**
   * The strongly connected components among `roots`' reachable nodes whose label is `within`
   * (iterative Tarjan); each non-trivial one gets a fresh label and is handed to `emit`.
   */
  private decompose(roots: readonly number[], within: number, emit: (nodes: Int32Array, label: number) => boolean): boolean {
    const index = this.index
    const low = this.low
    const onStack = this.onStack
    const stack: number[] = []
    const callNode: number[] = []
    const callNext: number[] = []
    const label = this.label
    const open = (x: number): void => {
      index[x] = this.counter
      low[x] = this.counter
      this.counter++
      stack.push(x)
      onStack[x] = 1
      callNode.push(x)
      callNext.push(0)
    }
    for (const root of roots) {
      if (label[root] !== within || index[root]! >= 0) continue
      open(root)
      while (callNode.length > 0) {
        const top = callNode.length - 1
        const x = callNode[top]!
        const k = callNext[top]!
        if (k < this.degree(x)) {
          callNext[top] = k + 1
          const y = this.succ(x, k)
          if (y < 0 || label[y] !== within) continue
          if (index[y]! < 0) open(y)
          else if (onStack[y] === 1 && index[y]! < low[x]!) low[x] = index[y]!
          continue
        }
        callNode.pop()
        callNext.pop()
        if (callNode.length > 0) {
          const parent = callNode[callNode.length - 1]!
          if (low[x]! < low[parent]!) low[parent] = low[x]!
        }
        if (low[x] !== index[x]) continue
        // x is the root of a component: pop it.
        let from = stack.length - 1
        while (stack[from] !== x) from--
        const nodes = Int32Array.from(stack.slice(from))
        stack.length = from
        const fresh = this.nextLabel++
        for (const y of nodes) {
          onStack[y] = 0
          label[y] = fresh
        }
        if (this.hasCycle(nodes, fresh) && emit(nodes, fresh)) return true
      }
    }
    return false
  }

  private hasCycle(nodes: Int32Array, lab: number): boolean {
    if (nodes.length > 1) return true
    const x = nodes[0]!
    for (let k = 0, d = this.degree(x); k < d; k++) if (this.succ(x, k) === x && this.label[x] === lab) return true
    return false
  }

  /**
   * Decomposes the reachable product and judges each component, refining for strong fairness.
   * Returns the label of a fair accepting component and what its cycle must pass through.
   */
  search(roots: readonly number[], fairness: readonly FairnessAtoms[]): Map<number, Requirement[]> {
    // Every fair component is kept, so that the counterexample can use the nearest one.
    const found = new Map<number, Requirement[]>()
    const pending: { nodes: Int32Array; label: number }[] = []
    const judge = (nodes: Int32Array, lab: number): boolean => {
      const verdict = this.judge(nodes, lab, fairness)
      if (verdict.fair) found.set(lab, verdict.required)
      else if (verdict.keep) {
        // Strong fairness fails here: the nodes where the action is enabled cannot be visited forever.
        const rest = verdict.keep
        for (const y of nodes) if (!rest.has(y)) this.label[y] = 0
        pending.push({ nodes: Int32Array.from(rest), label: lab })
      }
      return false
    }
    // Every node starts with label 0; the first decomposition takes what the roots reach.
    this.decompose(roots, 0, judge)
    while (pending.length > 0) {
      const { nodes, label } = pending.pop()!
      for (const y of nodes) this.index[y] = -1
      this.decompose(Array.from(nodes), label, judge)
    }
    return found
  }

  /** Judges one component: fair and accepting (with what a cycle must visit), or which nodes to keep for a refinement. */
  private judge(nodes: Int32Array, lab: number, fairness: readonly FairnessAtoms[]): { fair: true; required: Requirement[] } | { fair: false; keep?: Set<number> } {
    const sets = this.a.acceptanceSets
    const accWitness: boolean[] = new Array(sets).fill(false)
    const takenWitness: boolean[] = new Array(fairness.length).fill(false)
    const disabledWitness: (number | undefined)[] = new Array(fairness.length).fill(undefined)
    const enabledSomewhere: boolean[] = new Array(fairness.length).fill(false)
    for (const x of nodes) {
      for (let f = 0; f < fairness.length; f++) {
        if (this.stateAtom(x, fairness[f]!.enabled)) enabledSomewhere[f] = true
        else if (disabledWitness[f] === undefined) disabledWitness[f] = x
      }
      for (let k = 0, d = this.degree(x); k < d; k++) {
        const y = this.succ(x, k)
        if (y < 0 || this.label[y] !== lab) continue
        for (let i = 0; i < sets; i++) if (!accWitness[i] && this.inAccSet(x, k, i)) accWitness[i] = true
        for (let f = 0; f < fairness.length; f++) if (!takenWitness[f] && this.stepAtom(x, this.stepOf(x, k), fairness[f]!.taken)) takenWitness[f] = true
      }
    }
    if (accWitness.some((w) => !w)) return { fair: false }
    const required: Requirement[] = accWitness.map((_, i) => ({ kind: 'acc', index: i }))
    const strongFailing: number[] = []
    for (let f = 0; f < fairness.length; f++) {
      if (takenWitness[f]) {
        required.push({ kind: 'taken', index: f })
        continue
      }
      if (!fairness[f]!.strong) {
        if (disabledWitness[f] === undefined) return { fair: false }
        required.push({ kind: 'disabled', index: f })
      } else if (enabledSomewhere[f]) strongFailing.push(f)
    }
    if (strongFailing.length === 0) return { fair: true, required }
    const keep = new Set<number>()
    for (const x of nodes) if (strongFailing.every((f) => !this.stateAtom(x, fairness[f]!.enabled))) keep.add(x)
    return keep.size === 0 ? { fair: false } : { fair: false, keep }
  }

  /**
   * A path from `from` (nodes) over nodes satisfying `allowed` to the nearest node satisfying
   * `goal`, as (node, pair) steps: nearest in the model's steps, since stuttering steps cost
   * nothing (a 0-1 breadth-first search), so that the trace is as short as it can be.
   */
  private path(from: readonly number[], allowed: (y: number) => boolean, goal: (y: number) => boolean): { end: number; steps: { node: number; k: number }[] } | undefined {
    const parent = new Map<number, { node: number; k: number } | null>()
    const dist = new Map<number, number>()
    const done = new Set<number>()
    // A deque as two stacks: `front` is taken first (in reverse), then `back` in order.
    const front: number[] = []
    let back: number[] = []
    let head = 0
    for (const x of from) {
      if (dist.has(x)) continue
      dist.set(x, 0)
      parent.set(x, null)
      back.push(x)
    }
    for (;;) {
      let x: number
      if (front.length > 0) x = front.pop()!
      else if (head < back.length) x = back[head++]!
      else return undefined
      if (done.has(x)) continue
      done.add(x)
      if (goal(x)) {
        const steps: { node: number; k: number }[] = []
        for (let p = parent.get(x); p; p = parent.get(p.node)) steps.push(p)
        return { end: x, steps: steps.reverse() }
      }
      const dx = dist.get(x)!
      for (let k = 0, d = this.degree(x); k < d; k++) {
        const y = this.succ(x, k)
        if (y < 0 || done.has(y) || !allowed(y)) continue
        const w = this.stepOf(x, k) === STUTTER ? 0 : 1
        const dy = dist.get(y)
        if (dy !== undefined && dy <= dx + w) continue
        dist.set(y, dx + w)
        parent.set(y, { node: x, k })
        if (w === 0) front.push(y)
        else {
          if (head > 4096 && head * 2 > back.length) {
            back = back.slice(head)
            head = 0
          }
          back.push(y)
        }
      }
    }
  }

  private inAccSet(x: number, k: number, i: number): boolean {
    return this.aut.inSet(this.autEdgeOf(x, k), i)
  }

  /**
   * The lasso: a shortest prefix to the component, then a cycle in it that goes, requirement by
   * requirement, to the nearest place meeting it (unless the cycle already has), and back.
   */
  lasso(roots: readonly number[], fair: ReadonlyMap<number, readonly Requirement[]>, fairness: readonly FairnessAtoms[]): GraphLasso {
    const prefix = this.path(roots, () => true, (y) => fair.has(this.label[y]!))!
    const entry = prefix.end
    const lab = this.label[entry]!
    const required = fair.get(lab)!
    const inComp = (y: number): boolean => this.label[y] === lab
    const cycle: { node: number; k: number }[] = []
    let at = entry
    /** The internal pair of x meeting r (or -2 when the node itself meets it), else -1. */
    const meets = (r: Requirement, x: number): number => {
      if (r.kind === 'disabled') return this.stateAtom(x, fairness[r.index]!.enabled) ? -1 : -2
      // A self-loop is preferred: the cycle then closes at once.
      let found = -1
      for (let k = 0, d = this.degree(x); k < d; k++) {
        const y = this.succ(x, k)
        if (y < 0 || !inComp(y)) continue
        if (!(r.kind === 'acc' ? this.inAccSet(x, k, r.index) : this.stepAtom(x, this.stepOf(x, k), fairness[r.index]!.taken))) continue
        if (y === x) return k
        if (found < 0) found = k
      }
      return found
    }
    const metBy = (r: Requirement, p: { node: number; k: number }): boolean =>
      r.kind === 'disabled' ? !this.stateAtom(p.node, fairness[r.index]!.enabled) : r.kind === 'acc' ? this.inAccSet(p.node, p.k, r.index) : this.stepAtom(p.node, this.stepOf(p.node, p.k), fairness[r.index]!.taken)
    const take = (k: number): void => {
      cycle.push({ node: at, k })
      at = this.succ(at, k)
    }
    for (const r of required) {
      if (cycle.some((p) => metBy(r, p))) continue
      const p = this.path([at], inComp, (y) => meets(r, y) !== -1)!
      cycle.push(...p.steps)
      at = p.end
      const k = meets(r, at)
      if (k >= 0) take(k)
    }
    if (cycle.length === 0) {
      // Any step inside the component; a self-loop if there is one.
      let any = -1
      for (let k = 0, d = this.degree(at); k < d; k++) {
        const y = this.succ(at, k)
        if (y === at) {
          any = k
          break
        }
        if (any < 0 && y >= 0 && inComp(y)) any = k
      }
      take(any)
    }
    if (at !== entry) cycle.push(...this.path([at], inComp, (y) => y === entry)!.steps)
    const steps: number[] = []
    const states: number[] = []
    const Q = this.Q
    for (const p of [...prefix.steps, ...cycle]) {
      steps.push(this.stepOf(p.node, p.k))
      states.push((this.succ(p.node, p.k) / Q) | 0)
    }
    const first = prefix.steps.length > 0 ? prefix.steps[0]!.node : entry
    return { start: (first / Q) | 0, steps, states, loop: prefix.steps.length }
  }
}

/**
 * An automaton's edges in typed arrays, in order of states: the guard's masks over `words` words
 * of atoms, the target, the acceptance bits.
 */
export class CompiledAutomaton {
  /** State q's edges are edgeFirst[q] .. edgeFirst[q+1]-1. */
  readonly edgeFirst: Int32Array
  readonly edgeTo: Int32Array
  private readonly pos: Uint32Array
  private readonly neg: Uint32Array
  /** `accWords` words per edge: its acceptance sets. */
  readonly acc: Uint32Array
  readonly accWords: number

  constructor(
    a: ProductAutomaton,
    private readonly words: number,
  ) {
    const W = words
    const Q = a.stateCount
    let total = 0
    for (const es of a.edges) total += es.length
    this.edgeFirst = new Int32Array(Q + 1)
    this.edgeTo = new Int32Array(total)
    this.pos = new Uint32Array(total * W)
    this.neg = new Uint32Array(total * W)
    this.accWords = Math.max(1, Math.ceil(a.acceptanceSets / 32))
    this.acc = new Uint32Array(total * this.accWords)
    let k = 0
    for (let q = 0; q < Q; q++) {
      this.edgeFirst[q] = k
      for (const e of a.edges[q]!) {
        this.edgeTo[k] = e.to
        for (const p of e.guard.pos) this.pos[k * W + (p >>> 5)]! |= 1 << (p & 31)
        for (const p of e.guard.neg) this.neg[k * W + (p >>> 5)]! |= 1 << (p & 31)
        for (const j of e.acc) this.acc[k * this.accWords + (j >>> 5)]! |= 1 << (j & 31)
        k++
      }
    }
    this.edgeFirst[Q] = k
  }

  /** Whether edge j's guard holds of the letter: the state atoms at stateMask[sAt..], with the step's atoms at stepMask[at..]. */
  allows(j: number, stateMask: Uint32Array, sAt: number, stepMask: Uint32Array, at: number): boolean {
    const W = this.words
    for (let w = 0; w < W; w++) {
      const l = stateMask[sAt + w]! | stepMask[at + w]!
      const p = this.pos[j * W + w]!
      if ((l & p) !== p || (l & this.neg[j * W + w]!) !== 0) return false
    }
    return true
  }

  /** Whether edge j belongs to acceptance set i. */
  inSet(j: number, i: number): boolean {
    return (this.acc[j * this.accWords + (i >>> 5)]! & (1 << (i & 31))) !== 0
  }
}
