/**
 * `weft explore <model>`: a web server on 127.0.0.1 serving the explorer page, which steps through
 * the model by hand. The engine runs in the browser: the page is the explorer bundled with weft's
 * browser entry (esbuild, when the server starts), its counterexample search a Web Worker bundled
 * the same way; a TypeScript model is bundled the same way, with
 * `weft` resolved to that entry; Promela and TLA+ models are sent as their texts (TLA+ parsed by
 * web-tree-sitter from the grammar's WASM, which the server also serves).
 */
import { readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { createRequire } from 'node:module'
import { resolve as resolvePath } from 'node:path'
import { fileURLToPath } from 'node:url'
import { error, InputError } from '../diag/diagnostic.js'
import { loadModelFile, type Constants } from '../platform/node/load-model.js'
import type { ModelSource } from '../platform/browser/load-model.js'
import { EXPLORER_PAGE } from './explore-page.js'

export interface ExploreFlags {
  port?: number
  D?: Constants
  config?: string
  ltl?: string | false
}

export interface Explorer {
  readonly url: string
  readonly server: Server
}

const NODE_BUILTINS = ['fs', 'fs/promises', 'module', 'path', 'url', 'node:fs', 'node:fs/promises', 'node:module', 'node:path', 'node:url']

/** Loads and bundles everything, then listens. The model is checked for errors first, as `check` would. */
export async function startExplorer(file: string, flags: ExploreFlags): Promise<Explorer> {
  const loaded = await loadModelFile(file, flags.D ?? {}, flags.config === undefined ? {} : { config: flags.config })
  const language = (loaded.model as { language?: unknown }).language
  const constants = flags.D ?? {}
  const require = createRequire(import.meta.url)
  const assets = new Map<string, { type: string; body: string | Buffer }>()
  assets.set('/', { type: 'text/html; charset=utf-8', body: EXPLORER_PAGE })
  assets.set('/explorer.js', { type: 'text/javascript; charset=utf-8', body: await bundle(fileURLToPath(new URL('../../web/explorer.js', import.meta.url)), {}) })
  // "Find a counterexample" runs in a Web Worker, which loads the model itself.
  assets.set('/search-worker.js', { type: 'text/javascript; charset=utf-8', body: await bundle(fileURLToPath(new URL('../../web/search-worker.js', import.meta.url)), {}) })
  if (language === 'promela' || language === 'tla') {
    const source: ModelSource = {
      language,
      file,
      files: Object.fromEntries(loaded.sources ?? []),
      ...(loaded.cfg ? { cfg: loaded.cfg } : {}),
      constants,
      ...(flags.ltl === undefined ? {} : { ltl: flags.ltl }),
    }
    assets.set('/model.json', json({ language, file, source }))
    if (language === 'tla') {
      assets.set('/tree-sitter.wasm', { type: 'application/wasm', body: readFileSync(require.resolve('web-tree-sitter/tree-sitter.wasm')) })
      assets.set('/tree-sitter-tlaplus.wasm', { type: 'application/wasm', body: readFileSync(require.resolve('@tlaplus/tree-sitter-tlaplus/tree-sitter-tlaplus.wasm')) })
    }
  } else {
    // A TypeScript or JavaScript model: bundled for the browser, `weft` being the browser entry.
    const browserEntry = fileURLToPath(new URL('../browser.js', import.meta.url))
    assets.set('/model.js', { type: 'text/javascript; charset=utf-8', body: await bundle(resolvePath(file), { weft: browserEntry }, file) })
    assets.set('/model.json', json({ language: 'typescript', file, constants }))
  }
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!
    const asset = req.method === 'GET' ? assets.get(path) : undefined
    if (!asset) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found')
      return
    }
    res.writeHead(200, { 'content-type': asset.type, 'cache-control': 'no-store' }).end(asset.body)
  })
  const port = await listen(server, flags.port ?? 7878)
  return { url: `http://127.0.0.1:${port}/`, server }
}

function json(value: unknown): { type: string; body: string } {
  return { type: 'application/json', body: JSON.stringify(value) }
}

async function bundle(entry: string, alias: Record<string, string>, modelFile?: string): Promise<string> {
  const esbuild = await import('esbuild')
  try {
    const out = await esbuild.build({
      entryPoints: [entry],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      alias,
      external: NODE_BUILTINS,
      logLevel: 'silent',
    })
    return out.outputFiles[0]!.text
  } catch (e) {
    const first = (e as { errors?: { text: string; location?: { file: string; line: number; column: number } }[] }).errors?.[0]
    const where = first?.location ? ` (${first.location.file}:${first.location.line}:${first.location.column + 1})` : ''
    throw new InputError([error('CLI050', `cannot bundle ${modelFile ? `model '${modelFile}'` : 'the explorer'} for the browser: ${first?.text ?? String(e)}${where}`, modelFile ? { file: modelFile } : {})])
  }
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(new InputError([error('CLI051', e.code === 'EADDRINUSE' ? `port ${port} on 127.0.0.1 is in use` : `cannot listen on 127.0.0.1:${port}: ${e.message}`, { hint: 'choose another with --port N (0 picks a free one)' })])),
    )
    server.listen(port, '127.0.0.1', () => {
      const address = server.address()
      resolve(typeof address === 'object' && address ? address.port : port)
    })
  })
}

/** Serves the explorer until the process is interrupted (Ctrl-C) or terminated. */
export async function runExplorer(file: string, flags: ExploreFlags, out: { write(s: string): unknown }): Promise<void> {
  const { url, server } = await startExplorer(file, flags)
  out.write(`weft explore: ${url}  (${file}; Ctrl-C to stop)\n`)
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      server.close()
      server.closeAllConnections()
      resolve()
    }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
}
