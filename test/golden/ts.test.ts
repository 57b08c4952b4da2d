/**
 * Golden text traces of the TypeScript DNS examples: each `test/golden/ts/NAME.args` holds its
 * expectation (`# expect: exit=1 verdict=violation property=P length=N`) and the command line;
 * `NAME.out` is the command's stdout, with the run's timing replaced by `<time>`.
 * `UPDATE_GOLDEN=1` rewrites the `.out` files (review the diff).
 */
import assert from 'node:assert/strict'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { main } from '../../src/cli/main.js'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const DIR = join(ROOT, 'test', 'golden', 'ts')
const update = process.env['UPDATE_GOLDEN'] === '1'

/** The parts of a report that change from run to run. */
function normalise(text: string): string {
  return text.replace(/, [\d.]+ s \([\d,]+ states\/s\)/g, ', <time>')
}

function parseArgs(text: string): { expect: Record<string, string>; argv: string[] } {
  const lines = text.split('\n').filter((l) => l.trim() !== '')
  const header = lines.find((l) => l.startsWith('# expect:'))
  assert.ok(header, 'the .args file starts with a # expect: line')
  const expect = Object.fromEntries(
    header
      .slice('# expect:'.length)
      .trim()
      .split(/\s+/)
      .map((kv) => kv.split('=') as [string, string]),
  )
  const command = lines.find((l) => !l.startsWith('#'))!
  // Paths in the command are relative to the repository root, where the output names them too.
  return { expect, argv: command.trim().split(/\s+/) }
}

describe('golden traces: TypeScript DNS examples', () => {
  const names = readdirSync(DIR)
    .filter((f) => f.endsWith('.args'))
    .map((f) => f.slice(0, -'.args'.length))
  it('has cases', () => assert.ok(names.length >= 4, `found ${names.length}`))
  for (const name of names) {
    it(name, async () => {
      const { expect, argv } = parseArgs(readFileSync(join(DIR, `${name}.args`), 'utf8'))
      let stdout = ''
      let stderr = ''
      const cwd = process.cwd()
      process.chdir(ROOT)
      let code: number
      try {
        code = await main(argv, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } })
      } finally {
        process.chdir(cwd)
      }
      assert.equal(stderr, '')
      assert.equal(String(code), expect['exit'])
      if (expect['verdict'] === 'ok') assert.match(stdout, new RegExp(`^No violation: every property holds in all ${Number(expect['distinct']).toLocaleString('en-US')} reachable states\\.$`, 'm'))
      else {
        assert.match(stdout, new RegExp(`^Violation \\(invariant\\): invariant '${expect['property']}' is violated$`, 'm'))
        assert.match(stdout, new RegExp(`^Trace of ${expect['length']} states`, 'm'))
      }
      const actual = normalise(stdout)
      const golden = join(DIR, `${name}.out`)
      if (update || !existsSync(golden)) {
        assert.ok(update, `${golden} is missing: run with UPDATE_GOLDEN=1 to write it`)
        writeFileSync(golden, actual)
        return
      }
      assert.equal(actual, readFileSync(golden, 'utf8'), `stdout differs from ${name}.out (UPDATE_GOLDEN=1 rewrites it)`)
    })
  }
})
