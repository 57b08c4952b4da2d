/**
 * The channel messages of a Promela step, for sequence diagrams: each send and receive with its
 * channel, its process and its fields. The step's moves are replayed on a copy of the state, so a
 * message sent late in an atomic sequence carries the values the statements before it set.
 * Called only when rendering a trace, never in the search loop.
 */
import type { MessageEvent } from '../../core/model.js'
import type { Program } from './model.js'
import { replayMoves, type StepMoves } from './moves.js'
import { slotsOf, type Scalar, type VType } from './types.js'
import { Exec } from './vector.js'

/** The messages `step` sends and receives from state `v`, in the order its moves take them. */
export function stepMessages(program: Program, v: Int32Array, step: StepMoves): MessageEvent[] {
  const x0 = new Exec(program.layout)
  x0.load(v)
  const names = channelNames(program, x0)
  const chanName = (id: number): string => names.get(id) ?? `chan ${id}`
  const out: MessageEvent[] = []
  const event =
    (kind: 'send' | 'receive') =>
    (x: Exec, pid: number, chan: number, message: readonly number[], rendezvous: boolean): void =>
      void out.push({ kind, channel: chanName(chan), process: processNameOf(program, x, pid), message: message.join(','), rendezvous })
  try {
    replayMoves(program, v, step, { send: event('send'), receive: event('receive') })
  } catch {
    // A failing move ends the step; the messages before it stand.
  }
  return out
}

/** Channel id -> the first variable (global, then each process's locals) that holds it. */
export function channelNames(program: Program, x: Exec): Map<number, string> {
  const names = new Map<number, string>()
  forEachVariable(program, x, (name, at, scalar) => {
    if (scalar.kind === 'chan' && x.v[at]! > 0 && !names.has(x.v[at]!)) names.set(x.v[at]!, name)
  })
  return names
}

/**
 * Every scalar of the state loaded in `x` by SPIN's name (`g`, `a[1]`, `s.f`, `Enactor(1):plan`)
 * with its slot: the globals, then each process's locals from pid 0 up.
 */
export function forEachVariable(program: Program, x: Exec, fn: (name: string, at: number, scalar: Scalar) => void): void {
  const visit = (name: string, at: number, t: VType): void => {
    switch (t.kind) {
      case 'scalar':
        fn(name, at, t.scalar)
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
}

/** A process as traces name it: `Enactor(1)`, `init(0)`. */
export function processNameOf(program: Program, x: Exec, pid: number): string {
  const name = program.symbols.procs[x.proctype(pid)]!.name
  return `${name === ':init:' ? 'init' : name}(${pid})`
}
