import { guardCovered, guardImplies, guardKey, isSubset, isTrueGuard, mergeGuards, type Guard } from './guard.js'

/**
 * The automaton shape the reductions work on. With `acceptingStates` it is a state-based Büchi
 * automaton (edge `acc` lists are empty); without, a transition-based generalized Büchi automaton whose
 * edges list the acceptance sets (0 … `sets`-1) they belong to, sorted. A run is accepting when it
 * visits an accepting state infinitely often, or, generalized, takes edges of every set infinitely often.
 */
export interface Edge {
  readonly guard: Guard
  readonly to: number
  readonly acc: readonly number[]
}

export interface Automaton {
  readonly states: number
  readonly initial: readonly number[]
  readonly edges: readonly (readonly Edge[])[]
  readonly acceptingStates?: readonly boolean[]
  readonly sets: number
}

/** Above this many states the quadratic simulation is skipped (the other reductions still run). */
const simulationLimit = 400

/**
 * Language-preserving reductions, repeated until nothing changes: unreachable states and states with no
 * accepting future go; edges with the same target merge (`g && p`, `g && !p` become `g`); states that
 * simulate each other directly merge; transitions to a state that a sibling transition's target
 * simulates, under a weaker guard, go ("little brothers", Somenzi and Bloem, Etessami and Holzmann).
 */
export function reduce(a: Automaton): Automaton {
  let cur = a
  for (let round = 0; round < 16; round++) {
    const before = signature(cur)
    cur = pruneUniversal(cur)
    cur = clearTransientAcceptance(cur)
    cur = normalizeEdges(cur)
    cur = trim(cur)
    if (cur.states <= simulationLimit) cur = simulationReduce(cur)
    cur = trim(cur)
    if (signature(cur) === before) break
  }
  return cur
}

function signature(a: Automaton): string {
  return `${a.states}:${a.initial.join(',')}:${a.edges.map((es) => es.map((e) => `${guardKey(e.guard)}>${e.to}#${e.acc.join('.')}`).join(';')).join('|')}:${a.acceptingStates?.map((x) => (x ? 1 : 0)).join('') ?? ''}`
}

function allSets(a: Automaton): number[] {
  return Array.from({ length: a.sets }, (_, i) => i)
}

/**
 * A state with a `true` self-loop that is accepting (or, generalized, in every set) accepts every word;
 * its other edges add nothing and are dropped.
 */
function pruneUniversal(a: Automaton): Automaton {
  const full = allSets(a)
  const edges = a.edges.map((es, s) => {
    const universal = es.some((e) => e.to === s && isTrueGuard(e.guard) && (a.acceptingStates ? a.acceptingStates[s] : isSubset(full, e.acc)))
    return universal ? [{ guard: es.find((e) => e.to === s && isTrueGuard(e.guard))!.guard, to: s, acc: a.acceptingStates ? [] : full }] : es
  })
  return { ...a, edges }
}

/**
 * A state on no cycle is visited at most once by a run, so whether it is accepting does not matter:
 * make it not accepting (this lets more automata be terminal or weak, and more states merge).
 */
function clearTransientAcceptance(a: Automaton): Automaton {
  if (!a.acceptingStates) return a
  const acceptingStates = [...a.acceptingStates]
  for (const comp of sccs(a)) {
    if (comp.length === 1 && !a.edges[comp[0]!]!.some((e) => e.to === comp[0])) acceptingStates[comp[0]!] = false
  }
  return { ...a, acceptingStates }
}

/** Deduplicates edges, merges complementary guards to the same target, drops edges another implies. */
export function normalizeEdges(a: Automaton): Automaton {
  const edges = a.edges.map((es) => {
    let list = dedupeEdges(es)
    for (let changed = true; changed; ) {
      changed = false
      outer: for (let i = 0; i < list.length; i++) {
        for (let j = i + 1; j < list.length; j++) {
          const x = list[i]!
          const y = list[j]!
          if (x.to !== y.to || x.acc.join('.') !== y.acc.join('.')) continue
          const m = mergeGuards(x.guard, y.guard)
          if (m) {
            list = [...list.filter((_, k) => k !== i && k !== j), { guard: m, to: x.to, acc: x.acc }]
            changed = true
            break outer
          }
        }
      }
    }
    // An edge is redundant next to one with the same target, a weaker guard and at least its sets.
    return list.filter((x, i) => !list.some((y, j) => j !== i && y.to === x.to && guardImplies(x.guard, y.guard) && isSubset(x.acc, y.acc) && !(guardImplies(y.guard, x.guard) && isSubset(y.acc, x.acc) && j > i)))
  })
  return { ...a, edges }
}

function dedupeEdges(es: readonly Edge[]): Edge[] {
  const seen = new Set<string>()
  const out: Edge[] = []
  for (const e of es) {
    const k = `${guardKey(e.guard)}>${e.to}#${e.acc.join('.')}`
    if (!seen.has(k)) {
      seen.add(k)
      out.push(e)
    }
  }
  return out
}

/** Keeps the states that are reachable from an initial state and can reach an accepting cycle; renumbers them. */
export function trim(a: Automaton): Automaton {
  const reach = new Array<boolean>(a.states).fill(false)
  const stack = [...a.initial]
  for (const s of stack) reach[s] = true
  while (stack.length > 0) {
    const s = stack.pop()!
    for (const e of a.edges[s]!) {
      if (!reach[e.to]) {
        reach[e.to] = true
        stack.push(e.to)
      }
    }
  }
  const comps = sccs(a)
  const good = new Array<boolean>(a.states).fill(false)
  // Accepting SCCs: for Büchi, a cycle through an accepting state; generalized, internal edges of every set.
  const compGood = comps.map((members) => {
    const inComp = new Set(members)
    const internal = members.flatMap((s) => a.edges[s]!.filter((e) => inComp.has(e.to)))
    if (internal.length === 0) return false
    if (a.acceptingStates) return members.some((s) => a.acceptingStates![s])
    const seen = new Set<number>()
    for (const e of internal) for (const i of e.acc) seen.add(i)
    return seen.size === a.sets
  })
  // Backward closure: a state is live when it can reach a good SCC.
  const rev: number[][] = Array.from({ length: a.states }, () => [])
  a.edges.forEach((es, s) => es.forEach((e) => rev[e.to]!.push(s)))
  const work: number[] = []
  comps.forEach((members, c) => {
    if (compGood[c]) for (const s of members) {
      good[s] = true
      work.push(s)
    }
  })
  while (work.length > 0) {
    const s = work.pop()!
    for (const p of rev[s]!) {
      if (!good[p]) {
        good[p] = true
        work.push(p)
      }
    }
  }
  const keep = reach.map((r, s) => r && good[s]!)
  return renumber(a, keep)
}

function renumber(a: Automaton, keep: readonly boolean[]): Automaton {
  const map = new Array<number>(a.states).fill(-1)
  let n = 0
  for (let s = 0; s < a.states; s++) if (keep[s]) map[s] = n++
  const edges: Edge[][] = []
  const acceptingStates: boolean[] = []
  for (let s = 0; s < a.states; s++) {
    if (!keep[s]) continue
    edges.push(a.edges[s]!.filter((e) => keep[e.to]).map((e) => ({ ...e, to: map[e.to]! })))
    if (a.acceptingStates) acceptingStates.push(a.acceptingStates[s]!)
  }
  const initial = [...new Set(a.initial.filter((s) => keep[s]).map((s) => map[s]!))]
  return { states: n, initial, edges, sets: a.sets, ...(a.acceptingStates ? { acceptingStates } : {}) }
}

/** Strongly connected components (Tarjan), each a list of states; in reverse topological order. */
export function sccs(a: { readonly states: number; readonly edges: readonly (readonly { readonly to: number }[])[] }): number[][] {
  const index = new Array<number>(a.states).fill(-1)
  const low = new Array<number>(a.states).fill(0)
  const onStack = new Array<boolean>(a.states).fill(false)
  const stack: number[] = []
  const out: number[][] = []
  let counter = 0
  // Iterative, with an explicit stack of (state, next edge index), so deep automata do not overflow.
  for (let root = 0; root < a.states; root++) {
    if (index[root] !== -1) continue
    const frames: [number, number][] = [[root, 0]]
    index[root] = low[root] = counter++
    stack.push(root)
    onStack[root] = true
    while (frames.length > 0) {
      const frame = frames[frames.length - 1]!
      const [s, i] = frame
      const es = a.edges[s]!
      if (i < es.length) {
        frame[1] = i + 1
        const t = es[i]!.to
        if (index[t] === -1) {
          index[t] = low[t] = counter++
          stack.push(t)
          onStack[t] = true
          frames.push([t, 0])
        } else if (onStack[t]) low[s] = Math.min(low[s]!, index[t]!)
        continue
      }
      frames.pop()
      if (frames.length > 0) {
        const parent = frames[frames.length - 1]![0]
        low[parent] = Math.min(low[parent]!, low[s]!)
      }
      if (low[s] === index[s]) {
        const comp: number[] = []
        for (;;) {
          const t = stack.pop()!
          onStack[t] = false
          comp.push(t)
          if (t === s) break
        }
        out.push(comp)
      }
    }
  }
  return out
}

/**
 * Direct simulation: `sim[q][r]` when r can match every move of q, letter by letter, into a state that
 * simulates q's target, with at least q's acceptance (state-based: accepting when q is; generalized: the
 * edge is in at least the same sets). The greatest such relation, by refinement.
 */
export function directSimulation(a: Automaton): boolean[][] {
  const n = a.states
  const sim: boolean[][] = Array.from({ length: n }, (_, q) =>
    Array.from({ length: n }, (_, r) => !a.acceptingStates || !a.acceptingStates[q] || a.acceptingStates[r]!),
  )
  for (let changed = true; changed; ) {
    changed = false
    for (let q = 0; q < n; q++) {
      for (let r = 0; r < n; r++) {
        if (q === r || !sim[q]![r]) continue
        const ok = a.edges[q]!.every((e) =>
          guardCovered(e.guard, a.edges[r]!.filter((f) => sim[e.to]![f.to] && isSubset(e.acc, f.acc)).map((f) => f.guard)),
        )
        if (!ok) {
          sim[q]![r] = false
          changed = true
        }
      }
    }
  }
  return sim
}

/**
 * Merges states that simulate each other (keeping the union of their edges), then drops each edge whose
 * target is simulated by the target of a sibling edge with a weaker guard and at least its sets, and each
 * initial state simulated by another.
 */
function simulationReduce(a: Automaton): Automaton {
  const sim = directSimulation(a)
  const n = a.states
  const rep = Array.from({ length: n }, (_, q) => {
    for (let r = 0; r < q; r++) if (sim[q]![r] && sim[r]![q]) return r
    return q
  })
  const classEdges: Edge[][] = Array.from({ length: n }, () => [])
  for (let q = 0; q < n; q++) for (const e of a.edges[q]!) classEdges[rep[q]!]!.push({ ...e, to: rep[e.to]! })
  const below = (x: Edge, y: Edge): boolean =>
    guardImplies(x.guard, y.guard) && sim[x.to]![y.to]! && isSubset(x.acc, y.acc)
  const edges = classEdges.map((es, q) => {
    if (rep[q] !== q) return []
    const list = dedupeEdges(es)
    // After merging, `below` is a partial order on distinct edges; keep the maximal ones.
    return list.filter((x) => !list.some((y) => y !== x && below(x, y) && !below(y, x)))
  })
  const inits = [...new Set(a.initial.map((s) => rep[s]!))]
  const initial = inits.filter((x) => !inits.some((y) => y !== x && sim[x]![y]))
  const keep = Array.from({ length: n }, (_, q) => rep[q] === q)
  return renumber({ ...a, initial, edges }, keep)
}
