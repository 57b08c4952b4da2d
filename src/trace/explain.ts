import type { Explanation } from '../core/model.js'

/**
 * An explanation as text lines: its title (`Why <title>:`), then each sub-term indented by its depth, as
 * `term = value`, with its note after it.
 *
 * ```
 * Why invariant 'ActivePlanNotDeleted' fails in state 8:
 *   ActivePlanNotDeleted == active \notin deleted
 *   active \notin deleted = FALSE
 *     active = 1
 *     deleted = {1}
 * ```
 */
export function explanationLines(e: Explanation): string[] {
  return [`Why ${e.title}:`, ...e.terms.map((t) => `${'  '.repeat(t.depth + 1)}${t.term}${t.value === undefined ? '' : ` = ${t.value}`}${t.note ? `   (${t.note})` : ''}`)]
}
