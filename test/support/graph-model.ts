import type { Model, StepLabel } from '../../src/core/model.js'
import { TransitionFailure } from '../../src/core/model.js'

/** A tiny explicit graph, for testing the engine without any front end. */
export interface Graph {
  /** Number of nodes: states are 0..nodes-1. */
  readonly nodes: number
  readonly inits: readonly number[]
  /** edges[n] lists n's successors in order; an entry -1 is a disabled action. */
  readonly edges: readonly (readonly number[])[]
  /** Nodes where the invariant `good` fails. */
  readonly bad?: readonly number[]
  /** Terminal nodes that are valid end states (others are deadlocks). When absent, every terminal node deadlocks. */
  readonly validEnd?: readonly number[]
  /** Accepting nodes of a Büchi acceptance property named `live`. */
  readonly accepting?: readonly number[]
  /** `${from}:${index}` of actions that throw: an assertion (`assert`) or a plain Error (`error`). */
  readonly failing?: Readonly<Record<string, 'assert' | 'error'>>
}

export interface GraphModelOptions {
  /** Give the model a decode, so that the breadth-first frontier holds bytes (default true). */
  readonly decode?: boolean
  readonly depthUnit?: 'states' | 'steps'
}

/** The engine model of a graph: a state is a node number, encoded as 4 bytes. */
export function graphModel(g: Graph, options: GraphModelOptions = {}): Model<number, number> {
  const bad = new Set(g.bad ?? [])
  const buf = new Uint8Array(4)
  const view = new DataView(buf.buffer)
  const indexes = g.edges.map((succ) => succ.map((_, i) => i))
  const validEnd = g.validEnd ? new Set(g.validEnd) : undefined
  const accepting = g.accepting ? new Set(g.accepting) : undefined
  const model: Model<number, number> = {
    name: 'graph',
    ...(options.depthUnit ? { depthUnit: options.depthUnit } : {}),
    initStates: () => g.inits,
    actions: (s) => indexes[s] ?? [],
    nextState(s, i) {
      const how = g.failing?.[`${s}:${i}`]
      if (how === 'assert') throw new TransitionFailure('assertion', `edge ${s}:${i}`, `assertion on edge ${s}:${i} failed`)
      if (how === 'error') throw new Error(`edge ${s}:${i} exploded`)
      const t = g.edges[s]![i]!
      return t < 0 ? undefined : t
    },
    properties: () => [
      { kind: 'invariant', name: 'good', holds: (s) => !bad.has(s) },
      ...(accepting ? [{ kind: 'acceptance' as const, name: 'live', violation: 'acceptance-cycle' as const, accepting: (s: number) => accepting.has(s) }] : []),
    ],
    encode(s) {
      view.setUint32(0, s)
      return buf
    },
    ...(options.decode === false ? {} : { decode: (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, 4).getUint32(0) }),
    ...(validEnd ? { endStates: { kind: 'deadlock' as const, isValid: (s: number) => validEnd.has(s) } } : {}),
    label: (s, i): StepLabel => ({ action: `${s}->${g.edges[s]![i]}` }),
    view: (s) => ({ node: s }),
  }
  return model
}

/** Reference answers computed the plain way (a JS Set and an array queue), to compare the engine with. */
export function reachable(g: Graph): { distinct: number; transitions: number; depth: number; dist: Map<number, number> } {
  const dist = new Map<number, number>()
  const queue: number[] = []
  let transitions = 0
  for (const i of g.inits) {
    transitions++
    if (!dist.has(i)) {
      dist.set(i, 1)
      queue.push(i)
    }
  }
  for (let k = 0; k < queue.length; k++) {
    const s = queue[k]!
    for (const t of g.edges[s]!) {
      if (t < 0) continue
      transitions++
      if (!dist.has(t)) {
        dist.set(t, dist.get(s)! + 1)
        queue.push(t)
      }
    }
  }
  return { distinct: dist.size, transitions, depth: Math.max(0, ...dist.values()), dist }
}

/** Whether some reachable accepting node lies on a cycle: the plain reference for nested DFS. */
export function hasAcceptingCycle(g: Graph): boolean {
  const reach = reachable(g).dist
  const succ = (n: number): number[] => g.edges[n]!.filter((t) => t >= 0)
  for (const a of g.accepting ?? []) {
    if (!reach.has(a)) continue
    const seen = new Set<number>()
    const stack = succ(a)
    while (stack.length > 0) {
      const n = stack.pop()!
      if (n === a) return true
      if (seen.has(n)) continue
      seen.add(n)
      stack.push(...succ(n))
    }
  }
  return false
}
