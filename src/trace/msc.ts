/**
 * The layout of a sequence diagram (a message sequence chart) for a trace: one lifeline per
 * process, one row per step with a box on the lifeline of the process that took it, and an arrow
 * for each channel message from its send to its receive (a rendezvous is one row; a buffered
 * message goes down from the row that sent it to the row that received it). A pure function of the
 * trace: rendering (SVG) is the report's.
 */
import type { MessageEvent, Model } from '../core/model.js'
import type { Path } from '../core/path.js'
import type { SourceLookup } from '../diag/render.js'
import { stepLocation } from './location.js'

export interface MscLifeline {
  readonly name: string
}

export interface MscStep {
  /** The state this step leads to, counted from 1 as text traces count (`State 2` is step 1's). */
  readonly state: number
  readonly lifeline: number
  readonly action: string
  /** `file:line:col`, when the step has a source location. */
  readonly location?: string
  /** The step that broke the property (the last one, or the failing step after it). */
  readonly violating: boolean
  /** A step that fails (an assertion): it has no next state. */
  readonly failing: boolean
  /** Inside the cycle of a lasso. */
  readonly inCycle: boolean
}

export interface MscArrow {
  /** Rows, indices into `steps`; `from` is -1 for a message already in the channel at the start. */
  readonly from: number
  /** -1 for a message still in the channel at the end. */
  readonly to: number
  readonly fromLifeline: number
  readonly toLifeline: number
  readonly channel: string
  readonly message: string
  readonly rendezvous: boolean
}

export interface Msc {
  readonly lifelines: readonly MscLifeline[]
  readonly steps: readonly MscStep[]
  readonly arrows: readonly MscArrow[]
  /** For a lasso: the first row inside the cycle. */
  readonly cycleStart?: number
  /** For a lasso: the state (from 1) the last step returns to. */
  readonly cycleState?: number
}

export interface MscOptions {
  readonly sources?: SourceLookup
  /** For a lasso: the index (from 0) of the state where the cycle starts. */
  readonly loop?: number
  /** Whether the trace is a counterexample: its last step (or failing step) is then the violating one. */
  readonly violation?: boolean
}

/** The lifeline for steps that name no process (an action of the whole system). */
export const SYSTEM_LIFELINE = 'system'

/** Lays out the sequence diagram of a path. */
export function layoutMsc<S, A>(model: Model<S, A>, path: Path<S, A>, options: MscOptions = {}): Msc {
  const sources = options.sources ?? (() => undefined)
  const lifelineIndex = new Map<string, number>()
  const names: string[] = []
  const lifeline = (name: string): number => {
    let i = lifelineIndex.get(name)
    if (i === undefined) {
      i = names.length
      names.push(name)
      lifelineIndex.set(name, i)
    }
    return i
  }
  interface Raw {
    readonly process: string
    readonly action: string
    readonly location?: string
    readonly failing: boolean
    readonly events: readonly MessageEvent[]
  }
  const raw: Raw[] = []
  // The state each row leads to (from 1); a monitor's step (a never claim's) gets no row.
  const stateOf: number[] = []
  let prev = path.init
  const take = (from: S, action: A, failing: boolean, state: number): void => {
    const label = model.label(from, action)
    if (label.monitor) return
    const events = model.messages?.(from, action) ?? []
    raw.push({ process: label.process ?? SYSTEM_LIFELINE, action: label.action, ...(label.span || label.at ? { location: stepLocation(label, sources)! } : {}), failing, events })
    stateOf.push(state)
  }
  path.steps.forEach((step, i) => {
    take(prev, step.action, false, i + 2)
    prev = step.state
  })
  if (path.failing) take(prev, path.failing.action, true, path.steps.length + 2)

  // Lifelines in the order processes first appear, either taking a step or receiving; processes
  // named `Name(pid)` (Promela) in pid order, as SPIN draws them.
  for (const r of raw) {
    lifeline(r.process)
    for (const e of r.events) lifeline(e.process)
  }
  const order = orderLifelines(names)
  const remap = new Map(order.map((name, i) => [name, i]))
  const at = (name: string): number => remap.get(name)!

  const last = raw.length - 1
  // A lasso's cycle starts at the first row whose state is in it (states from 1; the loop index from 0).
  const firstInCycle = options.loop === undefined ? -1 : stateOf.findIndex((s) => s >= options.loop! + 2)
  const cycleStart = options.loop === undefined ? undefined : firstInCycle < 0 ? raw.length : firstInCycle
  const steps: MscStep[] = raw.map((r, i) => ({
    state: stateOf[i]!,
    lifeline: at(r.process),
    action: r.action,
    ...(r.location ? { location: r.location } : {}),
    violating: options.violation === true && i === last,
    failing: r.failing,
    inCycle: cycleStart !== undefined && i >= cycleStart,
  }))

  const arrows: MscArrow[] = []
  // Buffered messages in flight, per channel, in the order they were sent.
  const inFlight = new Map<string, { row: number; lifeline: number; message: string }[]>()
  raw.forEach((r, row) => {
    let offered: MessageEvent | undefined
    for (const e of r.events) {
      if (e.kind === 'send' && e.rendezvous) {
        offered = e
      } else if (e.kind === 'receive' && e.rendezvous) {
        const from = offered ?? e
        arrows.push({ from: row, to: row, fromLifeline: at(from.process), toLifeline: at(e.process), channel: e.channel, message: e.message, rendezvous: true })
        offered = undefined
      } else if (e.kind === 'send') {
        const queue = inFlight.get(e.channel) ?? []
        queue.push({ row, lifeline: at(e.process), message: e.message })
        inFlight.set(e.channel, queue)
      } else {
        const queue = inFlight.get(e.channel) ?? []
        // FIFO, except for a random or sorted receive: then the first message with these fields.
        const k = queue.length > 0 && queue[0]!.message === e.message ? 0 : queue.findIndex((m) => m.message === e.message)
        if (k < 0) {
          arrows.push({ from: -1, to: row, fromLifeline: at(e.process), toLifeline: at(e.process), channel: e.channel, message: e.message, rendezvous: false })
          continue
        }
        const sent = queue.splice(k, 1)[0]!
        arrows.push({ from: sent.row, to: row, fromLifeline: sent.lifeline, toLifeline: at(e.process), channel: e.channel, message: e.message, rendezvous: false })
      }
    }
  })
  for (const [channel, queue] of inFlight) {
    for (const m of queue) arrows.push({ from: m.row, to: -1, fromLifeline: m.lifeline, toLifeline: m.lifeline, channel, message: m.message, rendezvous: false })
  }
  arrows.sort((a, b) => a.from - b.from || a.to - b.to)
  return { lifelines: order.map((name) => ({ name })), steps, arrows, ...(cycleStart === undefined ? {} : { cycleStart, cycleState: options.loop! + 1 }) }
}

/** Processes named `Name(pid)` by pid; other names keep their order, after them. */
function orderLifelines(names: readonly string[]): string[] {
  const pid = (n: string): number | undefined => {
    const m = /\((\d+)\)$/.exec(n)
    return m ? Number(m[1]) : undefined
  }
  return names
    .map((name, i) => ({ name, i, pid: pid(name) }))
    .sort((a, b) => (a.pid !== undefined && b.pid !== undefined ? a.pid - b.pid : a.pid !== undefined ? -1 : b.pid !== undefined ? 1 : a.i - b.i))
    .map((x) => x.name)
}
