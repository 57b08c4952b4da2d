/**
 * A seeded generator of small random Promela models, for differential testing against SPIN
 * (`scripts/promela-fuzz-run.ts`). Every model has a finite state space: variables only ever hold small
 * values, processes are created only in a straight-line prefix of `init`, and channels are bounded.
 * The generator aims at the constructs whose flow graph and atomicity are easy to get wrong: jumps
 * onto compound statements, nested atomic and d_step sequences, unless, timeout, rendezvous,
 * else, break, for, select, inline, provided and priority.
 */

/** A deterministic random source (xorshift32). */
export class Rng {
  private x: number
  constructor(seed: number) {
    this.x = (seed * 2654435761) >>> 0 || 1
    for (let i = 0; i < 4; i++) this.int(2)
  }
  /** An integer in 0 .. k-1. */
  int(k: number): number {
    this.x ^= this.x << 13
    this.x >>>= 0
    this.x ^= this.x >>> 17
    this.x ^= this.x << 5
    this.x >>>= 0
    return this.x % k
  }
  chance(p: number): boolean {
    return this.int(1000) < p * 1000
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!
  }
}

interface Chan {
  readonly name: string
  readonly slots: number
  readonly fields: number
}

/** Where a statement is generated: what it may do there. */
interface Place {
  readonly depth: number
  /** Inside a do or for loop that `break` may leave. */
  readonly inLoop: boolean
  /** Inside an atomic sequence or a d_step. */
  readonly atomic: boolean
  /** Inside a d_step: no jumps, no blocking after the first statement, no channel operations. */
  readonly dstep: boolean
}

const GOTO = '\u0000goto\u0000'

class Generator {
  private readonly bytes: string[]
  private readonly bools: string[]
  private readonly chans: Chan[] = []
  private labels: string[] = []
  private labelCount = 0
  private readonly out: string[] = []
  private readonly hasInline: boolean

  constructor(private readonly r: Rng) {
    this.bytes = ['g0', 'g1', 'arr[0]', 'arr[1]', 'arr[2]']
    this.bools = ['b0']
    if (r.chance(0.4)) {
      this.bytes.push('t.a')
      this.bools.push('t.f[0]', 't.f[1]')
    }
    this.hasInline = r.chance(0.4)
  }

  model(): string {
    const r = this.r
    const typedef = this.bytes.includes('t.a')
    if (typedef) this.out.push('typedef T { byte a; bool f[2] };')
    this.out.push(`byte g0${r.chance(0.3) ? ' = 1' : ''}, g1; bool b0; short s0; byte arr[3];${typedef ? ' T t;' : ''}`)
    const nchans = r.int(3)
    const kinds: Chan[] = [
      { name: '', slots: 1 + r.int(2), fields: 1 },
      { name: '', slots: 0, fields: 1 },
      { name: '', slots: r.int(2) * 2, fields: 2 },
    ]
    for (let i = 0; i < nchans; i++) {
      const k = kinds[r.int(kinds.length)]!
      const c = { ...k, name: `c${i}` }
      this.chans.push(c)
      this.out.push(`chan ${c.name} = [${c.slots}] of { ${c.fields === 1 ? 'byte' : 'byte, byte'} };`)
    }
    if (this.hasInline) this.out.push('inline bump(v) { v = (v + 1) % 3; g1 = (g1 + v) % 3 }')
    // 2-3 processes: active proctypes, an `active [2]`, or init running a proctype with parameters.
    const shape = r.int(4)
    if (shape === 0) {
      this.proctype('P0', '', 'active')
      this.proctype('P1', '', 'active')
      if (r.chance(0.3)) this.proctype('P2', '', 'active')
    } else if (shape === 1) {
      this.proctype('P0', '', 'active [2]')
      if (r.chance(0.4)) this.proctype('P1', '', 'active')
    } else {
      this.proctype('P0', '', 'active')
      this.proctype('Q', 'byte p; bool q', '')
      this.init(shape === 3)
    }
    return this.out.join('\n') + '\n'
  }

  private proctype(name: string, params: string, active: string): void {
    const r = this.r
    // pan rejects priorities together with rendezvous channels.
    const prio = r.chance(0.15) && !this.chans.some((c) => c.slots === 0) ? ` priority ${1 + r.int(3)}` : ''
    const provided = r.chance(0.12) ? ` provided (${r.pick(['g0', 'g1', 'arr[0]'])} != ${r.int(3)})` : ''
    this.labels = []
    const locals = ['l0']
    const header = `${active ? active + ' ' : ''}proctype ${name}(${params})${provided}${prio}`
    const decls = ['byte l0' + (r.chance(0.3) ? ' = 1' : '')]
    if (params) locals.push('p')
    const body = this.seq({ depth: 0, inLoop: false, atomic: false, dstep: false }, locals, 2 + r.int(4))
    this.out.push(`${header}\n{\n\t${decls.join('; ')};\n${this.resolveGotos(body)}\n}`)
  }

  private init(twice: boolean): void {
    const r = this.r
    this.labels = []
    const runs = [`run Q(${r.int(3)}, ${r.pick(['true', 'false'])})`]
    if (twice) runs.push(`run Q(${r.int(3)}, ${r.pick(['true', 'false'])})`)
    let prefix = runs.join('; ')
    if (r.chance(0.5)) prefix = `atomic { ${r.chance(0.3) ? 'g0 = 1; ' : ''}${prefix}${r.chance(0.3) ? '; g1 = 2' : ''} }`
    const rest = r.chance(0.7) ? ';\n' + this.seq({ depth: 0, inLoop: false, atomic: false, dstep: false }, ['l0'], 1 + r.int(3)) : ''
    this.out.push(`init\n{\n\tbyte l0;\n\t${prefix}${this.resolveGotos(rest)}\n}`)
  }

  /** Replaces each goto placeholder by a jump to a label of the proctype (or `skip` when it has none). */
  private resolveGotos(body: string): string {
    return body.split(GOTO).reduce((acc, part, i) => (i === 0 ? part : acc + (this.labels.length ? `goto ${this.r.pick(this.labels)}` : 'skip') + part), '')
  }

  /** `n` statements; `first` when the first may block in a d_step (it opens the d_step). */
  private seq(p: Place, locals: string[], n: number, first = true, label = true): string {
    const stmts: string[] = []
    for (let i = 0; i < n; i++) stmts.push(this.labelled(p, locals, first && i === 0, label || i > 0))
    const indent = '\t'.repeat(p.depth + 1)
    return stmts.map((s) => indent + s).join(';\n')
  }

  /** A statement, maybe labelled; `label` false where SPIN rejects a label (an option's or an escape's first statement). */
  private labelled(p: Place, locals: string[], first: boolean, label = true): string {
    const r = this.r
    const s = this.stmt(p, locals, first)
    // A jump to a d_step's label would enter the d_step, which SPIN rejects.
    if (p.dstep || !label || s.startsWith('d_step') || !r.chance(0.25)) return s
    const name = `${r.pick(['L', 'L', 'L', 'end', 'progress'])}${this.labelCount++}`
    this.labels.push(name)
    return `${name}: ${s}`
  }

  private stmt(p: Place, locals: string[], first: boolean): string {
    const r = this.r
    const deep = p.depth < 2
    const roll = r.int(100)
    if (p.dstep) {
      if (first && roll < 30) return this.cond(false)
      if (roll < 60) return this.assign(locals)
      if (roll < 75 && deep) return `if\n${this.options(p, locals, true)}\n${'\t'.repeat(p.depth + 1)}fi`
      if (roll < 85) return `assert(${this.cond(false)})`
      return this.assign(locals)
    }
    if (roll < 18) return this.assign(locals)
    if (roll < 28) return this.cond(true)
    if (roll < 38 && this.chans.length) return this.chanOp(locals)
    if (roll < 46 && deep) return `if\n${this.options(p, locals, r.chance(0.4))}\n${'\t'.repeat(p.depth + 1)}fi`
    if (roll < 53 && deep) return `do\n${this.options({ ...p, inLoop: true }, locals, r.chance(0.4), true)}\n${'\t'.repeat(p.depth + 1)}od`
    if (roll < 61 && deep) return `atomic {\n${this.seq({ ...p, depth: p.depth + 1, atomic: true }, locals, 1 + r.int(3), true, false)}\n${'\t'.repeat(p.depth + 1)}}`
    if (roll < 65 && deep) return `d_step {\n${this.seq({ ...p, depth: p.depth + 1, atomic: true, dstep: true, inLoop: false }, locals, 1 + r.int(3))}\n${'\t'.repeat(p.depth + 1)}}`
    if (roll < 68 && deep) return `{\n${this.seq({ ...p, depth: p.depth + 1 }, locals, 1 + r.int(2), true, false)}\n${'\t'.repeat(p.depth + 1)}}`
    if (roll < 72 && deep) return `{\n${this.seq({ ...p, depth: p.depth + 1 }, locals, 1 + r.int(2), true, false)}\n${'\t'.repeat(p.depth + 1)}} unless {\n${this.seq({ ...p, depth: p.depth + 1 }, locals, 1 + r.int(2), true, false)}\n${'\t'.repeat(p.depth + 1)}}`
    if (roll < 75 && deep) return `for (l0 : 0 .. ${1 + r.int(2)}) {\n${this.seq({ ...p, depth: p.depth + 1, inLoop: true }, locals, 1 + r.int(2), true, false)}\n${'\t'.repeat(p.depth + 1)}}`
    if (roll < 78) return `select (${r.pick(['l0', 'g1'])} : 0 .. ${1 + r.int(2)})`
    if (roll < 81 && this.hasInline) return `bump(${r.pick(['l0', 'g0', 'arr[1]'])})`
    if (roll < 85) return `assert(${this.cond(false)})`
    if (roll < 88 && p.inLoop) return 'break'
    if (roll < 93) return GOTO
    if (roll < 95) return 'timeout'
    if (roll < 97) return `printf("x %d\\n", ${this.value(locals)})`
    return 'skip'
  }

  private options(p: Place, locals: string[], withElse: boolean, loop = false): string {
    const r = this.r
    const n = 1 + r.int(3)
    const inner = { ...p, depth: p.depth + 1 }
    const indent = '\t'.repeat(p.depth + 1)
    const opts: string[] = []
    for (let i = 0; i < n; i++) {
      let guard = p.dstep ? this.cond(false) : r.chance(0.7) ? this.cond(true) : this.labelled(inner, locals, true, false)
      // SPIN rejects an unless as an option's first statement.
      if (guard.includes('} unless {')) guard = this.assign(locals)
      const rest = r.chance(0.7) ? `;\n${this.seq(inner, locals, 1 + r.int(2), false)}` : ''
      opts.push(`${indent}:: ${guard}${rest}`)
    }
    // A loop needs a way out (or it runs forever, which is allowed, but rarer is more useful).
    if (loop && r.chance(0.6)) opts.push(`${indent}:: ${this.cond(false)} -> break`)
    if (withElse) opts.push(`${indent}:: else${r.chance(0.6) ? ` -> ${this.labelled(inner, locals, false)}` : ''}`)
    return opts.join('\n')
  }

  private byteVar(locals: string[]): string {
    return this.r.chance(0.4) ? this.r.pick(locals.filter((l) => l !== 'p').concat(['l0'])) : this.r.pick(this.bytes)
  }

  private value(locals: string[]): string {
    const r = this.r
    switch (r.int(9)) {
      case 0:
      case 1:
        return String(r.int(3))
      case 2:
        return this.r.pick([...locals, ...this.bytes])
      case 3:
        return `(${this.r.pick([...locals, ...this.bytes])} + 1) % 3`
      case 4:
        return `(${this.cond(false)} -> 1 : 2)`
      case 5:
        return '_pid % 3'
      case 6:
        return '_nr_pr % 3'
      case 7:
        return this.chans.length ? `len(${r.pick(this.chans).name})` : '1'
      default:
        return `arr[${this.r.pick(locals)} % 3]`
    }
  }

  private assign(locals: string[]): string {
    const r = this.r
    switch (r.int(6)) {
      case 0:
        return `${r.pick(this.bools)} = ${r.pick(['true', 'false', `!${r.pick(this.bools)}`, `(${this.cond(false)})`])}`
      case 1:
        return `s0 = ${r.pick(['-1', '1', 's0 * -1', `${this.value(locals)} - 1`])}`
      case 2:
        return `${this.byteVar(locals)} = (${this.byteVar(locals)} + ${1 + r.int(2)}) % 3`
      default:
        return `${this.byteVar(locals)} = ${this.value(locals)}`
    }
  }

  /** A condition; `statement` allows the ones that only stand alone (timeout, polls, channel tests). */
  private cond(statement: boolean): string {
    const r = this.r
    const roll = r.int(statement ? 12 : 9)
    const v = (): string => r.pick([...this.bytes, 'l0', 's0'])
    switch (roll) {
      case 0:
        return `${v()} < ${1 + r.int(2)}`
      case 1:
        return `${v()} == ${r.int(3)}`
      case 2:
        return `${v()} != ${r.int(3)}`
      case 3:
        return r.pick(this.bools)
      case 4:
        return `!${r.pick(this.bools)}`
      case 5:
        return `(${v()} > 0 && ${r.pick(this.bools)})`
      case 6:
        return `(${v()} == 1 || ${r.pick(this.bools)})`
      case 7:
        return this.chans.length ? `len(${r.pick(this.chans).name}) ${r.pick(['<', '==', '>'])} ${r.int(2)}` : 'true'
      case 8:
        return r.pick(['true', 'false', '_pid == 0', '_nr_pr > 2'])
      case 9: {
        if (!this.chans.length) return 'timeout'
        const c = r.pick(this.chans)
        return `${r.pick(['empty', 'nempty', 'full', 'nfull'])}(${c.name})`
      }
      case 10: {
        const c = this.chans.find((k) => k.slots > 0 && k.fields === 1)
        return c ? `${c.name}?[${r.int(3)}]` : 'timeout'
      }
      default:
        return 'timeout'
    }
  }

  private chanOp(locals: string[]): string {
    const r = this.r
    const c = r.pick(this.chans)
    const one = (): string => String(r.int(3))
    const sendArgs = (): string => (c.fields === 1 ? this.value(locals) : `${this.value(locals)}, ${one()}`)
    const recvArg = (): string => {
      switch (r.int(4)) {
        case 0:
          return one()
        case 1:
          return `eval(${r.pick(['g0', 'l0', '_pid % 3'])})`
        default:
          return this.byteVar(locals)
      }
    }
    const recvArgs = (): string => (c.fields === 1 ? recvArg() : `${recvArg()}, ${recvArg()}`)
    const buffered = c.slots > 0
    switch (r.int(buffered ? 7 : 4)) {
      case 0:
      case 1:
        return `${c.name}!${sendArgs()}`
      case 2:
      case 3:
        return `${c.name}?${recvArgs()}`
      case 4:
        return `${c.name}!!${sendArgs()}`
      case 5:
        return `${c.name}??${recvArgs()}`
      default:
        return `${c.name}?<${recvArgs()}>`
    }
  }
}

/** The random model for a seed: the same text for the same seed. */
export function randomPromela(seed: number): string {
  return new Generator(new Rng(seed)).model()
}
