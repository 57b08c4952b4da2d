/**
 * Golden never claims: for each formula in `test/fixtures/ltl/spin-claims.json` (the claims SPIN 6.5.2
 * prints for `spin -f TEXT`, written by `generate-spin-claims.mjs` beside it, since CI has no SPIN),
 * weft's port of SPIN's translator must give the same claim: the same states in the same order with
 * the same labels, the same options in the same order with the same targets, and guards that are the
 * same boolean functions of the propositions p, q, r and s.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { spinClaim, spinClaimText } from '../../src/ltl/spin-tl-claim.js'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const fixture = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/ltl/spin-claims.json'), 'utf8')) as {
  spin: string
  claims: { formula: string; claim: string }[]
}

interface ParsedOption {
  readonly guard: string
  readonly to: string
}

interface ParsedClaim {
  readonly states: { labels: string[]; options: ParsedOption[] }[]
  readonly acceptAll: boolean
  readonly blocked: boolean
}

/** Reads a claim in the layout SPIN prints. */
function parseClaim(text: string): ParsedClaim {
  const states: ParsedClaim['states'] = []
  let labels: string[] = []
  let acceptAll = false
  let blocked = false
  for (const line of text.split('\n').slice(1)) {
    let m: RegExpMatchArray | null
    if (line === '}' || line === '' || line === '\tod;') continue
    if (line === '\t0 /* false */;') blocked = true
    else if (line === 'accept_all:') acceptAll = true
    else if (line === '\tskip') continue
    else if ((m = /^([A-Za-z0-9_]+):$/.exec(line))) labels.push(m[1]!)
    else if (line === '\tdo') {
      states.push({ labels, options: [] })
      labels = []
    } else if (line === '\t:: false') continue
    else if ((m = /^\t:: atomic \{ \((.*)\) -> assert\(!\((.*)\)\) \}$/.exec(line))) {
      assert.equal(m[1], m[2], 'an accept_all option asserts its own guard')
      states.at(-1)!.options.push({ guard: m[1]!, to: 'accept_all' })
    } else if ((m = /^\t:: \((.*)\) -> goto ([A-Za-z0-9_]+)$/.exec(line))) states.at(-1)!.options.push({ guard: m[1]!, to: m[2]! })
    else assert.fail(`unexpected claim line '${line}'`)
  }
  return { states, acceptAll, blocked }
}

/** A guard's truth table over p, q, r, s (bit i of the letter: the i-th is true). */
function truthTable(guard: string): string {
  // A predicate's name is the text SPIN read, so it may spell && and || as /\ and \/.
  const tokens = (guard.match(/&&|\|\||\/\\|\\\/|[()!]|[A-Za-z0-9_]+/g) ?? []).map((t) => (t === '/\\' ? '&&' : t === '\\/' ? '||' : t))
  let out = ''
  for (let letter = 0; letter < 16; letter++) {
    let i = 0
    const value = (name: string): boolean => {
      if (name === '1' || name === 'true') return true
      if (name === '0' || name === 'false') return false
      const k = 'pqrs'.indexOf(name)
      assert.ok(k >= 0 && name.length === 1, `unknown proposition '${name}' in '${guard}'`)
      return ((letter >> k) & 1) === 1
    }
    const or = (): boolean => {
      let v = and()
      while (tokens[i] === '||') {
        i++
        v = and() || v
      }
      return v
    }
    const and = (): boolean => {
      let v = unary()
      while (tokens[i] === '&&') {
        i++
        v = unary() && v
      }
      return v
    }
    const unary = (): boolean => {
      const t = tokens[i++]!
      if (t === '!') return !unary()
      if (t === '(') {
        const v = or()
        assert.equal(tokens[i++], ')', guard)
        return v
      }
      return value(t)
    }
    const v = or()
    assert.equal(i, tokens.length, `the whole guard '${guard}' is read`)
    out += v ? '1' : '0'
  }
  return out
}

/** The differences between two claims, structurally (guards compared as boolean functions). */
function differences(want: ParsedClaim, got: ParsedClaim): string[] {
  const out: string[] = []
  if (want.acceptAll !== got.acceptAll) out.push(`accept_all: ${want.acceptAll} in SPIN, ${got.acceptAll} in weft`)
  if (want.blocked !== got.blocked) out.push(`blocked: ${want.blocked} in SPIN, ${got.blocked} in weft`)
  if (want.states.length !== got.states.length) out.push(`${want.states.length} states in SPIN, ${got.states.length} in weft`)
  want.states.forEach((s, i) => {
    const g = got.states[i]
    if (!g) return
    if (s.labels.join(',') !== g.labels.join(',')) out.push(`state ${i}: labels ${s.labels} in SPIN, ${g.labels} in weft`)
    if (s.options.length !== g.options.length) out.push(`state ${s.labels[0]}: ${s.options.length} options in SPIN, ${g.options.length} in weft`)
    s.options.forEach((o, j) => {
      const h = g.options[j]
      if (!h) return
      if (o.to !== h.to) out.push(`state ${s.labels[0]} option ${j}: to ${o.to} in SPIN, ${h.to} in weft`)
      if (truthTable(o.guard) !== truthTable(h.guard)) out.push(`state ${s.labels[0]} option ${j}: guard ${o.guard} in SPIN, ${h.guard} in weft`)
    })
  })
  return out
}

describe(`never claims as ${fixture.spin} writes them`, () => {
  it('the fixture covers the specification patterns, the corpus and random formulas', () => {
    assert.ok(fixture.claims.length >= 250)
  })

  it('weft writes the same claim as SPIN for every formula', () => {
    const failures: string[] = []
    for (const { formula, claim } of fixture.claims) {
      const diff = differences(parseClaim(claim), parseClaim(spinClaimText(spinClaim(formula), formula)))
      if (diff.length > 0) failures.push(`${formula}:\n  ${diff.join('\n  ')}`)
    }
    assert.deepEqual(failures, [])
  })

  it('the comparison finds a changed guard, target, label and order', () => {
    const { formula, claim } = fixture.claims.find((c) => c.formula === '!([]<>p -> []<>q)')!
    const want = parseClaim(claim)
    const mine = parseClaim(spinClaimText(spinClaim(formula), formula))
    assert.deepEqual(differences(want, mine), [])
    const s0 = mine.states[0]!
    const swapped = { ...mine, states: [{ ...s0, options: [...s0.options].reverse() }, ...mine.states.slice(1)] }
    assert.ok(differences(want, swapped).length > 0)
    const retargeted = { ...mine, states: [{ ...s0, options: s0.options.map((o) => ({ ...o, to: 'T0_init' })) }, ...mine.states.slice(1)] }
    assert.ok(differences(want, retargeted).length > 0)
    const relabelled = { ...mine, states: [{ ...s0, labels: ['accept_init', ...s0.labels] }, ...mine.states.slice(1)] }
    assert.ok(differences(want, relabelled).length > 0)
    const weakened = { ...mine, states: [{ ...s0, options: s0.options.map((o) => ({ ...o, guard: '1' })) }, ...mine.states.slice(1)] }
    assert.ok(differences(want, weakened).length > 0)
    // Spelling does not matter: ((p)) && ! ((q)) is ! ((q)) && (p).
    assert.equal(truthTable('((p)) && ! ((q))'), truthTable('! ((q)) && (p)'))
  })
})
