/**
 * Golden tests of TLA+ output (STYLE.md §7.2): each `test/golden/tla/NAME.tla` runs with the cfg
 * beside it through the command line in this process, and its output must equal `NAME.out`
 * followed by its stderr (timings blanked). The first line of the spec states the expectation, which is checked apart
 * from the text: `\* expect: verdict=violation kind=invariant name=Small length=4 exit=1`.
 * `UPDATE_GOLDEN=1` rewrites the .out files; review the diff.
 */
import assert from 'node:assert/strict'
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { main } from '../../src/cli/main.js'
import type { CheckSummary } from '../../src/report/summary.js'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const DIR = join(ROOT, 'test', 'golden', 'tla')

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const code = await main(args, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } })
  return { code, stdout, stderr }
}

/** Blanks what changes from run to run: the seconds and states per second. */
function normalize(text: string): string {
  return text.replaceAll(ROOT, '').replace(/, [\d.]+ s \([\d,]+ states\/s\)/g, ', … s')
}

describe('TLA+ golden output', () => {
  for (const file of readdirSync(DIR).filter((f) => f.endsWith('.tla')).sort()) {
    it(file, async () => {
      const spec = join(DIR, file)
      const header = readFileSync(spec, 'utf8').split('\n')[0]!
      const expect = Object.fromEntries([...header.matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1]!, m[2]!]))
      assert.ok(header.startsWith('\\* expect:') && expect['verdict'], `${file} has no expect header`)
      const text = await run(['check', spec])
      assert.equal(String(text.code), expect['exit'] ?? '0', text.stdout)
      const json = await run(['check', '--json', spec])
      const summary = JSON.parse(json.stdout) as CheckSummary
      assert.equal(summary.result, expect['verdict'])
      if (expect['code']) assert.equal(summary.error?.code, expect['code'])
      if (expect['kind']) assert.equal(summary.violation?.kind, expect['kind'])
      if (expect['name']) assert.equal(summary.violation?.name, expect['name'])
      if (expect['length']) assert.equal(String(summary.violation?.length), expect['length'])
      const out = join(DIR, file.replace(/\.tla$/, '.out'))
      assert.ok(!text.stderr.includes('    at '), `a stack trace on stderr:\n${text.stderr}`)
      const got = normalize(text.stdout + text.stderr)
      if (process.env['UPDATE_GOLDEN'] || !existsSync(out)) writeFileSync(out, got)
      assert.equal(got, readFileSync(out, 'utf8'))
    })
  }
})
