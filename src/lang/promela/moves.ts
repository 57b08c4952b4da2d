/**
 * Replaying a step's moves, one statement at a time, on a copy of the state: what sequence diagrams
 * (the messages) and text traces (the values after each statement) need to see inside a step that
 * the search takes whole (an atomic sequence, a rendezvous, a d_step). Called only when rendering a
 * trace, never in the search loop.
 */
import { runDstep, type Transition } from './cfg.js'
import type { Program } from './model.js'
import { Exec } from './vector.js'

export interface StepMoves {
  readonly moves: readonly { readonly pid: number; readonly t: Transition }[]
}

/** What a replay reports, in the order the statements run. */
export interface MoveHooks {
  /** Before each statement: a move (`inner` false) or a statement inside a d_step (`inner` true). */
  begin?(pid: number, t: Transition, index: number, inner: boolean): void
  /** A send, before it takes effect: the channel id and the message's fields. */
  send?(x: Exec, pid: number, chan: number, message: readonly number[], rendezvous: boolean): void
  /** A receive, before it takes effect: the channel id and the message it takes. */
  receive?(x: Exec, pid: number, chan: number, message: readonly number[], rendezvous: boolean): void
  /**
   * After each statement has taken effect: a move (`inner` false), or a statement inside a d_step
   * (`inner` true; the d_step's own call follows its statements). `index` is the move's index.
   * Process removal (`-end-`) is reported before it takes effect: it changes the vector's layout,
   * and nothing follows it in a step.
   */
  statement?(x: Exec, pid: number, t: Transition, index: number, inner: boolean): void
}

/**
 * Replays `step`'s moves from state `v` on a copy, reporting each statement to `hooks`. Throws what
 * a failing move throws (the statements before it have been reported).
 */
export function replayMoves(program: Program, v: Int32Array, step: StepMoves, hooks: MoveHooks): void {
  const x = new Exec(program.layout)
  x.load(v.slice())
  let offered: readonly number[] | undefined
  const run = (pid: number, t: Transition, index: number, inner: boolean): void => {
    hooks.begin?.(pid, t, index, inner)
    x.as(pid)
    switch (t.kind) {
      case 'send': {
        const id = t.chan!(x)
        const message = t.message!(x)
        const rendezvous = x.chanType(x.chan(id, t.span)).capacity === 0
        hooks.send?.(x, pid, id, message, rendezvous)
        if (rendezvous) offered = message
        else t.effect(x)
        break
      }
      case 'receive': {
        const id = t.matcher!.chan(x)
        const off = x.chan(id, t.span)
        if (x.chanType(off).capacity === 0 && offered) {
          hooks.receive?.(x, pid, id, offered, true)
          t.matcher!.assignValues(x, offered)
          offered = undefined
          break
        }
        const m = t.matcher!.find(x)
        const width = x.chanType(off).fields.length
        hooks.receive?.(x, pid, id, m < 0 ? [] : Array.from(x.v.subarray(off + 2 + m * width, off + 2 + (m + 1) * width)), false)
        t.effect(x)
        break
      }
      case 'dStep':
        runDstep(x, program.graphs[x.proctype(pid)]!, t, (_y, u) => run(pid, u, index, true))
        x.as(pid)
        break
      case 'end':
        hooks.statement?.(x, pid, t, index, inner)
        return
      default:
        t.effect(x)
    }
    if (!inner) x.v[x.procOff[pid]! + 1] = t.to
    hooks.statement?.(x, pid, t, index, inner)
  }
  step.moves.forEach((m, i) => run(m.pid, m.t, i, false))
}
