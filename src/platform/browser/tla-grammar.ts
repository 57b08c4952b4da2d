import { Language, Parser } from 'web-tree-sitter'
import type { TlaGrammar } from '../../lang/tla/parse.js'

/** Where the browser fetches the tree-sitter runtime and the TLA+ grammar (both WASM). */
export interface GrammarUrls {
  readonly runtime: string
  readonly grammar: string
}

/** The TLA+ tree-sitter grammar in the browser: web-tree-sitter fetches both WASM files. */
export async function loadTlaGrammarFrom(urls: GrammarUrls): Promise<TlaGrammar> {
  await Parser.init({ locateFile: () => urls.runtime })
  const language = await Language.load(urls.grammar)
  const parser = new Parser()
  parser.setLanguage(language)
  return { parser }
}
