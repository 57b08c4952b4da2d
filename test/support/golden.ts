/**
 * Golden output of the command line (STYLE.md §7.2) for one front end: each `test/golden/DIR/NAME.EXT`
 * is checked through the command line in this process (`weft check test/golden/DIR/NAME.EXT`, or the
 * command in `NAME.args` beside it), and its stdout and stderr (timings blanked) must equal
 * `NAME.out`. A `NAME.args` alone runs its command on a model elsewhere (the DNS examples). The
 * expectation is checked apart from the text, from the model's first line (`/* expect: … *\/`,
 * `\* expect: …`) or the `# expect:` line of the .args file: `exit`, `verdict`, `kind`, `name`,
 * `length`, `distinct`, `code`. `UPDATE_GOLDEN=1` rewrites the .out files; review the diff.
 */
import assert from 'node:assert/strict'
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { main } from '../../src/cli/main.js'
import type { CheckSummary } from '../../src/report/summary.js'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))

/** Runs the command line in the repository root, so that paths (and the output) are relative to it. */
async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const cwd = process.cwd()
  process.chdir(ROOT)
  try {
    const code = await main(args, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } })
    return { code, stdout, stderr }
  } finally {
    process.chdir(cwd)
  }
}

/** Blanks what changes from run to run: the seconds and states per second. */
function normalize(text: string): string {
  return text.replace(/, [\d.]+ s \([\d,]+ states\/s\)/g, ', … s')
}

/** The golden cases of `test/golden/<folder>`: models ending in `.<ext>` and `.args` files. */
export function goldenSuite(title: string, folder: string, ext: string, minCases: number): void {
  const dir = join(ROOT, 'test', 'golden', folder)
  const caseOf = (name: string): { argv: string[]; expect: Record<string, string> } => {
    const model = join(dir, `${name}.${ext}`)
    const argsFile = join(dir, `${name}.args`)
    const argsText = existsSync(argsFile) ? readFileSync(argsFile, 'utf8') : undefined
    const header = argsText?.split('\n').find((l) => l.startsWith('# expect:')) ?? (existsSync(model) ? readFileSync(model, 'utf8').split('\n')[0]! : '')
    assert.ok(/^(# |\/\* |\\\* )expect:/.test(header), `${name} has no expect header`)
    const expect = Object.fromEntries([...header.matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1]!, m[2]!]))
    const command = argsText?.split('\n').find((l) => l.trim() !== '' && !l.startsWith('#'))
    return { argv: command ? command.trim().split(/\s+/) : ['check', `test/golden/${folder}/${name}.${ext}`], expect }
  }
  const pattern = new RegExp(`\\.(${ext}|args)$`)
  describe(title, () => {
    const names = [...new Set(readdirSync(dir).filter((f) => pattern.test(f)).map((f) => f.replace(pattern, '')))].sort()
    it('has cases', () => assert.ok(names.length >= minCases, `found ${names.length}`))
    for (const name of names) {
      it(name, async () => {
        const { argv, expect } = caseOf(name)
        const text = await run(argv)
        assert.equal(String(text.code), expect['exit'] ?? '0', text.stdout + text.stderr)
        const json = await run([...argv, '--json'])
        const summary = JSON.parse(json.stdout) as CheckSummary
        assert.equal(summary.result, expect['verdict'])
        if (expect['code']) assert.equal(summary.error?.code, expect['code'])
        if (expect['kind']) assert.equal(summary.violation?.kind, expect['kind'])
        if (expect['name']) assert.equal(summary.violation?.name, expect['name'])
        if (expect['length']) assert.equal(String(summary.violation?.length), expect['length'])
        if (expect['distinct']) assert.equal(String(summary.stats?.distinct), expect['distinct'])
        assert.ok(!text.stderr.includes('    at '), `a stack trace on stderr:\n${text.stderr}`)
        const out = join(dir, `${name}.out`)
        const got = normalize(text.stdout + text.stderr)
        if (process.env['UPDATE_GOLDEN'] || !existsSync(out)) writeFileSync(out, got)
        assert.equal(got, readFileSync(out, 'utf8'), `the output differs from ${name}.out (UPDATE_GOLDEN=1 rewrites it)`)
      })
    }
  })
}
