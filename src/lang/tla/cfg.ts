/**
 * TLC's model configuration (`.cfg`) files: which constants get which values, which formulas are
 * the behaviour spec, and what to check.
 */
import { error, type Diagnostic, type Result } from '../../diag/diagnostic.js'
import type { Span } from '../../diag/span.js'

/** A constant's value in a cfg: TLC accepts numbers, strings, booleans, model values, sets and tuples of them. */
export type CfgValue =
  | { readonly kind: 'int'; readonly value: number }
  | { readonly kind: 'str'; readonly value: string }
  | { readonly kind: 'bool'; readonly value: boolean }
  /** A bare name: a model value (or, for `N = N`, the model value named after the constant). */
  | { readonly kind: 'model'; readonly name: string }
  | { readonly kind: 'set'; readonly elems: readonly CfgValue[] }
  | { readonly kind: 'tuple'; readonly elems: readonly CfgValue[] }

export interface CfgName {
  readonly name: string
  readonly span: Span
}

export type CfgConstant =
  /** `Name = value`, or `Name = [Module] value`: the value of a constant, or of a definition (of that module). */
  | { readonly kind: 'value'; readonly name: string; readonly value: CfgValue; readonly module?: string; readonly span: Span }
  /** `Name <- Def` or `Name <- [Module] Def`: the constant or operator is replaced by a definition. */
  | { readonly kind: 'substitute'; readonly name: string; readonly by: string; readonly module?: string; readonly span: Span }

export interface Cfg {
  readonly file: string
  readonly constants: readonly CfgConstant[]
  readonly init?: CfgName
  readonly next?: CfgName
  readonly specification?: CfgName
  readonly invariants: readonly CfgName[]
  readonly properties: readonly CfgName[]
  readonly constraints: readonly CfgName[]
  readonly actionConstraints: readonly CfgName[]
  readonly symmetry?: CfgName
  readonly view?: CfgName
  readonly alias?: CfgName
  readonly postcondition?: CfgName
  readonly checkDeadlock?: boolean
}

type Token = { readonly text: string; readonly start: number; readonly end: number; readonly kind: 'word' | 'num' | 'str' | 'punct' }

const KEYWORDS = new Set([
  'CONSTANT', 'CONSTANTS', 'INIT', 'NEXT', 'SPECIFICATION', 'INVARIANT', 'INVARIANTS', 'PROPERTY', 'PROPERTIES',
  'CONSTRAINT', 'CONSTRAINTS', 'ACTION_CONSTRAINT', 'ACTION_CONSTRAINTS', 'SYMMETRY', 'VIEW', 'CHECK_DEADLOCK',
  'POSTCONDITION', 'ALIAS',
])

function tokenize(file: string, text: string, diagnostics: Diagnostic[]): Token[] {
  const out: Token[] = []
  let i = 0
  while (i < text.length) {
    const ch = text[i]!
    if (/\s/.test(ch)) {
      i++
    } else if (text.startsWith('\\*', i)) {
      while (i < text.length && text[i] !== '\n') i++
    } else if (text.startsWith('(*', i)) {
      let depth = 0
      const start = i
      while (i < text.length) {
        if (text.startsWith('(*', i)) {
          depth++
          i += 2
        } else if (text.startsWith('*)', i)) {
          depth--
          i += 2
          if (depth === 0) break
        } else i++
      }
      if (depth > 0) diagnostics.push(error('TLA020', 'a comment in the cfg is not closed', { span: { file, start, end: start + 2 } }))
    } else if (/[A-Za-z_]/.test(ch) || (/[0-9]/.test(ch) && /[A-Za-z_]/.test(text.slice(i).match(/^[0-9]*(.)/)?.[1] ?? ''))) {
      const start = i
      while (i < text.length && /[A-Za-z0-9_]/.test(text[i]!)) i++
      out.push({ text: text.slice(start, i), start, end: i, kind: 'word' })
    } else if (/[0-9]/.test(ch) || (ch === '-' && /[0-9]/.test(text[i + 1] ?? ''))) {
      const start = i
      i++
      while (i < text.length && /[0-9]/.test(text[i]!)) i++
      out.push({ text: text.slice(start, i), start, end: i, kind: 'num' })
    } else if (ch === '"') {
      const start = i
      i++
      let s = ''
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < text.length) i++
        s += text[i]
        i++
      }
      i++
      out.push({ text: s, start, end: i, kind: 'str' })
    } else {
      const start = i
      const two = text.slice(i, i + 2)
      const len = two === '<-' || two === '<<' || two === '>>' ? 2 : 1
      i += len
      out.push({ text: text.slice(start, i), start, end: i, kind: 'punct' })
    }
  }
  return out
}

/** A value at `at.p` (moved past it): a number, string, Boolean, model value, set or tuple. */
function readValue(toks: readonly Token[], at: { p: number }, bad: (t: Token | undefined, message: string) => void): CfgValue | undefined {
  const t = toks[at.p]
  if (!t) return undefined
  if (t.kind === 'num') {
    at.p++
    return { kind: 'int', value: Number(t.text) }
  }
  if (t.kind === 'str') {
    at.p++
    return { kind: 'str', value: t.text }
  }
  if (t.kind === 'word' && !KEYWORDS.has(t.text)) {
    at.p++
    if (t.text === 'TRUE' || t.text === 'FALSE') return { kind: 'bool', value: t.text === 'TRUE' }
    return { kind: 'model', name: t.text }
  }
  if (t.text === '{' || t.text === '<<') {
    const close = t.text === '{' ? '}' : '>>'
    at.p++
    const elems: CfgValue[] = []
    while (toks[at.p] && toks[at.p]!.text !== close) {
      const v = readValue(toks, at, bad)
      if (!v) return undefined
      elems.push(v)
      if (toks[at.p]?.text === ',') at.p++
      else if (toks[at.p]?.text !== close) {
        bad(toks[at.p], `expected ',' or '${close}' in a cfg value`)
        return undefined
      }
    }
    if (!toks[at.p]) {
      bad(t, `'${t.text}' is not closed`)
      return undefined
    }
    at.p++
    return t.text === '{' ? { kind: 'set', elems } : { kind: 'tuple', elems }
  }
  bad(t, `'${t.text}' cannot start a constant's value`)
  at.p++
  return undefined
}

/**
 * A constant's value given outside the cfg (`-D NAME=VALUE`), read as the cfg reads one: `3`,
 * `"text"`, `TRUE`, a model value `r1`, a set `{r1, r2}` or a tuple `<<1, 2>>`.
 */
export function parseCfgValue(file: string, text: string): Result<CfgValue> {
  const diagnostics: Diagnostic[] = []
  const toks = tokenize(file, text, diagnostics)
  const bad = (t: Token | undefined, message: string): void => {
    diagnostics.push(error('TLA022', message, t ? { span: { file, start: t.start, end: t.end } } : { file }))
  }
  const at = { p: 0 }
  const value = toks.length === 0 ? (bad(undefined, 'the value is empty'), undefined) : readValue(toks, at, bad)
  if (value && at.p < toks.length) bad(toks[at.p], `unexpected '${toks[at.p]!.text}' after the value`)
  return diagnostics.length > 0 || !value ? { diagnostics } : { value, diagnostics }
}

/** Parses a cfg file. Errors carry the cfg's file and position. */
export function parseCfg(file: string, text: string): Result<Cfg> {
  const diagnostics: Diagnostic[] = []
  const toks = tokenize(file, text, diagnostics)
  let p = 0
  const span = (t: Token): Span => ({ file, start: t.start, end: t.end })
  const constants: CfgConstant[] = []
  const invariants: CfgName[] = []
  const properties: CfgName[] = []
  const constraints: CfgName[] = []
  const actionConstraints: CfgName[] = []
  const single: Record<string, CfgName> = {}
  let checkDeadlock: boolean | undefined
  const bad = (t: Token | undefined, message: string): void => {
    const at = t ?? toks[toks.length - 1]
    diagnostics.push(error('TLA021', message, at ? { span: span(at) } : { file }))
  }
  const isName = (t: Token | undefined): t is Token => t !== undefined && t.kind === 'word' && !KEYWORDS.has(t.text)

  const value = (): CfgValue | undefined => {
    const at = { p }
    const v = readValue(toks, at, bad)
    p = at.p
    return v
  }

  /** `[Module]` after `=` or `<-`: the module whose definition the line replaces. */
  const moduleScope = (): string | undefined => {
    if (toks[p]?.text !== '[') return undefined
    const module = toks[p + 1]
    if (!isName(module)) bad(module ?? toks[p], "expected a module's name after '['")
    if (toks[p + 2]?.text !== ']') bad(toks[p + 2] ?? toks[p], "expected ']' after the module name")
    p += 3
    return module?.text
  }

  while (p < toks.length) {
    const kw = toks[p]!
    if (kw.kind !== 'word' || !KEYWORDS.has(kw.text)) {
      bad(kw, `expected a cfg keyword (CONSTANTS, INIT, NEXT, SPECIFICATION, INVARIANT, PROPERTY, ...), not '${kw.text}'`)
      p++
      continue
    }
    p++
    switch (kw.text) {
      case 'CONSTANT':
      case 'CONSTANTS':
        while (isName(toks[p])) {
          const name = toks[p]!
          p++
          const op = toks[p]
          if (op?.text === '=') {
            p++
            const module = moduleScope()
            const v = value()
            if (v) constants.push({ kind: 'value', name: name.text, value: v, ...(module ? { module } : {}), span: span(name) })
          } else if (op?.text === '<-') {
            p++
            const module = moduleScope()
            const by = toks[p]
            if (!isName(by)) {
              bad(by, `expected a definition's name after '<-'`)
              continue
            }
            p++
            constants.push({ kind: 'substitute', name: name.text, by: by.text, ...(module ? { module } : {}), span: span(name) })
          } else if (op?.text === '(') {
            // An operator constant given a definition by `Op(_, _) <- Def`: skip the placeholders.
            while (toks[p] && toks[p]!.text !== ')') p++
            p++
            if (toks[p]?.text === '<-' && isName(toks[p + 1])) {
              constants.push({ kind: 'substitute', name: name.text, by: toks[p + 1]!.text, span: span(name) })
              p += 2
            } else bad(toks[p], `expected '<-' and a definition for operator constant '${name.text}'`)
          } else {
            bad(op ?? name, `expected '=' or '<-' after constant '${name.text}'`)
          }
        }
        break
      case 'INVARIANT':
      case 'INVARIANTS':
      case 'PROPERTY':
      case 'PROPERTIES':
      case 'CONSTRAINT':
      case 'CONSTRAINTS':
      case 'ACTION_CONSTRAINT':
      case 'ACTION_CONSTRAINTS': {
        const list = kw.text.startsWith('INV') ? invariants : kw.text.startsWith('PROP') ? properties : kw.text.startsWith('ACTION') ? actionConstraints : constraints
        while (isName(toks[p])) {
          list.push({ name: toks[p]!.text, span: span(toks[p]!) })
          p++
        }
        break
      }
      case 'CHECK_DEADLOCK': {
        const t = toks[p]
        if (t?.text === 'TRUE' || t?.text === 'FALSE') {
          checkDeadlock = t.text === 'TRUE'
          p++
        } else bad(t, 'CHECK_DEADLOCK takes TRUE or FALSE')
        break
      }
      default: {
        const t = toks[p]
        if (!isName(t)) {
          bad(t ?? kw, `${kw.text} needs a definition's name`)
          break
        }
        const key = kw.text.toLowerCase()
        if (single[key]) bad(t, `${kw.text} is given twice`)
        single[key] = { name: t.text, span: span(t) }
        p++
      }
    }
  }
  if (diagnostics.length > 0) return { diagnostics }
  return {
    value: {
      file,
      constants,
      invariants,
      properties,
      constraints,
      actionConstraints,
      checkDeadlock,
      init: single['init'],
      next: single['next'],
      specification: single['specification'],
      symmetry: single['symmetry'],
      view: single['view'],
      alias: single['alias'],
      postcondition: single['postcondition'],
    },
    diagnostics,
  }
}
