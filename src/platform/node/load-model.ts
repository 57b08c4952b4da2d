import { existsSync, readFileSync, statSync } from 'node:fs'
import { register } from 'node:module'
import { dirname, extname, isAbsolute, join, relative, resolve as resolvePath } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Model } from '../../core/model.js'
import { error, InputError, type Diagnostic } from '../../diag/diagnostic.js'
import { isModel } from '../../lang/ts/define-model.js'
import { loadPromela } from '../../lang/promela/load.js'
import { loadTla } from '../../lang/tla/load.js'
import { loadTlaGrammar } from './tla-grammar.js'

/** Constants given on the command line (`-D NAME=VALUE`), passed to a model factory. */
export type Constants = Readonly<Record<string, number | boolean | string>>

const SCRIPT_EXTENSIONS = new Set(['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'])

let hooksRegistered = false

export interface LoadedModel {
  readonly model: Model<unknown, unknown>
  /** Warnings found while loading (the model is usable). */
  readonly warnings: readonly Diagnostic[]
  /** Temporal properties the model declares (Promela `ltl` and `never`), by name. */
  readonly claims: readonly string[]
  /** Promela and TLA+: every file the model read (includes, modules, the cfg), by name. */
  readonly sources?: ReadonlyMap<string, string>
  /** TLA+: the cfg's name, when there is one. */
  readonly cfg?: string
}

export interface LoadOptions {
  /** TLA+: the cfg file (default: the `.cfg` beside the `.tla`). */
  readonly config?: string
}

/** Loads a model file of any language weft reads, by its extension. Bad input becomes an InputError. */
export async function loadModelFile(file: string, constants: Constants = {}, options: LoadOptions = {}): Promise<LoadedModel> {
  checkExists(file)
  if (extname(file) === '.pml' || extname(file) === '.prm' || extname(file) === '.promela') return loadPromelaFile(file, constants)
  if (extname(file) === '.tla') return loadTlaFile(file, constants, options.config)
  return { model: await loadScriptModel(file, constants), claims: [], warnings: [] }
}

function checkExists(file: string): void {
  const path = resolvePath(file)
  if (!existsSync(path)) throw new InputError([error('CLI010', `cannot find model file '${file}'`, { file })])
  if (statSync(path).isDirectory()) throw new InputError([error('CLI010', `'${file}' is a directory, not a model file`, { file })])
}

function loadPromelaFile(file: string, constants: Constants): LoadedModel {
  const text = readFileSync(file, 'utf8')
  const defines = Object.fromEntries(Object.entries(constants).map(([k, v]) => [k, String(v)]))
  const loaded = loadPromela({
    file,
    text,
    defines,
    readFile: (name, fromFile) => {
      const path = join(dirname(fromFile), name)
      if (!existsSync(path) || statSync(path).isDirectory()) return undefined
      // Named relative to the working directory, so that diagnostics and traces point at it as the user would.
      return { name: relative('.', path) || path, text: readFileSync(path, 'utf8') }
    },
  })
  if (!loaded.model) throw new InputError(loaded.diagnostics)
  return { model: loaded.model as unknown as Model<unknown, unknown>, claims: loaded.claims, warnings: loaded.diagnostics.filter((d) => d.severity === 'warning'), sources: loaded.sources }
}

async function loadTlaFile(file: string, constants: Constants, config: string | undefined): Promise<LoadedModel> {
  const cfgPath = config ?? file.replace(/\.tla$/, '.cfg')
  if (config !== undefined) checkExists(config)
  const cfg = existsSync(cfgPath) && !statSync(cfgPath).isDirectory() ? { name: cfgPath, text: readFileSync(cfgPath, 'utf8') } : undefined
  const loaded = loadTla({
    grammar: await loadTlaGrammar(),
    file,
    text: readFileSync(file, 'utf8'),
    ...(cfg ? { cfg } : {}),
    constants,
    readModule: (name) => {
      const path = join(dirname(file), `${name}.tla`)
      if (!existsSync(path) || statSync(path).isDirectory()) return undefined
      return { name: relative('.', path) || path, text: readFileSync(path, 'utf8') }
    },
  })
  if (!loaded.model) throw new InputError(loaded.diagnostics)
  const sources = new Map([...loaded.sources.map((src): [string, string] => [src.name, src.text]), ...(cfg ? [[cfg.name, cfg.text] as [string, string]] : [])])
  return { model: loaded.model as unknown as Model<unknown, unknown>, claims: [], warnings: loaded.diagnostics.filter((d) => d.severity === 'warning'), sources, ...(cfg ? { cfg: cfg.name } : {}) }
}

/**
 * Loads a TypeScript or JavaScript model module. The module exports a model (`defineModel(...)`)
 * as its default export or as its only model export, or a function from constants to a model,
 * which is called with the `-D` constants. Bad files become an InputError naming the file.
 */
export async function loadScriptModel(file: string, constants: Constants = {}): Promise<Model<unknown, unknown>> {
  checkExists(file)
  const path = resolvePath(file)
  const ext = extname(path)
  if (!SCRIPT_EXTENSIONS.has(ext)) {
    throw new InputError([
      error('CLI011', `weft cannot read '${ext || file}' models`, { file, hint: 'weft reads Promela (.pml), TLA+ (.tla with its .cfg) and TypeScript or JavaScript modules (.ts, .mts, .js, .mjs)' }),
    ])
  }
  if (!hooksRegistered) {
    // Process-wide by nature (node keeps one loader chain); registering twice would only repeat the hook.
    register(new URL('./resolve-hooks.js', import.meta.url))
    hooksRegistered = true
  }
  let mod: Record<string, unknown>
  try {
    // The TypeScript loader takes a good part of a start-up, so only script models load it.
    const { tsImport } = await import('tsx/esm/api')
    mod = (await tsImport(pathToFileURL(path).href, import.meta.url)) as Record<string, unknown>
  } catch (e) {
    const message = firstLine(e)
    const hint = /Cannot find module 'weft/.test(message)
      ? 'a .ts model outside an ES module package is loaded as CommonJS, which cannot see weft: name it .mts, or put {"type": "module"} in a package.json beside it'
      : undefined
    throw new InputError([error('CLI012', `cannot load model '${file}': ${message}`, { file, ...(hint ? { hint } : {}) })])
  }
  const candidate = pickExport(mod, file)
  let model: unknown = candidate
  if (typeof candidate === 'function') {
    try {
      model = await (candidate as (c: Constants) => unknown)(constants)
    } catch (e) {
      throw new InputError([error('CLI012', `cannot build model '${file}': ${firstLine(e)}`, { file })])
    }
  } else if (Object.keys(constants).length > 0) {
    throw new InputError([
      error('CLI013', `'${file}' exports a fixed model, so -D ${Object.keys(constants)[0]}=… has nothing to set`, {
        file,
        hint: 'export a function of the constants, e.g. export default (c) => defineModel({...}), to take -D values',
      }),
    ])
  }
  if (!isModel(model)) throw new InputError([error('CLI012', `'${file}' does not export a model`, { file, hint: 'export default defineModel({ init, actions, invariants })' })])
  return relativeSites(model)
}

/**
 * A TypeScript action's location comes from a stack trace, which names absolute files: shown
 * relative to the working directory (as the user names files) when it lies below it. A prototype
 * wrapper that overrides `label` only.
 */
function relativeSites<S, A>(model: Model<S, A>): Model<S, A> {
  const cwd = process.cwd()
  const wrapped = Object.create(model) as Model<S, A> & { label: Model<S, A>['label'] }
  wrapped.label = (state, action) => {
    const label = model.label(state, action)
    if (!label.at) return label
    const rel = relative(cwd, label.at.file)
    return rel.startsWith('..') || isAbsolute(rel) ? label : { ...label, at: { ...label.at, file: rel } }
  }
  return wrapped
}

function pickExport(mod: Record<string, unknown>, file: string): unknown {
  const def = mod['default']
  if (def !== undefined && (isModel(def) || typeof def === 'function')) return def
  const models = Object.entries(mod).filter(([, v]) => isModel(v))
  if (models.length === 1) return models[0]![1]
  if (models.length > 1) {
    throw new InputError([error('CLI012', `'${file}' exports several models (${models.map(([k]) => k).join(', ')}); make one the default export`, { file })])
  }
  throw new InputError([error('CLI012', `'${file}' does not export a model`, { file, hint: 'export default defineModel({ init, actions, invariants })' })])
}

function firstLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e)
  return text.split('\n').filter((l) => l.trim() !== '').slice(0, 3).join(' ').trim()
}
