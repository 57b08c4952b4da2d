import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { runCheck } from '../../api.js'
import type { Explanation } from '../../core/model.js'
import { explanationLines } from '../../trace/explain.js'
import { claimProduct } from './claim.js'
import { loadPromela } from './load.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..')

function load(text: string, file = 'm.pml') {
  const loaded = loadPromela({ file, text, defines: {} })
  assert.ok(loaded.model, loaded.diagnostics.map((d) => d.message).join('\n'))
  return loaded.model
}

const show = (e: Explanation | undefined): string[] => {
  assert.ok(e, 'an explanation')
  return explanationLines(e)
}

describe('explaining a Promela violation', () => {
  it('the DNS race: the ltl formula and its atom in the last state', () => {
    const file = join(root, 'examples', 'aws-dns', 'race.pml')
    const model = claimProduct(load(readFileSync(file, 'utf8'), file), 'never_delete_active')!
    const { summary } = runCheck(model)
    assert.deepEqual(show(summary.violation?.explanation), [
      "Why the claim 'never_delete_active' is violated in state 13 (the values of its atoms):",
      '  ltl never_delete_active { [] !deleted[current] }',
      '  !deleted[current] = false',
      '    deleted[current] = 1',
      '      current = 1',
    ])
  })

  it('a failed assert: its sub-expressions in the state where it failed, inside an atomic sequence', () => {
    const model = load(`#define N 3
byte a[N];
byte i;
active proctype P() {
  do
  :: i < N -> atomic { a[i] = i * 2; i++; assert(i < 3 || a[i-1] + 1 < 4) }
  :: else -> break
  od
}`)
    const { summary } = runCheck(model)
    assert.equal(summary.violation?.kind, 'assertion')
    assert.deepEqual(show(summary.violation?.explanation), [
      'Why assert(i < 3 || a[i-1] + 1 < 4) fails in state 6 (P(0)):',
      '  i < 3 || a[i-1] + 1 < 4 = false',
      '    i < 3 = false',
      '      i = 3',
      '    a[i-1] + 1 < 4 = false',
      '      a[i-1] + 1 = 5',
      '        a[i-1] = 4',
      '          i-1 = 2',
      '            i = 3',
    ])
  })

  it('a && that is false shows only the operand that makes it false; locals are read in their process', () => {
    const model = load(`active [2] proctype Q() {
  byte mine = _pid + 4;
  assert(mine > 3 && mine != 5)
}`)
    const lines = show(runCheck(model).summary.violation?.explanation)
    assert.deepEqual(lines, ["Why assert(mine > 3 && mine != 5) fails in state 1 (Q(1)):", '  mine > 3 && mine != 5 = false', '    mine != 5 = false', '      mine = 5'])
  })

  it("a never claim's conditions, and an ltl formula's atoms at the end of a lasso", () => {
    const src = `byte x;
active proctype P() { do :: x < 3 -> x++ :: x == 3 -> x = 0 od }
never bad { do :: x != 3 :: x == 3 -> break od }
ltl reaches { <> (x > 5) }`
    const model = load(src)
    const bad = runCheck(claimProduct(model, 'bad')!).summary
    assert.equal(bad.violation?.kind, 'ltl')
    assert.deepEqual(show(bad.violation?.explanation).slice(1), ['  x != 3 = false', '    x = 3', '  x == 3 = true'])
    const lasso = runCheck(claimProduct(model, 'reaches')!, { strategy: 'ndfs' }).summary
    assert.equal(lasso.violation?.kind, 'ltl')
    assert.ok(lasso.violation?.loop !== undefined)
    const lines = show(lasso.violation?.explanation)
    assert.equal(lines[1], '  ltl reaches { <> (x > 5) }')
    assert.match(lines[2]!, /^ {2}x > 5 = false$/)
  })
})
