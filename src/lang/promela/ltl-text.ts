import type { Expr, LtlFormula, RecvArg } from './ast.js'

/**
 * An `ltl` formula as SPIN writes it down before translating it (the text `spin -a` prints after
 * `ltl name:`): every operand in parentheses, `->` as `(! (a)) || (b)`, `a W b` as
 * `([] (a)) || ((a) U (b))`, `&&`, `||` and `!` between expressions read as temporal-level operators,
 * and expressions in SPIN's notation (`(x>2)`, `-(1)`, `(P@cs)`).
 *
 * SPIN's translator reads every parenthesised group without a temporal operator as one predicate,
 * named by its text, so this text decides which predicates the claim has (and, through the names, the
 * order of its states and options). `sites` maps the offset of each `(` (and of each atom's text) to
 * the formula there, so that a predicate can be evaluated as what it stands for.
 */
export type SpinTree =
  | { readonly k: 'atom'; readonly expr: Expr }
  | { readonly k: 'const'; readonly value: boolean }
  | { readonly k: '!' | '[]' | '<>' | 'X'; readonly arg: SpinTree }
  | { readonly k: '&&' | '||' | '<->' | 'U' | 'V'; readonly l: SpinTree; readonly r: SpinTree }

export interface SpinText {
  /** `!(…)`: the negated formula, as SPIN hands it to its translator. */
  readonly text: string
  readonly sites: ReadonlyMap<number, SpinTree>
  /** Whether the formula uses `X`, which SPIN 6.5.2 (built without -DNXT) does not translate. */
  readonly usesNext: boolean
}

export function spinText(f: LtlFormula): SpinText {
  const parts: string[] = []
  let length = 0
  const sites = new Map<number, SpinTree>()
  let usesNext = false
  const put = (s: string): void => {
    parts.push(s)
    length += s.length
  }
  const group = (t: SpinTree): void => {
    sites.set(length, t)
    put('(')
    emit(t)
    put(')')
  }
  const emit = (t: SpinTree): void => {
    switch (t.k) {
      case 'atom':
        sites.set(length, t)
        put(exprText(t.expr))
        return
      case 'const':
        put(t.value ? '1' : '0')
        return
      case '!':
      case '[]':
      case '<>':
      case 'X':
        if (t.k === 'X') usesNext = true
        put(`${t.k} `)
        group(t.arg)
        return
      default:
        group(t.l)
        put(` ${t.k} `)
        group(t.r)
    }
  }
  put('!')
  group(fromLtl(f))
  return { text: parts.join(''), sites, usesNext }
}

function fromLtl(f: LtlFormula): SpinTree {
  switch (f.kind) {
    case 'ltlAtom':
      return fromExpr(f.expr)
    case 'ltlConst':
      return { k: 'const', value: f.value }
    case 'ltlUnary':
      return { k: f.op, arg: fromLtl(f.operand) }
    case 'ltlBinary': {
      const l = fromLtl(f.left)
      const r = fromLtl(f.right)
      if (f.op === '->') return { k: '||', l: { k: '!', arg: l }, r }
      if (f.op === 'W') return { k: '||', l: { k: '[]', arg: l }, r: { k: 'U', l, r } }
      return { k: f.op, l, r }
    }
  }
}

/** `&&`, `||` and `!` at the top of an atom are temporal-level for SPIN. */
function fromExpr(e: Expr): SpinTree {
  if (e.kind === 'binary' && (e.op === '&&' || e.op === '||')) return { k: e.op, l: fromExpr(e.left), r: fromExpr(e.right) }
  if (e.kind === 'unary' && e.op === '!') return { k: '!', arg: fromExpr(e.operand) }
  if (e.kind === 'bool') return { k: 'const', value: e.value }
  return { k: 'atom', expr: e }
}

/** An expression in SPIN's notation: binary operators in parentheses, no spaces. */
export function exprText(e: Expr): string {
  switch (e.kind) {
    case 'ref':
      return `${e.name}${e.index ? `[${exprText(e.index)}]` : ''}${e.fields.map((f) => `.${f.name}${f.index ? `[${exprText(f.index)}]` : ''}`).join('')}`
    case 'number':
      return String(e.value)
    case 'bool':
      return e.value ? '1' : '0'
    case 'binary':
      return `(${exprText(e.left)}${e.op}${exprText(e.right)})`
    case 'unary':
      return `${e.op}(${exprText(e.operand)})`
    case 'cond':
      return `(${exprText(e.test)} -> ${exprText(e.then)} : ${exprText(e.else)})`
    case 'chanQuery':
      return `${e.op}(${exprText(e.chan)})`
    case 'poll':
      return `${exprText(e.chan)}${e.random ? '??' : '?'}[${e.args.map(argText).join(',')}]`
    case 'run':
      return `run ${e.proctype}(${e.args.map(exprText).join(',')})`
    case 'builtin':
      return e.name
    case 'remoteLabel':
      return `(${e.proctype}${e.pid ? `[${exprText(e.pid)}]` : ''}@${e.label})`
    case 'remoteVar':
      return `${e.proctype}${e.pid ? `[${exprText(e.pid)}]` : ''}:${exprText(e.variable)}`
    case 'call':
      return `${e.fn}(${e.args.map(exprText).join(',')})`
    case 'cCode':
      return 'c_expr'
  }
}

function argText(a: RecvArg): string {
  return a.kind === 'recvVar' ? exprText(a.ref) : a.kind === 'recvConst' ? exprText(a.value) : `eval(${exprText(a.value)})`
}
