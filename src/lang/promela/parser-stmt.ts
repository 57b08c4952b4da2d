import type { Expr, ForStmt, IfStmt, Label, Sequence, Step, Stmt } from './ast.js'
import type { TokenKind } from './lexer.js'
import { maxNesting, type Cursor } from './parser-cursor.js'
import { atDeclStart, parseOneDecl, parseTypedef } from './parser-decl.js'
import { parseCCode, parseExpr, parseExprList, parseRecvArgs, parseSendArgs, parseVarRef } from './parser-expr.js'

/**
 * Statements and sequences. As in SPIN, `;` and `->` both separate statements, several in a row are one
 * separator, a trailing one is fine, and none is needed after a `}` or an `else`.
 */

/** Tokens that end a sequence (and where statement recovery stops). */
const sequenceEnds: ReadonlySet<TokenKind> = new Set<TokenKind>([
  '}', '::', 'od', 'fi', 'eof', 'proctype', 'D_proctype', 'active', 'init', 'never', 'ltl', 'inline', 'trace', 'notrace',
])

/** Tokens that can start an expression statement. */
const exprStarts: ReadonlySet<TokenKind> = new Set<TokenKind>([
  'ident', 'number', '(', '!', '!!', '-', '--', '~', 'true', 'false', 'len', 'empty', 'nempty', 'full', 'nfull', 'run',
  'enabled', 'pc_value', 'get_priority', 'set_priority', 'timeout', 'np_', 'c_expr',
])

function atSequenceEnd(p: Cursor): boolean {
  return sequenceEnds.has(p.cur.kind)
}

/**
 * `{ steps }`: the sequence's span covers the braces. `nested` names the braces of a block, an
 * atomic sequence, a d_step or an inline's body, whose first statement may carry no label
 * (SPIN: "label placed incorrectly"); a proctype's, init's or never claim's body may.
 */
export function parseBlockBody(p: Cursor, nested?: 'block' | 'atomic' | 'd_step'): Sequence {
  const start = p.pos
  p.expect('{')
  const steps = parseSteps(p)
  p.expect('}')
  if (nested) misplacedLabel(p, steps[0]?.labels, nested === 'block' ? 'label it outside the braces: `Label: { statement ... }`' : `label the sequence instead: \`Label: ${nested} { statement ... }\``)
  return { kind: 'sequence', id: p.id(), span: p.spanFrom(start), steps }
}

/**
 * SPIN gives no state of its own to the first statement of a nested sequence (it is entered
 * through the sequence's element), so it rejects a label there: PML040, an error, except on an
 * option's first statement of an if or do, where SPIN prints its error and goes on (a warning).
 */
function misplacedLabel(p: Cursor, labels: readonly Label[] | undefined, hint: string, severity: 'error' | 'warning' = 'error'): void {
  const label = labels?.[0]
  if (!label) return
  p.reportSpan('PML040', `label '${label.name}' placed incorrectly`, label.span, labelOffsets.get(label) ?? 0, hint, severity)
}

/** Each label's preprocessed offset, for the order of diagnostics. */
const labelOffsets = new WeakMap<Label, number>()

/** A non-empty sequence of steps up to a `}`, `::`, `fi`, `od` or the end. */
export function parseSteps(p: Cursor): Step[] {
  const steps: Step[] = []
  if (atSequenceEnd(p)) {
    p.syntaxError('a statement')
    return steps
  }
  for (;;) {
    const before = p.pos
    const step = parseStep(p, true)
    if (step) steps.push(step)
    if (p.panic) p.syncStatement()
    const prev = p.pos > before ? p.tokenAt(p.pos - 1) : undefined
    const implicit = prev !== undefined && (prev.kind === '}' || prev.kind === 'else')
    if (!p.at(';') && !p.at('->') && !atSequenceEnd(p) && !implicit) {
      p.syntaxError("';' or '->'")
      p.syncStatement()
    }
    while (p.eat(';') || p.eat('->'));
    if (p.pos === before) p.advance() // no progress: drop the token so that the loop ends
    if (atSequenceEnd(p)) return steps
  }
}

/** Labels, a statement and an optional `unless` escape; undefined for `xr`/`xs`, which SPIN keeps out of the sequence. */
function parseStep(p: Cursor, allowUnless: boolean): Step | undefined {
  const start = p.pos
  const labels: Label[] = []
  while (p.at('ident') && p.peek().kind === ':' && !(p.procNames.has(p.cur.text) && p.peek(2).kind === 'ident')) {
    const t = p.advance()
    p.advance()
    const label: Label = { name: t.text, span: p.tokenSpan(t) }
    labelOffsets.set(label, t.start)
    labels.push(label)
  }
  let stmt: Stmt | undefined
  if (labels.length > 0 && (atSequenceEnd(p) || p.at(';') || p.at('->'))) {
    stmt = { kind: 'skip', id: p.id(), span: p.spanFrom(start) } // `L: }` labels an implicit skip, as in SPIN
  } else {
    stmt = parseStmt(p)
  }
  if (!stmt) return undefined
  const first = labels[0]
  if (stmt.kind === 'decl' && first) p.report('PML034', `a label cannot precede a declaration`, p.tokenAt(start).start, p.tokenAt(start).end, `label '${first.name}'`)
  let unless: Sequence | undefined
  if (allowUnless && p.at('unless') && !p.panic) {
    p.advance()
    const escStart = p.pos
    const escape = parseStep(p, false)
    unless = { kind: 'sequence', id: p.id(), span: p.spanFrom(escStart), steps: escape ? [escape] : [] }
    misplacedLabel(p, escape?.labels, 'SPIN cannot jump to the guard of an escape (it is not a state of its own)')
  }
  if (unless && first) {
    if (labels.length === 1 && stmt.kind === 'block') {
      // SPIN lifts the label over the escape: `L: {A} unless {B}` is `L: { {A} unless {B} }`.
      const main: Step = { kind: 'step', id: p.id(), span: p.spanFrom(start), labels: [], stmt: { kind: 'block', id: p.id(), span: stmt.span, body: stmt.body }, unless }
      const body: Sequence = { kind: 'sequence', id: p.id(), span: main.span, steps: [main] }
      return { kind: 'step', id: p.id(), span: p.spanFrom(start), labels, stmt: { kind: 'block', id: p.id(), span: p.spanFrom(start), body } }
    }
    // (SPIN lifts the label over an atomic or d_step sequence too, in a way that changes the sequence's
    // atomicity; weft keeps the label on the statement there: docs/warts.md.)
    if (!(labels.length === 1 && (stmt.kind === 'atomic' || stmt.kind === 'dStep'))) {
      misplacedLabel(p, labels, 'label the whole construct instead: `Label: { statement unless statement }`')
    }
  }
  return { kind: 'step', id: p.id(), span: p.spanFrom(start), labels, stmt, ...(unless ? { unless } : {}) }
}

function parseStmt(p: Cursor): Stmt | undefined {
  if (p.depth >= maxNesting) {
    p.error('PML037', `statements nested more than ${maxNesting} deep`, p.cur.start, p.cur.end)
    return undefined
  }
  p.depth++
  try {
    return parseStmtInner(p)
  } finally {
    p.depth--
  }
}

function parseStmtInner(p: Cursor): Stmt | undefined {
  const start = p.pos
  const t = p.cur
  switch (t.kind) {
    case 'if':
    case 'do':
      return parseIfDo(p)
    case 'for':
      return parseFor(p)
    case 'select': {
      p.advance()
      p.expect('(')
      const variable = parseVarRef(p)
      p.expect(':')
      const from = parseExpr(p)
      p.expect('..')
      const to = parseExpr(p)
      p.expect(')')
      return { kind: 'select', id: p.id(), span: p.spanFrom(start), variable, from, to }
    }
    case 'atomic':
    case 'd_step': {
      p.advance()
      const body = parseBlockBody(p, t.kind)
      return { kind: t.kind === 'atomic' ? 'atomic' : 'dStep', id: p.id(), span: p.spanFrom(start), body }
    }
    case '{': {
      const body = parseBlockBody(p, 'block')
      return { kind: 'block', id: p.id(), span: p.spanFrom(start), body }
    }
    case 'break':
    case 'else':
    case 'skip':
      p.advance()
      return { kind: t.kind, id: p.id(), span: p.tokenSpan(t) }
    case 'goto': {
      p.advance()
      const label = p.expect('ident', 'a label name')
      return { kind: 'goto', id: p.id(), span: p.spanFrom(start), label: label?.text ?? '' }
    }
    case 'assert': {
      p.advance()
      const expr = parseExpr(p)
      return { kind: 'assert', id: p.id(), span: p.spanFrom(start), expr }
    }
    case 'printf': {
      p.advance()
      p.expect('(')
      const fmt = p.expect('string', 'a format string')
      const args = fmt && p.eat(',') ? parseExprList(p) : []
      p.expect(')')
      return { kind: 'printf', id: p.id(), span: p.spanFrom(start), format: fmt ? decodeString(fmt.text) : '', args }
    }
    case 'printm': {
      p.advance()
      p.expect('(')
      const value = parseExpr(p)
      p.expect(')')
      return { kind: 'printm', id: p.id(), span: p.spanFrom(start), value }
    }
    case 'c_code':
    case 'c_decl':
      return parseCCode(p)
    case 'xr':
    case 'xs':
      // Exclusive read/send assertions only inform partial-order reduction; SPIN keeps them out of the sequence.
      p.advance()
      parseVarRef(p)
      while (!p.panic && p.eat(',')) parseVarRef(p)
      return undefined
    case 'typedef':
      p.report('PML035', 'a typedef must be declared at the top level', t.start, t.end)
      parseTypedef(p)
      return undefined
    case 'return':
      p.error('PML036', "'return' (an inline with a value) is not supported", t.start, t.end)
      return undefined
    case 'c_state':
    case 'c_track':
      p.error('PML035', `'${t.kind}' must be at the top level`, t.start, t.end)
      return undefined
    default:
      break
  }
  if (atDeclStart(p)) {
    const d = parseOneDecl(p)
    if (d.kind === 'decl') return d
    p.report('PML035', 'an mtype declaration must be global', p.tokenAt(start).start, p.tokenAt(start).end)
    return undefined
  }
  if (t.kind === 'ident' && p.peek().kind === '(') {
    p.advance()
    p.advance()
    const args = p.at(')') ? [] : parseExprList(p)
    p.expect(')')
    p.calledInlines.add(t.text)
    return { kind: 'inlineCall', id: p.id(), span: p.spanFrom(start), name: t.text, args }
  }
  if (!exprStarts.has(t.kind)) {
    p.syntaxError('a statement')
    return undefined
  }
  return parseExprStmt(p)
}

/** An expression, then `= e`, `++`, `--`, `!args`, `!!args`, `?args`, `??args`, `?<args>`, or nothing. */
function parseExprStmt(p: Cursor): Stmt {
  const start = p.pos
  const parsed = parseExpr(p)
  const opTok = p.cur
  // `_priority = 3`: SPIN's predefined variables are names; as a target they are a plain reference here.
  const e: Expr =
    parsed.kind === 'builtin' && parsed.name.startsWith('_') && (opTok.kind === '=' || opTok.kind === '++' || opTok.kind === '--')
      ? { kind: 'ref', id: parsed.id, span: parsed.span, name: parsed.name, fields: [] }
      : parsed
  const needRef = (what: string): boolean => {
    if (e.kind === 'ref') return true
    p.error('PML033', `only a variable can ${what}`, p.tokenAt(start).start, opTok.start, 'not a variable')
    return false
  }
  switch (opTok.kind) {
    case '=': {
      p.advance()
      const value = parseExpr(p)
      if (!needRef('be assigned to') || e.kind !== 'ref') break
      return { kind: 'assign', id: p.id(), span: p.spanFrom(start), target: e, value }
    }
    case '++':
    case '--':
      p.advance()
      if (!needRef(opTok.kind === '++' ? 'be incremented' : 'be decremented') || e.kind !== 'ref') break
      return { kind: opTok.kind === '++' ? 'incr' : 'decr', id: p.id(), span: p.spanFrom(start), target: e }
    case '!':
    case '!!': {
      p.advance()
      const args = parseSendArgs(p)
      if (!needRef('be sent to')) break
      return { kind: 'send', id: p.id(), span: p.spanFrom(start), chan: e, sorted: opTok.kind === '!!', args }
    }
    case '?':
    case '??': {
      p.advance()
      const keep = p.eat('<') !== undefined
      const args = parseRecvArgs(p)
      if (keep) p.expect('>')
      if (!needRef('be received from')) break
      return { kind: 'receive', id: p.id(), span: p.spanFrom(start), chan: e, random: opTok.kind === '??', keep, args }
    }
    default:
      break
  }
  return exprStmt(p, e, start)
}

function exprStmt(p: Cursor, expr: Expr, start: number): Stmt {
  return { kind: 'exprStmt', id: p.id(), span: p.spanFrom(start), expr }
}

/** `if :: … :: … fi` and `do :: … od`. */
function parseIfDo(p: Cursor): IfStmt {
  const start = p.pos
  const kind = p.advance().kind as 'if' | 'do'
  const close = kind === 'if' ? 'fi' : 'od'
  const options: Sequence[] = []
  if (!p.at('::')) p.syntaxError(`'::' to start an option of '${kind}'`)
  while (p.at('::')) {
    const optStart = p.pos
    p.advance()
    const steps = parseSteps(p)
    misplacedLabel(p, steps[0]?.labels, `label the whole '${kind}' instead: \`Label: ${kind} :: statement ... ${close}\``, 'warning')
    options.push({ kind: 'sequence', id: p.id(), span: p.spanFrom(optStart), steps })
  }
  p.expect(close, `'::' or '${close}'`)
  // SPIN rejects an escape on an option's first statement (its guard) when there is more than one option.
  if (options.length > 1) {
    for (const o of options) {
      const guard = o.steps[0]
      if (guard?.unless) p.report('PML039', `'unless' on the first statement of an option of '${kind}'`, guard.span.start, guard.span.end, "SPIN: saw 'unless' on a guard; start the option with another statement, e.g. 'skip;'")
    }
  }
  return { kind, id: p.id(), span: p.spanFrom(start), options }
}

/** `for (i : lo .. hi) { … }` and `for (i in array) { … }`. */
function parseFor(p: Cursor): ForStmt {
  const start = p.pos
  p.advance()
  p.expect('(')
  const variable = parseVarRef(p)
  let range: ForStmt['range']
  if (p.atWord('in')) {
    p.advance()
    range = { kind: 'in', array: parseVarRef(p) }
  } else {
    p.expect(':', "':' or 'in'")
    const from = parseExpr(p)
    p.expect('..')
    const to = parseExpr(p)
    range = { kind: 'range', from, to }
  }
  p.expect(')')
  p.eat(';')
  const body = parseBlockBody(p)
  return { kind: 'for', id: p.id(), span: p.spanFrom(start), variable, range, body }
}

const escapes: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', f: '\f', '\\': '\\', '"': '"', "'": "'", '0': '\0' }

/** The text of a string token without its quotes, with `\n`, `\t`, `\\`, `\"` … decoded (others kept as written). */
export function decodeString(raw: string): string {
  const body = raw.length >= 2 && raw.endsWith('"') ? raw.slice(1, -1) : raw.slice(1)
  return body.replace(/\\(.)/g, (whole: string, c: string) => escapes[c] ?? whole)
}
