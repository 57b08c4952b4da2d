import type { Span } from '../../diag/span.js'
import type { ChanInit, DeclGroup, Expr, MtypeDecl, TypedefDecl, TypeName, VarDecl } from './ast.js'
import type { TokenKind } from './lexer.js'
import type { Cursor } from './parser-cursor.js'
import { parseExpr } from './parser-expr.js'

/** Declarations: variables, channels, `mtype` sets, typedefs and parameter lists. */

const basicTypes: ReadonlySet<TokenKind> = new Set<TokenKind>(['bit', 'bool', 'byte', 'short', 'int', 'pid', 'unsigned', 'chan', 'mtype'])
const visibilities: ReadonlySet<TokenKind> = new Set<TokenKind>(['hidden', 'show', 'local'])

/** The current token starts a declaration: a basic type, `hidden`/`show`/`local`, or `Typedef name`. */
export function atDeclStart(p: Cursor): boolean {
  const k = p.cur.kind
  return basicTypes.has(k) || visibilities.has(k) || (k === 'ident' && p.peek().kind === 'ident')
}

/** `mtype [:name] = { … }` or `mtype [:name] { … }` is next (after an optional visibility word). */
function atMtypeSet(p: Cursor): boolean {
  const base = visibilities.has(p.cur.kind) ? 1 : 0
  if (p.peek(base).kind !== 'mtype') return false
  let k = base + 1
  if (p.peek(k).kind === ':' && p.peek(k + 1).kind === 'ident') k += 2
  return p.peek(k).kind === '{' || (p.peek(k).kind === '=' && p.peek(k + 1).kind === '{')
}

/** One declaration: `[hidden|show|local] type a, b[2] = 3`, or an `mtype` set declaration. */
export function parseOneDecl(p: Cursor): DeclGroup | MtypeDecl {
  const start = p.pos
  if (atMtypeSet(p)) return parseMtypeDecl(p)
  const vis = visibilities.has(p.cur.kind) ? (p.advance().kind as 'hidden' | 'show' | 'local') : undefined
  const type = parseTypeName(p)
  const vars = [parseVarDecl(p, type, vis)]
  while (!p.panic && p.eat(',')) vars.push(parseVarDecl(p, type, vis))
  return { kind: 'decl', id: p.id(), span: p.spanFrom(start), vars }
}

/** A basic type (`mtype:name` included) or a typedef name. */
export function parseTypeName(p: Cursor): TypeName {
  const start = p.pos
  const t = p.cur
  if (basicTypes.has(t.kind)) {
    p.advance()
    let mtypeSet: string | undefined
    if (t.kind === 'mtype' && p.at(':') && p.peek().kind === 'ident') {
      p.advance()
      mtypeSet = p.advance().text
    }
    return { kind: 'type', id: p.id(), span: p.spanFrom(start), name: t.kind, ...(mtypeSet !== undefined ? { mtypeSet } : {}) }
  }
  if (t.kind === 'ident') {
    p.advance()
    return { kind: 'type', id: p.id(), span: p.tokenSpan(t), name: t.text }
  }
  p.syntaxError('a type')
  return { kind: 'type', id: p.id(), span: p.span(t.start, t.start), name: '' }
}

/** `name [: bits] [[size]] [= init]`. */
function parseVarDecl(p: Cursor, type: TypeName, visibility: VarDecl['visibility']): VarDecl {
  const start = p.pos
  const nameTok = p.expect('ident', 'a variable name')
  let bits: Expr | undefined
  let arraySize: Expr | undefined
  let init: Expr | ChanInit | undefined
  if (nameTok) {
    if (p.eat(':')) bits = parseExpr(p)
    if (p.eat('[')) {
      arraySize = parseExpr(p)
      p.expect(']')
    }
    if (p.eat('=')) {
      if (p.at('[')) init = parseChanInit(p)
      else if (p.at('{')) p.error('PML036', 'array initialiser lists are not supported; assign the elements one by one', p.cur.start, p.cur.end)
      else init = parseExpr(p)
    }
  }
  return {
    kind: 'varDecl',
    id: p.id(),
    span: p.spanFrom(start),
    type,
    name: nameTok?.text ?? '',
    ...(arraySize ? { arraySize } : {}),
    ...(bits ? { bits } : {}),
    ...(init ? { init } : {}),
    ...(visibility ? { visibility } : {}),
  }
}

/** `[N] of { t1, t2 }`. */
function parseChanInit(p: Cursor): ChanInit {
  const start = p.pos
  p.expect('[')
  const capacity = parseExpr(p)
  p.expect(']')
  p.expect('of')
  p.expect('{')
  const fields = [parseTypeName(p)]
  while (!p.panic && p.eat(',')) fields.push(parseTypeName(p))
  p.expect('}')
  return { kind: 'chanInit', id: p.id(), span: p.spanFrom(start), capacity, fields }
}

/** `mtype [:name] [=] { a, b c }` (commas are optional, as in SPIN). */
function parseMtypeDecl(p: Cursor): MtypeDecl {
  const start = p.pos
  if (p.cur.kind !== 'mtype') p.advance() // a visibility word, which SPIN ignores for mtype
  p.advance()
  let set: string | undefined
  if (p.eat(':')) set = p.advance().text
  p.eat('=')
  p.expect('{')
  const names: { name: string; span: Span }[] = []
  while (p.at('ident')) {
    const t = p.advance()
    names.push({ name: t.text, span: p.tokenSpan(t) })
    p.eat(',')
  }
  if (names.length === 0) p.syntaxError('an mtype name')
  p.expect('}')
  return { kind: 'mtype', id: p.id(), span: p.spanFrom(start), ...(set !== undefined ? { set } : {}), names }
}

/** `typedef Name { decl; decl }`. */
export function parseTypedef(p: Cursor): TypedefDecl {
  const start = p.pos
  p.advance()
  const name = p.expect('ident', 'a type name')?.text ?? ''
  const fields: VarDecl[] = []
  if (p.expect('{')) {
    while (!p.at('}') && !p.at('eof')) {
      const before = p.pos
      const d = parseOneDecl(p)
      if (d.kind === 'decl') fields.push(...d.vars)
      else p.report('PML035', 'an mtype declaration cannot be a typedef field', p.tokenAt(before).start, p.tokenAt(before).end)
      if (p.panic) p.syncStatement()
      if (!p.eat(';')) break
      while (p.eat(';'));
    }
    p.expect('}', "'}' or ';'")
  }
  return { kind: 'typedef', id: p.id(), span: p.spanFrom(start), name, fields }
}

/** A parameter list after `(`, up to (not including) `)`: `chan a, b; byte c`. */
export function parseParams(p: Cursor): VarDecl[] {
  const params: VarDecl[] = []
  while (!p.at(')') && !p.at('eof')) {
    const before = p.pos
    const d = parseOneDecl(p)
    if (d.kind === 'decl') params.push(...d.vars)
    else p.report('PML035', 'an mtype declaration cannot be a parameter', p.tokenAt(before).start, p.tokenAt(before).end)
    if (p.panic) p.syncStatement(true)
    if (!p.eat(';')) break
    while (p.eat(';'));
  }
  return params
}
