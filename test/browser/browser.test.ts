/**
 * Browser tests (headless Chromium through playwright-core): the HTML report of the DNS race in
 * TypeScript and Promela, and the explorer stepped through to the violation by clicking. Screenshots
 * go to test-artifacts/ (gitignored).
 */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { isDeepStrictEqual } from 'node:util'
import type { Page } from 'playwright-core'
import { runCheck } from '../../src/api.js'
import { main } from '../../src/cli/main.js'
import { startExplorer, type Explorer } from '../../src/cli/explore.js'
import { followChoices, parseChoicePath } from '../../src/core/path.js'
import type { Model } from '../../src/core/model.js'
import { loadModelSource } from '../../src/platform/browser/load-model.js'
import { loadModelFile } from '../../src/platform/node/load-model.js'
import { loadTlaGrammar } from '../../src/platform/node/tla-grammar.js'
import { formatValue } from '../../src/trace/format.js'
import { ARTIFACTS, launchBrowser, type Session } from '../support/browser.js'

// Names of the page's globals, for the functions that run in the page (this file compiles without the DOM library).
declare const location: { readonly hash: string }
declare function getComputedStyle(el: unknown): { readonly backgroundColor: string }

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const abs = (rel: string): string => join(ROOT, rel)
const dir = mkdtempSync(join(tmpdir(), 'weft-browser-'))
let browser: Session

before(
  async () => {
    browser = await launchBrowser()
  },
  { timeout: 20_000 },
)
after(async () => {
  await browser.close()
  rmSync(dir, { recursive: true, force: true })
})

async function htmlReport(model: string, name: string): Promise<string> {
  const file = join(dir, `${name}.html`)
  let stderr = ''
  const code = await main(['check', abs(model), '--html', file], { stdout: { write: () => true }, stderr: { write: (s: string) => (stderr += s) } })
  assert.equal(code, 1, stderr)
  return file
}

/** Fails the test on any error the page reports, and on any request that leaves the machine. */
function watch(page: Page): string[] {
  const problems: string[] = []
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
  page.on('request', (r) => {
    const url = r.url()
    if (!url.startsWith('file:') && !url.startsWith('http://127.0.0.1:') && !url.startsWith('data:')) problems.push(`request to ${url}`)
  })
  return problems
}

describe('the HTML report in a browser', { timeout: 20_000 }, () => {
  for (const [model, name, lifelines, violatingOn] of [
    ['examples/aws-dns/race.ts', 'report-race-ts', ['planner', 'enactor 1', 'enactor 2'], 'enactor 2'],
    ['examples/aws-dns/race.pml', 'report-race-pml', ['Planner(0)', 'Enactor(1)', 'Enactor(2)'], 'Enactor(1)'],
  ] as const) {
    it(`${model}: one lifeline per process, the violating step highlighted`, async () => {
      const page = await browser.context.newPage()
      const problems = watch(page)
      await page.goto(pathToFileURL(await htmlReport(model, name)).href)
      assert.deepEqual(await page.locator('svg.msc g.lifeline').evaluateAll((els) => els.map((e) => e.getAttribute('data-lifeline'))), [...lifelines])
      const violating = page.locator('svg.msc g.step.violating')
      assert.equal(await violating.count(), 1)
      // The violating box is drawn red, on the lifeline of the process that took the step.
      assert.equal(await violating.locator('rect').getAttribute('stroke'), '#c62828')
      const boxX = Number(await violating.locator('rect').getAttribute('x'))
      const lane = page.locator(`svg.msc g.lifeline[data-lifeline="${violatingOn}"] rect`)
      assert.equal(Number(await lane.getAttribute('x')), boxX)
      // The table's violating row is red too, and its changed cells are marked.
      const row = page.locator('table.trace tr.violating').first()
      assert.equal(await row.evaluate((el) => getComputedStyle(el.querySelector('th')!).backgroundColor), 'rgb(253, 226, 225)')
      assert.ok((await page.locator('table.trace td.changed').count()) > 0)
      assert.match((await page.locator('#verdict').textContent()) ?? '', /Violation/)
      await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true })
      assert.deepEqual(problems, [])
      await page.close()
    })
  }
})

/** The state table as the page shows it: name -> value text. */
async function shownState(page: Page): Promise<Record<string, string>> {
  return page.locator('#state-table tr').evaluateAll((rows) => Object.fromEntries(rows.map((r) => [r.querySelector('th')!.textContent!, r.querySelector('td')!.textContent!])))
}

/**
 * The state table once it shows `want`, or as it is after five seconds: the page changes the URL
 * before it has drawn the state the URL names, so a check right after the URL changed may see the
 * state before.
 */
async function settledState(page: Page, want: Record<string, string>): Promise<Record<string, string>> {
  let shown = await shownState(page)
  for (let waited = 0; waited < 5000 && !isDeepStrictEqual(shown, want); waited += 50) {
    await new Promise((resolve) => setTimeout(resolve, 50))
    shown = await shownState(page)
  }
  return shown
}

function expectedState(model: Model<unknown, unknown>, state: unknown): Record<string, string> {
  const view = model.view(state)
  return Object.fromEntries(
    Object.keys(view)
      .filter((k) => !k.startsWith('@'))
      .map((k) => [k, formatValue(view[k])]),
  )
}

/** The model the explorer steps through: the one `weft check` searches (for race.pml, the product with its claim). */
async function exploredModel(file: string): Promise<{ model: Model<unknown, unknown>; strategy: 'bfs' | 'ndfs' }> {
  const loaded = await loadModelFile(abs(file))
  const language = (loaded.model as { language?: string }).language
  if (language !== 'promela' && language !== 'tla') return { model: loaded.model, strategy: 'bfs' }
  const grammar = language === 'tla' ? await loadTlaGrammar() : undefined
  const source = loadModelSource({ language, file: abs(file), files: Object.fromEntries(loaded.sources ?? []), ...(loaded.cfg ? { cfg: loaded.cfg } : {}) }, grammar)
  return { model: source.model!, strategy: source.strategy }
}

describe('the explorer in a browser', { timeout: 30_000 }, () => {
  const servers: Explorer[] = []
  after(() => {
    for (const s of servers) {
      s.server.close()
      s.server.closeAllConnections()
    }
  })

  for (const [file, name] of [
    ['examples/aws-dns/race.ts', 'explorer-race-ts'],
    ['examples/aws-dns/race.pml', 'explorer-race-pml'],
    ['test/fixtures/tla/Workers.tla', 'explorer-workers-tla'],
  ] as const) {
    it(`${file}: click through the counterexample to the violation, checking the state shown at each step`, async () => {
      const explorer = await startExplorer(abs(file), { port: 0 })
      servers.push(explorer)
      const { model, strategy } = await exploredModel(file)
      const outcome = runCheck(model, { strategy })
      const choices = parseChoicePath(outcome.summary.violation!.path)!
      const failing = outcome.path!.failing ? choices.pop() : undefined
      const path = followChoices(model, choices)

      const page = await browser.context.newPage()
      const problems = watch(page)
      await page.goto(explorer.url)
      await page.locator('#state-table').waitFor()
      assert.deepEqual(await shownState(page), expectedState(model, path.init))
      const clicks = [...choices.slice(1), ...(failing === undefined ? [] : [failing])]
      for (let k = 0; k < clicks.length; k++) {
        await page.locator(`#actions button[data-index="${clicks[k]}"]`).click()
        const expectedHash = `#/${[choices[0], ...clicks.slice(0, k + 1)].join('/')}`
        await page.waitForFunction((h) => location.hash === h, expectedHash)
        if (k < path.steps.length) {
          const want = expectedState(model, path.steps[k]!.state)
          assert.deepEqual(await settledState(page, want), want, `state ${k + 2}`)
        }
      }
      await page.locator('#violation').waitFor()
      assert.match((await page.locator('#violation').textContent()) ?? '', failing === undefined ? /invariant '.*' is violated/ : /violated/)
      assert.equal(await page.locator('#hash-path').textContent(), outcome.summary.violation!.path)
      const lifelines = await page.locator('#msc g.lifeline').count()
      assert.ok(lifelines >= 2, `${lifelines} lifelines`)
      await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true })

      // Back undoes a step; the URL is the position, so reloading it shows the same state.
      await page.locator('#back').click()
      await page.waitForFunction((n) => location.hash.split('/').length === n, 1 + clicks.length)
      await page.reload()
      await page.locator('#state-table').waitFor()
      // Find a counterexample runs the same search in the browser, in a Web Worker, and lands on its path.
      await page.locator('#restart').click()
      await page.waitForFunction(() => location.hash === '#/0')
      const worker = page.waitForEvent('worker')
      await page.locator('#find').click()
      assert.match((await worker).url(), /\/search-worker\.js$/)
      await page.waitForFunction((h) => location.hash === h, `#/${outcome.summary.violation!.path}`)
      await page.locator('#violation').waitFor()
      assert.match((await page.locator('#note').textContent()) ?? '', new RegExp(`^counterexample: .* \\(${outcome.summary.violation!.length} states, \\d+ states searched\\)$`))
      assert.equal(await page.locator('#find').isDisabled(), false)
      assert.deepEqual(problems, [])
      await page.close()
    })
  }

  it('loads an ITF trace written by --trace-out and shows its last state', async () => {
    const explorer = await startExplorer(abs('examples/aws-dns/race.ts'), { port: 0 })
    servers.push(explorer)
    const trace = join(dir, 'race.itf.json')
    const code = await main(['check', abs('examples/aws-dns/race.ts'), '--trace-out', trace], { stdout: { write: () => true }, stderr: { write: () => true } })
    assert.equal(code, 1)
    const page = await browser.context.newPage()
    const problems = watch(page)
    await page.goto(explorer.url)
    await page.locator('#state-table').waitFor()
    await page.locator('#itf').setInputFiles(trace)
    await page.waitForFunction(() => location.hash === '#/0/0/0/1/2/3/4/6/5/8')
    await page.locator('#violation').waitFor()
    assert.match((await page.locator('#note').textContent()) ?? '', /loaded 'race\.itf\.json': 10 states/)
    const bad = join(dir, 'bad.json')
    writeFileSync(bad, '{"states": [{"next": {"#bigint": "7"}}]}')
    await page.locator('#itf').setInputFiles(bad)
    await page.locator('#note').waitFor()
    assert.match((await page.locator('#note').textContent()) ?? '', /does not fit the model: state 1 is not an initial state/)
    assert.deepEqual(problems, [])
    await page.close()
  })
})
