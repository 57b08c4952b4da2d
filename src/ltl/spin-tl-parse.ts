import { dup, equalNode, mk, mkFalse, mkTrue, TlError, type Rewriter, type TlNode, type TlType } from './spin-tl-node.js'

/**
 * The formula text SPIN's translator reads (`spin -f TEXT`, or for an `ltl` block the text SPIN prints
 * for it, negated: `!(…)`), parsed as SPIN 6.5.2 parses it, with the simplifications it makes while
 * parsing (`[]false = false`, `p U p = p`, `(p U q) && (r U q) = (p && r) U q`, …).
 *
 * A parenthesised group with no temporal operator in it is one predicate, named by its text: in
 * `!((p) && (q))` the predicate is `(p) && (q)`, not two. `onPredicate` is told where each predicate
 * starts in the text, so a caller that wrote the text can tell what it stands for. SPIN as built
 * without `-DNXT` (as 6.5.2 is by default) has no `X`.
 */
export interface PredicateSite {
  readonly name: string
  /** The offset in the text of the `(` or `{` that opens it, or of its first letter. */
  readonly offset: number
}

type Token = TlType | 'always' | 'eventually' | '(' | ')' | 'end' | `char:${string}`

const isLower = (c: string): boolean => c >= 'a' && c <= 'z'
const isAlnum = (c: string): boolean => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
const isAlnumUnder = (c: string): boolean => isAlnum(c) || c === '_'
const predicateStoppers: ReadonlySet<string> = new Set(['always', 'equivalent', 'eventually', 'until', 'next', 'c_expr'])

export class TlParser {
  private cnt = 0
  private yychar: Token = 'end'
  private yylval: TlNode | undefined

  constructor(
    private readonly text: string,
    private readonly rw: Rewriter,
    private readonly onPredicate: (site: PredicateSite) => void = () => {},
  ) {}

  /** The whole text as one formula. */
  parse(): TlNode {
    const n = this.formula()
    if (this.getChar() !== '') this.fail('syntax error')
    return n
  }

  private fail(message: string): never {
    throw new TlError(`${message} (at offset ${Math.max(0, this.cnt - 1)} of '${this.text}')`)
  }

  // --- characters (end of text reads as '') -----------------------------------------------

  private getChar(): string {
    return this.cnt < this.text.length ? this.text[this.cnt++]! : (this.cnt++, '')
  }

  private unGetChar(): void {
    if (this.cnt > 0) this.cnt--
  }

  private peek(n: number): string {
    return this.cnt + n < this.text.length ? this.text[this.cnt + n]! : ''
  }

  // --- tokens ------------------------------------------------------------------------------------

  private token(t: Token): Token {
    this.yylval = mk(t === 'always' || t === 'eventually' || t.startsWith('char:') || t === '(' || t === ')' || t === 'end' ? 'true' : (t as TlType))
    return t
  }

  private predicate(name: string, offset: number): Token {
    this.yylval = { ntyp: 'pred', sym: name }
    this.onPredicate({ name, offset })
    return 'pred'
  }

  private lex(): Token {
    let c: string
    do {
      c = this.getChar()
      if (c === '') return this.token('end')
    } while (c === ' ')
    const at = this.cnt - 1
    if ((c === '{' || c === '(') && this.isPredicate(c)) return this.predicate(this.readUpToClosing(c), at)
    if (c === '}') this.fail("unexpected '}'")
    if (isLower(c)) {
      let word = c
      for (let d = this.getChar(); d !== '' && isAlnumUnder(d); d = this.getChar()) word += d
      this.unGetChar()
      const keyword: Readonly<Record<string, Token>> = { true: 'true', false: 'false', always: 'always', eventually: 'eventually', until: 'U', not: 'not' }
      if (Object.hasOwn(keyword, word)) return this.token(keyword[word]!)
      if (word === 'c_expr') this.fail('c_expr is not supported in ltl formulas')
      return this.predicate(word, at)
    }
    if (c === '<') {
      c = this.getChar()
      if (c === '>') return this.token('eventually')
      if (c !== '-') {
        this.unGetChar()
        this.fail("expected '<>' or '<->'")
      }
      if (this.getChar() === '>') return this.token('equiv')
      this.unGetChar()
      this.fail("expected '<->'")
    }
    const follow = (want: string, t: Token): Token => {
      if (this.getChar() === want) return this.token(t)
      this.unGetChar()
      return this.fail(`expected '${want}'`)
    }
    switch (c) {
      case '/':
        return follow('\\', 'and')
      case '\\':
        return follow('/', 'or')
      case '&':
        return follow('&', 'and')
      case '|':
        return follow('|', 'or')
      case '[':
        return follow(']', 'always')
      case '-':
        return follow('>', 'implies')
      case '!':
        return this.token('not')
      case 'U':
        return this.token('U')
      case 'V':
        return this.token('V')
      case '(':
      case ')':
        return this.token(c)
      default:
        return this.token(`char:${c}`)
    }
  }

  /** Whether the group opened by `z` holds no temporal operator (SPIN looks ahead to its end). */
  private isPredicate(z: string): boolean {
    const want = z === '{' ? '}' : ')'
    let cPrev = z
    let i = 0
    let nesting = 0
    let c = this.peek(i++)
    while ((c !== want || nesting > 0) && c !== '' && i < 2047) {
      if (isLower(c) || c === '_') {
        let word = c
        while (isAlnumUnder((c = this.peek(i)))) {
          word += c
          i++
        }
        c = '\0'
        if (predicateStoppers.has(word)) return false
      } else {
        const cNext = this.peek(i)
        if (
          ((c === 'U' || c === 'V' || c === 'X') && !isAlnumUnder(cPrev) && (cNext === '' || !isAlnumUnder(cNext))) ||
          (c === '<' && (cNext === '>' || cNext === '-')) ||
          (c === '-' && cNext === '>') ||
          (c === '[' && cNext === ']')
        ) {
          return false
        }
      }
      if (c === z) nesting++
      if (c === want) nesting--
      cPrev = c
      c = this.peek(i++)
    }
    return true
  }

  private readUpToClosing(z: string): string {
    const want = z === '{' ? '}' : ')'
    let out = ''
    let nesting = 0
    let c = this.getChar()
    while ((c !== want || nesting > 0) && c !== '' && out.length < 2047) {
      out += c
      if (c === z) nesting++
      if (c === want) nesting--
      c = this.getChar()
    }
    return out
  }

  // --- grammar: two levels of left-associative binary operators over factors ---------------

  private formula(): TlNode {
    this.yychar = this.lex()
    return this.level(1)
  }

  private level(nr: number): TlNode {
    if (nr < 0) return this.factor()
    const ops: readonly Token[] = nr === 0 ? ['U', 'V'] : ['or', 'and', 'implies', 'equiv']
    let ptr = this.level(nr - 1)
    for (;;) {
      const op = ops.find((o) => o === this.yychar)
      if (op === undefined) return ptr
      this.yychar = this.lex()
      ptr = mk(op as TlType, ptr, this.level(nr - 1))
      ptr = this.binSimpler(ptr)
    }
  }

  private factor(): TlNode {
    let ptr: TlNode | undefined
    switch (this.yychar) {
      case '(':
        ptr = this.formula()
        if ((this.yychar as Token) !== ')') this.fail("expected ')'")
        this.yychar = this.lex()
        break
      case 'not': {
        ptr = this.yylval!
        this.yychar = this.lex()
        ptr.lft = this.factor()
        ptr = this.rw.pushNegation(ptr)
        break
      }
      case 'always':
        this.yychar = this.lex()
        ptr = this.factor()
        if (ptr.ntyp === 'false' || ptr.ntyp === 'true') break // []false = false
        if (ptr.ntyp === 'V') {
          if (ptr.lft!.ntyp === 'false') break // [][]p = []p
          ptr = ptr.rgt! // [](p V q) = []q
        }
        ptr = mk('V', mkFalse(), ptr)
        break
      case 'eventually':
        this.yychar = this.lex()
        ptr = this.factor()
        if (ptr.ntyp === 'true' || ptr.ntyp === 'false') break // <>true = true
        if (ptr.ntyp === 'U' && ptr.lft!.ntyp === 'true') break // <><>p = <>p
        if (ptr.ntyp === 'U') ptr = ptr.rgt! // <>(p U q) = <>q
        ptr = mk('U', mkTrue(), ptr)
        break
      case 'pred':
      case 'true':
      case 'false':
        ptr = this.yylval!
        this.yychar = this.lex()
        break
      default:
        break
    }
    if (!ptr) this.fail('expected predicate')
    return ptr
  }

  /** SPIN's simplifications of a binary node just parsed. */
  private binSimpler(ptr: TlNode): TlNode {
    const l = ptr.lft!
    const r = ptr.rgt!
    const eq = equalNode
    switch (ptr.ntyp) {
      case 'U':
        if (r.ntyp === 'true' || r.ntyp === 'false' || l.ntyp === 'false') return r
        if (eq(l, r)) return r // p U p = p
        if (l.ntyp === 'U' && eq(l.lft, r)) {
          ptr.lft = l.rgt // (p U q) U p = q U p
          return ptr
        }
        if (r.ntyp === 'U' && r.lft!.ntyp === 'true') return r // p U <>q = <>q
        return ptr
      case 'V':
        if (r.ntyp === 'false' || r.ntyp === 'true' || l.ntyp === 'true') return r
        if (eq(l, r)) return r // p V p = p
        if (l.ntyp === 'false' && r.ntyp === 'V') {
          ptr.rgt = r.rgt // false V (p V q) = false V q
          return ptr
        }
        if (r.ntyp === 'V' && r.lft!.ntyp === 'false') {
          ptr.lft = mkFalse() // p V []q = []q
          ptr.rgt = r.rgt
          return ptr
        }
        return ptr
      case 'implies':
        if (eq(l, r)) return mkTrue()
        return this.rw.rewrite1(mk('or', this.rw.not(l), r))
      case 'equiv': {
        if (eq(l, r)) return mkTrue()
        const a = this.rw.rewrite1(mk('and', dup(l), dup(r)))
        const b = this.rw.rewrite1(mk('and', this.rw.not(l), this.rw.not(r)))
        return this.rw.rewrite1(mk('or', a, b))
      }
      case 'and':
        if (r.ntyp === 'U' && eq(r.rgt, l)) return l // p && (q U p) = p
        if (l.ntyp === 'U' && eq(l.rgt, r)) return r
        if (r.ntyp === 'V' && eq(r.rgt, l)) return r // p && (q V p) = q V p
        if (l.ntyp === 'V' && eq(l.rgt, r)) return l
        if (r.ntyp === 'U' && l.ntyp === 'U' && eq(r.rgt, l.rgt)) return mk('U', mk('and', l.lft, r.lft), l.rgt)
        if (r.ntyp === 'V' && l.ntyp === 'V' && eq(r.lft, l.lft)) return mk('V', r.lft, mk('and', l.rgt, r.rgt))
        if (eq(l, r) || r.ntyp === 'false' || l.ntyp === 'true') return r
        if (r.ntyp === 'true' || l.ntyp === 'false') return l
        if (r.ntyp === 'U' && l.ntyp === 'V' && eq(l.rgt, r.rgt)) return l // (p V q) && (r U q) = p V q
        return ptr
      case 'or':
        if (r.ntyp === 'U' && eq(r.rgt, l)) return r // p || (q U p) = q U p
        if (r.ntyp === 'V' && eq(r.rgt, l)) return l // p || (q V p) = p
        if (r.ntyp === 'U' && l.ntyp === 'U' && eq(r.lft, l.lft)) return mk('U', r.lft, mk('or', l.rgt, r.rgt))
        if (eq(l, r) || r.ntyp === 'false' || l.ntyp === 'true') return l
        if (r.ntyp === 'true' || l.ntyp === 'false') return r
        if (r.ntyp === 'V' && l.ntyp === 'V' && eq(l.rgt, r.rgt)) return mk('V', mk('or', l.lft, r.lft), r.rgt)
        if (r.ntyp === 'U' && l.ntyp === 'V' && eq(l.rgt, r.rgt)) return r // (p V q) || (r U q) = r U q
        return ptr
      default:
        return ptr
    }
  }
}
