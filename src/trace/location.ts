import type { StepLabel } from '../core/model.js'
import { location, type SourceLookup } from '../diag/render.js'

/** Where a step is in the source, `file:line:col`, when its label says (by span, or by line and column). */
export function stepLocation(label: StepLabel, sources: SourceLookup): string | undefined {
  if (label.span) return location(label.span, sources)
  if (label.at) return `${label.at.file}:${label.at.line}:${label.at.col}`
  return undefined
}
