import { Fingerprinter } from '../../core/store/fingerprint.js'
import { FingerprintSet } from '../../core/store/seen-set.js'
import type { Location, Transition } from './cfg.js'
import type { PmlStep, Program, PromelaModel } from './model.js'
import type { ProcSym, Symbols } from './symbols.js'
import { walk } from './walk.js'

/**
 * Partial-order reduction for Promela safety checks (assertions, invalid end states, deadlocks),
 * in the manner of pan's: a process whose every statement at its current location is *safe* (it
 * reads and writes only the process's own local variables, so no other process can enable,
 * disable or observe it) may move alone from a state, as any interleaving of its step with other
 * processes' steps reaches the same states.
 *
 * The ample set of a state is every enabled step of the first such process (highest pid first, as
 * pan tries them), or every step of every process when there is none. The cycle proviso is one
 * that holds for any search order (depth-first, breadth-first, nested): a state is reduced only
 * when no ample successor is itself a state that was reduced before (nor the state itself). In
 * any cycle of the reduced graph, the state reduced last would have met such a successor, so every
 * cycle holds a fully expanded state and no process's step is postponed forever. The set of
 * reduced states (their fingerprints) also makes the decision the same each time a state is
 * expanded again (trace reconstruction, a second search), so the reduced graph is fixed.
 *
 * Statements that are never safe: channel operations (weft does not trust `xr`/`xs` declarations,
 * which its parser drops), `run`, a process's removal, anything inside an atomic sequence or
 * keeping atomic control, `timeout`, `_nr_pr`, `_priority`, remote references, `enabled`,
 * `pc_value`, embedded C, and any statement the flow graph made without a source statement.
 */

/** Which statements are safe, as found once per model. */
export interface Independence {
  /** By transition id: 1 when the transition is safe at every location that offers it. */
  readonly safe: Uint8Array
  /** How many process locations (of those that offer a step) have only safe steps. */
  readonly safeLocations: number
  readonly locations: number
  /** Why the model as a whole rules reduction out, when it does. */
  readonly off?: string
}

/** Finds the safe statements of a model's proctypes (never claims are not part of the system). */
export function independence(program: Program): Independence {
  const { symbols, graphs } = program
  let ids = 0
  for (const g of graphs) for (const l of g.locations) for (const t of [...l.trans, ...l.escapes]) ids = Math.max(ids, t.id + 1)
  const safe = new Uint8Array(ids)
  const off = modelWideObstacle(program)
  const watched = remotelyWatched(program)
  let safeLocations = 0
  let locations = 0
  if (off === undefined) {
    const seen = new Uint8Array(ids)
    for (const g of graphs) {
      const proc = g.proc
      const procOk = !watched.has(proc.name) && !(proc.decl.kind === 'proctype' && proc.decl.provided)
      for (const loc of g.locations) {
        const all = [...loc.trans, ...loc.escapes]
        if (all.length === 0) continue
        locations++
        const ok = procOk && safeLocation(loc, all, proc, symbols)
        if (ok) safeLocations++
        for (const t of all) {
          safe[t.id] = seen[t.id] === 0 ? (ok ? 1 : 0) : safe[t.id]! & (ok ? 1 : 0)
          seen[t.id] = 1
        }
      }
    }
  }
  return { safe, safeLocations, locations, ...(off === undefined ? {} : { off }) }
}

/** What makes every step of every process depend on the others', if anything. */
function modelWideObstacle(program: Program): string | undefined {
  if (program.layout.hasPriority) return 'the model uses priorities'
  if (program.layout.hasLast) return "the model reads '_last'"
  let found: string | undefined
  for (const p of program.symbols.procs) {
    walk(p.decl, (n) => {
      if (n.kind === 'call' && (n['fn'] === 'enabled' || n['fn'] === 'pc_value')) found ??= `the model uses '${String(n['fn'])}'`
      if (n.kind === 'builtin' && n['name'] === 'np_') found ??= "the model reads 'np_'"
    })
  }
  return found
}

/** The proctypes whose locals or labels some process reads from outside (`P[i]:x`, `P@label`). */
function remotelyWatched(program: Program): Set<string> {
  const out = new Set<string>()
  for (const p of program.symbols.procs) {
    walk(p.decl, (n) => {
      if (n.kind === 'remoteVar' || n.kind === 'remoteLabel') out.add(String(n['proctype']))
    })
  }
  return out
}

/** A location where the process may move alone: outside atomic sequences, not its end, every step safe. */
function safeLocation(loc: Location, all: readonly Transition[], proc: ProcSym, symbols: Symbols): boolean {
  if (loc.isEnd || loc.atomic >= 0) return false
  return all.every((t) => safeTransition(t, proc, symbols))
}

/** Node kinds a safe statement may contain, besides references to the process's own locals. */
const LOCAL_KINDS = new Set([
  'number', 'bool', 'binary', 'unary', 'cond',
  'assign', 'incr', 'decr', 'exprStmt', 'assert', 'printf', 'printm', 'skip', 'goto', 'break', 'else',
  'if', 'do', 'block', 'dStep', 'sequence', 'step', 'decl', 'varDecl', 'type', 'for', 'select',
])

/**
 * Whether a statement touches only its process's locals: no global, no channel, no process
 * creation, no builtin but `_pid`, no remote reference. Conservative: anything unknown is unsafe.
 */
export function safeTransition(t: Transition, proc: ProcSym, symbols: Symbols): boolean {
  if (t.kind === 'send' || t.kind === 'receive' || t.kind === 'run' || t.kind === 'end') return false
  if (t.atomic >= 0 || t.keepsControl || t.source === undefined) return false
  if (t.kind === 'else' && !(t.siblings ?? []).every((s) => s.kind !== 'else' && safeTransition(s, proc, symbols))) return false
  let ok = true
  walk(t.source, (n) => {
    if (!ok) return
    if (n.kind === 'ref') {
      const name = String(n['name'])
      ok = proc.locals.has(name) || (symbols.mtypes.has(name) && !symbols.globals.has(name))
    } else if (n.kind === 'builtin') {
      ok = n['name'] === '_pid'
    } else {
      ok = LOCAL_KINDS.has(n.kind)
    }
  })
  return ok
}

/** What a reduced search did, for its report. */
export interface ReductionInfo {
  readonly independence: Independence
  /** States expanded with their ample set only. */
  reducedStates(): number
}

/**
 * The model with partial-order reduction: the same actions in the same order (so ChoicePaths and
 * traces replay on the model without reduction), of which only the ample set is enabled. A
 * prototype wrapper, so that it is still the Promela model for reports. Breadth-first search then
 * takes it action by action (it has no `successorsEncoded`). For one thread only: the proviso's
 * set of reduced states belongs to this object.
 */
export function reduceModel(model: PromelaModel): PromelaModel & { readonly reduction: ReductionInfo } {
  const ind = independence(model.program)
  const reduced = new FingerprintSet()
  const fp = new Fingerprinter()
  const safe = ind.safe
  let decidedFor: Int32Array | undefined
  let decidedPid = -1
  /**
   * Decisions of states whose steps the search may still take (a depth-first stack's), by identity:
   * the engine never changes a state it holds, and `actions` decides afresh for every state it is given.
   */
  const decided = new WeakMap<Int32Array, number>()

  /** The process whose steps form the ample set of `v`, or -1 for all of them. */
  const decide = (v: Int32Array, steps: readonly PmlStep[]): number => {
    const candidate = firstSafeProcess(steps, safe)
    if (candidate < 0) return -1
    fp.digest(model.encode(v))
    const hi = fp.hi
    const lo = fp.lo
    if (reduced.has(hi, lo)) return candidate
    for (const step of steps) {
      if (step.moves[0]!.pid !== candidate) continue
      let bytes: Uint8Array | undefined
      try {
        bytes = model.nextEncoded(v, step)
      } catch {
        // A failing step is reported by the search; without a successor to judge, expand fully.
        return -1
      }
      if (bytes === undefined) return -1
      fp.digest(bytes)
      if ((fp.hi === hi && fp.lo === lo) || reduced.has(fp.hi, fp.lo)) return -1
    }
    reduced.add(hi, lo)
    return candidate
  }
  const pidFor = (v: Int32Array): number => {
    if (v !== decidedFor) {
      decidedPid = decided.get(v) ?? decide(v, model.actions(v))
      decidedFor = v
    }
    return decidedPid
  }

  const wrapper = Object.create(model) as PromelaModel & { reduction: ReductionInfo }
  Object.assign(wrapper, {
    reduction: { independence: ind, reducedStates: () => reduced.size },
    // The batch path would bypass the ample set.
    successorsEncoded: undefined,
    successorsEncodedFor: undefined,
    // The model's own `release` would forget its caches on this wrapper, not on the model that fills them.
    release: undefined,
    actions(v: Int32Array): readonly PmlStep[] {
      const steps = model.actions(v)
      decidedPid = ind.off === undefined ? decide(v, steps) : -1
      decidedFor = v
      decided.set(v, decidedPid)
      return steps
    },
    nextState(v: Int32Array, step: PmlStep): Int32Array | undefined {
      const pid = pidFor(v)
      return pid >= 0 && step.moves[0]!.pid !== pid ? undefined : model.nextState(v, step)
    },
    nextEncoded(v: Int32Array, step: PmlStep): Uint8Array | undefined {
      const pid = pidFor(v)
      return pid >= 0 && step.moves[0]!.pid !== pid ? undefined : model.nextEncoded(v, step)
    },
  })
  return wrapper
}

/**
 * The first process (in the steps' order, highest pid first) whose enabled steps are all safe
 * single moves of the first pass (not `timeout`'s): its location offers only safe steps, so all
 * of them are here. -1 when there is none.
 */
function firstSafeProcess(steps: readonly PmlStep[], safe: Uint8Array): number {
  let i = 0
  while (i < steps.length) {
    const pid = steps[i]!.moves[0]!.pid
    let ok = true
    for (; i < steps.length && steps[i]!.moves[0]!.pid === pid; i++) {
      const s = steps[i]!
      if (!s.single || s.timeout === true || safe[s.moves[0]!.t.id] !== 1) ok = false
    }
    if (ok) return pid
  }
  return -1
}
