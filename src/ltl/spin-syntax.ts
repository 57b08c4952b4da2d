import { error, type Diagnostic, type Result } from '../diag/diagnostic.js'
import type { Span } from '../diag/span.js'
import {
  always, and, assertNever, atom as mkAtom, eventually, ff, iff, implies, next, not, or, release, tt, until,
  weakUntil, type Formula,
} from './formula.js'

/**
 * SPIN's LTL syntax, as in `ltl name { … }` and `spin -f`.
 *
 * Operators: `!`, `[]`, `<>`, `X` (prefix); `U`, `W`, `V`, `&&` (`/\`), `||` (`\/`), `->`, `<->`
 * (infix); `true`, `false`; and the word forms `always`, `eventually`, `next`, `until`, `stronguntil`,
 * `weakuntil`, `release`, `implies`, `equivalent`. Precedence is that of SPIN's yacc grammar for inline
 * formulas (`spin.y`), loosest first: `->` and `<->`; `||`; `&&`; `U`, `W` and `V`; the prefix operators.
 * Every binary operator is left-associative, so `a -> b -> c` is `(a -> b) -> c` and `a U b U c` is
 * `(a U b) U c`; a prefix operator takes the smallest operand, so `[]p -> <>q` is `([]p) -> (<>q)`.
 *
 * Atoms are identifiers (`[A-Za-z_][A-Za-z0-9_]*`, other than the words above) or any text in braces,
 * `{x > 2}`, whose name is the trimmed text. The caller maps each name to an atom id.
 */

export interface ParseOptions {
  /** The file named in spans (default `<ltl>`). */
  readonly file?: string
  /** Where the formula starts in that file, so spans point into it (default 0). */
  readonly offset?: number
}

type TokenKind = '(' | ')' | '!' | '[]' | '<>' | 'X' | '&&' | '||' | '->' | '<->' | 'U' | 'W' | 'V' | 'true' | 'false' | 'name' | 'eof'

interface Token {
  readonly kind: TokenKind
  /** For `name`: the atom's name (braces removed). */
  readonly text: string
  readonly start: number
  readonly end: number
}

const words: Readonly<Record<string, TokenKind>> = {
  U: 'U', W: 'W', V: 'V', X: 'X', true: 'true', false: 'false',
  always: '[]', eventually: '<>', next: 'X', until: 'U', stronguntil: 'U', weakuntil: 'W', release: 'V',
  implies: '->', equivalent: '<->',
}

const symbols: readonly (readonly [string, TokenKind])[] = [
  ['<->', '<->'], ['->', '->'], ['[]', '[]'], ['<>', '<>'], ['&&', '&&'], ['||', '||'], ['/\\', '&&'], ['\\/', '||'],
  ['(', '('], [')', ')'], ['!', '!'],
]

const binaryPrec: Partial<Record<TokenKind, number>> = { '->': 1, '<->': 1, '||': 2, '&&': 3, U: 4, W: 4, V: 4 }

const maxDepth = 1000

/** Thrown inside the parser to stop at the first syntax error; never escapes `parseSpinLtl`. */
class SyntaxStop extends Error {}

/**
 * Parses a formula in SPIN's syntax. `atom` maps a proposition's name to its id, or undefined when the
 * name is unknown (reported as LTL101). The value is present only when there are no errors.
 */
export function parseSpinLtl(text: string, atom: (name: string) => number | undefined, options: ParseOptions = {}): Result<Formula> {
  const file = options.file ?? '<ltl>'
  const offset = options.offset ?? 0
  const diagnostics: Diagnostic[] = []
  const span = (start: number, end: number): Span => ({ file, start: offset + start, end: offset + end })
  const stop = (code: string, message: string, start: number, end: number, label?: string): never => {
    diagnostics.push(error(code, message, { span: span(start, Math.max(end, start + 1)), ...(label ? { label } : {}) }))
    throw new SyntaxStop()
  }

  // Lexer
  const tokens: Token[] = []
  const lex = (): void => {
    let i = 0
    outer: while (i < text.length) {
      const c = text[i]!
      if (/\s/.test(c)) {
        i++
        continue
      }
      if (/[A-Za-z_]/.test(c)) {
        let j = i + 1
        while (j < text.length && /[A-Za-z0-9_]/.test(text[j]!)) j++
        const w = text.slice(i, j)
        tokens.push({ kind: Object.hasOwn(words, w) ? words[w]! : 'name', text: w, start: i, end: j })
        i = j
        continue
      }
      if (c === '{') {
        let depth = 1
        let j = i + 1
        while (j < text.length && depth > 0) {
          if (text[j] === '{') depth++
          else if (text[j] === '}') depth--
          j++
        }
        if (depth > 0) stop('LTL003', `'{' is never closed`, i, i + 1, 'opened here')
        const inner = text.slice(i + 1, j - 1).trim()
        if (inner === '') stop('LTL002', 'expected a proposition inside the braces, found nothing', i, j)
        tokens.push({ kind: 'name', text: inner, start: i, end: j })
        i = j
        continue
      }
      for (const [sym, kind] of symbols) {
        if (text.startsWith(sym, i)) {
          tokens.push({ kind, text: sym, start: i, end: i + sym.length })
          i += sym.length
          continue outer
        }
      }
      stop('LTL001', `unexpected character '${c}' in an LTL formula`, i, i + 1)
    }
    tokens.push({ kind: 'eof', text: '', start: text.length, end: text.length })
  }

  // Parser
  let pos = 0
  const peek = (): Token => tokens[pos]!
  const describe = (t: Token): string => (t.kind === 'eof' ? 'the end of the formula' : `'${t.text}'`)

  const parseBinary = (minPrec: number, depth: number): Formula => {
    let left = parseUnary(depth)
    for (;;) {
      const t = peek()
      const prec = binaryPrec[t.kind]
      if (prec === undefined || prec < minPrec) return left
      pos++
      const right = parseBinary(prec + 1, depth + 1)
      left = binary(t.kind, left, right)
    }
  }

  const parseUnary = (depth: number): Formula => {
    const t = peek()
    if (depth > maxDepth) stop('LTL004', `the formula is nested more than ${maxDepth} levels deep`, t.start, t.end)
    switch (t.kind) {
      case '!':
      case '[]':
      case '<>':
      case 'X': {
        pos++
        const arg = parseUnary(depth + 1)
        return t.kind === '!' ? not(arg) : t.kind === '[]' ? always(arg) : t.kind === '<>' ? eventually(arg) : next(arg)
      }
      case '(': {
        pos++
        const inner = parseBinary(1, depth + 1)
        const close = peek()
        if (close.kind !== ')') {
          if (close.kind === 'eof') stop('LTL003', `'(' is never closed`, t.start, t.end, 'opened here')
          stop('LTL002', `expected ')' or an operator, found ${describe(close)}`, close.start, close.end)
        }
        pos++
        return inner
      }
      case 'true':
        pos++
        return tt
      case 'false':
        pos++
        return ff
      case 'name': {
        pos++
        const id = atom(t.text)
        if (id === undefined) {
          diagnostics.push(error('LTL101', `unknown proposition '${t.text}'`, { span: span(t.start, t.end) }))
          return mkAtom(-1, t.text)
        }
        return mkAtom(id, t.text)
      }
      case 'eof':
        if (tokens.length === 1) stop('LTL005', 'the formula is empty', 0, text.length)
        return stop('LTL002', `expected a formula, found the end of the text`, t.start, t.end)
      default:
        return stop('LTL002', `expected a formula, found ${describe(t)}`, t.start, t.end)
    }
  }

  try {
    lex()
    const value = parseBinary(1, 0)
    const rest = peek()
    if (rest.kind !== 'eof') {
      const message = rest.kind === ')' ? `unmatched ')'` : `expected an operator or the end of the formula, found ${describe(rest)}`
      stop('LTL002', message, rest.start, rest.end)
    }
    return diagnostics.length === 0 ? { value, diagnostics } : { diagnostics }
  } catch (e) {
    if (e instanceof SyntaxStop) return { diagnostics }
    throw e
  }
}

function binary(kind: TokenKind, left: Formula, right: Formula): Formula {
  switch (kind) {
    case '&&':
      return and(left, right)
    case '||':
      return or(left, right)
    case '->':
      return implies(left, right)
    case '<->':
      return iff(left, right)
    case 'U':
      return until(left, right)
    case 'W':
      return weakUntil(left, right)
    case 'V':
      return release(left, right)
    default:
      // binaryPrec lists exactly the kinds above
      throw new Error(`not a binary operator: ${kind}`)
  }
}

// ---------------------------------------------------------------------------------------------
// Trees parsed elsewhere (the Promela parser's `LtlFormula`), typed by shape only

export type TreeUnaryOp = '!' | '[]' | '<>' | 'X'
export type TreeBinaryOp = '&&' | '||' | '->' | '<->' | 'U' | 'W' | 'V'

/** The shape of an LTL syntax tree built by a front end; its atom nodes are opaque here. */
export type LtlTree =
  | { readonly kind: 'ltlAtom' }
  | { readonly kind: 'ltlConst'; readonly value: boolean }
  | { readonly kind: 'ltlUnary'; readonly op: TreeUnaryOp; readonly operand: LtlTree }
  | { readonly kind: 'ltlBinary'; readonly op: TreeBinaryOp; readonly left: LtlTree; readonly right: LtlTree }

/** What `atomOf` returns: an atom id, or an id with the name to print for it. */
export type AtomRef = number | { readonly id: number; readonly name: string }

/**
 * Converts a front end's LTL tree into a formula. `atomOf` maps each atom node to an atom id (and
 * optionally its printed name); it is called once per atom node, in left-to-right order. `T` is the
 * tree's declared type (a front end's whole formula type, such as Promela's `LtlFormula`); pass it
 * explicitly when the argument's type has been narrowed to one node kind.
 */
export function fromTree<T extends LtlTree>(tree: T, atomOf: (atomNode: Extract<T, { readonly kind: 'ltlAtom' }>) => AtomRef): Formula {
  const go = (t: LtlTree): Formula => {
    switch (t.kind) {
      case 'ltlAtom': {
        // A T's atom nodes are T's atom members: T is a tree of this shape all the way down.
        const ref = atomOf(t as Extract<T, { readonly kind: 'ltlAtom' }>)
        return typeof ref === 'number' ? mkAtom(ref) : mkAtom(ref.id, ref.name)
      }
      case 'ltlConst':
        return t.value ? tt : ff
      case 'ltlUnary': {
        const arg = go(t.operand)
        const op = t.op
        switch (op) {
          case '!':
            return not(arg)
          case '[]':
            return always(arg)
          case '<>':
            return eventually(arg)
          case 'X':
            return next(arg)
          default:
            return assertNever(op)
        }
      }
      case 'ltlBinary': {
        const l = go(t.left)
        const r = go(t.right)
        const op = t.op
        switch (op) {
          case '&&':
            return and(l, r)
          case '||':
            return or(l, r)
          case '->':
            return implies(l, r)
          case '<->':
            return iff(l, r)
          case 'U':
            return until(l, r)
          case 'W':
            return weakUntil(l, r)
          case 'V':
            return release(l, r)
          default:
            return assertNever(op)
        }
      }
      default:
        return assertNever(t)
    }
  }
  return go(tree)
}
