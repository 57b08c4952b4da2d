/**
 * The Promela lexer: preprocessed text in, tokens out. It never fails; what it cannot read becomes a
 * `LexProblem` (the parser turns those into diagnostics) and lexing goes on after it.
 *
 * The LTL operators `[]`, `<>`, `<->`, `/\` and `\/` are always lexed as single tokens: none of them can
 * appear in valid Promela outside an `ltl` formula, so one token stream serves both. Word operators
 * (`U`, `always`, `X`, …) stay identifiers; the parser treats them as operators inside `ltl { }` only,
 * as SPIN does. Embedded C bodies (`c_code { … }`, `c_expr [ … ] { … }`) are skipped by brace matching
 * and become one `cbody` token.
 */

export const keywords = [
  'active', 'assert', 'atomic', 'bit', 'bool', 'break', 'byte', 'c_code', 'c_decl', 'c_expr', 'c_state', 'c_track',
  'chan', 'D_proctype', 'd_step', 'do', 'else', 'empty', 'enabled', 'eval', 'false', 'fi', 'for', 'full',
  'get_priority', 'goto', 'hidden', 'if', 'init', 'inline', 'int', 'len', 'local', 'ltl', 'mtype', 'nempty', 'never',
  'nfull', 'notrace', 'np_', 'od', 'of', 'pc_value', 'pid', 'printf', 'printm', 'priority', 'proctype', 'provided',
  'return', 'run', 'select', 'set_priority', 'short', 'show', 'skip', 'timeout', 'trace', 'true', 'typedef', 'unless',
  'unsigned', 'xr', 'xs',
] as const
export type Keyword = (typeof keywords)[number]

/** Longest first, so that the first match is the longest. */
const puncts = [
  '<->', '::', '..', '->', '==', '!=', '!!', '??', '<=', '>=', '<<', '>>', '++', '--', '&&', '||', '[]', '<>', '/\\', '\\/',
  '{', '}', '(', ')', '[', ']', ';', ',', ':', '.', '=', '!', '?', '<', '>', '+', '-', '*', '/', '%', '&', '|', '^', '~', '@',
] as const
export type Punct = (typeof puncts)[number]

export type TokenKind = 'ident' | 'number' | 'string' | 'cbody' | 'eof' | Keyword | Punct

export interface Token {
  readonly kind: TokenKind
  /** Offsets into the preprocessed text; `end` is exclusive. */
  readonly start: number
  readonly end: number
  /** The source text of the token (for `string`, with its quotes). */
  readonly text: string
  /** The value of a `number` (decimal, hex or a character constant). */
  readonly value?: number
  /** A `;` that SPIN implies at the end of a line (see `impliedSemicolons`); it has no text. */
  readonly implied?: boolean
}

export type LexProblemKind = 'badChar' | 'unterminatedComment' | 'unterminatedString' | 'badCharConst' | 'unterminatedC' | 'directive'

export interface LexProblem {
  readonly kind: LexProblemKind
  readonly start: number
  readonly end: number
  readonly text: string
}

export interface LexResult {
  /** Always ends with one `eof` token. */
  readonly tokens: readonly Token[]
  readonly problems: readonly LexProblem[]
}

const keywordSet: ReadonlySet<string> = new Set(keywords)
const cBodyKeywords: ReadonlySet<string> = new Set(['c_code', 'c_decl', 'c_expr'])

function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95
}
function isIdentPart(c: number): boolean {
  return isIdentStart(c) || isDigit(c)
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57
}
function isHexDigit(c: number): boolean {
  return isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102)
}
function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11
}

const charEscapes: Readonly<Record<string, number>> = { n: 10, r: 13, t: 9, f: 12, '0': 0 }

/** Splits preprocessed Promela text into tokens. Linear in the text; never throws. */
export function lexPromela(text: string): LexResult {
  const tokens: Token[] = []
  const problems: LexProblem[] = []
  const n = text.length
  let i = 0
  let lineStart = true // only white space since the last newline: `#` starts a directive

  const problem = (kind: LexProblemKind, start: number, end: number): void => {
    problems.push({ kind, start, end, text: text.slice(start, end) })
  }
  const push = (kind: TokenKind, start: number, end: number, value?: number): void => {
    tokens.push(value === undefined ? { kind, start, end, text: text.slice(start, end) } : { kind, start, end, text: text.slice(start, end), value })
  }

  /** Skips white space and comments from `j`; returns the next offset. Reports unterminated comments. */
  const skipTrivia = (j: number): number => {
    while (j < n) {
      const c = text.charCodeAt(j)
      if (isSpace(c)) {
        j++
      } else if (c === 47 && text.charCodeAt(j + 1) === 42) {
        const close = text.indexOf('*/', j + 2)
        if (close < 0) {
          problem('unterminatedComment', j, j + 2)
          return n
        }
        j = close + 2
      } else if (c === 47 && text.charCodeAt(j + 1) === 47) {
        const nl = text.indexOf('\n', j)
        j = nl < 0 ? n : nl
      } else {
        break
      }
    }
    return j
  }

  /** From an opening bracket at `j`, the offset just after its match (strings, characters and comments skipped); -1 if unmatched. */
  const matchC = (j: number, open: number, close: number): number => {
    let depth = 0
    while (j < n) {
      const c = text.charCodeAt(j)
      if (c === open) depth++
      else if (c === close) {
        depth--
        if (depth === 0) return j + 1
      } else if (c === 34 || c === 39) {
        j++
        while (j < n && text.charCodeAt(j) !== c && text.charCodeAt(j) !== 10) j += text.charCodeAt(j) === 92 ? 2 : 1
      } else if (c === 47 && text.charCodeAt(j + 1) === 42) {
        const end = text.indexOf('*/', j + 2)
        if (end < 0) return -1
        j = end + 1
      } else if (c === 47 && text.charCodeAt(j + 1) === 47) {
        const nl = text.indexOf('\n', j)
        if (nl < 0) return -1
        j = nl
      }
      j++
    }
    return -1
  }

  while (i < n) {
    const c = text.charCodeAt(i)
    if (c === 10) {
      lineStart = true
      i++
      continue
    }
    if (isSpace(c)) {
      i++
      continue
    }
    if (c === 47 && (text.charCodeAt(i + 1) === 42 || text.charCodeAt(i + 1) === 47)) {
      i = skipTrivia(i)
      continue
    }
    const atLineStart = lineStart
    lineStart = false
    const start = i

    if (c === 35 && atLineStart) {
      // A directive the preprocessor left behind. Line markers (`# 12 "f.pml"`, `#line`) are harmless.
      let j = i
      while (j < n && text.charCodeAt(j) !== 10) j += text.charCodeAt(j) === 92 && text.charCodeAt(j + 1) === 10 ? 2 : 1
      if (!/^#\s*(line\b|\d)/.test(text.slice(i, Math.min(j, i + 16)))) problem('directive', i, j)
      i = j
      continue
    }
    if (isIdentStart(c)) {
      let j = i + 1
      while (j < n && isIdentPart(text.charCodeAt(j))) j++
      const word = text.slice(i, j)
      if (keywordSet.has(word)) {
        push(word as Keyword, i, j)
        if (cBodyKeywords.has(word)) i = lexCBody(j)
        else i = j
      } else {
        push('ident', i, j)
        i = j
      }
      continue
    }
    if (isDigit(c)) {
      let j = i + 1
      let value: number
      if (c === 48 && (text.charCodeAt(j) === 120 || text.charCodeAt(j) === 88) && isHexDigit(text.charCodeAt(j + 1))) {
        j += 1
        while (j < n && isHexDigit(text.charCodeAt(j))) j++
        value = parseInt(text.slice(i + 2, j), 16)
      } else {
        while (j < n && isDigit(text.charCodeAt(j))) j++
        value = parseInt(text.slice(i, j), 10)
      }
      push('number', i, j, value)
      i = j
      continue
    }
    if (c === 34) {
      // A string: no newlines inside; a backslash escapes the next character.
      let j = i + 1
      while (j < n && text.charCodeAt(j) !== 34 && text.charCodeAt(j) !== 10) j += text.charCodeAt(j) === 92 && j + 1 < n && text.charCodeAt(j + 1) !== 10 ? 2 : 1
      if (j < n && text.charCodeAt(j) === 34) {
        push('string', i, j + 1)
        i = j + 1
      } else {
        problem('unterminatedString', i, j)
        push('string', i, j)
        i = j
      }
      continue
    }
    if (c === 39) {
      // A character constant 'a' or '\n': a number.
      let j = i + 1
      const raw = text.charCodeAt(j)
      let value = raw
      if (raw === 92) {
        j++
        value = charEscapes[text[j] ?? ''] ?? text.charCodeAt(j)
      }
      j++
      if (text.charCodeAt(j) === 39 && raw !== 10 && !Number.isNaN(value) && text.charCodeAt(j - 1) !== 10) {
        push('number', i, j + 1, value)
        i = j + 1
      } else {
        // Skip to a closing quote on the same line, if one is near, so that one mistake is one problem.
        const close = text.indexOf("'", i + 1)
        const nl = text.indexOf('\n', i + 1)
        const end = close > 0 && close - i <= 8 && (nl < 0 || close < nl) ? close + 1 : i + 1
        problem('badCharConst', i, end)
        push('number', i, end, 0) // so that the expression around it still parses
        i = end
      }
      continue
    }
    let matched: Punct | undefined
    for (const p of puncts) {
      if (text.startsWith(p, i)) {
        matched = p
        break
      }
    }
    if (matched !== undefined) {
      push(matched, i, i + matched.length)
      i += matched.length
      continue
    }
    // Anything else: one code point that Promela has no use for.
    const cp = text.codePointAt(i) ?? c
    const len = cp > 0xffff ? 2 : 1
    const prev = problems[problems.length - 1]
    if (prev && prev.kind === 'badChar' && prev.end === start) problems[problems.length - 1] = { ...prev, end: start + len, text: text.slice(prev.start, start + len) }
    else problem('badChar', start, start + len)
    i += len
  }
  tokens.push({ kind: 'eof', start: n, end: n, text: '' })
  return { tokens: impliedSemicolons(tokens, text), problems }

  /** After `c_code`/`c_decl`/`c_expr` ending at `j`: an optional `[ … ]` and a `{ … }`, as one `cbody` token. */
  function lexCBody(j: number): number {
    let k = skipTrivia(j)
    const bodyStart = k
    if (text.charCodeAt(k) === 91) {
      const end = matchC(k, 91, 93)
      if (end < 0) {
        problem('unterminatedC', k, k + 1)
        push('cbody', k, n)
        return n
      }
      k = skipTrivia(end)
    }
    if (text.charCodeAt(k) !== 123) {
      if (k !== bodyStart) push('cbody', bodyStart, k) // a precondition without a body: the parser reports the missing '{'
      return k === bodyStart ? j : k
    }
    const end = matchC(k, 123, 125)
    if (end < 0) {
      problem('unterminatedC', k, k + 1)
      push('cbody', bodyStart, n)
      return n
    }
    push('cbody', bodyStart, end)
    return end
  }
}

/** Tokens after which a line break ends the statement (SPIN's `follows_token`; `timeout` is `(timeout)` there). */
const endsStatement: ReadonlySet<TokenKind> = new Set<TokenKind>([
  '}', ')', ']', 'od', 'fi', 'else', 'break', 'cbody', 'c_code', 'c_decl', 'c_expr', 'ident', 'number', 'true', 'false', 'skip', '++', '--', 'timeout',
])
/** Units whose `{ … }` is a sequence (or typedef fields), where SPIN implies semicolons. */
const bodyUnits: ReadonlySet<TokenKind> = new Set<TokenKind>(['proctype', 'D_proctype', 'init', 'never', 'trace', 'notrace', 'typedef', 'inline'])

/**
 * SPIN 6 (implied_semis, on by default) ends a statement at a line break inside a body when the line
 * ends in a name, a constant, `)`, `]`, `}`, `fi`, `od`, `else`, `break`, `++` or `--`, outside
 * parentheses, unless a `}` is followed by `unless`. This inserts those `;` as tokens marked `implied`,
 * so `x = a` / `+ b` on two lines is two statements, as in SPIN.
 */
function impliedSemicolons(tokens: readonly Token[], text: string): Token[] {
  const out: Token[] = []
  let braces = 0
  let bodyDepth = -1 // brace depth of the body we are in; -1 outside bodies
  let pendingBody = false
  let parens = 0
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token
    const prev = tokens[i - 1]
    if (prev && bodyDepth >= 0 && braces > bodyDepth && parens === 0 && endsStatement.has(prev.kind) && !(prev.kind === '}' && t.kind === 'unless')) {
      if (text.slice(prev.end, t.start).includes('\n')) out.push({ kind: ';', start: prev.end, end: prev.end, text: '', implied: true })
    }
    out.push(t)
    switch (t.kind) {
      case '{':
        if (pendingBody && bodyDepth < 0 && braces === 0) {
          bodyDepth = 0
          parens = 0
          pendingBody = false
        }
        braces++
        break
      case '}':
        braces = Math.max(0, braces - 1)
        if (bodyDepth >= 0 && braces <= bodyDepth) bodyDepth = -1
        break
      case '(':
        parens++
        break
      case ')':
        parens = Math.max(0, parens - 1)
        break
      default:
        if (braces === 0 && bodyUnits.has(t.kind)) pendingBody = true
        else if (braces === 0 && t.kind === 'ltl') pendingBody = false
    }
  }
  return out
}

/** How a token is named in messages: `'x'` for words and punctuation, `end of file`, and so on. */
export function describeToken(t: Token): string {
  switch (t.kind) {
    case 'eof':
      return 'end of file'
    case ';':
      return t.implied ? 'end of line' : "';'"
    case 'ident':
      return `'${t.text}'`
    case 'number':
      return `number ${t.text}`
    case 'string':
      return `string ${t.text.length > 24 ? `${t.text.slice(0, 20)}…"` : t.text}`
    case 'cbody':
      return 'embedded C code'
    default:
      return `'${t.kind}'`
  }
}
