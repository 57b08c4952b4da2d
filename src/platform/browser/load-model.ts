/**
 * Loading a Promela or TLA+ model from its texts, where there is no file system (the browser): the
 * files it reads (includes, modules, the cfg) come in a map.
 */
import type { Model } from '../../core/model.js'
import type { Diagnostic } from '../../diag/diagnostic.js'
import { ClaimProduct, claimProduct } from '../../lang/promela/claim.js'
import { loadPromela } from '../../lang/promela/load.js'
import type { PromelaModel } from '../../lang/promela/model.js'
import { loadTla } from '../../lang/tla/load.js'
import type { TlaGrammar } from '../../lang/tla/parse.js'

export interface ModelSource {
  readonly language: 'promela' | 'tla'
  /** The model's file name, as the user named it. */
  readonly file: string
  /** Every file the model reads, by name: the model itself, its includes or modules. */
  readonly files: Readonly<Record<string, string>>
  /** TLA+: the cfg's name (a key of `files`). */
  readonly cfg?: string
  readonly constants?: Readonly<Record<string, string | number | boolean>>
  /**
   * Promela: the claim to explore with (the product with that `ltl` formula or `never` claim, as
   * `weft check` searches it); false for the model alone. Default: the first claim, if any.
   */
  readonly ltl?: string | false
}

export interface SourceLoaded {
  readonly model?: Model<unknown, unknown>
  /** The search `weft check` runs on it: nested depth-first for a claim with accepting cycles. */
  readonly strategy: 'bfs' | 'ndfs'

  readonly diagnostics: readonly Diagnostic[]
  readonly sources: ReadonlyMap<string, string>
}

/** Loads a model from its texts. `grammar` is needed for TLA+ only. */
export function loadModelSource(src: ModelSource, grammar?: TlaGrammar): SourceLoaded {
  const sources = new Map(Object.entries(src.files))
  const constants = src.constants ?? {}
  if (src.language === 'promela') {
    const loaded = loadPromela({
      file: src.file,
      text: src.files[src.file] ?? '',
      defines: Object.fromEntries(Object.entries(constants).map(([k, v]) => [k, String(v)])),
      readFile: (name) => {
        const found = Object.keys(src.files).find((f) => f === name || f.endsWith(`/${name}`))
        return found === undefined ? undefined : { name: found, text: src.files[found]! }
      },
    })
    if (!loaded.model) return { diagnostics: loaded.diagnostics, sources: loaded.sources, strategy: 'bfs' }
    const claim = src.ltl === false ? undefined : (src.ltl ?? loaded.claims[0])
    const model = claim === undefined ? loaded.model : (claimProduct(loaded.model as PromelaModel, claim) ?? loaded.model)
    const strategy = model instanceof ClaimProduct && !model.isSafety ? 'ndfs' : 'bfs'
    return { model: model as unknown as Model<unknown, unknown>, strategy, diagnostics: loaded.diagnostics, sources: loaded.sources }
  }
  if (!grammar) throw new Error('loading a TLA+ model needs the tree-sitter grammar')
  const dir = src.file.includes('/') ? src.file.slice(0, src.file.lastIndexOf('/') + 1) : ''
  const loaded = loadTla({
    grammar,
    file: src.file,
    text: src.files[src.file] ?? '',
    ...(src.cfg && src.files[src.cfg] !== undefined ? { cfg: { name: src.cfg, text: src.files[src.cfg]! } } : {}),
    constants,
    readModule: (name) => {
      const f = `${dir}${name}.tla`
      return src.files[f] === undefined ? undefined : { name: f, text: src.files[f]! }
    },
  })
  return { ...(loaded.model ? { model: loaded.model as unknown as Model<unknown, unknown> } : {}), strategy: 'bfs', diagnostics: loaded.diagnostics, sources }
}
