/** A region of a source file, as byte-free UTF-16 offsets into its text. Lines and columns are computed only when rendering. */
export interface Span {
  readonly file: string
  readonly start: number
  readonly end: number
}

/** A source text that diagnostics can point into. */
export interface SourceText {
  readonly name: string
  readonly text: string
}

export interface LineCol {
  /** 1-based line */
  readonly line: number
  /** 1-based column, in UTF-16 code units */
  readonly col: number
}

/** The 1-based line and column of an offset in a text. */
export function lineColAt(text: string, offset: number): LineCol {
  const end = Math.max(0, Math.min(offset, text.length))
  let line = 1
  let lineStart = 0
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++
      lineStart = i + 1
    }
  }
  return { line, col: end - lineStart + 1 }
}

/** The text of the given 1-based line, without its line break. */
export function lineText(text: string, line: number): string {
  let start = 0
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', start)
    if (nl < 0) return ''
    start = nl + 1
  }
  const nl = text.indexOf('\n', start)
  return text.slice(start, nl < 0 ? text.length : nl).replace(/\r$/, '')
}
