import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'
import { renderDiagnostics } from '../../diag/render.js'
import { pmlCodes } from './codes.js'
import { loadPromela } from './load.js'

/** The errors a model gets before any search: their codes, and the rendered text. */
function errorsOf(text: string): { codes: string[]; rendered: string } {
  const loaded = loadPromela({ file: 'm.pml', text })
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error')
  return { codes: errors.map((d) => d.code), rendered: renderDiagnostics(errors, (f) => loaded.sources.get(f)) }
}

const withChannel = (body: string): string => `chan c = [2] of { byte, byte };\nproctype Q(byte a, b) { skip }\ninit { ${body} }\n`

describe('static checks', () => {
  it('a send with fewer or more fields than its channel declares is an error, with the place, a caret and a hint', () => {
    const { codes, rendered } = errorsOf(withChannel('c!1'))
    assert.deepEqual(codes, ['PML211'])
    assert.equal(
      rendered,
      [
        "error[PML211]: the send names 1 field, but the messages of 'c' have 2",
        ' --> m.pml:3:8',
        '  |',
        '3 | init { c!1 }',
        '  |        ^^^ 2 fields expected',
        "   = hint: 'c' is declared with 2 fields; name one value or variable per field",
      ].join('\n'),
    )
    assert.deepEqual(errorsOf(withChannel('c!1,2,3')).codes, ['PML211'])
  })

  it('a receive must name every field; a poll and ?<…> may name the first ones only', () => {
    assert.deepEqual(errorsOf(withChannel('byte x; c?x')).codes, ['PML211'])
    assert.deepEqual(errorsOf(withChannel('byte x, y, z; c?x,y,z')).codes, ['PML211'])
    assert.deepEqual(errorsOf(withChannel('byte x, y, z; c?<x,y,z>')).codes, ['PML211'])
    assert.deepEqual(errorsOf(withChannel('byte x, y, z; c?[x,y,z]')).codes, ['PML211'])
    assert.deepEqual(errorsOf(withChannel('byte x; c?[x]; c?<x>; c!1,2; c?x,_')).codes, [])
  })

  it('a structure counts one field per scalar field, and a channel array element has the array type', () => {
    const text = 'typedef T { byte a; byte b }\nchan d[2] = [1] of { T, byte };\ninit { T t; d[1]!t,3; d[0]?t,_; d[0]!t }'
    const { codes, rendered } = errorsOf(text)
    assert.deepEqual(codes, ['PML211'])
    assert.match(rendered, /the send names 2 fields, but the messages of 'd' have 3/)
    assert.match(rendered, /structure fields counted one by one/)
  })

  it('a channel that is assigned, or a parameter, is only checked when the send runs', () => {
    assert.deepEqual(errorsOf('chan c = [1] of { byte }; chan e = [1] of { byte, byte };\ninit { c = e; c!1,2 }').codes, [])
    assert.deepEqual(errorsOf('proctype P(chan q) { q!1,2,3 }\ninit { chan c = [1] of { byte }; run P(c) }').codes, [])
  })

  it('run of an unknown proctype, or with the wrong number of arguments, is an error', () => {
    assert.deepEqual(errorsOf(withChannel('run Z()')).codes, ['PML103'])
    assert.deepEqual(errorsOf(withChannel('run Q(1)')).codes, ['PML208'])
    assert.deepEqual(errorsOf(withChannel('run Q(1, 2, 3)')).codes, ['PML208'])
    assert.deepEqual(errorsOf(withChannel('run Q(1, 2)')).codes, [])
  })

  it('for over a channel needs a structure variable and a channel', () => {
    const text = 'typedef T { byte a }\nbyte arr[3];\ninit { T t; byte i; for (i in arr) { skip }; for (t in arr) { skip } }'
    const { codes, rendered } = errorsOf(text)
    assert.deepEqual(codes, ['PML210'])
    assert.match(rendered, /\^\^\^ not a channel/)
  })
  it('for (i in x) over a channel or a scalar, with a loop variable that is not a structure, is an error (SPIN: bad arrayname)', () => {
    const text = 'chan c = [2] of { byte };\nbyte n;\ninit { byte v; c!1; for (v in c) { skip }; for (v in n) { skip } }'
    const { codes, rendered } = errorsOf(text)
    assert.deepEqual(codes, ['PML213', 'PML213'])
    assert.match(rendered, /\^ not an array/)
  })
  it('a receive into one variable twice is an error (SPIN: cannot use var in multiple msg fields)', () => {
    const text = 'chan c = [2] of { byte, byte };\nbyte g, a[2];\ninit { byte l; c?l,l; c?g,l; c??a[0],a[0]; c?<g,g> }'
    const { codes, rendered } = errorsOf(text)
    assert.deepEqual(codes, ['PML214', 'PML214'])
    assert.match(rendered, /\^ already received into/)
    // The same array element twice: SPIN accepts it (pan then backtracks wrongly), weft warns.
    const warned = loadPromela({ file: 'm.pml', text: 'chan c = [2] of { byte, byte };\nbyte a[2];\ninit { c?a[1],a[1]; c?a[0],a[1] }' })
    assert.ok(warned.model)
    assert.deepEqual(warned.diagnostics.map((d) => `${d.code} ${d.severity}`), ['PML215 warning'])
  })
  it('a goto or break across the edge of a d_step is an error (SPIN: jump into d_step sequence)', () => {
    for (const body of ['goto L; d_step { a = 1; L: a = 2 }', 'd_step { a = 1; goto M }; M: a = 3', 'do :: d_step { a = 1; break } od', 'for (a : 1 .. 2) { d_step { break } }', 'goto L; L: d_step { a = 1 }', 'do :: a == 0 -> break :: a == 1 od; d_step { a = 1 }', 'for (a : 1 .. 2) { skip }; d_step { a = 1 }', 'if :: for (a : 0 .. 1) { skip } :: a == 3 fi; d_step { a = 1 }'])
      assert.deepEqual(errorsOf(`byte a;\nactive proctype P() { ${body} }`).codes, ['PML110'], body)
    for (const body of ['d_step { a = 1; goto N; N: a = 2 }', 'd_step { do :: break od }', 'd_step { for (a : 1 .. 2) { break } }', 'do :: break od; goto E; E: skip', 'do :: a == 1 od; d_step { a = 1 }', 'do :: break od; a = 2; d_step { a = 1 }', 'do :: break od; { d_step { a = 1 } }'])
      assert.deepEqual(errorsOf(`byte a;\nactive proctype P() { ${body} }`).codes, [], body)
  })
})

describe('diagnostic codes', () => {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..')
  it('every PML code the front end reports is defined and listed in docs/errors.md', () => {
    const doc = readFileSync(join(root, 'docs', 'errors.md'), 'utf8')
    for (const [code, meaning] of Object.entries(pmlCodes)) assert.ok(doc.includes(`| ${code} | ${meaning} |`), `${code} is missing or differs in docs/errors.md`)
    const dir = join(root, 'src', 'lang', 'promela')
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'codes.ts')) {
      for (const m of readFileSync(join(dir, file), 'utf8').matchAll(/'(PML\d{3})'/g)) assert.ok(m[1]! in pmlCodes, `${m[1]} (in ${file}) is not in codes.ts`)
    }
  })
})

describe('fuzz through the whole front end', () => {
  const bases = [
    withChannel('byte x, y; c!1,2; c?x,y; c?[x]; run Q(x, y)'),
    'typedef T { byte a; chan q }\nchan d[2] = [1] of { T };\ninit { T t; for (t in d[1]) { t.a++ }; d[0]!t; d[0]?t; select (t.a : 1 .. 3) }',
    'mtype = { m1, m2 }; chan r = [0] of { mtype, byte };\nactive proctype A() { byte v; do :: r!m1,v :: r?m2,v -> break od }\nactive proctype B() { r?m1,_; r!m2,1 }',
  ]
  const pieces = ['c', 'd[0]', ',', '1', 'x', 'run ', 'Q(', ')', '!', '?', '?[', ']', '<', '>', ';', 't', 'in', 'for (', '{', '}']
  it('mutated models give diagnostics or a model, never an exception', () => {
    fc.assert(
      fc.property(fc.nat(), fc.array(fc.record({ at: fc.nat(), piece: fc.constantFrom(...pieces), cut: fc.nat({ max: 4 }) }), { minLength: 1, maxLength: 6 }), (which, edits) => {
        let text = bases[which % bases.length]!
        for (const e of edits) {
          const at = e.at % (text.length + 1)
          text = text.slice(0, at) + e.piece + text.slice(at + e.cut)
        }
        const loaded = loadPromela({ file: 'fuzz.pml', text })
        assert.ok(loaded.model !== undefined || loaded.diagnostics.some((d) => d.severity === 'error'))
        for (const d of loaded.diagnostics) assert.ok(d.code in pmlCodes, `${d.code} is not a PML code`)
      }),
      { seed: 20261202, numRuns: 400 },
    )
  })
})
