/**
 * Differential testing of weft against SPIN on random Promela models (`promela-fuzz.ts`).
 *
 *   node dist/scripts/promela-fuzz-run.js [--from 1] [--count 100] [--dir /tmp/weft-fuzz] [--file m.pml]
 *
 * For each seed it writes the model, builds pan in the canonical configuration (`spin -o1 -o2 -o3
 * -a; gcc -DNOREDUCE -DNOCOMP -DNOCLAIM`), runs `pan -m1000000 -c0` (every error counted, the search
 * complete) and `pan -m1000000` (the first error), runs weft's depth-first search both ways, and
 * compares stored states, transitions, depth, the number of errors and the first error's kind.
 * Disagreeing models are kept in `<dir>/diff/<seed>.pml` with both results in a comment. Needs
 * `spin` and `gcc` on the PATH; not part of `npm test`.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { explore } from '../src/core/check.js'
import { loadPromela } from '../src/lang/promela/load.js'
import { renderDiagnostics } from '../src/diag/render.js'
import { randomPromela } from '../test/support/promela-fuzz.js'

export interface Counts {
  readonly stored: number
  readonly transitions: number
  readonly depth: number
  readonly errors: number
  /** The first error's kind in a search that stops at it, or 'ok'. */
  readonly first: string
}

const PAN_KINDS: [RegExp, string][] = [
  [/assertion violated/, 'assertion'],
  [/invalid end state/, 'invalid-end-state'],
]

/** Too many states for a quick comparison: such models are skipped. */
const STATE_CAP = 60000

function run(cmd: string, args: string[], cwd: string, timeout = 60000): { ok: boolean; out: string } {
  const r = spawnSync('nice', ['-n', '10', cmd, ...args], { cwd, encoding: 'utf8', timeout, maxBuffer: 1 << 24 })
  return { ok: r.status === 0, out: (r.stdout ?? '') + (r.stderr ?? '') }
}

function panCounts(out: string): Omit<Counts, 'first'> | undefined {
  const num = (re: RegExp): number | undefined => {
    const m = re.exec(out)
    return m ? Number(m[1]) : undefined
  }
  const stored = num(/(\d+) states, stored/)
  const transitions = num(/(\d+) transitions \(= stored\+matched\)/)
  const depth = num(/depth reached (\d+)/)
  const errors = num(/errors: (\d+)/)
  if (stored === undefined || transitions === undefined || depth === undefined || errors === undefined) return undefined
  return { stored, transitions, depth, errors }
}

function panFirst(out: string): string {
  const m = /pan:1: (.*)/.exec(out)
  if (!m) return 'ok'
  return PAN_KINDS.find(([re]) => re.test(m[1]!))?.[1] ?? 'runtime-error'
}

/** SPIN's counts for a model, or why there are none ('rejected' by spin or gcc, 'big', 'timeout'). */
export function spinCounts(text: string, dir: string): Counts | string {
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'model.pml'), text)
  rmSync(join(dir, 'pan.c'), { force: true })
  const spin = run('spin', ['-o1', '-o2', '-o3', '-a', 'model.pml'], dir)
  // SPIN prints some errors and still writes pan.c ("dubious use of 'else' combined with i/o", a
  // label on an option's first statement): those models are compared; weft may warn.
  if (!spin.ok || !existsSync(join(dir, 'pan.c'))) return `rejected: ${spin.out.split('\n').find((l) => /error/i.test(l)) ?? spin.out.slice(0, 200)}`
  const cc = run('gcc', ['-O1', '-DNOREDUCE', '-DNOCOMP', '-DNOCLAIM', '-w', '-o', 'pan', 'pan.c'], dir)
  if (!cc.ok) return `rejected by gcc: ${cc.out.slice(0, 200)}`
  const all = run('./pan', ['-m1000000', '-c0'], dir, 30000)
  const counts = panCounts(all.out)
  if (!counts) return `timeout or no counts: ${all.out.slice(0, 200)}`
  if (counts.stored > STATE_CAP) return 'big'
  if (/max search depth too small/.test(all.out)) return 'big'
  const first = panFirst(run('./pan', ['-m1000000'], dir, 30000).out)
  return { ...counts, first }
}

/** weft's counts for a model, searched as the canonical pan searches it. */
export function weftCounts(text: string): Counts | string {
  const loaded = loadPromela({ file: 'model.pml', text })
  if (!loaded.model) return `weft rejects: ${renderDiagnostics(loaded.diagnostics.slice(0, 2), (f) => loaded.sources.get(f))}`
  const all = explore(loaded.model, { strategy: 'dfs', checkDeadlock: true, continueAfterViolation: true, timeLimit: 60 })
  if (all.status === 'incomplete') return `weft incomplete (${all.limit})`
  const once = explore(loaded.model, { strategy: 'dfs', checkDeadlock: true, continueAfterViolation: false, timeLimit: 60 })
  return { stored: all.stats.distinct, transitions: all.stats.transitions, depth: all.stats.depth, errors: all.violations, first: once.violation?.kind ?? 'ok' }
}

/** The fields in which two results differ. */
export function differences(spin: Counts, weft: Counts): string[] {
  return (Object.keys(spin) as (keyof Counts)[]).filter((k) => spin[k] !== weft[k]).map((k) => `${k} ${weft[k]}, SPIN ${spin[k]}`)
}

function main(argv: string[]): void {
  const arg = (name: string, fallback: string): string => {
    const i = argv.indexOf(name)
    return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1]! : fallback
  }
  const dir = arg('--dir', '/tmp/weft-fuzz')
  const file = arg('--file', '')
  if (file) {
    const text = readFileSync(file, 'utf8')
    const spin = spinCounts(text, join(dir, 'work'))
    const weft = weftCounts(text)
    process.stdout.write(`SPIN ${JSON.stringify(spin)}\nweft ${JSON.stringify(weft)}\n`)
    return
  }
  const from = Number(arg('--from', '1'))
  const count = Number(arg('--count', '100'))
  mkdirSync(join(dir, 'diff'), { recursive: true })
  const tally = { compared: 0, differ: 0, rejected: 0, big: 0, weftRejects: 0 }
  for (let seed = from; seed < from + count; seed++) {
    const text = randomPromela(seed)
    const spin = spinCounts(text, join(dir, 'work'))
    if (typeof spin === 'string') {
      if (spin === 'big' || spin.startsWith('timeout')) tally.big++
      else {
        tally.rejected++
        writeFileSync(join(dir, `rejected-${seed}.pml`), `/* ${spin.replace(/\*\//g, '')} */\n${text}`)
      }
      continue
    }
    const weft = weftCounts(text)
    tally.compared++
    const diffs = typeof weft === 'string' ? [weft] : differences(spin, weft)
    if (typeof weft === 'string' && weft.startsWith('weft rejects')) tally.weftRejects++
    if (diffs.length) {
      tally.differ++
      writeFileSync(join(dir, 'diff', `${seed}.pml`), `/* SPIN ${JSON.stringify(spin)}\n   weft ${JSON.stringify(weft).replace(/\*\//g, '')}\n   ${diffs.join('; ').replace(/\*\//g, '')} */\n${text}`)
      process.stdout.write(`seed ${seed}: ${diffs.join('; ')}\n`)
    }
  }
  process.stdout.write(`${JSON.stringify(tally)}\n`)
}

main(process.argv.slice(2))
