import type { Location, Transition } from './cfg.js'
import { buildFunction, type Fragment } from './codegen.js'
import type { Exec } from './vector.js'

/**
 * Appends the moves process `pid` can take now to `pids`/`ts`/`rdv` (and its rendezvous partners
 * to `partners`, when given) from index `n`, and returns the new end: the model's
 * `collectEnabled`, which the generated code stands in for.
 */
export type Collect<P> = (x: Exec, pid: number, pids: number[], ts: Transition[], rdv: number[], partners: P[] | undefined, n: number) => number

/** `Collect` for one transition `t` of the executing process (`t` is enabled or not, as the model decides). */
export type CollectOne<P> = (x: Exec, pid: number, t: Transition, pids: number[], ts: Transition[], rdv: number[], partners: P[] | undefined, n: number) => number

/** Runs transition `t`'s effect in `x` (not a d_step, not a process's `-end-`). */
export type Effect = (x: Exec, t: Transition) => void

/**
 * Locations per generated function, as a power of two: a switch over a few cases, and no function
 * too large for the compiler to optimise. A process at location `pc` uses function `pc >> BLOCK_SHIFT`.
 */
export const BLOCK_SHIFT = 4
const LOCATIONS_PER_FUNCTION = 1 << BLOCK_SHIFT

/** The parts of a run of locations the generated code reads. */
type Block = readonly Pick<Location, 'trans' | 'escapes' | 'isEnd'>[]

/**
 * The moves of one proctype as generated code, made once per model: per block of
 * `LOCATIONS_PER_FUNCTION` locations, a function that tests every transition of the process's
 * location and one that applies a transition's effect. The guards and effects with a source form
 * (`Action.guardCode`, `effectCode`) are written inline, in a switch over the location or the
 * transition, so that a state's moves cost no call per guard and the effect no call through a
 * property every statement shares; the rest are called as the closures they are, each from a call
 * site of its own.
 */
export interface ProcCode<P> {
  readonly collect: readonly Collect<P>[]
  readonly effect: readonly Effect[]
}

/**
 * Generates `ProcCode` for a proctype with the flow graph `locations`. A location the code does not
 * cover goes to `general` (the model's own walk over its transitions): the process's end, a
 * location with `unless` escapes, and, when the proctype has a `provided` clause, every location.
 * Rendezvous sends and `else` are tested by `one`, the model's test of one transition, which knows
 * about rendezvous partners and `else`'s siblings.
 */
export function generateProcCode<P>(locations: readonly Block[number][], hasProvided: boolean, general: Collect<P>, one: CollectOne<P>): ProcCode<P> {
  const collect: Collect<P>[] = []
  const effect: Effect[] = []
  for (let first = 0; first < locations.length; first += LOCATIONS_PER_FUNCTION) {
    const block = locations.slice(first, first + LOCATIONS_PER_FUNCTION)
    collect.push(hasProvided ? general : collector(block, first, general, one))
    effect.push(effects(block))
  }
  return { collect, effect }
}

/** The collector of the locations `block`, the first of which is `first`. */
function collector<P>(block: Block, first: number, general: Collect<P>, one: CollectOne<P>): Collect<P> {
  const ln = new Linker()
  const generalRef = ln.ref(general)
  const oneRef = ln.ref(one)
  let cases = ''
  block.forEach((loc, k) => {
    if (loc.isEnd || loc.escapes.length > 0) return
    let body = ''
    for (const t of loc.trans) {
      const tRef = ln.ref(t)
      const take = `{ pids[n] = pid; ts[n] = ${tRef}; rdv[n] = 0; n++; }`
      const byModel = `n = ${oneRef}(x, pid, ${tRef}, pids, ts, rdv, partners, n);\n      x.as(pid);`
      if (t.kind === 'else') body += `\n      ${byModel}`
      else if (t.kind === 'send') {
        // A send to a buffered channel needs room; a rendezvous send is the model's to match with its partners.
        body += `\n      { const off = x.chan(${ln.ref(t.chan)}(x), ${ln.ref(t.span)});
      const capacity = x.layout.chanTypes[v[off]].capacity;
      if (capacity === 0) { ${byModel} }
      else if (v[off + 1] < capacity) ${take} }`
      } else if (t.guardCode === undefined) body += `\n      if (${ln.ref(t.guard)}(x)) ${take}`
      else body += `\n      ${ln.splice(t.guardCode, (g) => `if (${g}) ${take}`)}`
    }
    cases += `\n    case ${first + k}: {${body}\n      return n;\n    }`
  })
  return ln.build<Collect<P>>(
    'x, pid, pids, ts, rdv, partners, n',
    `const v = x.v;
  x.as(pid);
  switch (v[x.procOff[pid] + 1]) {${cases}
    default:
      return ${generalRef}(x, pid, pids, ts, rdv, partners, n);
  }`,
  )
}

/** The effects of the transitions of the locations `block`. */
function effects(block: Block): Effect {
  const ln = new Linker()
  const done = new Set<number>()
  let cases = ''
  for (const loc of block) {
    for (const t of [...loc.escapes, ...loc.trans]) {
      if (done.has(t.id) || t.kind === 'dStep' || t.kind === 'end') continue
      done.add(t.id)
      const code = t.effectCode === undefined ? `${ln.ref(t.effect)}(x);` : ln.splice(t.effectCode, (s) => s)
      cases += `\n    case ${t.id}: {\n      ${code}\n      return;\n    }`
    }
  }
  return ln.build<Effect>(
    'x, t',
    `const v = x.v;
  switch (t.id) {${cases}
    default:
      t.effect(x);
  }`,
  )
}

/**
 * Joins fragments into one function: each fragment's references `r0`, `r1`… become constants of
 * the function (`k0`, `k1`…) and are bound to their names in a block around the fragment.
 */
class Linker {
  private readonly refs: unknown[] = []

  ref(value: unknown): string {
    this.refs.push(value)
    return `k${this.refs.length - 1}`
  }

  /** `wrap(code.body)` with the fragment's references in scope. */
  splice(code: Fragment, wrap: (body: string) => string): string {
    if (code.refs.length === 0) return wrap(code.body)
    const names = code.refs.map((r, i) => `r${i} = ${this.ref(r)}`).join(', ')
    return `{ const ${names}; ${wrap(code.body)} }`
  }

  build<F>(params: string, body: string): F {
    return buildFunction<F>(params, body, this.refs, 'k')
  }
}
