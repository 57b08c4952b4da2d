import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import type { TlaGrammar } from '../../src/lang/tla/parse.js'
import { loadTlaGrammar } from '../../src/platform/node/tla-grammar.js'
import { checkTlaText, loadTlaText } from '../support/tla-text.js'
import { renderTextTrace } from '../../src/trace/text.js'

let grammar: TlaGrammar

function load(text: string, cfg: string, modules: Record<string, string> = {}) {
  return loadTlaText(grammar, text, cfg, modules)
}

function check(text: string, cfg: string, modules: Record<string, string> = {}) {
  return checkTlaText(grammar, text, cfg, modules)
}

/** x counts 0, 1, 2, 0, ...; y is set once x is 1, by an action that x's next step disables again. */
const CYCLE = `---- MODULE Spec ----
EXTENDS Naturals
VARIABLES x, y
vars == <<x, y>>
Init == x = 0 /\\ y = 0
Tick == x' = (x + 1) % 3 /\\ UNCHANGED y
Set == x = 1 /\\ y = 0 /\\ y' = 1 /\\ UNCHANGED x
Next == Tick \\/ Set
Unfair == Init /\\ [][Next]_vars
Weak == Unfair /\\ WF_vars(Tick)
WeakBoth == Weak /\\ WF_vars(Set)
Strong == Weak /\\ SF_vars(Set)
ByIndex == Unfair /\\ \\A i \\in {1, 2} : WF_vars(IF i = 1 THEN Tick ELSE Set)
Guarded == Unfair /\\ \\A i, j \\in {1, 2} : (i # j) => WF_vars(IF i = 1 THEN Tick ELSE Set)
Zero == []<>(x = 0)
SetEventually == <>(y = 1)
TicksForever == []<><<Tick>>_vars
Leads == (x = 1) ~> (x = 2)
Bounded == [](x < 3)
Small == [](x < 2)
Grows == [][x' >= x]_vars
StartsAtOne == x = 1
Both == \\A v \\in {0, 1, 2} : []<>(x = v)
====
`

const cfgFor = (spec: string, ...props: string[]): string => `SPECIFICATION ${spec}\nPROPERTIES ${props.join(' ')}\n`

describe('TLA+ temporal properties', () => {
  before(async () => {
    grammar = await loadTlaGrammar()
  })

  it('without fairness a behaviour may stop: []<>(x = 0) fails by stuttering, with the same counts as the safety search', () => {
    const safety = check(CYCLE, 'SPECIFICATION Unfair\n').summary
    const { summary, path } = check(CYCLE, cfgFor('Unfair', 'Zero'))
    assert.equal(summary.result, 'violation')
    assert.equal(summary.violation!.kind, 'property')
    assert.equal(summary.violation!.name, 'Zero')
    assert.deepEqual([summary.stats!.distinct, summary.stats!.transitions, summary.stats!.depth], [safety.stats!.distinct, safety.stats!.transitions, safety.stats!.depth])
    assert.deepEqual([summary.stats!.distinct, summary.stats!.transitions, summary.stats!.depth], [6, 8, 5])
    // x = 1 stuttering forever: the shortest such lasso.
    assert.equal(summary.violation!.loop, 1)
    const loaded = load(CYCLE, cfgFor('Unfair', 'Zero'))
    const text = renderTextTrace(loaded.model!, path!, { loop: summary.violation!.loop! })
    assert.match(text, /State 2: <Tick line [^\n]*\n[^]*State 3: Stuttering$/)
    assert.equal((summary.violation!.trace as { loop?: number }).loop, 1)
  })

  it('weak fairness of Tick makes x cycle, so []<>(x = 0), []<><<Tick>>_vars and ~> hold', () => {
    for (const p of ['Zero', 'TicksForever', 'Leads', 'Both']) {
      const { summary } = check(CYCLE, cfgFor('Weak', p))
      assert.equal(summary.result, 'ok', p)
      assert.deepEqual([summary.stats!.distinct, summary.stats!.transitions], [6, 8])
    }
    assert.equal(check(CYCLE, cfgFor('Unfair', 'Leads')).summary.violation!.name, 'Leads')
  })

  it('weak fairness of Set is not enough (Tick disables it), strong fairness is', () => {
    const weak = check(CYCLE, cfgFor('WeakBoth', 'SetEventually')).summary
    assert.equal(weak.result, 'violation')
    assert.equal(weak.violation!.name, 'SetEventually')
    // The cycle is x = 0, 1, 2 with y = 0: three Ticks back to the start.
    assert.deepEqual(weak.violation!.path!.split('/').length, 4)
    assert.equal(weak.violation!.loop, 0)
    assert.equal(check(CYCLE, cfgFor('Strong', 'SetEventually')).summary.result, 'ok')
  })

  it('expands \\A over a finite set in the fairness of the spec', () => {
    assert.equal(check(CYCLE, cfgFor('ByIndex', 'Zero')).summary.result, 'ok')
    assert.equal(check(CYCLE, cfgFor('ByIndex', 'SetEventually')).summary.result, 'violation')
  })

  it('decides a constant condition on fairness under \\A: (i # j) => WF_vars(A)', () => {
    assert.equal(check(CYCLE, cfgFor('Guarded', 'Zero')).summary.result, 'ok')
    assert.equal(check(CYCLE, cfgFor('Guarded', 'SetEventually')).summary.result, 'violation')
  })

  it('checks []P on every state and [][A]_v on every step with shortest traces, and a state predicate on the initial states', () => {
    assert.equal(check(CYCLE, cfgFor('Weak', 'Bounded')).summary.result, 'ok')
    const small = check(CYCLE, cfgFor('Weak', 'Small')).summary
    assert.equal(small.violation!.kind, 'property')
    assert.equal(small.violation!.name, 'Small')
    assert.equal(small.violation!.length, 3)
    const grows = check(CYCLE, cfgFor('Weak', 'Grows')).summary
    assert.equal(grows.violation!.name, 'Grows')
    // 0 -> 1 -> 2 -> 0: the step back to 0 breaks it.
    assert.equal(grows.violation!.length, 4)
    const start = check(CYCLE, cfgFor('Weak', 'StartsAtOne')).summary
    assert.equal(start.violation!.name, 'StartsAtOne')
    assert.equal(start.violation!.length, 1)
  })

  it('checks a whole spec as a property through INSTANCE: a refinement mapping', () => {
    const abs = `---- MODULE Abs ----
VARIABLE z
AInit == z = FALSE
ANext == z' = ~z
ASpec == AInit /\\ [][ANext]_z /\\ WF_z(ANext)
====
`
    const spec = `${CYCLE.replace('====\n', '')}A == INSTANCE Abs WITH z <- (x = 1)
Refines == A!ASpec
====
`
    // x = 1 holds every third state: z changes on two steps out of three and stutters on one.
    const ok = check(spec, cfgFor('Weak', 'Refines'), { Abs: abs })
    assert.equal(ok.summary.result, 'ok')
    // Without fairness x may stop at 1, where z could still change: WF_z(ANext) is violated.
    const unfair = check(spec, cfgFor('Unfair', 'Refines'), { Abs: abs })
    assert.equal(unfair.summary.violation!.name, 'Refines')
    assert.equal(unfair.summary.violation!.kind, 'property')
  })

  it('rejects an action that is not under [] with a location', () => {
    const loaded = load(`${CYCLE.replace('====\n', '')}Bad == x' = x\n====\n`, cfgFor('Weak', 'Bad'))
    assert.equal(loaded.model, undefined)
    const d = loaded.diagnostics.find((x) => x.code === 'TLA143')
    assert.ok(d, loaded.diagnostics.map((x) => x.message).join('; '))
    assert.ok(d.span)
  })
})
