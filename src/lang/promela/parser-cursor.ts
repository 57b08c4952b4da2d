import type { Diagnostic } from '../../diag/diagnostic.js'
import type { Span } from '../../diag/span.js'
import { describeToken, type Token, type TokenKind } from './lexer.js'
import type { PmlCode } from './codes.js'

/** What the parser reads: preprocessed text and a map from its offsets back to the source files. */
export interface PreprocessedText {
  readonly text: string
  origin(offset: number): { readonly file: string; readonly offset: number }
}

/** How deeply expressions and statements may nest before the parser gives up on that part (keeps the stack safe). */
export const maxNesting = 200

/** Words that start a top-level unit; recovery never skips past them. */
const unitStarts: ReadonlySet<TokenKind> = new Set<TokenKind>(['proctype', 'D_proctype', 'active', 'init', 'never', 'ltl', 'typedef', 'inline', 'trace', 'notrace'])
const openers: ReadonlySet<TokenKind> = new Set<TokenKind>(['{', '(', '[', 'if', 'do'])
const closers: ReadonlySet<TokenKind> = new Set<TokenKind>(['}', ')', ']', 'fi', 'od'])

interface Pending {
  readonly at: number
  readonly diag: Diagnostic
}

/**
 * The parser's state for one parse: the tokens, the position, node ids and the diagnostics found so far.
 * Syntax errors use panic mode: the first error is reported, later ones are suppressed until a recovery
 * point (`syncStatement`, `syncTopLevel`) has skipped to a place where parsing can sensibly go on.
 */
export class Cursor {
  pos = 0
  /** Set by a syntax error, cleared by a recovery point: while set, syntax errors are not reported. */
  panic = false
  /** Current nesting of expressions and statements, checked against `maxNesting`. */
  depth = 0
  diags: Pending[] = []
  /** Names used in inline calls, so that errors in inlines that are never called can be dropped as SPIN does. */
  readonly calledInlines = new Set<string>()
  private nextId = 0
  private lastErrorAt = -1

  constructor(
    readonly input: PreprocessedText,
    readonly toks: readonly Token[],
    /** Names declared by `proctype NAME`: `NAME:var` is a remote reference, not a label. */
    readonly procNames: ReadonlySet<string>,
  ) {}

  get cur(): Token {
    return this.toks[this.pos] as Token
  }

  tokenAt(index: number): Token {
    return this.toks[Math.max(0, Math.min(index, this.toks.length - 1))] as Token
  }

  peek(k = 1): Token {
    return this.toks[Math.min(this.pos + k, this.toks.length - 1)] as Token
  }

  at(kind: TokenKind): boolean {
    return this.cur.kind === kind
  }

  /** The current token is the identifier `word`. */
  atWord(word: string): boolean {
    return this.cur.kind === 'ident' && this.cur.text === word
  }

  advance(): Token {
    const t = this.cur
    if (t.kind !== 'eof') this.pos++
    return t
  }

  eat(kind: TokenKind): Token | undefined {
    return this.at(kind) ? this.advance() : undefined
  }

  /** Consumes a token of `kind`, or reports "expected …, found …" and consumes nothing. */
  expect(kind: TokenKind, what?: string): Token | undefined {
    if (this.at(kind)) return this.advance()
    this.syntaxError(what ?? `'${kind}'`)
    return undefined
  }

  syntaxError(expected: string, tok: Token = this.cur): void {
    this.error('PML030', `expected ${expected}, found ${describeToken(tok)}`, tok.start, tok.end)
  }

  /** A syntax error: reported unless the parser is already recovering from one; starts panic mode. */
  error(code: PmlCode, message: string, start: number, end: number, label?: string): void {
    if (this.panic || start === this.lastErrorAt) {
      this.panic = true
      return
    }
    this.panic = true
    this.lastErrorAt = start
    this.report(code, message, start, end, label)
  }

  /** A diagnostic that needs no recovery (the parse itself went on normally). */
  report(code: PmlCode, message: string, start: number, end: number, label?: string): void {
    const diag: Diagnostic = { code, severity: 'error', message, span: this.span(start, end), ...(label ? { label } : {}) }
    this.diags.push({ at: start, diag })
  }

  /** `report` at a span already mapped (`at`: its preprocessed offset, for the order of diagnostics). */
  reportSpan(code: PmlCode, message: string, span: Span, at: number, label?: string, severity: Diagnostic['severity'] = 'error'): void {
    this.diags.push({ at, diag: { code, severity, message, span, ...(label ? { label } : {}) } })
  }

  id(): number {
    return this.nextId++
  }

  /** The source span of preprocessed offsets [start, end): mapped through `origin`, by its first and last character. */
  span(start: number, end: number): Span {
    const len = this.input.text.length
    if (start >= len) {
      if (len === 0) {
        const o = this.input.origin(0)
        return { file: o.file, start: o.offset, end: o.offset }
      }
      const o = this.input.origin(len - 1)
      return { file: o.file, start: o.offset + 1, end: o.offset + 1 }
    }
    const s = this.input.origin(start)
    if (end <= start) return { file: s.file, start: s.offset, end: s.offset }
    const e = this.input.origin(Math.min(end, len) - 1)
    if (e.file === s.file && e.offset >= s.offset) return { file: s.file, start: s.offset, end: e.offset + 1 }
    return { file: s.file, start: s.offset, end: s.offset + (end - start) }
  }

  /** The span from the token at index `from` to the last token consumed (empty when none was). */
  spanFrom(from: number): Span {
    const first = this.toks[from] as Token
    if (this.pos <= from) return this.span(first.start, first.start)
    return this.span(first.start, (this.toks[this.pos - 1] as Token).end)
  }

  /** The span of one token. */
  tokenSpan(t: Token): Span {
    return this.span(t.start, t.end)
  }

  /**
   * Statement-level recovery: skips to the next `;` or `->`, or to a `}`, `fi`, `od` or `::` that closes
   * the current sequence, skipping nested brackets and `if`/`do` whole; never past a top-level keyword.
   * A stray `)` or `]` is skipped too, unless `inParens` (a parameter list, which ends at `)`).
   */
  syncStatement(inParens = false): void {
    let depth = 0
    for (;;) {
      const k = this.cur.kind
      if (k === 'eof' || unitStarts.has(k)) break
      if (depth === 0 && (k === ';' || k === '->' || k === '::' || k === '}' || k === 'fi' || k === 'od')) break
      if (depth === 0 && inParens && k === ')') break
      if (openers.has(k)) depth++
      else if (closers.has(k)) depth = Math.max(0, depth - 1)
      this.advance()
    }
    this.panic = false
  }

  /** Top-level recovery: skips to the next unit keyword, or past a `;` or a balanced `{ … }`. */
  syncTopLevel(): void {
    let depth = 0
    for (;;) {
      const k = this.cur.kind
      if (k === 'eof' || unitStarts.has(k)) break
      this.advance()
      if (openers.has(k)) depth++
      else if (closers.has(k)) {
        if (depth > 0) depth--
        if (depth === 0 && k === '}') break
      } else if (depth === 0 && k === ';') break
    }
    this.panic = false
  }

  /** The index of the `}` that closes the `{` at `open`, or -1 when it is never closed. */
  matchingBrace(open: number): number {
    let depth = 0
    for (let i = open; i < this.toks.length; i++) {
      const k = (this.toks[i] as Token).kind
      if (k === '{') depth++
      else if (k === '}' && --depth === 0) return i
    }
    return -1
  }

  /** Diagnostics in source order. */
  sortedDiagnostics(): Diagnostic[] {
    return [...this.diags].sort((a, b) => a.at - b.at).map((d) => d.diag)
  }
}
