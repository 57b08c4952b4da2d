/**
 * LTL formulas over opaque atoms. An atom is a number (`id`) chosen by the front end, which maps it to a
 * state predicate; its `name` is only for printing. Formulas are plain `kind`-discriminated objects.
 *
 * Use `simplify` before translating to an automaton (`buchi.ts` does), `negate` to turn a property into
 * the formula whose models are its violations, and `formulaToString` to show a formula in SPIN syntax.
 */

export interface Atom {
  readonly kind: 'atom'
  readonly id: number
  readonly name: string
}

export interface Constant {
  readonly kind: 'true' | 'false'
}

/** `!` negation, `X` next, `[]` always (G), `<>` eventually (F). */
export type UnaryKind = 'not' | 'next' | 'always' | 'eventually'

/** `&&`, `||`, `->`, `<->`, `U` until, `V` release (R), `W` weak until. */
export type BinaryKind = 'and' | 'or' | 'implies' | 'iff' | 'until' | 'release' | 'weakUntil'

export interface Unary {
  readonly kind: UnaryKind
  readonly arg: Formula
}

export interface Binary {
  readonly kind: BinaryKind
  readonly left: Formula
  readonly right: Formula
}

export type Formula = Constant | Atom | Unary | Binary

export function assertNever(x: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(x)}`)
}

// ---------------------------------------------------------------------------------------------
// Constructors (no simplification: they build exactly what they are given)

export const tt: Formula = { kind: 'true' }
export const ff: Formula = { kind: 'false' }
export const atom = (id: number, name: string = `p${id}`): Atom => ({ kind: 'atom', id, name })
export const not = (arg: Formula): Formula => ({ kind: 'not', arg })
export const next = (arg: Formula): Formula => ({ kind: 'next', arg })
export const always = (arg: Formula): Formula => ({ kind: 'always', arg })
export const eventually = (arg: Formula): Formula => ({ kind: 'eventually', arg })
export const and = (left: Formula, right: Formula): Formula => ({ kind: 'and', left, right })
export const or = (left: Formula, right: Formula): Formula => ({ kind: 'or', left, right })
export const implies = (left: Formula, right: Formula): Formula => ({ kind: 'implies', left, right })
export const iff = (left: Formula, right: Formula): Formula => ({ kind: 'iff', left, right })
export const until = (left: Formula, right: Formula): Formula => ({ kind: 'until', left, right })
export const release = (left: Formula, right: Formula): Formula => ({ kind: 'release', left, right })
export const weakUntil = (left: Formula, right: Formula): Formula => ({ kind: 'weakUntil', left, right })

export function isUnary(f: Formula): f is Unary {
  return f.kind === 'not' || f.kind === 'next' || f.kind === 'always' || f.kind === 'eventually'
}

export function isBinary(f: Formula): f is Binary {
  return 'left' in f
}

/** The atoms of a formula, each once, ordered by id. */
export function atomsOf(f: Formula): Atom[] {
  const seen = new Map<number, Atom>()
  const walk = (g: Formula): void => {
    if (g.kind === 'atom') seen.set(g.id, g)
    else if (isUnary(g)) walk(g.arg)
    else if (isBinary(g)) {
      walk(g.left)
      walk(g.right)
    }
  }
  walk(f)
  return [...seen.values()].sort((a, b) => a.id - b.id)
}

/** The number of nodes of a formula. */
export function formulaSize(f: Formula): number {
  if (isUnary(f)) return 1 + formulaSize(f.arg)
  if (isBinary(f)) return 1 + formulaSize(f.left) + formulaSize(f.right)
  return 1
}

/**
 * A canonical string for a formula's structure (atoms by id, names ignored): equal keys, equal formulas.
 * Linear in the size of the formula; callers that need it often should memoize it per object.
 */
export function formulaKey(f: Formula): string {
  switch (f.kind) {
    case 'true':
      return 't'
    case 'false':
      return 'f'
    case 'atom':
      return `a${f.id}`
    case 'not':
      return `!${formulaKey(f.arg)}`
    case 'next':
      return `X${formulaKey(f.arg)}`
    case 'always':
      return `G${formulaKey(f.arg)}`
    case 'eventually':
      return `F${formulaKey(f.arg)}`
    case 'and':
    case 'or':
    case 'implies':
    case 'iff':
    case 'until':
    case 'release':
    case 'weakUntil':
      return `(${binaryKeyOp[f.kind]} ${formulaKey(f.left)} ${formulaKey(f.right)})`
    default:
      return assertNever(f)
  }
}

const binaryKeyOp: Readonly<Record<BinaryKind, string>> = {
  and: '&', or: '|', implies: '>', iff: '=', until: 'U', release: 'R', weakUntil: 'W',
}

export function equalFormula(a: Formula, b: Formula): boolean {
  return formulaKey(a) === formulaKey(b)
}

// ---------------------------------------------------------------------------------------------
// Negation normal form

/**
 * Negation normal form: `!` only in front of atoms; `->` and `<->` are expanded (a `<->` copies both
 * sides). The result uses true, false, atoms, `!atom`, `&&`, `||`, X, U, V (release), W, [] and <>.
 */
export function toNnf(f: Formula): Formula {
  return nnf(f, false)
}

/** The negation of a formula, in negation normal form: callers translate `negate(property)`. */
export function negate(f: Formula): Formula {
  return nnf(f, true)
}

function nnf(f: Formula, neg: boolean): Formula {
  switch (f.kind) {
    case 'true':
      return neg ? ff : tt
    case 'false':
      return neg ? tt : ff
    case 'atom':
      return neg ? not(f) : f
    case 'not':
      return nnf(f.arg, !neg)
    case 'next':
      return next(nnf(f.arg, neg))
    case 'always':
      return neg ? eventually(nnf(f.arg, true)) : always(nnf(f.arg, false))
    case 'eventually':
      return neg ? always(nnf(f.arg, true)) : eventually(nnf(f.arg, false))
    case 'and':
      return (neg ? or : and)(nnf(f.left, neg), nnf(f.right, neg))
    case 'or':
      return (neg ? and : or)(nnf(f.left, neg), nnf(f.right, neg))
    case 'implies':
      return neg ? and(nnf(f.left, false), nnf(f.right, true)) : or(nnf(f.left, true), nnf(f.right, false))
    case 'iff':
      return neg
        ? or(and(nnf(f.left, false), nnf(f.right, true)), and(nnf(f.left, true), nnf(f.right, false)))
        : or(and(nnf(f.left, false), nnf(f.right, false)), and(nnf(f.left, true), nnf(f.right, true)))
    case 'until':
      return neg ? release(nnf(f.left, true), nnf(f.right, true)) : until(nnf(f.left, false), nnf(f.right, false))
    case 'release':
      return neg ? until(nnf(f.left, true), nnf(f.right, true)) : release(nnf(f.left, false), nnf(f.right, false))
    case 'weakUntil':
      // !(a W b) = !b U (!a && !b)
      return neg
        ? until(nnf(f.right, true), and(nnf(f.left, true), nnf(f.right, true)))
        : weakUntil(nnf(f.left, false), nnf(f.right, false))
    default:
      return assertNever(f)
  }
}

// ---------------------------------------------------------------------------------------------
// Printing, in SPIN's syntax and with SPIN's precedence (see spin-syntax.ts)

/** Binding strength when printing: higher binds tighter. Binary operators are left-associative. */
export function precedence(f: Formula): number {
  switch (f.kind) {
    case 'implies':
    case 'iff':
      return 1
    case 'or':
      return 2
    case 'and':
      return 3
    case 'until':
    case 'release':
    case 'weakUntil':
      return 4
    case 'not':
    case 'next':
    case 'always':
    case 'eventually':
      return 5
    default:
      return 6
  }
}

const unaryText: Readonly<Record<UnaryKind, string>> = { not: '!', next: 'X ', always: '[]', eventually: '<>' }
const binaryText: Readonly<Record<BinaryKind, string>> = {
  and: '&&', or: '||', implies: '->', iff: '<->', until: 'U', release: 'V', weakUntil: 'W',
}

/** Names that the SPIN parser reads as operators or constants, so atoms with these names need braces. */
export const reservedWords: ReadonlySet<string> = new Set([
  'U', 'V', 'W', 'X', 'true', 'false', 'always', 'eventually', 'until', 'weakuntil', 'stronguntil', 'release',
  'implies', 'equivalent', 'next',
])

/** An atom as the parser reads it back: a plain name, or `{text}` when the name is not an identifier. */
export function atomText(a: Atom): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(a.name) && !reservedWords.has(a.name) ? a.name : `{${a.name}}`
}

/**
 * The formula in SPIN syntax with as few parentheses as SPIN's precedence allows:
 * `parseSpinLtl(formulaToString(f))` gives back `f`.
 */
export function formulaToString(f: Formula, showAtom: (a: Atom) => string = atomText): string {
  const go = (g: Formula): string => {
    switch (g.kind) {
      case 'true':
      case 'false':
        return g.kind
      case 'atom':
        return showAtom(g)
      case 'not':
      case 'next':
      case 'always':
      case 'eventually': {
        const inner = go(g.arg)
        return unaryText[g.kind] + (precedence(g.arg) < 5 ? `(${inner})` : inner)
      }
      case 'and':
      case 'or':
      case 'implies':
      case 'iff':
      case 'until':
      case 'release':
      case 'weakUntil': {
        const p = precedence(g)
        const l = go(g.left)
        const r = go(g.right)
        return `${precedence(g.left) < p ? `(${l})` : l} ${binaryText[g.kind]} ${precedence(g.right) <= p ? `(${r})` : r}`
      }
      default:
        return assertNever(g)
    }
  }
  return go(f)
}
