/**
 * The explorer page: steps through a model by hand in the browser, with the same engine as the
 * command line. The URL's hash is the ChoicePath (`#/0/3/1`), so a position can be shared; a
 * counterexample found here, or an ITF trace loaded from a file, becomes such a path.
 */
import {
  REPORT_CSS,
  canonicalItf,
  escapeXml as esc,
  formatChoicePath,
  formatValue,
  isTransitionFailure,
  layoutMsc,
  parseChoicePath,
  renderMscSvg,
  renderTraceTable,
  replayItf,
  toItfValue,
  type Path,
  type PathStep,
} from '../src/browser.js'
import { loadServedModel, type AnyModel, type Loaded, type SearchReply } from './load.js'

/** A position: the path followed so far, and a failing action taken at its end, if any. */
interface Position {
  readonly path: Path<unknown, unknown>
  readonly failure?: { readonly index: number; readonly message: string }
  /** Set when the hash named a path the model does not have: how far it got. */
  readonly mismatch?: string
}

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T

/** Follows a ChoicePath as far as it goes; the last index may name an action that fails. */
function follow(model: AnyModel, choices: readonly number[]): Position {
  const inits = model.initStates()
  const first = choices[0] ?? 0
  if (first >= inits.length) return { path: { choices: [0], init: inits[0], steps: [] }, mismatch: `there is no initial state ${first}` }
  let state = inits[first]
  const steps: PathStep<unknown, unknown>[] = []
  for (let k = 1; k < choices.length; k++) {
    const index = choices[k]!
    const action = model.actions(state)[index]
    const done = (): Path<unknown, unknown> => ({ choices: [first, ...steps.map((s) => s.index)], init: inits[first], steps })
    if (action === undefined) return { path: done(), mismatch: `step ${k}: there is no action ${index}` }
    let next: unknown
    try {
      next = model.nextState(state, action)
    } catch (e) {
      if (k === choices.length - 1) return { path: { ...done(), failing: { action, index } }, failure: { index, message: messageOf(e) } }
      return { path: done(), mismatch: `step ${k}: action ${index} fails` }
    }
    if (next === undefined) return { path: done(), mismatch: `step ${k}: action ${index} is not enabled` }
    steps.push({ action, index, state: next })
    state = next
  }
  return { path: { choices: [first, ...steps.map((s) => s.index)], init: inits[first], steps } }
}

function messageOf(e: unknown): string {
  return isTransitionFailure(e) || e instanceof Error ? e.message : String(e)
}

function currentChoices(): number[] {
  const hash = location.hash.replace(/^#\/?/, '')
  return (hash === '' ? undefined : parseChoicePath(hash)) ?? [0]
}

function go(choices: readonly number[]): void {
  location.hash = `/${formatChoicePath(choices)}`
}

function render(app: Loaded, note?: { kind: 'ok' | 'bad' | 'info'; text: string }): void {
  const { model } = app
  const sources = (f: string): string | undefined => app.sources.get(f)
  const pos = follow(model, currentChoices())
  const path = pos.path
  const states = [path.init, ...path.steps.map((s) => s.state)]
  const here = states[states.length - 1]
  const invariants = model.properties().filter((p) => p.kind === 'invariant')
  const broken = pos.failure ? [] : invariants.filter((p) => !safe(() => p.holds(here)))
  const violation = pos.failure !== undefined || broken.length > 0

  // The status line: the position, and what is wrong here.
  const status: string[] = [`<span class="pill">state ${states.length}</span> <code id="hash-path">${esc(formatChoicePath(path.choices, pos.failure?.index))}</code>`]
  if (pos.mismatch) status.push(`<span class="bad">the path in the URL does not fit the model (${esc(pos.mismatch)}); shown as far as it goes</span>`)
  if (pos.failure) status.push(`<span class="bad" id="violation">✗ ${esc(pos.failure.message)}</span>`)
  for (const p of broken) status.push(`<span class="bad" id="violation">✗ invariant '${esc(p.name)}' is violated</span>`)
  if (note) status.push(`<span class="${note.kind}" id="note">${esc(note.text)}</span>`)
  $('status').innerHTML = status.join(' ')

  // The actions from here, enabled ones as buttons.
  const list: string[] = []
  if (!pos.failure) {
    const acts = model.actions(here)
    acts.forEach((a, i) => {
      const label = model.label(here, a)
      let fails: string | undefined
      let next: unknown
      try {
        next = model.nextState(here, a)
      } catch (e) {
        fails = messageOf(e)
      }
      if (next === undefined && fails === undefined) return
      const where = label.span ? `<span class="loc">${esc(locationOf(label.span, sources))}</span>` : ''
      list.push(
        `<button class="action${fails ? ' failing' : ''}" data-index="${i}"${fails ? ` title="${esc(fails)}"` : ''}><span class="who">${esc(label.process ?? '')}</span><span class="what">${esc(label.action)}</span>${where}${fails ? '<span class="fails">fails</span>' : ''}</button>`,
      )
    })
  }
  $('actions').innerHTML = list.length > 0 ? list.join('') : `<p class="muted">${pos.failure ? 'the step failed: go back to continue' : 'no action is enabled here (a terminal state)'}</p>`
  $('enabled-count').textContent = pos.failure ? '' : `${list.length} enabled`
  ;($('back') as HTMLButtonElement).disabled = path.choices.length <= 1 && !pos.failure

  // The current state, the cells that changed highlighted.
  const view = model.view(here)
  const before = states.length > 1 ? model.view(states[states.length - 2]) : undefined
  const rows = Object.keys(view)
    .filter((k) => !k.startsWith('@'))
    .map((k) => {
      const changed = before !== undefined && canonicalItf(toItfValue(view[k])) !== canonicalItf(toItfValue(before[k]))
      return `<tr${changed ? ' class="changed-row"' : ''}><th>${esc(k)}</th><td${changed ? ' class="changed"' : ''}>${esc(formatValue(view[k]))}</td></tr>`
    })
  $('state').innerHTML = `<table class="state" id="state-table"><tbody>${rows.join('')}</tbody></table>`
  $('invariants').innerHTML = invariants.map((p) => `<li class="${broken.includes(p) ? 'bad' : 'ok'}">${broken.includes(p) ? '✗' : '✓'} ${esc(p.name)}</li>`).join('')

  $('msc').innerHTML = path.steps.length === 0 && !path.failing ? '<p class="muted">no step taken yet</p>' : renderMscSvg(layoutMsc(model, path, { sources, violation }))
  $('trace').innerHTML = renderTraceTable(model, path, { sources, violation, current: states.length - 1, ...(pos.failure ? { failure: pos.failure.message } : {}) })
}

function locationOf(span: { file: string; start: number }, sources: (f: string) => string | undefined): string {
  const text = sources(span.file)
  if (text === undefined) return span.file
  let line = 1
  for (let i = 0; i < span.start && i < text.length; i++) if (text.charCodeAt(i) === 10) line++
  return `${span.file}:${line}`
}

function safe(f: () => boolean): boolean {
  try {
    return f()
  } catch {
    return false
  }
}

async function start(): Promise<void> {
  const style = document.createElement('style')
  style.textContent = REPORT_CSS
  document.head.append(style)
  let app: Loaded
  try {
    app = await loadServedModel()
  } catch (e) {
    $('status').innerHTML = `<pre class="bad">${esc(e instanceof Error ? e.message : String(e))}</pre>`
    return
  }
  document.title = `weft explore · ${app.info.file}`
  $('model-name').textContent = app.info.file
  $('model-lang').textContent = app.info.language
  let note: { kind: 'ok' | 'bad' | 'info'; text: string } | undefined
  const show = (): void => {
    render(app, note)
    note = undefined
  }
  window.addEventListener('hashchange', show)
  $('actions').addEventListener('click', (ev) => {
    const button = (ev.target as HTMLElement).closest('button[data-index]')
    if (!button) return
    const pos = follow(app.model, currentChoices())
    go([...pos.path.choices, Number(button.getAttribute('data-index'))])
  })
  $('back').addEventListener('click', () => {
    const pos = follow(app.model, currentChoices())
    go(pos.failure ? pos.path.choices : pos.path.choices.slice(0, Math.max(1, pos.path.choices.length - 1)))
  })
  $('restart').addEventListener('click', () => go([0]))
  // The search runs in a worker (search-worker.ts), so the page stays responsive; one search at a time.
  let worker: Worker | undefined
  $('find').addEventListener('click', () => {
    const button = $('find') as HTMLButtonElement
    if (button.disabled) return
    worker ??= new Worker('/search-worker.js', { type: 'module' })
    button.disabled = true
    note = { kind: 'info', text: 'searching…' }
    show()
    const finish = (): void => {
      button.disabled = false
    }
    worker.onmessage = (ev: MessageEvent<SearchReply>) => {
      const r = ev.data
      if (r.kind === 'progress') {
        const shown = document.getElementById('note')
        if (shown) shown.textContent = `searching… ${r.distinct.toLocaleString('en-US')} states so far`
        return
      }
      finish()
      if (r.kind === 'error') {
        note = { kind: 'bad', text: `the search failed: ${r.message}` }
        return show()
      }
      if (r.violation) {
        note = { kind: 'info', text: `counterexample: ${r.violation.message} (${r.violation.length} states, ${r.distinct} states searched)` }
        // The same hash shows nothing new, so render the note where the page already is.
        if (location.hash === `#/${r.violation.path}`) return show()
        return go(parseChoicePath(r.violation.path) ?? [0])
      }
      note = { kind: r.result === 'ok' ? 'ok' : 'info', text: r.result === 'ok' ? `no violation: every property holds in all ${r.distinct} reachable states` : `the search stopped (${r.limit ?? 'limit'}) without finding a violation` }
      show()
    }
    worker.onerror = (ev) => {
      finish()
      note = { kind: 'bad', text: `the search failed: ${ev.message}` }
      show()
    }
    worker.postMessage({ maxStates: 2_000_000 })
  })
  $('itf').addEventListener('change', async () => {
    const file = ($('itf') as HTMLInputElement).files?.[0]
    if (!file) return
    let trace: unknown
    try {
      trace = JSON.parse(await file.text())
    } catch {
      note = { kind: 'bad', text: `'${file.name}' is not JSON` }
      return show()
    }
    const replayed = replayItf(app.model, trace)
    if (!replayed.ok) {
      note = { kind: 'bad', text: `'${file.name}' does not fit the model: ${replayed.reason}` }
      return show()
    }
    // A trace whose last step failed names the failing action in its meta; the path ends with it when it fails here too.
    note = { kind: 'info', text: `loaded '${file.name}': ${replayed.path.steps.length + 1} states` }
    go(withFailingStep(app.model, replayed.path, trace))
  })
  show()
}

/** The trace's path, plus its failing step (named in `#meta`) when one of the actions at its end fails as it says. */
function withFailingStep(model: AnyModel, path: Path<unknown, unknown>, trace: unknown): number[] {
  const meta = (trace as { '#meta'?: Record<string, unknown> })['#meta'] ?? {}
  const step = meta['weft:failingStep'] as { action?: string; process?: string } | undefined
  if (!step) return [...path.choices]
  const last = path.steps.length > 0 ? path.steps[path.steps.length - 1]!.state : path.init
  const acts = model.actions(last)
  for (let i = 0; i < acts.length; i++) {
    const label = model.label(last, acts[i])
    if (label.action !== step.action || (label.process ?? undefined) !== step.process) continue
    try {
      model.nextState(last, acts[i])
    } catch {
      return [...path.choices, i]
    }
  }
  return [...path.choices]
}

void start()
