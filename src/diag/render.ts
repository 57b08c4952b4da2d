import type { Diagnostic } from './diagnostic.js'
import { lineColAt, lineText, type Span } from './span.js'

/** Looks up the text of a file named in a span; undefined when it is not known. */
export type SourceLookup = (file: string) => string | undefined

/** The one renderer for diagnostics, in the rustc-like layout of STYLE.md §5. */
export function renderDiagnostic(d: Diagnostic, sources: SourceLookup): string {
  const out: string[] = [`${d.severity}[${d.code}]: ${d.message}`]
  if (d.span) out.push(...renderSpan(d.span, sources, d.label))
  else if (d.file) out.push(`  --> ${d.file}`)
  for (const note of d.notes ?? []) {
    out.push(`   = note: ${note.message}${note.span ? ` at ${location(note.span, sources)}` : ''}`)
  }
  if (d.hint) out.push(`   = hint: ${d.hint}`)
  return out.join('\n')
}

export function renderDiagnostics(ds: readonly Diagnostic[], sources: SourceLookup): string {
  return ds.map((d) => renderDiagnostic(d, sources)).join('\n\n')
}

/** `file:line:col` of a span's start, 1-based. */
export function location(span: Span, sources: SourceLookup): string {
  const text = sources(span.file)
  if (text === undefined) return span.file
  const { line, col } = lineColAt(text, span.start)
  return `${span.file}:${line}:${col}`
}

function renderSpan(span: Span, sources: SourceLookup, label: string | undefined): string[] {
  const text = sources(span.file)
  if (text === undefined) return [`  --> ${span.file}`]
  const { line, col } = lineColAt(text, span.start)
  const src = lineText(text, line)
  const gutter = String(line).length
  const pad = ' '.repeat(gutter)
  const endOnLine = Math.min(span.end, span.start + Math.max(1, src.length - col + 1))
  const width = Math.max(1, endOnLine - span.start)
  const caretPrefix = src.slice(0, col - 1).replace(/[^\t]/g, ' ')
  return [
    `${pad}--> ${span.file}:${line}:${col}`,
    `${pad} |`,
    `${line} | ${src}`,
    `${pad} | ${caretPrefix}${'^'.repeat(width)}${label ? ` ${label}` : ''}`,
  ]
}
