/**
 * The HTML report of a check (`--html FILE`): one self-contained page, with no script and nothing
 * loaded from the network: the verdict and statistics, the sequence diagram as inline SVG, the
 * trace as a table with the cells that changed highlighted, and the coverage when counted.
 */
import type { Explanation, Model } from '../core/model.js'
import type { Path } from '../core/path.js'
import type { SourceLookup } from '../diag/render.js'
import { formatValue } from '../trace/format.js'
import { canonicalItf, toItfValue } from '../trace/itf.js'
import { layoutMsc } from '../trace/msc.js'
import { stepLocation } from '../trace/location.js'
import type { CoverageSummary } from './coverage.js'
import { escapeXml as esc } from './escape.js'
import { REPORT_CSS } from './html-style.js'
import { renderMscSvg } from './msc-svg.js'
import type { CheckSummary } from './summary.js'

export interface HtmlReportOptions {
  /** How the search ran, e.g. `breadth-first`. */
  readonly mode: string
  readonly sources?: SourceLookup
  /** A replayed trace without a violation: shown as it is, with nothing marked as violating. */
  readonly replay?: Path<unknown, unknown>
  /** A simulation without a violation: its last run, shown as it is. */
  readonly run?: Path<unknown, unknown>
}

export function renderHtmlReport<S, A>(model: Model<S, A>, summary: CheckSummary, path: Path<S, A> | undefined, options: HtmlReportOptions): string {
  const v = summary.violation
  const title = `weft · ${summary.model}`
  const body: string[] = []
  body.push(`<header><h1>${esc(summary.model)}</h1><p class="sub">weft ${esc(summary.weft)} · ${esc(summary.language)} · ${esc(options.mode)}</p></header>`)
  const replayed = !v && options.replay ? (options.replay as Path<S, A>) : undefined
  const simulated = options.mode.startsWith('simulation')
  const run = !v && options.run ? (options.run as Path<S, A>) : undefined
  body.push(replayed ? `<div class="verdict ok" id="verdict"><strong>The trace replays</strong><span>${replayed.steps.length + 1} states, every step a step of the model</span></div>` : verdict(summary, simulated, run))
  if (summary.stats) body.push(simulated ? simulationStats(summary) : stats(summary))
  const shown = v && path ? path : (replayed ?? run)
  if (shown) {
    const loop = v?.loop
    const sources = options.sources ? { sources: options.sources } : {}
    const cycle = loop === undefined ? {} : { loop }
    const choices = v ? v.path : shown.choices.join('/')
    body.push(`<section><h2>Sequence diagram</h2><div class="diagram">${renderMscSvg(layoutMsc(model, shown, { ...sources, ...cycle, violation: v !== undefined }))}</div></section>`)
    body.push(`<section><h2>Trace</h2><p class="path">Choice path <code id="choice-path">${esc(choices)}</code> · ${shown.steps.length + 1} states${loop === undefined ? '' : ` · the cycle starts at state ${loop + 1}`}</p>`)
    body.push(renderTraceTable(model, shown, { ...sources, ...cycle, violation: v !== undefined, ...(v ? { failure: v.message } : {}) }))
    body.push('</section>')
    if (v?.explanation) body.push(explanationSection(v.explanation))
  }
  if (summary.coverage) body.push(coverageTable(summary.coverage))
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title><style>${REPORT_CSS}</style></head>
<body><main>
${body.join('\n')}
</main></body></html>
`
}

function verdict(summary: CheckSummary, simulated: boolean, run: Path<unknown, unknown> | undefined): string {
  const v = summary.violation
  switch (summary.result) {
    case 'ok':
      if (simulated) {
        const last = run ? `; the last run (${run.steps.length + 1} states) is shown below` : ''
        return `<div class="verdict ok" id="verdict"><strong>No violation</strong><span>in ${fmt(summary.stats?.transitions ?? 0)} simulated steps${last}</span></div>`
      }
      if (summary.mode) {
        const coverage = summary.stats?.store ? `, expected coverage ${(summary.stats.store.expectedCoverage * 100).toFixed(4)} %` : ''
        return `<div class="verdict ok" id="verdict"><strong>No violation found</strong><span>in the ${fmt(summary.stats?.distinct ?? 0)} states stored; the search is partial (${summary.mode}): states may have been missed${coverage}</span></div>`
      }
      return `<div class="verdict ok" id="verdict"><strong>No violation</strong><span>every property holds in all ${fmt(summary.stats?.distinct ?? 0)} reachable states</span></div>`
    case 'violation':
      return `<div class="verdict violation" id="verdict"><strong>Violation · ${esc(v!.kind)} '${esc(v!.name)}'</strong><span>${esc(v!.message)}</span></div>`
    case 'incomplete':
      if (simulated) return `<div class="verdict incomplete" id="verdict"><strong>Incomplete</strong><span>the time limit ended the simulation after ${fmt(summary.stats?.transitions ?? 0)} steps; no violation found so far</span></div>`
      return `<div class="verdict incomplete" id="verdict"><strong>Incomplete</strong><span>the search stopped at the ${esc(summary.limit ?? 'limit')} before it finished; no violation found so far</span></div>`
    case 'error':
      return `<div class="verdict violation" id="verdict"><strong>Error</strong><span>${esc(summary.error?.message ?? '')}</span></div>`
  }
}

/** A simulation counts steps, not distinct states. */
function simulationStats(summary: CheckSummary): string {
  const s = summary.stats!
  return statCells([
    ['simulated steps', fmt(s.transitions)],
    ['time', `${s.seconds.toFixed(2)} s`],
  ])
}

function stats(summary: CheckSummary): string {
  const s = summary.stats!
  return statCells([
    ['distinct states', fmt(s.distinct)],
    ['transitions', fmt(s.transitions)],
    ['depth', fmt(s.depth)],
    ['time', `${s.seconds.toFixed(2)} s`],
    ['states/s', fmt(s.statesPerSecond)],
    ['collision probability', s.collisionProbability.toPrecision(2)],
  ])
}

function statCells(cells: readonly [string, string][]): string {
  return `<dl class="stats">${cells.map(([k, val]) => `<div><dt>${esc(k)}</dt><dd>${esc(val)}</dd></div>`).join('')}</dl>`
}

export interface TraceTableOptions {
  readonly sources?: SourceLookup
  readonly loop?: number
  /** Whether the last step (or the failing step) broke a property. */
  readonly violation?: boolean
  /** What the failing step reports. */
  readonly failure?: string
  /** The row to mark as the current one (the explorer's position), from 0. */
  readonly current?: number
}

/**
 * The trace as a table: a row per state with the step that led to it, a column per variable, and
 * the cells that changed since the state before highlighted.
 */
export function renderTraceTable<S, A>(model: Model<S, A>, path: Path<S, A>, options: TraceTableOptions = {}): string {
  const sources = options.sources ?? (() => undefined)
  const states = [path.init, ...path.steps.map((s) => s.state)]
  const views = states.map((s) => model.view(s))
  const vars = [...new Set(views.flatMap((v) => Object.keys(v)))].filter((k) => !k.startsWith('@'))
  const head = `<tr><th>state</th><th>process</th><th>action</th>${vars.map((k) => `<th>${esc(k)}</th>`).join('')}</tr>`
  const rows: string[] = []
  const last = path.failing ? -1 : states.length - 1
  let prevKeys: Record<string, string> | undefined
  states.forEach((_, i) => {
    const view = views[i]!
    const keys = Object.fromEntries(vars.map((k) => [k, canonicalItf(view[k] === undefined ? undefined : toItfValue(view[k]))]))
    const step = i === 0 ? undefined : path.steps[i - 1]!
    const label = step ? model.label(states[i - 1]!, step.action) : undefined
    const cls = [options.violation && i === last ? 'violating' : '', options.loop !== undefined && i >= options.loop ? 'in-cycle' : '', options.current === i ? 'current' : ''].filter(Boolean).join(' ')
    const at = label ? stepLocation(label, sources) : undefined
    const where = at ? `<span class="loc">${esc(at)}</span>` : ''
    const cycleMark = options.loop === i ? ' <span class="badge">cycle starts</span>' : ''
    const back = options.loop !== undefined && i === states.length - 1 ? ` <span class="badge">back to ${options.loop + 1}</span>` : ''
    const cells = vars.map((k) => {
      const changed = prevKeys !== undefined && keys[k] !== prevKeys[k]
      return `<td${changed ? ' class="changed"' : ''}>${view[k] === undefined ? '' : esc(formatValue(view[k]))}</td>`
    })
    rows.push(
      `<tr data-state="${i + 1}"${cls ? ` class="${cls}"` : ''}><th>${i + 1}${cycleMark}${back}</th><td class="proc">${esc(label?.process ?? '')}</td><td class="act">${i === 0 ? '<em>initial state</em>' : `<span class="clamp" title="${esc(label!.action)}">${esc(label!.action)}</span>${where}`}</td>${cells.join('')}</tr>`,
    )
    prevKeys = keys
  })
  if (path.failing) {
    const from = states[states.length - 1]!
    const label = model.label(from, path.failing.action)
    const at = stepLocation(label, sources)
    const where = at ? `<span class="loc">${esc(at)}</span>` : ''
    rows.push(
      `<tr class="violating failing"><th>✗</th><td class="proc">${esc(label.process ?? '')}</td><td class="act">${esc(label.action)}${where}</td><td colspan="${Math.max(1, vars.length)}">fails${options.failure ? `: ${esc(options.failure)}` : ''}</td></tr>`,
    )
  }
  return `<div class="table-wrap"><table class="trace"><thead>${head}</thead><tbody>${rows.join('\n')}</tbody></table></div>`
}

/** Why the property failed: each sub-term with its value, indented by depth (`Model.explain`). */
export function explanationSection(e: Explanation): string {
  const items = e.terms.map(
    (t) =>
      `<li style="padding-left:${1.5 * t.depth}em"><code>${esc(t.term)}</code>${t.value === undefined ? '' : ` = <code class="val">${esc(t.value)}</code>`}${t.note ? ` <span class="note">${esc(t.note)}</span>` : ''}</li>`,
  )
  return `<section id="explanation"><h2>Why ${esc(e.title)}</h2><ul class="explain">${items.join('')}</ul></section>`
}

function coverageTable(c: CoverageSummary): string {
  const rows = c.items.map(
    (e) =>
      `<tr${e.count === 0 ? ' class="dead"' : ''}><td>${esc(e.group ?? '')}</td><td class="loc">${esc(e.file ? `${e.file}${e.line === undefined ? '' : `:${e.line}`}` : '')}</td><td><code>${esc(e.name)}</code></td><td class="num">${fmt(e.count)}</td></tr>`,
  )
  return `<section><h2>Coverage</h2><p>${c.fired} of ${c.total} ${c.unit}s fired${c.total > c.fired ? `; ${c.total - c.fired} never did (highlighted)` : ''}.</p><div class="table-wrap"><table class="coverage"><thead><tr><th>${c.unit === 'statement' ? 'proctype' : 'process'}</th><th>where</th><th>${c.unit}</th><th>fired</th></tr></thead><tbody>${rows.join('')}</tbody></table></div></section>`
}

function fmt(n: number): string {
  return n.toLocaleString('en-US')
}
