import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import type { Span } from '../diag/span.js'
import {
  always, and, atom, eventually, ff, formulaKey, formulaToString, iff, implies, next, not, or, release, tt, until,
  weakUntil, type Formula,
} from './formula.js'
import { fromTree, parseSpinLtl } from './spin-syntax.js'

const names = ['p', 'q', 'r', 's', 'x > 2']
const lookup = (name: string): number | undefined => {
  const i = names.indexOf(name)
  return i < 0 ? undefined : i
}

/** The formula as an S-expression, so tests see the tree's shape. */
function tree(f: Formula): string {
  switch (f.kind) {
    case 'true':
    case 'false':
      return f.kind
    case 'atom':
      return f.name
    case 'not':
    case 'next':
    case 'always':
    case 'eventually':
      return `(${{ not: '!', next: 'X', always: '[]', eventually: '<>' }[f.kind]} ${tree(f.arg)})`
    default:
      return `(${{ and: '&&', or: '||', implies: '->', iff: '<->', until: 'U', release: 'V', weakUntil: 'W' }[f.kind]} ${tree(f.left)} ${tree(f.right)})`
  }
}

function parse(text: string): string {
  const r = parseSpinLtl(text, lookup)
  assert.deepEqual(r.diagnostics, [], text)
  return tree(r.value!)
}

function errors(text: string): { code: string; message: string; span?: Span }[] {
  const r = parseSpinLtl(text, lookup, { file: 'f.pml', offset: 100 })
  assert.equal(r.value, undefined)
  return r.diagnostics.map((d) => ({ code: d.code, message: d.message, ...(d.span ? { span: d.span } : {}) }))
}

describe('SPIN LTL syntax', () => {
  it('follows SPIN\'s precedence: -> <-> below ||, below &&, below U W V, below prefix operators', () => {
    assert.equal(parse('p -> q || r'), '(-> p (|| q r))')
    assert.equal(parse('p || q && r'), '(|| p (&& q r))')
    assert.equal(parse('p && q U r'), '(&& p (U q r))')
    assert.equal(parse('p U q && r'), '(&& (U p q) r)')
    assert.equal(parse('p U q || r'), '(|| (U p q) r)')
    assert.equal(parse('[] p -> <> q'), '(-> ([] p) (<> q))')
    assert.equal(parse('[] p U q'), '(U ([] p) q)')
    assert.equal(parse('!p U q'), '(U (! p) q)')
    assert.equal(parse('X p U q'), '(U (X p) q)')
    assert.equal(parse('p <-> q -> r'), '(-> (<-> p q) r)')
    assert.equal(parse('[]<>p'), '([] (<> p))')
    assert.equal(parse('![](p -> <>q)'), '(! ([] (-> p (<> q))))')
  })

  it('binary operators associate to the left', () => {
    assert.equal(parse('p -> q -> r'), '(-> (-> p q) r)')
    assert.equal(parse('p U q U r'), '(U (U p q) r)')
    assert.equal(parse('p U q V r W s'), '(W (V (U p q) r) s)')
    assert.equal(parse('p && q && r'), '(&& (&& p q) r)')
    assert.equal(parse('p U (q U r)'), '(U p (U q r))')
  })

  it('reads the word forms and the alternative symbols', () => {
    assert.equal(parse('always eventually p'), '([] (<> p))')
    assert.equal(parse('p until q'), '(U p q)')
    assert.equal(parse('p stronguntil q'), '(U p q)')
    assert.equal(parse('p weakuntil q'), '(W p q)')
    assert.equal(parse('p release q'), '(V p q)')
    assert.equal(parse('p implies q'), '(-> p q)')
    assert.equal(parse('p equivalent q'), '(<-> p q)')
    assert.equal(parse('next p'), '(X p)')
    assert.equal(parse('p /\\ q \\/ r'), '(|| (&& p q) r)')
    assert.equal(parse('true U false'), '(U true false)')
  })

  it('reads braced propositions and maps names through the callback', () => {
    const r = parseSpinLtl('[] { x > 2 } && p', lookup)
    assert.equal(tree(r.value!), '(&& ([] x > 2) p)')
    assert.equal(r.value!.kind === 'and' && r.value!.left.kind === 'always' && r.value!.left.arg.kind === 'atom' ? r.value!.left.arg.id : -1, 4)
  })

  it('reports errors with codes and spans', () => {
    assert.deepEqual(errors('p && '), [{ code: 'LTL002', message: 'expected a formula, found the end of the text', span: { file: 'f.pml', start: 105, end: 106 } }])
    assert.deepEqual(errors('p & q')[0]?.code, 'LTL001')
    assert.deepEqual(errors('(p U q'), [{ code: 'LTL003', message: `'(' is never closed`, span: { file: 'f.pml', start: 100, end: 101 } }])
    assert.deepEqual(errors('p U q)')[0]?.message, `unmatched ')'`)
    assert.deepEqual(errors('p q')[0]?.message, `expected an operator or the end of the formula, found 'q'`)
    assert.deepEqual(errors('[] && p')[0]?.message, `expected a formula, found '&&'`)
    assert.deepEqual(errors('   ')[0]?.code, 'LTL005')
    assert.deepEqual(errors('{ p')[0]?.code, 'LTL003')
    assert.deepEqual(errors('p U {}')[0]?.code, 'LTL002')
    assert.deepEqual(errors('[] (p -> <> t) && u'), [
      { code: 'LTL101', message: `unknown proposition 't'`, span: { file: 'f.pml', start: 112, end: 113 } },
      { code: 'LTL101', message: `unknown proposition 'u'`, span: { file: 'f.pml', start: 118, end: 119 } },
    ])
    assert.equal(errors('('.repeat(5000) + 'p' + ')'.repeat(5000))[0]?.code, 'LTL004')
  })

  it('prints formulas that parse back to themselves', () => {
    const atoms = names.slice(0, 4).map((n, i) => atom(i, n))
    const leaf = fc.oneof(fc.constantFrom(...atoms), fc.constantFrom(tt, ff))
    const unary = [not, next, always, eventually]
    const binary = [and, or, implies, iff, until, release, weakUntil]
    const f = fc.letrec<{ f: Formula }>((tie) => ({
      f: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf,
        fc.tuple(fc.nat(3), tie('f')).map(([k, a]) => unary[k]!(a)),
        fc.tuple(fc.nat(6), tie('f'), tie('f')).map(([k, a, b]) => binary[k]!(a, b)),
      ),
    })).f
    fc.assert(
      fc.property(f, (g) => {
        const text = formulaToString(g)
        const back = parseSpinLtl(text, lookup)
        assert.deepEqual(back.diagnostics, [], text)
        assert.equal(formulaKey(back.value!), formulaKey(g), text)
      }),
      { numRuns: 1000, seed: 5 },
    )
    assert.equal(formulaToString(implies(always(atoms[0]!), eventually(atoms[1]!))), '[]p -> <>q')
    assert.equal(formulaToString(until(until(atoms[0]!, atoms[1]!), atoms[2]!)), 'p U q U r')
    assert.equal(formulaToString(until(atoms[0]!, until(atoms[1]!, atoms[2]!))), 'p U (q U r)')
    assert.equal(formulaToString(atom(7, 'x > 2')), '{x > 2}')
    assert.equal(formulaToString(atom(7, 'U')), '{U}')
  })
})

describe('converting a parsed tree', () => {
  // The shape of the Promela parser's LtlFormula, written out here so the layers stay independent.
  type Span2 = { file: string; start: number; end: number }
  type Expr = { kind: 'name'; name: string; span: Span2 }
  type PmlLtl =
    | { readonly kind: 'ltlAtom'; readonly expr: Expr; readonly span: Span2 }
    | { readonly kind: 'ltlConst'; readonly value: boolean; readonly span: Span2 }
    | { readonly kind: 'ltlUnary'; readonly op: '!' | '[]' | '<>' | 'X'; readonly operand: PmlLtl; readonly span: Span2 }
    | { readonly kind: 'ltlBinary'; readonly op: '&&' | '||' | '->' | '<->' | 'U' | 'W' | 'V'; readonly left: PmlLtl; readonly right: PmlLtl; readonly span: Span2 }
  const sp = { file: 'm.pml', start: 0, end: 1 }
  const a = (name: string): PmlLtl => ({ kind: 'ltlAtom', expr: { kind: 'name', name, span: sp }, span: sp })

  it('maps every operator, and atoms through the callback', () => {
    const t: PmlLtl = {
      kind: 'ltlUnary', op: '[]', span: sp,
      operand: {
        kind: 'ltlBinary', op: '->', span: sp, left: a('p'),
        right: { kind: 'ltlUnary', op: '<>', span: sp, operand: { kind: 'ltlBinary', op: 'W', span: sp, left: a('q'), right: { kind: 'ltlConst', value: false, span: sp } } },
      },
    }
    const seen: string[] = []
    const f = fromTree<PmlLtl>(t, (node) => {
      seen.push(node.expr.name)
      return { id: lookup(node.expr.name)!, name: node.expr.name }
    })
    assert.deepEqual(seen, ['p', 'q'])
    assert.equal(tree(f), '([] (-> p (<> (W q false))))')
    const ops: ('&&' | '||' | '->' | '<->' | 'U' | 'W' | 'V')[] = ['&&', '||', '->', '<->', 'U', 'W', 'V']
    const kinds = ops.map((op) => fromTree<PmlLtl>({ kind: 'ltlBinary', op, left: a('p'), right: a('q'), span: sp }, () => 0).kind)
    assert.deepEqual(kinds, ['and', 'or', 'implies', 'iff', 'until', 'weakUntil', 'release'])
    const un = (['!', '[]', '<>', 'X'] as const).map((op) => fromTree<PmlLtl>({ kind: 'ltlUnary', op, operand: a('p'), span: sp }, () => 3))
    assert.deepEqual(un.map((u) => u.kind), ['not', 'always', 'eventually', 'next'])
    assert.equal(un[0]!.kind === 'not' && un[0]!.arg.kind === 'atom' ? un[0]!.arg.name : '', 'p3')
  })
})
