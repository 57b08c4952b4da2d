import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseCfg } from './cfg.js'

describe('TLC cfg files', () => {
  it('reads constants, substitutions and the checks', () => {
    const { value, diagnostics } = parseCfg(
      'm.cfg',
      `\\* a comment
CONSTANTS
  N = 3  Procs = {p1, p2}   Name = "x"  Flag = TRUE
  Seq <- BoundedSeq
  Nat <- [ZSeq]ZNat
(* block
   comment *)
SPECIFICATION Spec
INVARIANTS TypeOK Safe
PROPERTY Live
CONSTRAINT Small
CHECK_DEADLOCK FALSE
`,
    )
    assert.deepEqual(diagnostics, [])
    assert.equal(value!.specification!.name, 'Spec')
    assert.deepEqual(value!.invariants.map((i) => i.name), ['TypeOK', 'Safe'])
    assert.deepEqual(value!.properties.map((i) => i.name), ['Live'])
    assert.deepEqual(value!.constraints.map((i) => i.name), ['Small'])
    assert.equal(value!.checkDeadlock, false)
    const byName = Object.fromEntries(value!.constants.map((c) => [c.name, c]))
    assert.deepEqual((byName['N'] as { value: unknown }).value, { kind: 'int', value: 3 })
    assert.deepEqual((byName['Procs'] as { value: unknown }).value, { kind: 'set', elems: [{ kind: 'model', name: 'p1' }, { kind: 'model', name: 'p2' }] })
    assert.deepEqual((byName['Name'] as { value: unknown }).value, { kind: 'str', value: 'x' })
    assert.deepEqual(byName['Seq'], { kind: 'substitute', name: 'Seq', by: 'BoundedSeq', span: byName['Seq']!.span })
    assert.equal((byName['Nat'] as { module?: string }).module, 'ZSeq')
  })

  it('reports a bad value with its position', () => {
    const { value, diagnostics } = parseCfg('m.cfg', 'CONSTANT N = {1, 2\nINIT Init')
    assert.equal(value, undefined)
    assert.equal(diagnostics[0]!.code, 'TLA021')
    assert.equal(diagnostics[0]!.span!.file, 'm.cfg')
  })
})
