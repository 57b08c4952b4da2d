/**
 * Explanations of violated TLA+ invariants (src/lang/tla/explain.ts): the definition expanded one
 * level at a time, each sub-expression with its value in TLC's notation.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { before, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { runCheck } from '../../src/api.js'
import { MAX_TERMS } from '../../src/core/explain.js'
import type { Explanation, Model } from '../../src/core/model.js'
import { loadTla } from '../../src/lang/tla/load.js'
import type { TlaGrammar } from '../../src/lang/tla/parse.js'
import { loadTlaGrammar } from '../../src/platform/node/tla-grammar.js'
import { explanationLines } from '../../src/trace/explain.js'

let grammar: TlaGrammar
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')

function explain(text: string, cfg: string, file = 'Spec.tla'): Explanation | undefined {
  const loaded = loadTla({ grammar, file, text, cfg: { name: 'Spec.cfg', text: cfg }, readModule: () => undefined })
  assert.ok(loaded.model, loaded.diagnostics.map((d) => d.message).join('; '))
  const { summary } = runCheck(loaded.model as unknown as Model<unknown, unknown>)
  assert.equal(summary.result, 'violation')
  return summary.violation!.explanation
}

/** The lines below the title, without their indentation's first level. */
function body(e: Explanation | undefined): string[] {
  assert.ok(e, 'an explanation')
  return explanationLines(e).slice(1).map((l) => l.slice(2))
}

const PROCS = `---- MODULE Spec ----
EXTENDS Naturals
CONSTANTS Procs
VARIABLES x, pc
Init == x = 0 /\\ pc = [p \\in Procs |-> "a"]
Next == \\E p \\in Procs : pc[p] = "a" /\\ pc' = [pc EXCEPT ![p] = "b"] /\\ x' = x + 1
Small(n) == n < 2
AllA == \\A p \\in Procs : pc[p] = "a"
SomeB == \\E p \\in Procs : pc[p] = "b"
Inv == /\\ x \\in Nat
       /\\ Small(x)
       /\\ AllA
Implies == x > 0 => AllA
Branch == IF x > 0 THEN Small(x + 5) ELSE TRUE
Never == ~SomeB
====`
const cfg = (inv: string): string => `CONSTANTS Procs = {p1, p2, p3}\nINIT Init\nNEXT Next\nINVARIANT ${inv}\n`

describe('explaining a violated TLA+ invariant', () => {
  before(async () => {
    grammar = await loadTlaGrammar()
  })

  it('the DNS race: ActivePlanNotDeleted expanded, with active and deleted in the last state', () => {
    const file = join(root, 'examples', 'aws-dns', 'DnsRace.tla')
    const e = explain(readFileSync(file, 'utf8'), readFileSync(file.replace(/\.tla$/, '.cfg'), 'utf8'), file)
    assert.equal(e!.title, 'invariant ActivePlanNotDeleted is FALSE in state 8')
    assert.deepEqual(body(e), ['ActivePlanNotDeleted == active \\notin deleted', 'active \\notin deleted = FALSE', '  active = 1', '  deleted = {1}'])
  })

  it('a conjunction shows its first FALSE conjunct; \\A shows the element that falsifies it', () => {
    assert.deepEqual(body(explain(PROCS, cfg('Inv'))), [
      'Inv == /\\ x \\in Nat /\\ Small(x) /\\ AllA',
      'AllA = FALSE   (conjunct 3 of 3 is FALSE)',
      '  AllA == \\A p \\in Procs : pc[p] = "a"',
      '  \\A p \\in Procs : pc[p] = "a" = FALSE',
      '    Procs = {p1, p2, p3}',
      '    p = p1   (the first element for which the body is FALSE)',
      '    pc[p] = "a" = FALSE',
      '      pc[p] = "b"',
      '        pc = (p1 :> "b" @@ p2 :> "a" @@ p3 :> "a")',
      '        p = p1',
    ])
  })

  it('an implication shows both sides; a definition with parameters shows their values', () => {
    const lines = body(explain(PROCS, cfg('Implies')))
    assert.deepEqual(lines.slice(0, 5), ['Implies == x > 0 => AllA', 'x > 0 => AllA = FALSE', '  x > 0 = TRUE', '    x = 1', '  AllA = FALSE'])
    const branch = body(explain(PROCS, cfg('Branch')))
    assert.deepEqual(branch, [
      'Branch == IF x > 0 THEN Small(x + 5) ELSE TRUE',
      'IF x > 0 THEN Small(x + 5) ELSE TRUE = FALSE',
      '  x > 0 = TRUE',
      '    x = 1',
      '  Small(x + 5) = FALSE   (the THEN branch)',
      '    Small(n) == n < 2',
      '    n = 6',
      '    n < 2 = FALSE',
      '      n = 6',
    ])
  })

  it('\\E that is TRUE under a negation shows its witness', () => {
    const lines = body(explain(PROCS, cfg('Never')))
    assert.ok(lines.includes('      p = p1   (the first element for which the body is TRUE)'), lines.join('\n'))
  })

  it('a PROPERTY: its []P part, and a state predicate on the initial states', () => {
    const spec = `---- MODULE Spec ----\nEXTENDS Naturals\nVARIABLE x\nInit == x = 0\nNext == x' = x + 1\nSpec == Init /\\ [][Next]_x\nBelow == [](x < 2)\nStartsHigh == x > 5\n====`
    const below = explain(spec, 'SPECIFICATION Spec\nPROPERTY Below\n')
    assert.equal(below!.title, 'property Below is FALSE in state 3')
    assert.deepEqual(body(below), ['x < 2 = FALSE', '  x = 2'])
    const start = explain(spec, 'SPECIFICATION Spec\nPROPERTY StartsHigh\n')
    assert.deepEqual(body(start), ['StartsHigh == x > 5', 'x > 5 = FALSE', '  x = 0'])
  })

  it('stays bounded for a large invariant', () => {
    const items = Array.from({ length: 60 }, (_, i) => `x # ${i + 100}`).join(' \\/ ')
    const spec = `---- MODULE Spec ----\nEXTENDS Naturals\nVARIABLE x\nInit == x = 0\nNext == x' = x + 1\nBig == x < 1 \\/ (${items} \\/ x = 7) => x < 1\n====`
    const e = explain(spec, 'INIT Init\nNEXT Next\nINVARIANT Big\n')
    assert.ok(e!.terms.length <= MAX_TERMS + 1, `${e!.terms.length} lines`)
    assert.ok(e!.terms.every((t) => t.term.length <= 120 && (t.value ?? '').length <= 120))
  })
})
