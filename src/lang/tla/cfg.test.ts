import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseCfg, parseCfgValue } from './cfg.js'

describe('TLC cfg files', () => {
  it('reads constants, substitutions and the checks', () => {
    const { value, diagnostics } = parseCfg(
      'm.cfg',
      `\\* a comment
CONSTANTS
  N = 3  Procs = {p1, p2}   Name = "x"  Flag = TRUE
  Seq <- BoundedSeq
  Nat <- [ZSeq]ZNat
  NoHash = [Nano]NoHashVal
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
    assert.deepEqual(byName['NoHash'], { kind: 'value', name: 'NoHash', value: { kind: 'model', name: 'NoHashVal' }, module: 'Nano', span: byName['NoHash']!.span })
  })

  it('reports a bad value with its position', () => {
    const { value, diagnostics } = parseCfg('m.cfg', 'CONSTANT N = {1, 2\nINIT Init')
    assert.equal(value, undefined)
    assert.equal(diagnostics[0]!.code, 'TLA021')
    assert.equal(diagnostics[0]!.span!.file, 'm.cfg')
  })

  it('reads a value alone, as -D gives one', () => {
    assert.deepEqual(parseCfgValue('-D RM', '{r1, r2}').value, { kind: 'set', elems: [{ kind: 'model', name: 'r1' }, { kind: 'model', name: 'r2' }] })
    assert.deepEqual(parseCfgValue('-D T', '<<1, "a", TRUE>>').value, { kind: 'tuple', elems: [{ kind: 'int', value: 1 }, { kind: 'str', value: 'a' }, { kind: 'bool', value: true }] })
    assert.deepEqual(parseCfgValue('-D N', '-3').value, { kind: 'int', value: -3 })
    assert.deepEqual(parseCfgValue('-D S', '{r1} r2').diagnostics.map((d) => d.code), ['TLA022'])
    assert.deepEqual(parseCfgValue('-D S', '').diagnostics.map((d) => d.code), ['TLA022'])
  })
})
