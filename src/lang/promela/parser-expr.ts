import type { BinaryOp, CCode, Expr, LtlFormula, NumberLit, RecvArg, RunExpr, VarRef } from './ast.js'
import type { Token } from './lexer.js'
import { maxNesting, type Cursor } from './parser-cursor.js'

/**
 * Expressions (C precedence, as SPIN's yacc grammar), variable references, send and receive arguments,
 * and LTL formulas. Inside `ltl { }` one grammar covers both: Promela operators bind tighter than the
 * temporal ones, prefix operators (`!`, `[]`, `<>`, `X`) bind tightest, and `->` is implication.
 */

type Mode = 'expr' | 'ltl'
type LtlBinaryOp = '&&' | '||' | '->' | '<->' | 'U' | 'W' | 'V'
type Mixed = Expr | LtlFormula

interface OpInfo {
  readonly prec: number
  readonly op: BinaryOp | LtlBinaryOp
}

// Precedence, low to high: implication, ||, &&, until, |, ^, &, equality, relational, shift, additive, multiplicative.
const exprOps: Readonly<Record<string, OpInfo>> = {
  '||': { prec: 2, op: '||' },
  '&&': { prec: 3, op: '&&' },
  '|': { prec: 5, op: '|' },
  '^': { prec: 6, op: '^' },
  '&': { prec: 7, op: '&' },
  '==': { prec: 8, op: '==' },
  '!=': { prec: 8, op: '!=' },
  '<': { prec: 9, op: '<' },
  '<=': { prec: 9, op: '<=' },
  '>': { prec: 9, op: '>' },
  '>=': { prec: 9, op: '>=' },
  '<<': { prec: 10, op: '<<' },
  '>>': { prec: 10, op: '>>' },
  '+': { prec: 11, op: '+' },
  '-': { prec: 11, op: '-' },
  '*': { prec: 12, op: '*' },
  '/': { prec: 12, op: '/' },
  '%': { prec: 12, op: '%' },
}
const ltlOps: Readonly<Record<string, OpInfo>> = {
  '->': { prec: 1, op: '->' },
  '<->': { prec: 1, op: '<->' },
  '/\\': { prec: 3, op: '&&' },
  '\\/': { prec: 2, op: '||' },
}
/** Word operators, only inside `ltl { }` (SPIN's LTL_syms). */
const ltlWordOps: Readonly<Record<string, OpInfo>> = {
  U: { prec: 4, op: 'U' },
  until: { prec: 4, op: 'U' },
  stronguntil: { prec: 4, op: 'U' },
  W: { prec: 4, op: 'W' },
  weakuntil: { prec: 4, op: 'W' },
  V: { prec: 4, op: 'V' },
  release: { prec: 4, op: 'V' },
  implies: { prec: 1, op: '->' },
  equivalent: { prec: 1, op: '<->' },
}
const ltlWordUnary: Readonly<Record<string, '[]' | '<>' | 'X'>> = { always: '[]', eventually: '<>', X: 'X', next: 'X' }
const builtinNames: ReadonlySet<string> = new Set(['_pid', '_nr_pr', '_last', '_priority'])
const temporalOps: ReadonlySet<string> = new Set(['->', '<->', 'U', 'W', 'V'])

function binaryOp(t: Token, mode: Mode): OpInfo | undefined {
  const e = exprOps[t.kind]
  if (e) return e
  if (mode !== 'ltl') return undefined
  if (t.kind === 'ident') return Object.hasOwn(ltlWordOps, t.text) ? ltlWordOps[t.text] : undefined
  return ltlOps[t.kind]
}

function isLtl(m: Mixed): m is LtlFormula {
  return m.kind === 'ltlAtom' || m.kind === 'ltlConst' || m.kind === 'ltlUnary' || m.kind === 'ltlBinary'
}

/** A stand-in for an expression that is missing (a syntax error was reported). */
function placeholder(p: Cursor): NumberLit {
  return { kind: 'number', id: p.id(), span: p.span(p.cur.start, p.cur.start), value: 0 }
}

/** An expression. */
export function parseExpr(p: Cursor): Expr {
  return asExpr(p, parseBinary(p, 1, 'expr'), p.cur)
}

/** The formula inside `ltl { … }`. */
export function parseLtlFormula(p: Cursor): LtlFormula {
  return toLtl(parseBinary(p, 1, 'ltl'))
}

function toLtl(m: Mixed): LtlFormula {
  if (isLtl(m)) return m
  if (m.kind === 'bool') return { kind: 'ltlConst', value: m.value, span: m.span }
  return { kind: 'ltlAtom', expr: m, span: m.span }
}

function asExpr(p: Cursor, m: Mixed, at: Token): Expr {
  if (!isLtl(m)) return m
  if (m.kind === 'ltlAtom') return m.expr
  p.report('PML038', `a temporal formula cannot be used as a value here`, at.start, at.end, 'this operator needs a value on both sides')
  return { kind: 'number', id: p.id(), span: m.span, value: 0 }
}

function parseBinary(p: Cursor, minPrec: number, mode: Mode): Mixed {
  const start = p.pos
  let left = parseUnary(p, mode)
  for (;;) {
    const opTok = p.cur
    const info = binaryOp(opTok, mode)
    if (!info || info.prec < minPrec) return left
    p.advance()
    const right = parseBinary(p, info.prec + 1, mode)
    const span = p.spanFrom(start)
    if (temporalOps.has(info.op) || ((info.op === '&&' || info.op === '||') && (isLtl(left) || isLtl(right)))) {
      left = { kind: 'ltlBinary', op: info.op as LtlBinaryOp, left: toLtl(left), right: toLtl(right), span }
    } else {
      left = { kind: 'binary', id: p.id(), span, op: info.op as BinaryOp, left: asExpr(p, left, opTok), right: asExpr(p, right, opTok) }
    }
  }
}

function parseUnary(p: Cursor, mode: Mode): Mixed {
  if (p.depth >= maxNesting) {
    p.error('PML037', `expression nested more than ${maxNesting} deep`, p.cur.start, p.cur.end)
    return placeholder(p)
  }
  p.depth++
  try {
    const start = p.pos
    const t = p.cur
    const k = t.kind
    if (k === '!' || k === '!!' || k === '-' || k === '--' || k === '~') {
      p.advance()
      const operand = parseUnary(p, mode)
      if (k === '!' || k === '!!') {
        // `!!x` was lexed as one token: it is `!(!x)` here.
        const once = negate(p, operand, start)
        return k === '!!' ? negate(p, once, start) : once
      }
      const op = k === '~' ? '~' : '-'
      const inner: Expr = { kind: 'unary', id: p.id(), span: p.spanFrom(start), op, operand: asExpr(p, operand, t) }
      return k === '--' ? { kind: 'unary', id: p.id(), span: p.spanFrom(start), op: '-', operand: inner } : inner
    }
    if (mode === 'ltl') {
      const temporal = k === '[]' ? '[]' : k === '<>' ? '<>' : k === 'ident' && Object.hasOwn(ltlWordUnary, t.text) ? ltlWordUnary[t.text] : undefined
      if (temporal) {
        p.advance()
        const operand = toLtl(parseUnary(p, mode))
        return { kind: 'ltlUnary', op: temporal, operand, span: p.spanFrom(start) }
      }
    }
    return parsePrimary(p, mode)
  } finally {
    p.depth--
  }

  function negate(p: Cursor, operand: Mixed, start: number): Mixed {
    if (isLtl(operand)) return { kind: 'ltlUnary', op: '!', operand, span: p.spanFrom(start) }
    return { kind: 'unary', id: p.id(), span: p.spanFrom(start), op: '!', operand }
  }
}

function parsePrimary(p: Cursor, mode: Mode): Mixed {
  const start = p.pos
  const t = p.cur
  switch (t.kind) {
    case 'number':
      p.advance()
      return { kind: 'number', id: p.id(), span: p.tokenSpan(t), value: t.value ?? 0 }
    case 'true':
    case 'false':
    case 'skip':
      p.advance()
      return { kind: 'bool', id: p.id(), span: p.tokenSpan(t), value: t.kind !== 'false' }
    case '(': {
      p.advance()
      if (mode === 'ltl') {
        const inner = parseBinary(p, 1, 'ltl')
        p.expect(')')
        return inner
      }
      const e = parseExpr(p)
      if (p.eat('->')) {
        const then = parseExpr(p)
        p.expect(':', "':' of a conditional expression '(c -> a : b)'")
        const otherwise = parseExpr(p)
        p.expect(')')
        return { kind: 'cond', id: p.id(), span: p.spanFrom(start), test: e, then, else: otherwise }
      }
      p.expect(')')
      return e
    }
    case 'len':
    case 'empty':
    case 'nempty':
    case 'full':
    case 'nfull': {
      p.advance()
      p.expect('(')
      const chan = parseExpr(p)
      p.expect(')')
      return { kind: 'chanQuery', id: p.id(), span: p.spanFrom(start), op: t.kind, chan }
    }
    case 'run':
      return parseRun(p)
    case 'enabled':
    case 'pc_value':
    case 'get_priority':
    case 'set_priority': {
      p.advance()
      p.expect('(')
      const args = [parseExpr(p)]
      if (t.kind === 'set_priority') {
        p.expect(',')
        args.push(parseExpr(p))
      }
      p.expect(')')
      return { kind: 'call', id: p.id(), span: p.spanFrom(start), fn: t.kind, args }
    }
    case 'timeout':
    case 'np_':
      p.advance()
      return { kind: 'builtin', id: p.id(), span: p.tokenSpan(t), name: t.kind }
    case 'c_expr':
      return parseCCode(p)
    case 'ident':
      if (builtinNames.has(t.text)) {
        p.advance()
        return { kind: 'builtin', id: p.id(), span: p.tokenSpan(t), name: t.text as '_pid' | '_nr_pr' | '_last' | '_priority' }
      }
      return parseIdentExpr(p)
    default:
      p.syntaxError('an expression')
      return placeholder(p)
  }
}

/** `c_code`, `c_decl` or `c_expr`, with its skipped body. */
export function parseCCode(p: Cursor): CCode {
  const start = p.pos
  const kw = p.advance()
  if (!p.eat('cbody')) p.syntaxError(`'{' after '${kw.kind}'`)
  return { kind: 'cCode', id: p.id(), span: p.spanFrom(start), keyword: kw.kind }
}

/** `run P(args) [priority N]`. */
function parseRun(p: Cursor): RunExpr {
  const start = p.pos
  p.advance()
  const name = p.expect('ident', 'a proctype name')?.text ?? ''
  p.expect('(')
  const args = p.at(')') ? [] : parseExprList(p)
  p.expect(')')
  let priority: Expr | undefined
  if (p.eat('priority')) priority = asExpr(p, parseUnary(p, 'expr'), p.cur)
  return { kind: 'run', id: p.id(), span: p.spanFrom(start), proctype: name, args, ...(priority ? { priority } : {}) }
}

/** `e, e, …` (at least one). */
export function parseExprList(p: Cursor): Expr[] {
  const out = [parseExpr(p)]
  while (p.eat(',')) out.push(parseExpr(p))
  return out
}

/** A name in an expression: a variable, a remote reference `P[i]@L`, `P@L`, `P[i]:v`, or a poll `ch?[…]`. */
function parseIdentExpr(p: Cursor): Expr {
  const start = p.pos
  const name = p.advance().text
  if (p.eat('@')) return remoteLabel(p, start, name, undefined)
  let index: Expr | undefined
  if (p.eat('[')) {
    index = parseExpr(p)
    p.expect(']')
    if (p.eat('@')) return remoteLabel(p, start, name, index)
  }
  if (p.at(':') && p.procNames.has(name) && p.peek().kind === 'ident') {
    p.advance()
    const variable = parseVarRef(p)
    return { kind: 'remoteVar', id: p.id(), span: p.spanFrom(start), proctype: name, ...(index ? { pid: index } : {}), variable }
  }
  const fields = parseFields(p)
  const ref: VarRef = { kind: 'ref', id: p.id(), span: p.spanFrom(start), name, ...(index ? { index } : {}), fields }
  if ((p.at('?') || p.at('??')) && p.peek().kind === '[') {
    const random = p.advance().kind === '??'
    p.advance()
    const args = parseRecvArgs(p)
    p.expect(']')
    return { kind: 'poll', id: p.id(), span: p.spanFrom(start), chan: ref, random, args }
  }
  return ref
}

function remoteLabel(p: Cursor, start: number, proctype: string, pid: Expr | undefined): Expr {
  const label = p.expect('ident', 'a label name')?.text ?? ''
  return { kind: 'remoteLabel', id: p.id(), span: p.spanFrom(start), proctype, ...(pid ? { pid } : {}), label }
}

/** `a`, `a[i]`, `a.b[j].c`. */
export function parseVarRef(p: Cursor): VarRef {
  const start = p.pos
  const nameTok = p.expect('ident', 'a variable name')
  let index: Expr | undefined
  if (nameTok && p.eat('[')) {
    index = parseExpr(p)
    p.expect(']')
  }
  const fields = nameTok ? parseFields(p) : []
  return { kind: 'ref', id: p.id(), span: p.spanFrom(start), name: nameTok?.text ?? '', ...(index ? { index } : {}), fields }
}

function parseFields(p: Cursor): VarRef['fields'][number][] {
  const fields: VarRef['fields'][number][] = []
  while (p.at('.') && p.peek().kind === 'ident') {
    p.advance()
    const start = p.pos
    const name = p.advance().text
    let index: Expr | undefined
    if (p.eat('[')) {
      index = parseExpr(p)
      p.expect(']')
    }
    fields.push({ name, ...(index ? { index } : {}), span: p.spanFrom(start) })
  }
  return fields
}

/** Send arguments: `a, b, c` or `a(b, c)` (the first argument, then the rest in parentheses). */
export function parseSendArgs(p: Cursor): Expr[] {
  const first = parseExpr(p)
  if (p.eat('(')) {
    const rest = parseExprList(p)
    p.expect(')')
    return [first, ...rest]
  }
  const out = [first]
  while (p.eat(',')) out.push(parseExpr(p))
  return out
}

/** Receive arguments: `a, b`, `a(b, c)`, `(a, b)`; each a variable, a constant, `eval(e)` or `_`. */
export function parseRecvArgs(p: Cursor): RecvArg[] {
  if (p.depth >= maxNesting) {
    p.error('PML037', `receive arguments nested more than ${maxNesting} deep`, p.cur.start, p.cur.end)
    return []
  }
  p.depth++
  try {
    if (p.eat('(')) {
      const inner = parseRecvArgs(p)
      p.expect(')')
      return inner
    }
    const out: RecvArg[] = []
    for (;;) {
      out.push(parseRecvArg(p))
      if (p.eat('(')) {
        out.push(...parseRecvArgs(p))
        p.expect(')')
        return out
      }
      if (!p.eat(',')) return out
    }
  } finally {
    p.depth--
  }
}

function parseRecvArg(p: Cursor): RecvArg {
  const start = p.pos
  const t = p.cur
  switch (t.kind) {
    case 'eval': {
      p.advance()
      p.expect('(')
      const value = parseExpr(p)
      p.expect(')')
      return { kind: 'recvEval', value, span: p.spanFrom(start) }
    }
    case 'number':
    case 'true':
    case 'false':
    case 'skip':
      return { kind: 'recvConst', value: asExpr(p, parsePrimary(p, 'expr'), t), span: p.spanFrom(start) }
    case '-':
      if (p.peek().kind === 'number') {
        p.advance()
        const num = p.advance()
        const value: NumberLit = { kind: 'number', id: p.id(), span: p.spanFrom(start), value: -(num.value ?? 0) }
        return { kind: 'recvConst', value, span: value.span }
      }
      break
    case 'ident': {
      const ref = parseVarRef(p)
      return { kind: 'recvVar', ref, span: ref.span }
    }
    default:
      break
  }
  p.syntaxError('a receive argument (a variable, a constant, eval(…) or _)')
  const value = placeholder(p)
  return { kind: 'recvConst', value, span: value.span }
}
