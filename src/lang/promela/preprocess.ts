import type { Diagnostic, Result, Severity } from '../../diag/diagnostic.js'
import type { Span } from '../../diag/span.js'
import type { PmlCode } from './codes.js'

export interface SourceFile { readonly name: string; readonly text: string }

export interface PreprocessOptions {
  /**
   * -D NAME=VALUE from the command line (a bare `-D NAME` is passed as '1'; a key may be `F(x)`). They are defined
   * before the model is read, as SPIN passes them to cpp, so a `#define NAME` in the model replaces the -D value:
   * with cpp the later definition wins, with a redefinition warning (PML015). `#ifndef NAME` guards let -D win.
   */
  readonly defines?: Readonly<Record<string, string>>
  /** Reads an #include "name" relative to the including file; undefined when it does not exist. */
  readonly readFile?: (name: string, fromFile: string) => SourceFile | undefined
}

export interface Preprocessed {
  readonly text: string
  /**
   * Where an offset of `text` comes from: a position in an original file (macro expansions map to the macro's use site;
   * a macro argument's tokens to where they were written). For a span's end, take `origin(end - 1).offset + 1`:
   * `end` itself may already belong to the next piece of text, even another file.
   */
  origin(offset: number): { readonly file: string; readonly offset: number }
  /** Every file read (the main one and includes), by name, for rendering diagnostics. */
  readonly sources: ReadonlyMap<string, string>
}

/**
 * Runs the C preprocessor over a Promela model, as SPIN 6.5 does with `gcc -std=gnu99 -E -x c`: comments,
 * #define/#undef (object- and function-like, # and ##, variadic), #include, #if/#ifdef/#ifndef/#elif/#else/#endif,
 * #error/#warning; #line, #pragma and #ident are ignored. Output spacing follows gcc's, so the output has cpp's
 * tokens; text not touched by a macro keeps its column, and line breaks are kept. gcc's predefined macros
 * (`unix`, `linux`, `__GNUC__`…) are not defined. Linear in the input and output size, and pure: includes are read
 * through `options.readFile`. The value is always present, so that `sources` can render the diagnostics.
 */
export function preprocess(main: SourceFile, options: PreprocessOptions = {}): Result<Preprocessed> {
  return new Preprocessor(options).run(main)
}

/** A file with its backslash-newlines removed (`text`); `at[k]` is where a removal was, `shift[k]` the total removed up to it. */
interface Src { readonly name: string; readonly orig: string; readonly text: string; readonly at: readonly number[]; readonly shift: readonly number[] }
type Kind = 'id' | 'num' | 'str' | 'chr' | 'op' | 'other' | 'eof' | 'pad'
interface Site { readonly src: Src; readonly start: number; readonly end: number }
/** A preprocessing token; offsets are into `src.text`. The optional fields are set on copies made by expansion. */
interface Tok extends Site {
  readonly k: Kind
  readonly text: string
  /** Start of the blanks before it on its own line; 0-based line in the original file; whitespace before it (gcc's PREV_WHITE); first on its line. */
  readonly gs: number; readonly line: number; readonly ws: boolean; readonly bol: boolean
  /** Made by a macro expansion: the use site it maps to. */
  readonly site?: Site
  readonly noExpand?: boolean; readonly paste?: boolean; readonly param?: number; readonly str?: boolean
  /** For padding (gcc's CPP_PADDING): the token whose whitespace decides the spacing. */
  readonly source?: Tok | null
}
interface Macro { readonly name: string; readonly params?: readonly string[]; readonly variadic: boolean; readonly body: readonly Tok[]; readonly span: Span }
interface Cond { readonly name: string; readonly span: Span; readonly parentActive: boolean; taken: boolean; active: boolean; sawElse: boolean }
interface Frame { readonly src: Src; readonly toks: readonly Tok[]; pos: number; readonly conds: Cond[]; skipping: boolean; outLine: number }

function makeSrc(name: string, orig: string): Src {
  const at: number[] = [], shift: number[] = []
  let removed = 0
  const text = !orig.includes('\\') ? orig : orig.replace(/\\[ \t]*\r?\n/g, (m: string, off: number) => {
    removed += m.length
    at.push(off + m.length - removed)
    shift.push(removed)
    return ''
  })
  return { name, orig, text, at, shift }
}

function origOf(src: Src, p: number): number {
  let lo = 0, hi = src.at.length
  while (lo < hi) { const mid = (lo + hi) >> 1; if (src.at[mid] <= p) lo = mid + 1; else hi = mid }
  return p + (lo > 0 ? src.shift[lo - 1] : 0)
}

const spanOf = (t: Site & { readonly site?: Site }): Span => {
  const s = t.site ?? t
  return { file: s.src.name, start: origOf(s.src, s.start), end: origOf(s.src, s.end) }
}

const PUNCT3: ReadonlySet<string> = new Set(['...', '<<=', '>>='])
const PUNCT2: ReadonlySet<string> = new Set(['->', '++', '--', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '*=', '/=', '%=', '+=', '-=', '&=', '^=', '|=', '##'])
const isIdStart = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 36 || c >= 128
const isDigit = (c: number): boolean => c >= 48 && c <= 57
const isIdChar = (c: number): boolean => isIdStart(c) || isDigit(c)

/** Splits a file into preprocessing tokens, as cpp does; comments are whitespace. Ends with an 'eof' token. */
function lex(src: Src, report: (d: Diagnostic) => void): Tok[] {
  const s = src.text, n = s.length, toks: Tok[] = []
  let i = 0, nl = 0, si = 0, ws = false, bol = true, lineStart = 0, prevEnd = 0
  while (i < n) {
    const c = s.charCodeAt(i)
    if (c === 10) { nl++; i++; ws = bol = true; lineStart = i; continue }
    if (c === 32 || c === 9 || c === 13 || c === 12 || c === 11) { i++; ws = true; continue }
    if (c === 47 && s.charCodeAt(i + 1) === 42) {
      const e = s.indexOf('*/', i + 2), stop = e < 0 ? n : e + 2
      if (e < 0) report(diag('PML001', 'unterminated comment', spanOf({ src, start: i, end: i + 2 })))
      for (let j = s.indexOf('\n', i); j >= 0 && j < stop; j = s.indexOf('\n', j + 1)) { nl++; lineStart = j + 1 }
      i = stop; ws = true; continue
    }
    if (c === 47 && s.charCodeAt(i + 1) === 47) { const e = s.indexOf('\n', i); i = e < 0 ? n : e; ws = true; continue }
    const start = i
    let k: Kind = 'other'
    if (isIdStart(c)) { do i++; while (i < n && isIdChar(s.charCodeAt(i))); k = 'id' }
    else if (isDigit(c) || (c === 46 && isDigit(s.charCodeAt(i + 1)))) {
      for (i++; i < n; i++) {
        const d = s.charCodeAt(i)
        if ((d === 43 || d === 45) && 'eEpP'.includes(s[i - 1])) continue
        if (!isIdChar(d) && d !== 46) break
      }
      k = 'num'
    } else if (c === 34 || c === 39) {
      // an unterminated quote is an 'other' token up to the end of the line, as in gcc (which only warns)
      for (i++; i < n && s.charCodeAt(i) !== 10; i++) {
        const d = s.charCodeAt(i)
        if (d === 92 && s.charCodeAt(i + 1) !== 10) i++
        else if (d === c) { i++; k = c === 34 ? 'str' : 'chr'; break }
      }
    } else {
      i += PUNCT3.has(s.slice(i, i + 3)) ? 3 : PUNCT2.has(s.slice(i, i + 2)) ? 2 : 1
      if ('[](){}.&*+-~!/%<>^|?:;=,#'.includes(s[start])) k = 'op'
    }
    while (si < src.at.length && src.at[si] <= start) si++
    toks.push({ k, text: s.slice(start, i), src, start, end: i, gs: Math.max(lineStart, prevEnd), line: nl + si, ws, bol })
    ws = bol = false; prevEnd = i
  }
  toks.push({ k: 'eof', text: '', src, start: n, end: n, gs: n, line: nl + src.at.length, ws, bol: true })
  return toks
}

function diag(code: PmlCode, message: string, span: Span, severity: Severity = 'error', extra: Partial<Diagnostic> = {}): Diagnostic {
  return { code, severity, message, span, ...extra }
}

const isOp = (t: Tok | undefined, text: string): boolean => t?.k === 'op' && t.text === text
const trimPads = (ts: Tok[]): Tok[] => { while (ts.at(-1)?.k === 'pad') ts.pop(); return ts }

const PASTES_WITH: ReadonlyMap<string, string> = new Map([['>', '>'], ['<', '<%:'], ['+', '+'], ['-', '->'], ['/', '/*'], ['%', ':%'], ['&', '&'], ['|', '|'], [':', ':>'], ['->', '*'], ['.', '.%'], ['#', '#%']])

/** gcc's cpp_avoid_paste: whether printing `b` right after `a` would read back as other tokens. */
function avoidPaste(a: Tok, b: Tok): boolean {
  const c = b.k === 'op' ? b.text[0] : ''
  if (a.k === 'op') {
    if (c === '=' && ['=', '!', '>', '<', '+', '-', '*', '/', '%', '&', '|', '^', '>>', '<<'].includes(a.text)) return true
    return (c !== '' && (PASTES_WITH.get(a.text) ?? '').includes(c)) || (a.text === '.' && b.k === 'num')
  }
  if (a.k === 'id') return b.k === 'id' || b.k === 'chr' || b.k === 'str'
  if (a.k === 'num') return b.k === 'num' || b.k === 'id' || b.k === 'chr' || c === '.' || c === '+' || c === '-'
  return a.k === 'other' && a.text === '\\' && b.k === 'id'
}

/** gcc's macro expander (cpplib macro.c): a stack of contexts over a base token stream, with its padding tokens. */
class Expander {
  private readonly ctx: { readonly toks: readonly Tok[]; pos: number; readonly macro?: Macro }[] = []
  private readonly active = new Set<Macro>()
  private readonly nullPad: Tok
  private prevent = 0
  private pushback: Tok | undefined
  /** 1 while looking for the '(' of a function-like macro, 2 while collecting its arguments. */
  parsing = 0
  /** Whether the last token returned came straight from the base stream. */
  fromBase = false

  constructor(private readonly pp: Preprocessor, private readonly base: () => Tok, private readonly inDirective: boolean, anchor: Tok) {
    this.nullPad = { ...anchor, k: 'pad', text: '', source: null }
  }

  next(): Tok {
    for (;;) {
      const c = this.ctx.at(-1)
      let t: Tok
      if (c) {
        if (c.pos === c.toks.length) {
          this.ctx.pop()
          if (c.macro) this.active.delete(c.macro)
          if (this.inDirective) continue
          return this.nullPad
        }
        t = c.toks[c.pos++]
        this.fromBase = false
        if (t.paste) {
          this.ctx.push({ toks: [this.pasteAll(t, c)], pos: 0 })
          if (this.inDirective) continue
          return { ...this.nullPad, source: t }
        }
      } else {
        t = this.pushback ?? this.base()
        this.pushback = undefined
        this.fromBase = true
      }
      if (t.k !== 'id' || t.noExpand) return t
      const m = this.pp.macros.get(t.text)
      if (!m) return t
      if (this.active.has(m)) return { ...t, noExpand: true } // gcc's NO_EXPAND: never expanded again
      if (this.prevent) return t
      const fromBase = this.fromBase
      if (this.enter(m, t)) {
        if (this.inDirective) continue
        this.fromBase = fromBase
        return { ...this.nullPad, source: t }
      }
      this.fromBase = fromBase
      return t
    }
  }

  /** All tokens of a line (for #if and #include), fully expanded, without padding. */
  static expandLine(pp: Preprocessor, toks: readonly Tok[], anchor: Tok): Tok[] {
    let i = 0
    const eof: Tok = { ...anchor, k: 'eof', text: '' }
    const ex = new Expander(pp, () => toks[i++] ?? eof, true, anchor), out: Tok[] = []
    for (let t = ex.next(); t.k !== 'eof'; t = ex.next()) if (t.k !== 'pad') out.push(t)
    return out
  }

  private backup(t: Tok): void {
    if (!this.fromBase) this.ctx[this.ctx.length - 1].pos--
    else if (t.k !== 'eof') this.pushback = t
  }

  private enter(m: Macro, name: Tok): boolean {
    let args: Tok[][] | undefined = []
    if (m.params) {
      this.prevent++
      this.parsing = 1
      let t = this.next(), padding: Tok | undefined
      while (t.k === 'pad') {
        if (!padding?.source || (!padding.source.ws && !t.source)) padding = t
        t = this.next()
      }
      if (isOp(t, '(')) { this.parsing = 2; args = this.collect(m, name) } else {
        this.backup(t)
        if (padding) this.ctx.push({ toks: [padding], pos: 0 })
        args = undefined
      }
      this.parsing = 0
      this.prevent--
      if (!args) return false
    }
    this.ctx.push({ toks: this.substitute(m, name, args), pos: 0, macro: m })
    this.active.add(m)
    return true
  }

  private collect(m: Macro, name: Tok): Tok[][] | undefined {
    const n = m.params?.length ?? 0, args: Tok[][] = []
    let cur: Tok[] = [], depth = 0, t: Tok
    for (;;) {
      t = this.next()
      if (t.k === 'eof') break
      if (t.k === 'pad') { if (cur.length) cur.push(t); continue }
      if (isOp(t, '(')) depth++
      else if (isOp(t, ')')) { if (depth-- === 0) break }
      else if (isOp(t, ',') && depth === 0 && !(m.variadic && args.length === n - 1)) { args.push(trimPads(cur)); cur = []; continue }
      cur.push(t)
    }
    args.push(trimPads(cur))
    if (t.k === 'eof') {
      this.backup(t)
      this.pp.report(diag('PML011', `unterminated argument list invoking macro '${m.name}'`, spanOf(name)))
      return undefined
    }
    if (args.length === 1 && n === 0 && args[0].length === 0) args.length = 0
    if (m.variadic && args.length === n - 1) args.push([])
    if (args.length === n) return args
    const given = `${args.length} ${args.length === 1 ? 'was' : 'were'} given`
    this.pp.report(diag('PML010', `macro '${m.name}' takes ${n} argument${n === 1 ? '' : 's'}, but ${given}`, spanOf(name)))
    return undefined
  }

  /** The body with the arguments put in (gcc's replace_args), each between padding. */
  private substitute(m: Macro, name: Tok, args: readonly Tok[][]): Tok[] {
    const site: Site = name.site ?? name, out: Tok[] = [], expanded: Tok[][] = []
    m.body.forEach((b, i) => {
      if (b.param === undefined) { out.push({ ...b, site }); return }
      const prevPaste = i > 0 && m.body[i - 1].paste
      const arg = args[b.param]
      const toks = b.str ? [this.stringify(arg, site)] : b.paste || prevPaste ? arg : (expanded[b.param] ??= this.expandArg(arg))
      if (i > 0 && !prevPaste && !this.inDirective) out.push({ ...this.nullPad, source: b })
      out.push(...toks)
      const last = out.at(-1)
      if (toks.length && b.paste && last) out[out.length - 1] = { ...last, paste: true }
      else if (!toks.length && prevPaste && !b.paste && last) out[out.length - 1] = { ...last, paste: false }
      if (!b.paste && !this.inDirective) out.push(this.nullPad)
    })
    return out
  }

  private expandArg(arg: readonly Tok[]): Tok[] {
    this.ctx.push({ toks: [...arg, { ...this.nullPad, k: 'eof' }], pos: 0 })
    const out: Tok[] = []
    for (let t = this.next(); t.k !== 'eof'; t = this.next()) out.push(t)
    this.ctx.pop()
    return out
  }

  private stringify(arg: readonly Tok[], site: Site): Tok {
    let s = '', source: Tok | null = null
    for (const t of arg) {
      if (t.k === 'pad') { if (!source || (!source.ws && !t.source)) source = t.source ?? null; continue }
      if (s && (source ?? t).ws) s += ' '
      source = null
      s += t.k === 'str' || t.k === 'chr' ? t.text.replace(/[\\"]/g, '\\$&') : t.text
    }
    return { src: site.src, start: site.start, end: site.end, k: 'str', text: `"${s}"`, gs: site.start, line: 0, ws: false, bol: false, site }
  }

  /** Pastes `lhs ## rhs [## …]` from the context `c` into one token (gcc's paste_all_tokens). */
  private pasteAll(lhs: Tok, c: { readonly toks: readonly Tok[]; pos: number }): Tok {
    const site: Site = lhs.site ?? lhs
    let cur = lhs, rhs: Tok | undefined
    do {
      rhs = undefined
      while (c.pos < c.toks.length) { const t = c.toks[c.pos++]; if (t.k !== 'pad') { rhs = t; break } }
      if (!rhs) break
      const text = cur.text + rhs.text, toks = lex(makeSrc('<paste>', text), () => {})
      if (toks.length !== 2 || toks[0].start !== 0 || toks[0].end !== text.length) {
        this.pp.report(diag('PML012', `pasting '${cur.text}' and '${rhs.text}' does not give a valid preprocessing token`, spanOf(site)))
        c.pos--
        break
      }
      cur = { ...toks[0], ws: lhs.ws, site }
    } while (rhs.paste)
    return { ...cur, paste: false }
  }
}

class Preprocessor {
  readonly macros = new Map<string, Macro>()
  private readonly diags: Diagnostic[] = []
  private readonly sources = new Map<string, string>()
  private readonly lexed = new Map<string, Tok[]>()
  private readonly frames: Frame[] = []
  private ex: Expander | undefined
  private baseFrame: Frame | undefined
  // the printer (gcc's scan_translation_unit), and where each piece of output comes from
  private readonly out: string[] = []
  private len = 0
  private atLineStart = true
  private atSpace = true
  private readonly seg: { out: number[]; src: Src[]; off: number[]; linear: boolean[] } = { out: [], src: [], off: [], linear: [] }
  private pframe: Frame | undefined
  private prev: Tok | undefined
  private avoid = false
  private source: Tok | null = null

  constructor(private readonly options: PreprocessOptions) {}

  report(d: Diagnostic): void { this.diags.push(d) }

  run(file: SourceFile): Result<Preprocessed> {
    const main = this.frame(file)
    const defines = Object.entries(this.options.defines ?? {})
    if (defines.length) this.frame({ name: '<command-line>', text: defines.map(([k, v]) => `#define ${k} ${v.replace(/\r?\n/g, ' ')}\n`).join('') })
    const eof = main.toks[main.toks.length - 1]
    const ex = this.ex = new Expander(this, () => this.nextBase(eof), false, eof)
    for (let t = ex.next(); t.k !== 'eof'; t = ex.next()) this.print(t, ex.fromBase ? this.baseFrame : undefined)
    if (this.pframe === main || !this.pframe) {
      this.emit('\n'.repeat(Math.max(0, eof.line - Math.max(0, main.outLine))), eof.src, eof.gs, false)
    } else if (!this.atLineStart) this.emit('\n', eof.src, eof.gs, false)
    const text = this.out.join(''), seg = this.seg
    return {
      diagnostics: this.diags,
      value: {
        text,
        sources: this.sources,
        origin(offset: number) {
          const o = Math.max(0, Math.min(offset, text.length))
          let lo = 0, hi = seg.out.length - 1
          if (hi < 0) return { file: file.name, offset: 0 }
          while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (seg.out[mid] <= o) lo = mid; else hi = mid - 1 }
          const src = seg.src[lo], p = seg.linear[lo] ? seg.off[lo] + o - seg.out[lo] : seg.off[lo]
          return { file: src.name, offset: Math.min(origOf(src, p), src.orig.length) }
        },
      },
    }
  }

  private frame(file: SourceFile): Frame {
    this.sources.set(file.name, file.text)
    let toks = this.lexed.get(file.name)
    if (!toks) this.lexed.set(file.name, toks = lex(makeSrc(file.name, file.text), (d) => this.report(d)))
    const f: Frame = { src: toks[0].src, toks, pos: 0, conds: [], skipping: false, outLine: -1 }
    this.frames.push(f)
    return f
  }

  /** The next token of the file being read, with directives carried out and skipped groups left out. */
  private nextBase(eof: Tok): Tok {
    for (;;) {
      const f = this.frames.at(-1)
      if (!f) return eof
      const t = f.toks[f.pos]
      if (t.k === 'eof') {
        if (this.ex?.parsing) return t // a macro's arguments do not continue past the end of a file
        for (const c of f.conds) this.report(diag('PML008', `unterminated '#${c.name}'`, c.span, 'error', { label: 'no matching #endif in this file' }))
        this.frames.pop()
        continue
      }
      if (t.bol && isOp(t, '#')) { this.directive(f); continue }
      f.pos++
      if (f.skipping) continue
      this.baseFrame = f
      return t
    }
  }

  private directive(f: Frame): void {
    const hash = f.toks[f.pos]
    let i = f.pos + 1
    while (!f.toks[i].bol) i++
    const line = f.toks.slice(f.pos + 1, i), name = line[0]
    f.pos = i
    const span = spanOf({ src: hash.src, start: hash.start, end: (line.at(-1) ?? hash).end })
    const word = name?.k === 'id' ? name.text : ''
    const top = f.conds.at(-1)
    switch (word) {
      case 'if': case 'ifdef': case 'ifndef': {
        const parentActive = !f.skipping, taken = parentActive && this.condition(word, line, hash, span)
        f.conds.push({ name: word, span, parentActive, taken, active: taken, sawElse: false })
        break
      }
      case 'elif': case 'else':
        if (!top || top.sawElse) { this.report(diag('PML007', `'#${word}' ${top ? "after '#else'" : "without '#if'"}`, span)); return }
        if (word === 'else') { top.active = top.parentActive && !top.taken; top.taken = top.sawElse = true }
        else if (top.taken || !top.parentActive) top.active = false
        else top.active = top.taken = this.condition(word, line, hash, span)
        break
      case 'endif':
        if (!top) { this.report(diag('PML007', "'#endif' without '#if'", span)); return }
        f.conds.pop()
        break
      default:
        if (!f.skipping) this.command(word, line, hash, span, f)
        return
    }
    f.skipping = f.conds.length > 0 && !f.conds[f.conds.length - 1].active
  }

  private command(word: string, line: readonly Tok[], hash: Tok, span: Span, f: Frame): void {
    const rest = line.length > 1 ? hash.src.text.slice(line[1].start, line[line.length - 1].end) : ''
    switch (word) {
      case 'define': this.define(line, hash); return
      case 'undef':
        if (line[1]?.k !== 'id') this.report(diag('PML016', 'no macro name given in #undef', span))
        else this.macros.delete(line[1].text)
        return
      case 'include': case 'include_next': case 'import': this.include(line, hash, span, f); return
      case 'error': this.report(diag('PML013', `#error ${rest}`.trimEnd(), span)); return
      case 'warning': this.report(diag('PML014', `#warning ${rest}`.trimEnd(), span, 'warning')); return
      case 'line': case 'pragma': case 'ident': case 'sccs': case 'assert': case 'unassert': return
      case '': if (!line.length || line[0].k === 'num') return // the null directive, and gcc's line markers `# 12 "file"`
    }
    this.report(diag('PML003', `unknown directive '#${line[0].text}'`, spanOf({ src: hash.src, start: hash.start, end: line[0].end })))
  }

  private define(line: readonly Tok[], hash: Tok): void {
    const n = line[1], bad = (message: string, at: Tok): void => this.report(diag('PML002', message, spanOf(at)))
    if (n?.k !== 'id') return bad(n ? `macro names must be identifiers, found '${n.text}'` : 'no macro name given in #define', n ?? hash)
    if (n.text === 'defined') return bad("'defined' cannot be used as a macro name", n)
    let i = 2, params: string[] | undefined, variadic = false
    if (isOp(line[2], '(') && !line[2].ws) {
      params = []
      i = 3
      if (isOp(line[i], ')')) i++
      else for (;;) {
        const t = line[i++]
        if (t?.k === 'id' && !params.includes(t.text)) params.push(t.text)
        else if (isOp(t, '...')) { params.push('__VA_ARGS__'); variadic = true }
        else return bad(t?.k === 'id' ? `duplicate macro parameter '${t.text}'` : `expected a parameter name, found '${t?.text ?? 'end of line'}'`, t ?? n)
        if (!variadic && isOp(line[i], '...')) { variadic = true; i++ }
        const sep = line[i++]
        if (isOp(sep, ')')) break
        if (!isOp(sep, ',') || variadic) return bad(`expected ',' or ')' in the parameter list, found '${sep?.text ?? 'end of line'}'`, sep ?? n)
      }
    }
    const body: Tok[] = []
    for (let j = i; j < line.length; j++) {
      const t = body.length ? line[j] : { ...line[j], ws: false }
      if (isOp(t, '##')) {
        const prev = body.at(-1)
        if (!prev || j === line.length - 1) return bad("'##' cannot appear at either end of a macro expansion", t)
        body[body.length - 1] = { ...prev, paste: true }
      } else if (params && isOp(t, '#')) {
        const p = line[j + 1], idx = p?.k === 'id' ? params.indexOf(p.text) : -1
        if (idx < 0) return bad("'#' is not followed by a macro parameter", t)
        body.push({ ...p, param: idx, str: true, ws: t.ws })
        j++
      } else {
        const idx = params && t.k === 'id' ? params.indexOf(t.text) : -1
        body.push(idx >= 0 ? { ...t, param: idx } : t)
      }
    }
    const m: Macro = { name: n.text, params, variadic, body, span: spanOf(n) }
    const old = this.macros.get(m.name)
    if (old && !sameMacro(old, m)) {
      const hint = old.span.file === '<command-line>' ? "the model's #define replaces the -D value, as with cpp" : undefined
      this.report(diag('PML015', `macro '${m.name}' redefined`, m.span, 'warning', { notes: [{ message: 'the previous definition', span: old.span }], ...(hint ? { hint } : {}) }))
    }
    this.macros.set(m.name, m)
  }

  private include(line: readonly Tok[], hash: Tok, span: Span, f: Frame): void {
    let args = line.slice(1)
    if (args.length && args[0].k !== 'str' && !isOp(args[0], '<')) args = Expander.expandLine(this, args, hash)
    const close = isOp(args[0], '<') ? args.findIndex((t) => isOp(t, '>')) : -1
    const name = args[0]?.k === 'str' ? args[0].text.slice(1, -1) : close > 0 ? args.slice(1, close).map((t, k) => (k && t.ws ? ' ' : '') + t.text).join('') : undefined
    if (name === undefined) return this.report(diag('PML005', '#include expects "file" or <file>', span))
    if (this.frames.length > 200) return this.report(diag('PML006', '#include nested too deeply', span, 'error', { hint: 'does the file include itself?' }))
    const file = this.options.readFile?.(name, f.src.name)
    if (!file) return this.report(diag('PML004', `cannot find include file '${name}'`, span))
    this.frame(file)
  }

  private condition(word: string, line: readonly Tok[], hash: Tok, span: Span): boolean {
    if (word !== 'if' && word !== 'elif') {
      if (line[1]?.k === 'id') return this.macros.has(line[1].text) === (word === 'ifdef')
      this.report(diag('PML016', `no macro name given in #${word}`, span))
      return false
    }
    const toks: Tok[] = []
    for (let i = 1; i < line.length; i++) {
      const t = line[i]
      if (t.k !== 'id' || t.text !== 'defined') { toks.push(t); continue }
      const paren = isOp(line[i + 1], '('), n = line[i + (paren ? 2 : 1)]
      if (n?.k !== 'id') return this.bad("operator 'defined' requires an identifier", n ?? t, span)
      if (paren && !isOp(line[i + 3], ')')) return this.bad("missing ')' after 'defined'", line[i + 3] ?? n, span)
      toks.push({ ...t, k: 'num', text: this.macros.has(n.text) ? '1' : '0' })
      i += paren ? 3 : 1
    }
    const v = evaluate(Expander.expandLine(this, toks, hash))
    if (typeof v === 'bigint') return v !== 0n
    return this.bad(v.message, v.at, span)
  }

  private bad(message: string, at: Tok | undefined, span: Span): false {
    this.report(diag('PML009', message, at ? spanOf(at) : span))
    return false
  }

  private emit(text: string, src: Src, off: number, linear: boolean): void {
    if (!text) return
    const s = this.seg, n = s.out.length - 1
    if (!(linear && n >= 0 && s.linear[n] && s.src[n] === src && off - s.off[n] === this.len - s.out[n])) {
      s.out.push(this.len); s.src.push(src); s.off.push(off); s.linear.push(linear)
    }
    this.out.push(text)
    this.len += text.length
    const last = text.charCodeAt(text.length - 1)
    this.atLineStart = last === 10
    this.atSpace = last === 10 || last === 32 || last === 9
  }

  /** Prints a token with gcc's spacing; a token read straight from a file (`frame`) keeps its line and column. */
  private print(t: Tok, frame: Frame | undefined): void {
    if (t.k === 'pad') {
      this.avoid = true
      if (!this.source || (!this.source.ws && !t.source)) this.source = t.source ?? null
      if (frame && t.source) this.position(t.source, frame) // a macro's expansion goes where its name was
      return
    }
    const space = this.avoid ? (this.source ?? t).ws || (this.prev !== undefined && avoidPaste(this.prev, t)) : t.ws
    this.avoid = false
    this.source = null
    this.prev = t
    if (frame) this.position(t, frame)
    const at: Site = frame ? t : t.site ?? t
    if (space && !this.atSpace) this.emit(' ', at.src, at.start, false)
    this.emit(t.text, at.src, at.start, !!frame || !t.site)
  }

  /**
   * Moves to the line of `t`, then copies the blanks before it. Not for a token right after a macro invocation
   * that spans lines (`F(a,\n b);`): gcc prints the `;` right after the expansion, and a newline would split them.
   */
  private position(t: Tok, frame: Frame): void {
    if (frame !== this.pframe) {
      if (!this.atLineStart) this.emit('\n', t.src, t.gs, false)
      frame.outLine = frame.outLine < 0 ? 0 : t.line
      this.pframe = frame
    }
    if ((t.bol || t.ws) && t.line > frame.outLine) {
      this.emit('\n'.repeat(t.line - frame.outLine), t.src, t.gs, false)
      frame.outLine = t.line
    }
    const gap = t.src.text.slice(t.gs, t.start)
    this.emit(/[^ \t]/.test(gap) ? gap.replace(/[^\t]/g, ' ') : gap, t.src, t.gs, true) // blanks out comments and backslash-newlines
  }
}

function sameMacro(a: Macro, b: Macro): boolean {
  return a.variadic === b.variadic && a.params?.join() === b.params?.join() && a.body.length === b.body.length &&
    a.body.every((t, i) => { const u = b.body[i]; return t.text === u.text && t.param === u.param && t.str === u.str && t.paste === u.paste && (i === 0 || t.ws === u.ws) })
}

const b01 = (c: boolean): bigint => (c ? 1n : 0n)
const w64 = (v: bigint): bigint => BigInt.asIntN(64, v)
const shift = (r: bigint): bigint => (r < 0n ? 0n : r > 64n ? 64n : r)
/** The binary operators of #if: precedence (higher binds tighter) and value. */
const BINARY: ReadonlyMap<string, readonly [number, (l: bigint, r: bigint) => bigint]> = new Map([
  ['||', [1, (l, r) => b01(l !== 0n || r !== 0n)]], ['&&', [2, (l, r) => b01(l !== 0n && r !== 0n)]],
  ['|', [3, (l, r) => l | r]], ['^', [4, (l, r) => l ^ r]], ['&', [5, (l, r) => l & r]],
  ['==', [6, (l, r) => b01(l === r)]], ['!=', [6, (l, r) => b01(l !== r)]],
  ['<', [7, (l, r) => b01(l < r)]], ['>', [7, (l, r) => b01(l > r)]], ['<=', [7, (l, r) => b01(l <= r)]], ['>=', [7, (l, r) => b01(l >= r)]],
  ['<<', [8, (l, r) => w64(l << shift(r))]], ['>>', [8, (l, r) => l >> shift(r)]],
  ['+', [9, (l, r) => w64(l + r)]], ['-', [9, (l, r) => w64(l - r)]],
  ['*', [10, (l, r) => w64(l * r)]], ['/', [10, (l, r) => w64(l / r)]], ['%', [10, (l, r) => w64(l % r)]],
])
const ESCAPES: ReadonlyMap<string, number> = new Map([['n', 10], ['t', 9], ['r', 13], ['a', 7], ['b', 8], ['f', 12], ['v', 11], ['e', 27]])

/** The value of a macro-expanded #if condition, in 64-bit signed arithmetic (unknown names are 0), or what is wrong with it. */
function evaluate(xs: readonly Tok[]): bigint | { message: string; at?: Tok } {
  let i = 0, err: { message: string; at?: Tok } | undefined
  const fail = (message: string, at = xs[i]): bigint => { err ??= { message, at }; return 0n }
  const value = (t: Tok): bigint => {
    if (t.k === 'chr') {
      const body = t.text.slice(1, -1), e = body.slice(1)
      if (body[0] !== '\\') return BigInt(body.codePointAt(0) ?? 0)
      return BigInt(/^[0-7]{1,3}$/.test(e) ? parseInt(e, 8) : /^x[0-9a-fA-F]+$/.test(e) ? parseInt(e.slice(1), 16) : ESCAPES.get(e) ?? e.charCodeAt(0))
    }
    const m = /^(?:0[xX]([0-9a-fA-F]+)|0([0-7]*)|([1-9][0-9]*))(?:[uU]?(?:l|L|ll|LL)?|(?:l|L|ll|LL)[uU])$/.exec(t.text)
    if (!m) return fail(`invalid integer constant '${t.text}' in #if`, t)
    return w64(m[1] !== undefined ? BigInt(`0x${m[1]}`) : m[2] !== undefined ? BigInt(`0o${m[2] || '0'}`) : BigInt(m[3]))
  }
  const unary = (live: boolean): bigint => {
    const t = xs[i]
    if (!t) return fail(i === 0 ? '#if with no expression' : 'expected a value at the end of the condition', xs[i - 1])
    i++
    if (t.k === 'op') {
      switch (t.text) {
        case '(': { const v = cond(live); if (!isOp(xs[i], ')')) return fail("missing ')' in the condition", xs[i] ?? t); i++; return v }
        case '+': return unary(live)
        case '-': return w64(-unary(live))
        case '~': return w64(~unary(live))
        case '!': return b01(unary(live) === 0n)
      }
    }
    if (t.k === 'num' || t.k === 'chr') return value(t)
    if (t.k === 'id') return 0n
    return fail(`token '${t.text}' is not valid in a #if condition`, t)
  }
  const binary = (min: number, live: boolean): bigint => {
    let l = unary(live)
    for (;;) {
      const t = xs[i], op = t?.k === 'op' ? BINARY.get(t.text) : undefined
      if (!op || op[0] < min) return l
      i++
      const r = binary(op[0] + 1, live && !(t.text === '&&' && l === 0n) && !(t.text === '||' && l !== 0n))
      l = r === 0n && (t.text === '/' || t.text === '%') ? (live ? fail('division by zero in #if', t) : 0n) : op[1](l, r)
    }
  }
  const cond = (live: boolean): bigint => {
    const c = binary(1, live)
    if (!isOp(xs[i], '?')) return c
    i++
    const a = cond(live && c !== 0n)
    if (!isOp(xs[i], ':')) return fail("'?' without following ':'", xs[i] ?? xs[i - 1])
    i++
    const e = cond(live && c === 0n)
    return c !== 0n ? a : e
  }
  const v = cond(true)
  if (i < xs.length) fail(`missing binary operator before token '${xs[i].text}'`)
  return err ?? v
}
