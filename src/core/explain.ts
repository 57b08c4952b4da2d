/**
 * Building an explanation of a violation (`Model.explain`) within bounds, so that a large property
 * stays about one screen: at most `MAX_TERMS` lines, each term and value cut to a readable width.
 */
import type { ExplainedTerm, Explanation } from './model.js'

/** The most lines an explanation has; past it, one line says how many were left out. */
export const MAX_TERMS = 40
/** The widest a term or a value is shown (longer text is cut with `…`). */
export const MAX_TEXT = 120

/** Collapses white space and cuts `text` to `max` characters. */
export function clipText(text: string, max = MAX_TEXT): string {
  const one = text.replace(/\s+/g, ' ').trim()
  return one.length <= max ? one : `${one.slice(0, max - 1)}…`
}

/** Collects an explanation's lines, dropping exact repeats and stopping at `MAX_TERMS`. */
export class ExplanationBuilder {
  private readonly terms: ExplainedTerm[] = []
  private readonly seen = new Set<string>()
  private dropped = 0

  /** Whether no more lines fit. */
  get full(): boolean {
    return this.terms.length >= MAX_TERMS
  }

  /** Adds a line; returns false when it was left out (a repeat, or no room). */
  add(depth: number, term: string, value?: string, note?: string): boolean {
    const t = clipText(term)
    const key = `${depth}\u0000${t}\u0000${value ?? ''}`
    if (this.seen.has(key)) return false
    if (this.full) {
      this.dropped++
      return false
    }
    this.seen.add(key)
    this.terms.push({ depth, term: t, ...(value === undefined ? {} : { value: clipText(value) }), ...(note ? { note } : {}) })
    return true
  }

  /** The explanation; `title` completes `Why <title>:`, e.g. `invariant 'Inv' fails in state 8`. */
  build(title: string): Explanation | undefined {
    if (this.terms.length === 0) return undefined
    const more = this.dropped > 0 ? [{ depth: 0, term: `(${this.dropped} more term${this.dropped === 1 ? '' : 's'} not shown)` }] : []
    return { title, terms: [...this.terms, ...more] }
  }
}
