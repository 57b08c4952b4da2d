import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { edgeCount, translate } from './buchi.js'
import { negate } from './formula.js'
import { buchiAcceptsLasso, holdsOnLasso, type Lasso } from './lasso.js'
import { parseSpinLtl } from './spin-syntax.js'
import { spinClaimAutomaton, spinFormulaText } from './spin-tl-automaton.js'
import { spinClaim } from './spin-tl-claim.js'
import { predicateMeaning } from '../../test/support/ltl-formulas.js'

/**
 * The property specification patterns of Dwyer, Avrunin and Corbett (absence, existence, universality,
 * precedence, response), each in the scopes global, before R, after Q, between Q and R, after Q until R,
 * written out in SPIN syntax from the patterns' definitions; plus a few standard formulas. Each row gives
 * the bound on the states of the automaton for the property's negation, which is what a check builds.
 */
const rows: readonly (readonly [name: string, formula: string, maxStates: number])[] = [
  ['[]<>p', '[]<>p', 2],
  ['<>[]p', '<>[]p', 2],
  ['response', '[](p -> <>q)', 2],
  ['[]p', '[]p', 2],
  ['<>p', '<>p', 1],
  ['p U q', 'p U q', 2],
  ['fairness', '[]<>p -> []<>q', 3],
  ['strong fairness', '([]<>p -> []<>q) && ([]<>r -> []<>s)', 6],

  ['absence global', '[]!p', 2],
  ['absence before', '<>r -> (!p U r)', 3],
  ['absence after', '[](q -> []!p)', 3],
  ['absence between', '[]((q && !r && <>r) -> (!p U r))', 4],
  ['absence after-until', '[]((q && !r) -> (!p W r))', 3],

  ['existence global', '<>p', 1],
  ['existence before', '!r W (p && !r)', 2],
  ['existence after', '[]!q || <>(q && <>p)', 3],
  ['existence between', '[]((q && !r) -> (!r W (p && !r)))', 3],
  ['existence after-until', '[]((q && !r) -> (!r U (p && !r)))', 3],

  ['universality global', '[]p', 2],
  ['universality before', '<>r -> (p U r)', 3],
  ['universality after', '[](q -> []p)', 3],
  ['universality between', '[]((q && !r && <>r) -> (p U r))', 4],
  ['universality after-until', '[]((q && !r) -> (p W r))', 3],

  ['precedence global', '!p W s', 2],
  ['precedence before', '<>r -> (!p U (s || r))', 3],
  ['precedence after', '[]!q || <>(q && (!p W s))', 4],
  ['precedence between', '[]((q && !r && <>r) -> (!p U (s || r)))', 4],
  ['precedence after-until', '[]((q && !r) -> (!p W (s || r)))', 3],

  ['response global', '[](p -> <>s)', 2],
  ['response before', '<>r -> ((p -> (!r U (s && !r))) U r)', 3],
  ['response after', '[](q -> [](p -> <>s))', 3],
  ['response between', '[]((q && !r && <>r) -> ((p -> (!r U (s && !r))) U r))', 4],
  ['response after-until', '[]((q && !r) -> ((p -> (!r U (s && !r))) W r))', 4],
]

const names = ['p', 'q', 'r', 's']
const lookup = (name: string): number | undefined => {
  const i = names.indexOf(name)
  return i < 0 ? undefined : i
}

describe('automaton sizes for the specification patterns', () => {
  it('stay within bounds, and the automata are right on random words', (t) => {
    const lines = ['| pattern | formula | weft states | weft transitions | class | ms | SPIN states | SPIN transitions |', '| --- | --- | --- | --- | --- | --- | --- | --- |']
    const meaning = predicateMeaning(names)
    const failures: string[] = []
    const letter = fc.subarray([0, 1, 2, 3])
    const words = fc.sample(fc.record({ prefix: fc.array(letter, { maxLength: 5 }), loop: fc.array(letter, { minLength: 1, maxLength: 5 }) }), { numRuns: 300, seed: 42 }) as Lasso[]
    for (const [name, text, max] of rows) {
      const parsed = parseSpinLtl(text, lookup)
      assert.deepEqual(parsed.diagnostics, [], text)
      const started = performance.now()
      const tr = translate(negate(parsed.value!))
      const ms = performance.now() - started
      const ba = tr.buchi
      const claim = spinClaim(spinFormulaText(parsed.value!)!)
      const spinStates = claim.states.length + (claim.acceptAll ? 1 : 0)
      const spinTransitions = claim.states.reduce((n, s) => n + s.options.length, 0)
      lines.push(`| ${name} | \`${text}\` | ${ba.stateCount} | ${edgeCount(ba)} | ${ba.strength} | ${ms.toFixed(1)} | ${spinStates} | ${spinTransitions} |`)
      if (ba.stateCount > max) failures.push(`${name}: ${ba.stateCount} states, expected at most ${max}`)
      const spinBa = spinClaimAutomaton(claim, meaning)
      for (const w of words) {
        assert.equal(buchiAcceptsLasso(ba, w), !holdsOnLasso(parsed.value!, w), `${text}`)
        assert.equal(buchiAcceptsLasso(spinBa, w), !holdsOnLasso(parsed.value!, w), `SPIN's claim for ${text}`)
      }
    }
    t.diagnostic('automata for the negated patterns')
    for (const line of lines) t.diagnostic(line)
    assert.deepEqual(failures, [])
  })
})
