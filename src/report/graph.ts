/**
 * The reachable state graph of a small model, for `--dot` (Graphviz) and `--graph-json`: every
 * state with its view, every step with its label. Built by its own breadth-first pass that keeps
 * whole states, so it is for small models only; past the limit it stops and says so.
 */
import type { Model } from '../core/model.js'
import { formatValue } from '../trace/format.js'
import { toItfValue, type ItfValue } from '../trace/itf.js'

export interface GraphNode {
  readonly id: number
  readonly initial: boolean
  /** The state's variables as ITF values (control locations `@…` included). */
  readonly view: Readonly<Record<string, ItfValue>>
  /** The invariants the state violates. */
  readonly violates?: readonly string[]
}

export interface GraphEdge {
  readonly from: number
  readonly to: number
  readonly action: string
  readonly process?: string
}

export interface StateGraph {
  readonly nodes: readonly GraphNode[]
  readonly edges: readonly GraphEdge[]
}

export type GraphResult = { readonly graph: StateGraph } | { readonly tooLarge: number }

/** Explores at most `limit` states; `{ tooLarge: limit }` when there are more. */
export function buildStateGraph<S, A>(model: Model<S, A>, limit: number): GraphResult {
  const ids = new Map<string, number>()
  const states: S[] = []
  const nodes: GraphNode[] = []
  const edges: GraphEdge[] = []
  const invariants = model.properties().filter((p) => p.kind === 'invariant')
  const add = (s: S, initial: boolean): number | undefined => {
    const key = keyOf(model.encode(s))
    const known = ids.get(key)
    if (known !== undefined) return known
    if (states.length >= limit) return undefined
    const id = states.length
    ids.set(key, id)
    states.push(s)
    const view = model.view(s)
    const violates = invariants.filter((p) => !safely(() => p.holds(s))).map((p) => p.name)
    nodes.push({ id, initial, view: Object.fromEntries(Object.keys(view).map((k) => [k, toItfValue(view[k])])), ...(violates.length > 0 ? { violates } : {}) })
    return id
  }
  for (const s of model.initStates()) {
    if (model.within && !model.within(undefined, s)) continue
    if (add(s, true) === undefined) return { tooLarge: limit }
  }
  for (let i = 0; i < states.length; i++) {
    const s = states[i]!
    for (const a of model.actions(s)) {
      let t: S | undefined
      try {
        t = model.nextState(s, a)
      } catch {
        continue // a failing step leads to no state
      }
      if (t === undefined || (model.within && !model.within(s, t))) continue
      const to = add(t, false)
      if (to === undefined) return { tooLarge: limit }
      const label = model.label(s, a)
      edges.push({ from: i, to, action: label.action, ...(label.process ? { process: label.process } : {}) })
    }
  }
  return { graph: { nodes, edges } }
}

/** The graph in Graphviz's dot language: a node per state (its variables), an edge per step. */
export function renderDot(graph: StateGraph, name: string): string {
  const q = (s: string): string => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\l')}"`
  const lines = [`digraph ${q(name)} {`, '  node [shape=box, fontname="monospace", fontsize=10];', '  edge [fontname="sans-serif", fontsize=9];']
  for (const n of graph.nodes) {
    const text = Object.entries(n.view)
      .filter(([k]) => !k.startsWith('@'))
      .map(([k, v]) => `${k} = ${formatValue(fromItf(v))}`)
      .join('\n')
    const style = [n.initial ? 'penwidth=2' : '', n.violates ? 'style=filled, fillcolor="#fde2e1", color="#c62828"' : ''].filter(Boolean).join(', ')
    lines.push(`  s${n.id} [label=${q(`${text}\n`)}${style ? `, ${style}` : ''}];`)
  }
  for (const e of graph.edges) lines.push(`  s${e.from} -> s${e.to} [label=${q(e.process ? `${e.process}: ${e.action}` : e.action)}];`)
  lines.push('}')
  return `${lines.join('\n')}\n`
}

function keyOf(bytes: Uint8Array): string {
  let s = ''
  for (let i = 0; i < bytes.length; i += 4096) s += String.fromCharCode(...bytes.subarray(i, i + 4096))
  return s
}

function safely(f: () => boolean): boolean {
  try {
    return f()
  } catch {
    return false
  }
}

/** ITF back to plain values, for labels only. */
function fromItf(v: ItfValue): unknown {
  if (Array.isArray(v)) return v.map(fromItf)
  if (v !== null && typeof v === 'object') {
    if ('#bigint' in v) return Number((v as { '#bigint': string })['#bigint'])
    if ('#set' in v) return new Set((v as { '#set': ItfValue[] })['#set'].map(fromItf))
    if ('#map' in v) return new Map((v as { '#map': [ItfValue, ItfValue][] })['#map'].map(([k, e]) => [fromItf(k), fromItf(e)]))
    if ('#unserializable' in v) return (v as { '#unserializable': string })['#unserializable']
    return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, fromItf(e as ItfValue)]))
  }
  return v
}
