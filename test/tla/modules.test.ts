import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import type { TlaGrammar } from '../../src/lang/tla/parse.js'
import { loadTlaGrammar } from '../../src/platform/node/tla-grammar.js'
import { checkTlaText, loadTlaText } from '../support/tla-text.js'

let grammar: TlaGrammar

function load(text: string, cfg: string, modules: Record<string, string> = {}) {
  return loadTlaText(grammar, text, cfg, modules)
}

function check(text: string, cfg: string, modules: Record<string, string> = {}) {
  return checkTlaText(grammar, text, cfg, modules).summary
}

describe('TLA+ modules, instances and cfg scopes', () => {
  before(async () => {
    grammar = await loadTlaGrammar()
  })

  it('an unnamed INSTANCE gives an operator constant the same-named operator of the instantiating module, also inside an action', () => {
    const inner = `---- MODULE Inner ----
EXTENDS Naturals, FiniteSets
CONSTANTS Nodes, IsQuorum(_)
VARIABLE x
Init == x = 0
Next == \\E S \\in SUBSET Nodes : IsQuorum(S) /\\ x < 3 /\\ x' = x + Cardinality(S)
====
`
    const spec = `---- MODULE Spec ----
EXTENDS Naturals, FiniteSets
VARIABLE x
CONSTANTS a, b, c
Nodes == {a, b, c}
IsQuorum(Q) == Cardinality(Q) = 2
INSTANCE Inner
====
`
    const s = check(spec, 'CONSTANTS a = a b = b c = c\nINIT Init\nNEXT Next\nCHECK_DEADLOCK FALSE', { Inner: inner })
    // x: 0 -> 2 (three quorums, one state) -> 4; each step generates three successors.
    assert.equal(s.result, 'ok')
    assert.deepEqual([s.stats!.distinct, s.stats!.transitions, s.stats!.depth], [3, 7, 3])
  })

  it('a named ASSUME defines its name, for the module and the modules that extend it', () => {
    const base = `---- MODULE Base ----\nEXTENDS Naturals\nCONSTANT N\nASSUME BaseAssume == N > 1\nVARIABLE x\nInit == x = 0\nNext == x < N /\\ x' = x + 1\n====\n`
    const spec = `---- MODULE Spec ----\nEXTENDS Base\nCONSTANT M\nASSUME BaseAssume /\\ M < N\n====\n`
    const s = check(spec, 'CONSTANTS N = 3 M = 2\nINIT Init\nNEXT Next\nCHECK_DEADLOCK FALSE', { Base: base })
    assert.deepEqual([s.result, s.stats!.distinct], ['ok', 4])
    const bad = load(spec, 'CONSTANTS N = 1 M = 0\nINIT Init\nNEXT Next', { Base: base })
    assert.equal(bad.model, undefined)
    assert.deepEqual(
      bad.diagnostics.map((d) => d.code),
      ['TLA134', 'TLA134'],
    )
  })

  it("'Name = [M] value' in the cfg gives module M's definition Name that value wherever M is instantiated", () => {
    const inner = `---- MODULE Inner ----\nCONSTANT Items\nNone == CHOOSE i : i \\notin Items\nEmpty == None\n====\n`
    const spec = `---- MODULE Spec ----
CONSTANTS Items, NoneVal
VARIABLE x
I == INSTANCE Inner
Init == x = I!Empty
Next == \\/ x = I!None /\\ x' \\in Items
        \\/ x \\in Items /\\ x' = I!None
Inv == x \\in Items \\cup {NoneVal}
====
`
    const s = check(spec, 'CONSTANTS Items = {i1, i2}\n NoneVal = NoneVal\nCONSTANTS None = [Inner]NoneVal\nINIT Init\nNEXT Next\nINVARIANT Inv', { Inner: inner })
    assert.deepEqual([s.result, s.stats!.distinct, s.stats!.transitions], ['ok', 3, 5])
    const wrong = load(spec, 'CONSTANTS Items = {i1}\n NoneVal = NoneVal\nCONSTANTS Nothing = [Inner]NoneVal\nINIT Init\nNEXT Next', { Inner: inner })
    assert.equal(wrong.model, undefined)
    assert.match(wrong.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'), /TLA131 .*'Nothing' in module Inner/)
  })
})
