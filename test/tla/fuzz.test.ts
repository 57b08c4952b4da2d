/**
 * Fuzzing the TLA+ front end: corpus specs (and their cfgs), mutated, never make loading or a
 * short check throw, hang or stop with anything but diagnostics or a reported violation.
 */
import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { before, describe, it } from 'node:test'
import fc from 'fast-check'
import { runCheck } from '../../src/api.js'
import type { Model } from '../../src/core/model.js'
import { loadTla } from '../../src/lang/tla/load.js'
import type { TlaGrammar } from '../../src/lang/tla/parse.js'
import { loadTlaGrammar } from '../../src/platform/node/tla-grammar.js'
import { corpusDir } from '../support/promela-corpus.js'
import { readTlaManifest } from '../support/tla-corpus.js'

let grammar: TlaGrammar

const SAMPLE = {
  tla: `---- MODULE Spec ----
EXTENDS Naturals, Sequences, FiniteSets, TLC
CONSTANTS N, Procs
VARIABLES x, q, pc
vars == <<x, q, pc>>
Init == x = 0 /\\ q = <<>> /\\ pc = [p \\in Procs |-> "a"]
Send(p) == pc[p] = "a" /\\ Len(q) < N /\\ q' = Append(q, p) /\\ pc' = [pc EXCEPT ![p] = "b"] /\\ UNCHANGED x
Recv == q # <<>> /\\ x' = x + 1 /\\ q' = Tail(q) /\\ UNCHANGED pc
Next == (\\E p \\in Procs : Send(p)) \\/ Recv \\/ (LET k == Cardinality(Procs) IN x > k /\\ UNCHANGED vars)
Inv == x <= N * 2 /\\ \\A p \\in Procs : pc[p] \\in {"a", "b"}
Sym == Permutations(Procs)
====
`,
  cfg: 'CONSTANTS N = 2 p1 = p1 p2 = p2 Procs = {p1, p2}\nINIT Init\nNEXT Next\nINVARIANT Inv\nSYMMETRY Sym\n',
}

const pieces = ['==', '/\\', '\\/', '(', ')', '[', ']', '{', '}', '<<', '>>', "'", '\\E x \\in S :', 'LET', 'IN', 'IF', 'THEN', 'ELSE', 'CHOOSE', '@', '!', ',', ':', '\n', '====', 'EXCEPT', '|->', 'Nat', '..', 'SUBSET', '"', '(*', '*)', '\\*', 'INSTANCE', 'RECURSIVE']

type Mutation = { readonly op: 'delete' | 'duplicate' | 'insert' | 'swap'; readonly at: number; readonly len: number; readonly other: number; readonly piece: string }

function mutate(text: string, ms: readonly Mutation[]): string {
  let out = text
  for (const m of ms) {
    const n = Math.max(1, out.length)
    const at = m.at % n
    if (m.op === 'delete') out = out.slice(0, at) + out.slice(at + m.len)
    else if (m.op === 'duplicate') out = out.slice(0, at) + out.slice(at, at + m.len) + out.slice(at)
    else if (m.op === 'insert') out = out.slice(0, at) + m.piece + out.slice(at)
    else {
      const b = m.other % n
      const [x, y] = at <= b ? [at, b] : [b, at]
      out = out.slice(0, x) + out.slice(y, y + m.len) + out.slice(x + m.len, y) + out.slice(x, x + m.len) + out.slice(y + m.len)
    }
  }
  return out
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  op: fc.constantFrom('delete' as const, 'duplicate' as const, 'insert' as const, 'swap' as const),
  at: fc.nat(),
  len: fc.integer({ min: 1, max: 12 }),
  other: fc.nat(),
  piece: fc.constantFrom(...pieces),
})

/** Small corpus specs with their cfgs, read once. */
function corpusSpecs(): { tla: string; cfg: string; dir: string }[] {
  const manifest = readTlaManifest() ?? []
  const out: { tla: string; cfg: string; dir: string }[] = []
  for (const e of manifest) {
    const tla = join(corpusDir(), 'tla', e.tla)
    const cfg = join(corpusDir(), 'tla', e.cfg)
    if (!existsSync(tla) || !existsSync(cfg)) continue
    const text = readFileSync(tla, 'utf8')
    if (text.length < 4000) out.push({ tla: text, cfg: readFileSync(cfg, 'utf8'), dir: dirname(tla) })
  }
  return out
}

describe('TLA+ front end fuzz', () => {
  before(async () => {
    grammar = await loadTlaGrammar()
  })

  it('mutated specs and cfgs load or are rejected with diagnostics, and a short check never throws', () => {
    const bases = [{ ...SAMPLE, dir: '' }, ...corpusSpecs()]
    fc.assert(
      fc.property(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 3 }), fc.boolean(), (pick, ms, inCfg) => {
        const base = bases[pick % bases.length]!
        const tla = inCfg ? base.tla : mutate(base.tla, ms)
        const cfg = inCfg ? mutate(base.cfg, ms) : base.cfg
        const t0 = performance.now()
        const loaded = loadTla({
          grammar,
          file: 'Spec.tla',
          text: tla,
          cfg: { name: 'Spec.cfg', text: cfg },
          readModule: (name) => {
            const f = join(base.dir, `${name}.tla`)
            return base.dir && existsSync(f) ? { name: f, text: readFileSync(f, 'utf8') } : undefined
          },
        })
        for (const d of loaded.diagnostics) assert.ok(d.code && d.message, 'a diagnostic has a code and a message')
        if (loaded.model) {
          const { summary } = runCheck(loaded.model as unknown as Model<unknown, unknown>, { maxStates: 200, timeLimit: 1 })
          assert.ok(['ok', 'violation', 'incomplete'].includes(summary.result))
        }
        assert.ok(performance.now() - t0 < 5000, `one case took ${Math.round(performance.now() - t0)} ms`)
      }),
      { seed: 20261202, numRuns: 80 },
    )
  })
})
