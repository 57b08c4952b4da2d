import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { explore } from '../../core/check.js'
import { renderDiagnostics } from '../../diag/render.js'
import { randomPromela } from '../../../test/support/promela-fuzz.js'
import type { Transition } from './cfg.js'
import { loadPromela } from './load.js'
import type { PromelaModel } from './model.js'
import { Exec } from './vector.js'

type Collector = (x: Exec, pid: number, pids: number[], ts: Transition[], rdv: number[], partners: unknown[] | undefined, n: number) => number

/** The model's two ways to find a process's moves and run a move: the generated code and the reference walk over the flow graph. */
interface Paths {
  readonly generated: Collector
  readonly reference: Collector
  readonly generatedEffect: (x: Exec, pid: number, t: Transition) => void
}

function load(text: string): PromelaModel {
  const loaded = loadPromela({ file: 'test.pml', text })
  assert.ok(loaded.model, renderDiagnostics(loaded.diagnostics, (f) => loaded.sources.get(f)))
  return loaded.model
}

function pathsOf(model: PromelaModel): Paths {
  // The private methods under test, read by name.
  const m = model as unknown as { collect: Collector; collectEnabled: Collector; effect: Paths['generatedEffect'] }
  return { generated: m.collect.bind(model), reference: m.collectEnabled.bind(model), generatedEffect: m.effect.bind(model) }
}

/** What running `run` on a copy of `v` as `pid` gives: the vector, or the error's message. */
function outcome(model: PromelaModel, v: Int32Array, pid: number, timeout: boolean, run: (x: Exec) => void): string {
  const x = new Exec(model.program.layout)
  x.load(v.slice())
  x.as(pid)
  x.timeout = timeout
  try {
    run(x)
    return Array.from(x.v).join(',')
  } catch (e) {
    return `error: ${e instanceof Error ? e.message : String(e)}`
  }
}

/** The moves `collect` finds for `pid` in `v`, as transition ids with their rendezvous flags, or the error's message. */
function moves(model: PromelaModel, collect: Collector, v: Int32Array, pid: number, timeout: boolean): { readonly text: string; readonly ts: readonly Transition[] } {
  const x = new Exec(model.program.layout)
  x.load(v)
  x.timeout = timeout
  const ts: Transition[] = []
  const rdv: number[] = []
  try {
    const n = collect(x, pid, [], ts, rdv, undefined, 0)
    return { text: ts.slice(0, n).map((t, i) => `${t.id}${rdv[i] === 1 ? 'r' : ''}`).join(' '), ts: ts.slice(0, n) }
  } catch (e) {
    return { text: `error: ${e instanceof Error ? e.message : String(e)}`, ts: [] }
  }
}

/**
 * Walks the model's states breadth-first (up to `limit`) and checks, in each, for every process and
 * both passes (timeout false and true), that the generated code finds the moves the reference walk
 * finds, in the same order, and that each move's generated effect writes the vector the statement's
 * own effect writes (or fails with the same message). Returns the number of moves compared.
 */
function agree(model: PromelaModel, limit: number): number {
  const paths = pathsOf(model)
  const seen = new Set<string>()
  const queue: Int32Array[] = [...model.initStates()]
  let compared = 0
  for (let k = 0; k < queue.length && seen.size < limit; k++) {
    const v = queue[k]!
    const key = v.join(',')
    if (seen.has(key)) continue
    seen.add(key)
    const probe = new Exec(model.program.layout)
    probe.load(v)
    for (const timeout of [false, true]) {
      for (let pid = 0; pid < probe.nprocs; pid++) {
        const ref = moves(model, paths.reference, v, pid, timeout)
        const gen = moves(model, paths.generated, v, pid, timeout)
        assert.equal(gen.text, ref.text, `process ${pid} (timeout ${timeout}) in state [${key}]`)
        for (const t of ref.ts) {
          if (t.kind === 'dStep' || t.kind === 'end') continue
          const expected = outcome(model, v, pid, timeout, (x) => t.effect(x))
          const actual = outcome(model, v, pid, timeout, (x) => paths.generatedEffect(x, pid, t))
          assert.equal(actual, expected, `effect of '${t.text}' by process ${pid} in state [${key}]`)
          compared++
        }
      }
    }
    let steps: readonly unknown[]
    try {
      steps = model.actions(v)
    } catch {
      continue
    }
    for (const step of steps) {
      try {
        const next = model.nextState(v, step as Parameters<PromelaModel['nextState']>[1])
        if (next) queue.push(next.slice())
      } catch {
        // A failing step: its state is not explored further here.
      }
    }
  }
  return compared
}

const COVERAGE = `
mtype = { req, ack }
chan rv = [0] of { mtype, byte }
chan q = [2] of { byte, byte }
byte a[3]
byte n, m
typedef pair { byte x; byte y[2] }
pair p

proctype worker(byte id) {
  byte got, i
  do
  :: rv?req,got -> a[got % 3] = id; q!id,got
  :: q?[_,_] && n > 1 -> q?i,got; p.y[i % 2] = got
  :: timeout -> break
  od
}

init {
  byte k
  atomic { run worker(1); run worker(2) }
  do
  :: k < 3 -> rv!req,k; k++
  :: k >= 3 -> break
  od;
  { n++; if :: n < 3 -> skip :: else -> m = 2 fi } unless { m > 0 };
  d_step { m++; a[m % 3] = m };
  if
  :: len(q) > 0 -> q?_,_
  :: else -> skip
  fi;
  p.x = a[0] + a[1]
}
`

const ENABLED = `
byte g, h
chan c = [1] of { byte }
active proctype A() {
  do
  :: atomic { g < 3 -> g++; enabled(1) -> h = (h + 1) % 3; c!g }
  :: atomic { c?_ ; enabled(2) || g > 1 -> g = 0 }
  :: g == 3 -> break
  od
}
active proctype B() {
  do
  :: atomic { h < 2 -> h++; if :: h > 0 -> g = g :: enabled(2) -> c?_ fi }
  :: h == 2 -> h = 0
  od
}
active proctype C() {
  do
  :: atomic { g > 0 -> g = g - 1; h = h }
  :: g == 0 -> skip
  od
}
`

describe('generated code of a proctype (proc-code.ts)', () => {
  it('is used for the locations it covers', () => {
    const model = load(COVERAGE)
    const code = (model as unknown as { code: readonly { collect: readonly { name: string }[] }[] }).code
    assert.ok(code.every((c) => c.collect.every((f) => f.name === 'generated')))
  })

  it('finds the moves and writes the successors the reference walk does: rendezvous, atomic, d_step, unless, else, timeout, run, arrays, channels', () => {
    assert.ok(agree(load(COVERAGE), 3000) > 100)
  })

  it('agrees with the reference walk on random models', () => {
    let compared = 0
    for (let seed = 1; seed <= 40; seed++) {
      const loaded = loadPromela({ file: `fuzz-${seed}.pml`, text: randomPromela(seed) })
      if (!loaded.model) continue
      compared += agree(loaded.model, 400)
    }
    assert.ok(compared > 1000, `${compared} moves compared`)
  })

  it('takes enabled() in guards inside atomic sequences, where the moves of the sequence are being found (SPIN: 495 stored, 1409 transitions)', () => {
    const model = load(ENABLED)
    assert.ok(agree(model, 1000) > 100)
    const r = explore(model, { strategy: 'dfs', checkDeadlock: false, continueAfterViolation: false })
    assert.equal(r.status, 'ok')
    assert.deepEqual([r.stats.distinct, r.stats.transitions], [495, 1409])
  })

  it('leaves a proctype with a provided clause to the reference walk', () => {
    const model = load('byte g; active proctype p() provided (g < 2) { do :: g++ od }')
    const m = model as unknown as { code: readonly { collect: readonly unknown[] }[]; collectEnabled: unknown }
    assert.ok(m.code[0]!.collect.every((f) => typeof f === 'function' && (f as { name: string }).name !== 'generated'))
    assert.ok(agree(model, 10) > 0)
  })
})
