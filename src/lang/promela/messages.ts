/**
 * The channel messages of a Promela step, for sequence diagrams: each send and receive with its
 * channel, its process and its fields. The step's moves are replayed on a copy of the state, so a
 * message sent late in an atomic sequence carries the values the statements before it set.
 * Called only when rendering a trace, never in the search loop.
 */
import type { MessageEvent } from '../../core/model.js'
import { runDstep, type Transition } from './cfg.js'
import type { Program } from './model.js'
import { slotsOf, type VType } from './types.js'
import { Exec } from './vector.js'

export interface StepMoves {
  readonly moves: readonly { readonly pid: number; readonly t: Transition }[]
}

/** The messages `step` sends and receives from state `v`, in the order its moves take them. */
export function stepMessages(program: Program, v: Int32Array, step: StepMoves): MessageEvent[] {
  const processName = (x: Exec, pid: number): string => processNameOf(program, x, pid)
  const x = new Exec(program.layout)
  x.load(v.slice())
  const names = channelNames(program, x)
  const chanName = (id: number): string => names.get(id) ?? `chan ${id}`
  const out: MessageEvent[] = []
  let offered: { chan: number; message: number[] } | undefined
  const record = (pid: number, t: Transition): void => {
    x.as(pid)
    if (t.kind === 'send') {
      const id = t.chan!(x)
      const message = t.message!(x)
      const rendezvous = x.chanType(x.chan(id, t.span)).capacity === 0
      out.push({ kind: 'send', channel: chanName(id), process: processName(x, pid), message: message.join(','), rendezvous })
      if (rendezvous) offered = { chan: id, message }
      else t.effect(x)
      return
    }
    if (t.kind === 'receive') {
      const id = t.matcher!.chan(x)
      const off = x.chan(id, t.span)
      if (x.chanType(off).capacity === 0 && offered) {
        out.push({ kind: 'receive', channel: chanName(id), process: processName(x, pid), message: offered.message.join(','), rendezvous: true })
        t.matcher!.assignValues(x, offered.message)
        offered = undefined
        return
      }
      const m = t.matcher!.find(x)
      const width = x.chanType(off).fields.length
      const message = m < 0 ? [] : Array.from(x.v.subarray(off + 2 + m * width, off + 2 + (m + 1) * width))
      out.push({ kind: 'receive', channel: chanName(id), process: processName(x, pid), message: message.join(','), rendezvous: false })
      t.effect(x)
      return
    }
    if (t.kind === 'dStep') {
      runDstep(x, program.graphs[x.proctype(pid)]!, t, (_y, u) => record(pid, u))
      return
    }
    // Process removal changes the layout; nothing after it in the step sends.
    if (t.kind !== 'end') t.effect(x)
  }
  try {
    for (const m of step.moves) {
      record(m.pid, m.t)
      x.v[x.procOff[m.pid]! + 1] = m.t.to
    }
  } catch {
    // A failing move ends the step; the messages before it stand.
  }
  return out
}

/** Channel id -> the first variable (global, then each process's locals) that holds it. */
function channelNames(program: Program, x: Exec): Map<number, string> {
  const names = new Map<number, string>()
  const visit = (name: string, at: number, t: VType): void => {
    switch (t.kind) {
      case 'scalar':
        if (t.scalar.kind === 'chan' && x.v[at]! > 0 && !names.has(x.v[at]!)) names.set(x.v[at]!, name)
        return
      case 'array': {
        const size = slotsOf(t.elem)
        for (let i = 0; i < t.length; i++) visit(`${name}[${i}]`, at + i * size, t.elem)
        return
      }
      case 'struct':
        for (const f of t.fields.values()) visit(`${name}.${f.name}`, at + f.offset, f.type)
    }
  }
  const p = program
  for (const g of p.symbols.globalOrder) visit(g.name, p.layout.globalsStart + g.offset, g.type)
  for (let pid = 0; pid < x.nprocs; pid++) {
    const sym = p.symbols.procs[x.proctype(pid)]!
    const who = processNameOf(p, x, pid)
    const base = x.procOff[pid]! + p.layout.procHeader
    for (const l of sym.locals.values()) visit(`${who}:${l.name}`, base + l.offset, l.type)
  }
  return names
}

/** A process as traces name it: `Enactor(1)`, `init(0)`. */
export function processNameOf(program: Program, x: Exec, pid: number): string {
  const name = program.symbols.procs[x.proctype(pid)]!.name
  return `${name === ':init:' ? 'init' : name}(${pid})`
}
