import type { Diagnostic, Result } from '../../diag/diagnostic.js'
import { hasErrors } from '../../diag/diagnostic.js'
import { expandInlines } from './inline.js'
import { scopeLocals } from './scopes.js'
import { lowerToModel } from './lower.js'
import type { PromelaModel } from './model.js'
import { parsePromela } from './parser.js'
import { preprocess, type SourceFile } from './preprocess.js'

export interface PromelaInput {
  readonly file: string
  readonly text: string
  /** `-D NAME=VALUE`, as cpp gets them from SPIN. */
  readonly defines?: Readonly<Record<string, string>>
  /** Reads an `#include`d file relative to the including one. */
  readonly readFile?: (name: string, fromFile: string) => SourceFile | undefined
}

export interface LoadedPromela {
  readonly model?: PromelaModel
  readonly diagnostics: readonly Diagnostic[]
  /** Every source file read, for rendering diagnostics and traces. */
  readonly sources: ReadonlyMap<string, string>
  /** The temporal properties in the model: `ltl` blocks and `never` claims, by name. */
  readonly claims: readonly string[]
}

/** The Promela pipeline: preprocess → parse → expand inlines → scope locals → resolve and lower to a model. */
export function loadPromela(input: PromelaInput): LoadedPromela {
  const pre = preprocess({ name: input.file, text: input.text }, { ...(input.defines ? { defines: input.defines } : {}), ...(input.readFile ? { readFile: input.readFile } : {}) })
  const sources = pre.value?.sources ?? new Map([[input.file, input.text]])
  if (!pre.value || hasErrors(pre.diagnostics)) return { diagnostics: pre.diagnostics, sources, claims: [] }
  const parsed = parsePromela(pre.value)
  if (!parsed.value || hasErrors(parsed.diagnostics)) return { diagnostics: [...pre.diagnostics, ...parsed.diagnostics], sources, claims: [] }
  const diagnostics: Diagnostic[] = [...pre.diagnostics, ...parsed.diagnostics]
  const report = (d: Diagnostic): void => void diagnostics.push(d)
  const module = scopeLocals(expandInlines(parsed.value, report), report)
  let ltlCount = 0
  let neverCount = 0
  const claims = module.items.flatMap((item) => (item.kind === 'ltl' ? [item.name ?? `ltl_${ltlCount++}`] : item.kind === 'never' ? [item.name ?? `never_${neverCount++}`] : []))
  const model = lowerToModel(module, { file: input.file, sources }, report)
  const result: Result<PromelaModel> = hasErrors(diagnostics) ? { diagnostics } : { value: model, diagnostics }
  return { ...(result.value ? { model: result.value } : {}), diagnostics, sources, claims }
}
