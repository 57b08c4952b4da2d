import { createRequire } from 'node:module'
import { Language, Parser } from 'web-tree-sitter'
import type { TlaGrammar } from '../../lang/tla/parse.js'

let grammar: Promise<TlaGrammar> | undefined

/**
 * The TLA+ tree-sitter grammar, loaded once per process from the WASM file that
 * `@tlaplus/tree-sitter-tlaplus` ships (no native build is involved).
 */
export function loadTlaGrammar(): Promise<TlaGrammar> {
  grammar ??= (async () => {
    await Parser.init()
    const wasm = createRequire(import.meta.url).resolve('@tlaplus/tree-sitter-tlaplus/tree-sitter-tlaplus.wasm')
    const language = await Language.load(wasm)
    const parser = new Parser()
    parser.setLanguage(language)
    return { parser }
  })()
  return grammar
}
