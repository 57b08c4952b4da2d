/**
 * weft in the browser: the public API, plus loading Promela and TLA+ models from their texts and
 * what the explorer draws (sequence diagrams, trace tables). What needs Node (reading model files,
 * loading TypeScript modules from disk, watching memory) throws a clear error here.
 */
export * from './index.js'
export { loadModelSource } from './platform/browser/load-model.js'
export type { ModelSource, SourceLoaded } from './platform/browser/load-model.js'
export { loadTlaGrammarFrom } from './platform/browser/tla-grammar.js'
export type { GrammarUrls } from './platform/browser/tla-grammar.js'
export { layoutMsc } from './trace/msc.js'
export type { Msc, MscArrow, MscLifeline, MscStep } from './trace/msc.js'
export { renderMscSvg } from './report/msc-svg.js'
export { renderTraceTable } from './report/html.js'
export { REPORT_CSS } from './report/html-style.js'
export { replayItf } from './trace/replay.js'
export { renderDiagnostics } from './diag/render.js'
export { escapeXml } from './report/escape.js'
export { formatValue } from './trace/format.js'
export { canonicalItf, toItfValue } from './trace/itf.js'
export { isTransitionFailure } from './core/model.js'

function nodeOnly(name: string): never {
  throw new Error(`${name} only works in node: in the browser, load the model's text with loadModelSource, or import the model module yourself`)
}

/** Node only: reads and loads a TypeScript or JavaScript model file. */
export function loadScriptModel(_file: string): never {
  return nodeOnly('loadScriptModel')
}

/** Node only: the memory probe that ends a search near the machine's memory. */
export function memoryProbe(): never {
  return nodeOnly('memoryProbe')
}
