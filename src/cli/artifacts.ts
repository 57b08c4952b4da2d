/**
 * The files a check or replay writes besides its report on stdout: the HTML report (`--html`), the
 * state graph (`--dot`, `--graph-json`).
 */
import { writeFileSync } from 'node:fs'
import type { Outcome } from '../api.js'
import type { Model } from '../core/model.js'
import type { Path } from '../core/path.js'
import { error, InputError } from '../diag/diagnostic.js'
import type { SourceLookup } from '../diag/render.js'
import { buildStateGraph, renderDot, type StateGraph } from '../report/graph.js'
import { renderHtmlReport } from '../report/html.js'
import { explainViolation, type CheckSummary } from '../report/summary.js'
import type { ItfTrace } from '../trace/itf.js'
import { VERSION } from '../version.js'

/** The most states `--dot` draws: past that, a picture is no longer readable. */
export const DOT_LIMIT = 1_000
/** The most states `--graph-json` writes (all of them are kept in memory with their views). */
export const GRAPH_JSON_LIMIT = 100_000

export interface GraphFlags {
  readonly dot?: string
  readonly graphJson?: string
}

/**
 * Writes the state graph files asked for, before the check runs, so that a model too large for
 * them is refused at once (CLI040) rather than after a long search.
 */
export function writeStateGraphs(model: Model<unknown, unknown>, flags: GraphFlags, file: string): void {
  if (!flags.dot && !flags.graphJson) return
  const limit = flags.graphJson ? GRAPH_JSON_LIMIT : DOT_LIMIT
  const built = buildStateGraph(model, limit)
  if ('tooLarge' in built) {
    throw new InputError([
      error('CLI040', `the model has more than ${built.tooLarge.toLocaleString('en-US')} reachable states, too many for --${flags.graphJson ? 'graph-json' : 'dot'}`, {
        file,
        hint: 'make the model smaller (fewer processes, smaller constants with -D), or leave the option out',
      }),
    ])
  }
  const graph: StateGraph = built.graph
  if (flags.dot) {
    if (graph.nodes.length > DOT_LIMIT) {
      throw new InputError([error('CLI040', `the model has ${graph.nodes.length.toLocaleString('en-US')} reachable states, more than the ${DOT_LIMIT.toLocaleString('en-US')} that --dot draws`, { file, hint: '--graph-json writes graphs of up to 100,000 states' })])
    }
    writeOut(flags.dot, renderDot(graph, model.name))
  }
  if (flags.graphJson) writeOut(flags.graphJson, `${JSON.stringify({ weft: VERSION, model: file, states: graph.nodes.length, steps: graph.edges.length, ...graph })}\n`)
}

/** Writes the HTML report of a check or a simulation (whose last run is shown when nothing failed). */
export function writeHtmlReport<S, A>(target: string, model: Model<S, A>, outcome: Outcome<S, A>, mode: string, sources: SourceLookup): void {
  writeOut(target, renderHtmlReport(model, outcome.summary, outcome.path, { mode, sources, ...(outcome.run ? { run: outcome.run as Path<unknown, unknown> } : {}) }))
}

/** Writes the HTML report of a replayed trace: the violation its `#meta` names, if any. */
export function writeReplayHtml<S, A>(target: string, model: Model<S, A>, path: Path<S, A>, trace: ItfTrace, file: string, language: string, sources: SourceLookup): void {
  const meta = trace['#meta'] ?? {}
  const found = meta['weft:violation'] as { kind?: string; name?: string; message?: string } | undefined
  const loop = typeof trace.loop === 'number' ? trace.loop : undefined
  const explanation = found ? explainViolation(model, path, { kind: found.kind ?? 'property', name: found.name ?? '', message: found.message ?? '' }) : undefined
  const summary: CheckSummary = {
    weft: VERSION,
    model: file,
    language,
    result: found ? 'violation' : 'ok',
    ...(found
      ? {
          violation: {
            kind: (found.kind ?? 'property') as never,
            name: found.name ?? '',
            message: found.message ?? '',
            length: path.steps.length + 1,
            path: path.choices.join('/'),
            trace,
            ...(loop === undefined ? {} : { loop }),
            ...(explanation ? { explanation } : {}),
          },
        }
      : {}),
  }
  writeOut(target, renderHtmlReport(model, summary, found ? path : undefined, { mode: `replay of a trace of ${path.steps.length + 1} states`, sources, replay: path }))
}

function writeOut(target: string, text: string): void {
  try {
    writeFileSync(target, text)
  } catch (e) {
    throw new InputError([error('CLI041', `cannot write '${target}': ${e instanceof Error ? e.message.replace(/^[A-Z]+: /, '') : String(e)}`)])
  }
}
