/**
 * Loading the model the explorer serves, in the page and in the search worker alike: a TypeScript
 * model as its bundle (`/model.js`), a Promela or TLA+ model from its texts (`/model.json`).
 */
import { loadModelSource, loadTlaGrammarFrom, renderDiagnostics, type Model, type ModelSource } from '../src/browser.js'

export type AnyModel = Model<unknown, unknown>

/** What the server says about the model (`/model.json`). */
export interface ModelInfo {
  readonly language: 'promela' | 'tla' | 'typescript'
  readonly file: string
  readonly source?: ModelSource
  readonly constants?: Readonly<Record<string, string | number | boolean>>
}

export interface Loaded {
  readonly model: AnyModel
  readonly strategy: 'bfs' | 'ndfs'
  readonly sources: ReadonlyMap<string, string>
  readonly info: ModelInfo
}

export async function loadServedModel(): Promise<Loaded> {
  const info = (await (await fetch('/model.json')).json()) as ModelInfo
  if (info.language === 'typescript') {
    const url = '/model.js'
    const mod = (await import(url)) as { default?: unknown }
    const exported = mod.default
    const model = (typeof exported === 'function' ? (exported as (c: unknown) => unknown)(info.constants ?? {}) : exported) as AnyModel
    return { model, strategy: 'bfs', sources: new Map(), info }
  }
  const grammar = info.language === 'tla' ? await loadTlaGrammarFrom({ runtime: '/tree-sitter.wasm', grammar: '/tree-sitter-tlaplus.wasm' }) : undefined
  const loaded = loadModelSource(info.source!, grammar)
  if (!loaded.model) throw new Error(renderDiagnostics(loaded.diagnostics, (f) => loaded.sources.get(f)))
  return { model: loaded.model, strategy: loaded.strategy, sources: loaded.sources, info }
}

/** What the page asks the search worker. */
export interface SearchRequest {
  readonly maxStates: number
}

/** What the search worker answers: progress about once a second, then the result or an error. */
export type SearchReply =
  | { readonly kind: 'progress'; readonly distinct: number }
  | {
      readonly kind: 'done'
      readonly result: 'ok' | 'violation' | 'incomplete' | 'error'
      readonly violation?: { readonly message: string; readonly length: number; readonly path: string }
      readonly distinct: number
      readonly limit?: string
    }
  | { readonly kind: 'error'; readonly message: string }
