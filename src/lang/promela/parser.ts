import type { Diagnostic, Result } from '../../diag/diagnostic.js'
import type { CCode, Expr, InitDecl, InlineDecl, LtlDecl, NeverDecl, PmlModule, Proctype, TopLevel, TraceDecl } from './ast.js'
import type { PmlCode } from './codes.js'
import { lexPromela, type LexProblem, type Token } from './lexer.js'
import { Cursor, type PreprocessedText } from './parser-cursor.js'
import { atDeclStart, parseOneDecl, parseParams, parseTypedef } from './parser-decl.js'
import { parseCCode, parseExpr, parseLtlFormula } from './parser-expr.js'
import { parseBlockBody } from './parser-stmt.js'

export type { PreprocessedText } from './parser-cursor.js'


const lexCodes: Readonly<Record<LexProblem['kind'], { code: PmlCode; message: (p: LexProblem) => string }>> = {
  badChar: { code: 'PML020', message: (p) => (p.end - p.start > 2 ? `unexpected characters '${p.text.length > 12 ? `${p.text.slice(0, 10)}…` : p.text}'` : `unexpected character '${p.text}'`) },
  unterminatedComment: { code: 'PML021', message: () => "comment is not closed: '/*' without '*/'" },
  unterminatedString: { code: 'PML022', message: () => 'string is not closed on its line' },
  badCharConst: { code: 'PML023', message: () => 'malformed character constant' },
  unterminatedC: { code: 'PML024', message: () => 'embedded C code is not closed: unbalanced braces' },
  directive: { code: 'PML025', message: (p) => `preprocessor directive '${p.text.split(/\s/)[0] ?? '#'}' was not expanded` },
}

/**
 * Parses preprocessed Promela into a `PmlModule`. Use it after `preprocess`; spans point into the
 * original files through `input.origin`.
 *
 * Never throws and always returns a module: with syntax errors it is a best-effort tree (a missing
 * expression is a `number` 0 node) that later phases should not check. The parser reports the first
 * error of each statement and resynchronises at the next `;`, `}` or top-level keyword, so one mistake
 * gives one diagnostic. As in SPIN, errors inside an `inline` that is never called are not reported.
 * Linear in the input; nesting deeper than 200 levels is reported rather than recursed into.
 */
export function parsePromela(input: PreprocessedText): Result<PmlModule> {
  const { tokens, problems } = lexPromela(input.text)
  const p = new Cursor(input, tokens, proctypeNames(tokens))
  const deferred: Deferred = []
  const items: TopLevel[] = []
  while (!p.at('eof')) {
    const before = p.pos
    p.panic = false
    if (p.eat(';') || p.eat('->')) continue
    const item = parseUnit(p, deferred)
    if (item) items.push(item)
    if (p.panic) p.syncTopLevel()
    if (p.pos === before) p.advance()
  }

  const uncalled = deferred.filter((d) => !p.calledInlines.has(d.name)) // in source order, not overlapping
  const inUncalled = (at: number): boolean => {
    let lo = 0
    let hi = uncalled.length - 1
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      const d = uncalled[mid] as Deferred[number]
      if (at < d.start) hi = mid - 1
      else if (at >= d.end) lo = mid + 1
      else return true
    }
    return false
  }
  for (const d of deferred) if (p.calledInlines.has(d.name)) p.diags.push(...d.diags)
  for (const prob of problems) {
    if (inUncalled(prob.start)) continue
    const { code, message } = lexCodes[prob.kind]
    p.report(code, message(prob), prob.start, Math.max(prob.end, prob.start + 1))
  }
  const first = tokens[0] as Token
  const last = tokens.length >= 2 ? (tokens[tokens.length - 2] as Token) : first
  const module: PmlModule = { kind: 'module', id: p.id(), span: p.span(first.start, last.end), items }
  const diagnostics: Diagnostic[] = p.sortedDiagnostics()
  return { value: module, diagnostics }
}

/** Names after `proctype`/`D_proctype`: with them, `P:x` is a remote variable rather than a label. */
function proctypeNames(tokens: readonly Token[]): Set<string> {
  const names = new Set<string>()
  for (let i = 0; i + 1 < tokens.length; i++) {
    const t = tokens[i] as Token
    const next = tokens[i + 1] as Token
    if ((t.kind === 'proctype' || t.kind === 'D_proctype') && next.kind === 'ident') names.add(next.text)
  }
  return names
}

type Deferred = { name: string; start: number; end: number; diags: Cursor['diags'] }[]

function parseUnit(p: Cursor, deferred: Deferred): TopLevel | undefined {
  const start = p.pos
  const t = p.cur
  switch (t.kind) {
    case 'active':
    case 'proctype':
    case 'D_proctype':
      return parseProctype(p)
    case 'init': {
      p.advance()
      const priority = parsePriority(p)
      const body = parseBlockBody(p)
      const init: InitDecl = { kind: 'init', id: p.id(), span: p.spanFrom(start), ...(priority ? { priority } : {}), body }
      return init
    }
    case 'never': {
      p.advance()
      const name = p.eat('ident')?.text
      const body = parseBlockBody(p)
      const never: NeverDecl = { kind: 'never', id: p.id(), span: p.spanFrom(start), ...(name !== undefined ? { name } : {}), body }
      return never
    }
    case 'trace':
    case 'notrace': {
      p.advance()
      const body = parseBlockBody(p)
      const trace: TraceDecl = { kind: t.kind, id: p.id(), span: p.spanFrom(start), body }
      return trace
    }
    case 'typedef':
      return parseTypedef(p)
    case 'inline':
      return parseInline(p, deferred)
    case 'ltl':
      return parseLtl(p)
    case 'c_code':
    case 'c_decl':
      return parseCCode(p)
    case 'c_state':
    case 'c_track': {
      p.advance()
      p.expect('string', 'a string with the C declaration')
      p.expect('string', 'a string with the scope or size')
      p.eat('string')
      const c: CCode = { kind: 'cCode', id: p.id(), span: p.spanFrom(start), keyword: t.kind }
      return c
    }
    default:
      break
  }
  if (atDeclStart(p)) return parseOneDecl(p)
  p.syntaxError('a declaration, proctype, init, never, ltl, typedef or inline')
  return undefined
}

/** `[active [N]] proctype|D_proctype Name(params) [priority N] [provided (e)] { … }`. */
function parseProctype(p: Cursor): Proctype {
  const start = p.pos
  let active: Expr | undefined
  const activeTok = p.eat('active')
  if (activeTok) {
    if (p.eat('[')) {
      active = parseExpr(p)
      p.expect(']')
    } else {
      active = { kind: 'number', id: p.id(), span: p.tokenSpan(activeTok), value: 1 }
    }
  }
  const deterministic = p.at('D_proctype')
  if (!p.eat('proctype') && !p.eat('D_proctype')) p.syntaxError("'proctype'")
  const name = p.expect('ident', 'a proctype name')?.text ?? ''
  p.expect('(')
  const params = p.panic ? [] : parseParams(p)
  p.expect(')', "';' or ')'")
  const priority = parsePriority(p)
  let provided: Expr | undefined
  if (p.eat('provided')) {
    p.expect('(')
    provided = parseExpr(p)
    p.expect(')')
  }
  const body = parseBlockBody(p)
  return {
    kind: 'proctype',
    id: p.id(),
    span: p.spanFrom(start),
    name,
    ...(active ? { active } : {}),
    deterministic,
    params,
    ...(priority ? { priority } : {}),
    ...(provided ? { provided } : {}),
    body,
  }
}

function parsePriority(p: Cursor): Expr | undefined {
  return p.eat('priority') ? parseExpr(p) : undefined
}

/** `inline name(a, b) { … }`; errors in the body are held back until the inline turns out to be called. */
function parseInline(p: Cursor, deferred: Deferred): InlineDecl {
  const start = p.pos
  p.advance()
  const name = p.expect('ident', 'an inline name')?.text ?? ''
  const params: string[] = []
  p.expect('(')
  if (!p.panic && !p.at(')')) {
    do {
      const param = p.expect('ident', 'a parameter name')
      if (param) params.push(param.text)
    } while (!p.panic && p.eat(','))
  }
  p.expect(')', "',' or ')'")
  const outer = p.diags
  const outerPanic = p.panic
  p.diags = []
  p.panic = false
  const bodyStart = p.cur.start
  // SPIN keeps an inline's body as text until a call: whatever it holds ends at the matching brace.
  const close = p.at('{') ? p.matchingBrace(p.pos) : -1
  const body = parseBlockBody(p, 'block')
  if (close >= 0 && p.pos <= close) p.pos = close + 1
  deferred.push({ name, start: bodyStart, end: p.pos > 0 ? p.tokenAt(p.pos - 1).end : bodyStart, diags: p.diags })
  p.diags = outer
  p.panic = close >= 0 ? outerPanic : outerPanic || p.panic
  return { kind: 'inline', id: p.id(), span: p.spanFrom(start), name, params, body }
}

/** `ltl [name] { formula }`. */
function parseLtl(p: Cursor): LtlDecl {
  const start = p.pos
  p.advance()
  const name = p.eat('ident')?.text
  p.expect('{')
  const formula = parseLtlFormula(p)
  p.eat(';')
  p.expect('}')
  return { kind: 'ltl', id: p.id(), span: p.spanFrom(start), ...(name !== undefined ? { name } : {}), formula }
}
