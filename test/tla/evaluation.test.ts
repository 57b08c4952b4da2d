import assert from 'node:assert/strict'
import { before, describe, it } from 'node:test'
import { runCheck } from '../../src/api.js'
import type { Model } from '../../src/core/model.js'
import type { TlaGrammar } from '../../src/lang/tla/parse.js'
import { loadTlaGrammar } from '../../src/platform/node/tla-grammar.js'
import { checkTlaText, loadTlaText } from '../support/tla-text.js'

let grammar: TlaGrammar

function counts(text: string, cfg: string, modules?: Record<string, string>): [string, number, number, number] {
  const s = checkTlaText(grammar, text, cfg, modules).summary
  assert.equal(s.violation, undefined, s.violation?.message)
  return [s.result, s.stats!.distinct, s.stats!.transitions, s.stats!.depth]
}

/** Evaluation paths that avoid work (streamed SUBSET, definitions kept for their last inputs): same values, same counts. */
describe('TLA+ evaluation shortcuts', () => {
  before(async () => {
    grammar = await loadTlaGrammar()
  })

  it('passes a variable by name to a definition that primes it or keeps it UNCHANGED, as TLC expands definitions', () => {
    const spec = `---- MODULE Spec ----
EXTENDS Naturals
VARIABLES x, y
Keep(v) == UNCHANGED v
Bump(v) == v' = v + 1
Init == x = 0 /\\ y = 0
Next == \\/ x < 2 /\\ x' = x + 1 /\\ Keep(y)
        \\/ y < 2 /\\ Bump(y) /\\ Keep(x)
        \\/ x = 2 /\\ y = 2 /\\ Keep(<<x, y>>)
====
`
    // x, y in 0..2: 9 states; from each, x + 1 (6), y + 1 (6), and the loop at (2, 2): 1 + 13 generated.
    assert.deepEqual(counts(spec, 'INIT Init\nNEXT Next'), ['ok', 9, 14, 5])
  })

  it('filters and quantifies over SUBSET S without building it, with the values and the order of the built set', () => {
    const spec = `---- MODULE Spec ----
EXTENDS Naturals, FiniteSets
VARIABLE x
Built(S) == {R \\in {T \\in SUBSET S : TRUE} : TRUE}
Init == x = {R \\in SUBSET (1..4) : 1 \\in R /\\ Cardinality(R) # 3}
Next == \\E R \\in SUBSET (1..3) : x' = R
Same == /\\ {R \\in SUBSET (1..4) : 1 \\in R /\\ Cardinality(R) # 3} = {R \\cup {1} : R \\in {T \\in SUBSET (2..4) : Cardinality(T) # 2}}
        /\\ (CHOOSE R \\in SUBSET (1..3) : Cardinality(R) = 2) = {1, 2}
        /\\ (CHOOSE R \\in SUBSET (1..3) : 3 \\in R) = {3}
        /\\ Cardinality({R \\in SUBSET (1..10) : Cardinality(R) = 5}) = 252
        /\\ \\E R \\in SUBSET (1..12) : Cardinality(R) = 12
        /\\ ~ \\E R \\in SUBSET {} : R # {}
        /\\ SUBSET (1..3) = {{}, {1}, {2}, {3}, {1, 2}, {1, 3}, {2, 3}, {1, 2, 3}}
====
`
    // The initial state, then every subset of 1..3 from each of the 9 states: 1 + 9 * 8 generated.
    assert.deepEqual(counts(spec, 'INIT Init\nNEXT Next\nINVARIANT Same'), ['ok', 9, 73, 2])
  })

  it("recomputes a definition when a primed variable it read changes, not when another one does", () => {
    const spec = `---- MODULE Spec ----
EXTENDS Naturals
VARIABLES x, y
Pair == <<x, y>>
OnlyX == x * 10
Init == x = 0 /\\ y = 0
Next == /\\ x < 3
        /\\ x' = x + 1
        /\\ \\E v \\in 0..2 : /\\ y' = v
                             /\\ Pair' # <<x', 1>>
                             /\\ OnlyX' = (x + 1) * 10
F == [n \\in Nat |-> n + x]
Inv == /\\ F[1] = x + 1
       /\\ Pair = <<x, y>>
       /\\ y # 1
====
`
    assert.deepEqual(counts(spec, 'INIT Init\nNEXT Next\nINVARIANT Inv\nCHECK_DEADLOCK FALSE'), ['ok', 7, 11, 4])
  })

  it('keeps the values a constant function definition computes, but not those read from an instance parameter', () => {
    const inner = `---- MODULE Inner ----
CONSTANT P
G[i \\in 1..3] == i * 10 + P
H(i) == G[i]
====
`
    const spec = `---- MODULE Spec ----
EXTENDS Naturals
CONSTANTS a, b, c
VARIABLE x
Host[p \\in {a, b, c}] == CHOOSE n \\in 1..3 : n = IF p = a THEN 1 ELSE IF p = b THEN 2 ELSE 3
Fact[n \\in 0..6] == IF n = 0 THEN 1 ELSE n * Fact[n - 1]
Name[s \\in {"one", "two"}] == IF s = "one" THEN 1 ELSE 2
Sq[t \\in {<<1, 2>>, <<2, 3>>}] == t[1] * t[2]
I(p) == INSTANCE Inner WITH P <- p
Init == x = 0
Next == x < 4 /\\ x' = x + 1
Inv == /\\ Host[a] = 1 /\\ Host[b] = 2 /\\ Host[c] = 3 /\\ Host[a] = 1
       /\\ Fact[5] = 120 /\\ Fact[6] = 720 /\\ Fact[3] = 6
       /\\ Name["two"] = 2 /\\ Name["one"] = 1 /\\ Name["two"] = 2
       /\\ Sq[<<2, 3>>] = 6 /\\ Sq[<<1, 2>>] = 2
       /\\ I(1)!H(2) = 21 /\\ I(2)!H(2) = 22 /\\ I(x)!H(3) = 30 + x /\\ I(1)!H(2) = 21
====
`
    assert.deepEqual(counts(spec, 'INIT Init\nNEXT Next\nINVARIANT Inv\nCHECK_DEADLOCK FALSE\nCONSTANTS a = a b = b c = c', { Inner: inner }).slice(0, 2), ['ok', 5])
  })

  it('a function or filtered set taken from an instance with parameters keeps the arguments it was made with', () => {
    const inner = `---- MODULE Inner ----
CONSTANT P
G[i \\in 1..3] == i * 10 + P
S == {v \\in 1..40 : v = P + 10}
====
`
    const spec = `---- MODULE Spec ----
EXTENDS Naturals
VARIABLE x
I(p) == INSTANCE Inner WITH P <- p
Init == x = 0
Next == x < 3 /\\ x' = x + 1
Inv == /\\ I(1)!G[2] = 21 /\\ I(x)!G[3] = 30 + x /\\ I(x + 2)!S = {x + 12}
       /\\ {y \\in I(2)!S : TRUE} = {12} /\\ LET F == I(x)!G IN F[1] = 10 + x
====
`
    assert.deepEqual(counts(spec, 'INIT Init\nNEXT Next\nINVARIANT Inv\nCHECK_DEADLOCK FALSE', { Inner: inner }).slice(0, 2), ['ok', 4])
  })

  it('filters a set into a normalized set: sorted, without duplicates, whatever the pattern', () => {
    const spec = `---- MODULE Spec ----
EXTENDS Naturals, TLC
VARIABLE x
Init == x = {n \\in {9, 3, 5, 1} : n > 2}
Next == x' = {n \\in x \\cup {0} : n < 6}
Inv == /\\ ToString({n \\in {9, 3, 5, 1} : n > 2}) = "{3, 5, 9}"
       /\\ ToString({s \\in {"b", "c", "a"} : s # "c"}) = "{\\"a\\", \\"b\\"}"
       /\\ ToString({<<a, b>> \\in {<<2, 1>>, <<1, 2>>, <<1, 1>>} : a >= b}) = "{<<1, 1>>, <<2, 1>>}"
       /\\ (CHOOSE n \\in {m \\in 1..9 : m % 3 = 0} : TRUE) = 3
====
`
    assert.deepEqual(counts(spec, 'INIT Init\nNEXT Next\nINVARIANT Inv\nCHECK_DEADLOCK FALSE'), ['ok', 2, 3, 2])
  })

  it('computes constant expressions once and takes the shortcuts for literals, {} and {m} with the values of the general paths', () => {
    const spec = `---- MODULE Spec ----
EXTENDS Naturals, FiniteSets
CONSTANTS a, b
VARIABLE x
Init == x = 0
Next == x < 3 /\\ x' = x + 1
Fs == [n \\in 1..3 |-> [m \\in Nat |-> m + n]]
Inv == /\\ Fs[1][10] = 11 /\\ Fs[3][10] = 13 /\\ Fs[2][0] = 2
       /\\ LET G == [n \\in 1..3 |-> [m \\in Nat |-> m + n + x]] IN G[1][10] = 11 + x /\\ G[3][0] = 3 + x
       /\\ LET H == [n \\in 1..3 |-> {m \\in Nat : m > n + x}] IN (x + 2) \\in H[1] /\\ ~((x + 2) \\in H[2])
       /\\ \\A n \\in 1..3 : x + n \\in {x + 1, x + 2, x + 3}
       /\\ x \\in {0, 1, 2, 3} /\\ x + 4 \\notin {0, 1, 2, 3} /\\ (x = 0) = (0 = x) /\\ (x # 2) = (~(x = 2))
       /\\ "b" \\in {"a", "b"} /\\ {1} \\in {{1}, {2}} /\\ {x} \\notin {{5}, {6}} /\\ a \\in {a, b} /\\ a \\notin {b}
       /\\ 1..0 = {} /\\ {} = 1..0 /\\ (x + 1)..x = {} /\\ {x} # {} /\\ ~({0} = {}) /\\ (1..x = {}) = (x = 0)
       /\\ {<<x, 1>>} = {<<x, 1>>} /\\ Cardinality({{x, 1}}) = 1 /\\ {{2, 1}} = {{1, 2}}
       /\\ (CHOOSE s \\in {{2, 1}, {1}} : TRUE) = {1} /\\ ~(x = 7) /\\ ~(~(x < 4))
====
`
    assert.deepEqual(counts(spec, 'INIT Init\nNEXT Next\nINVARIANT Inv\nCHECK_DEADLOCK FALSE\nCONSTANTS a = a b = b'), ['ok', 4, 4, 4])
  })

  it("assigns, compares and undoes x' = e, UNCHANGED and one-assignment definitions in conjunctions as the general path does", () => {
    // \`w\` wraps a conjunct in an IF, which the conjunction runs through a continuation (the general path).
    const spec = (w: (a: string) => string): string => `---- MODULE Spec ----
EXTENDS Naturals
VARIABLES x, y, m
Send(v) == m' = m \\cup {v}
Keep == UNCHANGED x
G(a) == IF TRUE THEN a ELSE FALSE
Init == x = 0 /\\ y = 0 /\\ m = {}
A == x < 2 /\\ ${w("x' = x + 1")} /\\ ${w("x' = x + 1")} /\\ ${w('Send(x)')} /\\ ${w('UNCHANGED y')}
B == ${w("y' = 1")} /\\ ${w("y' = 2")} /\\ ${w('UNCHANGED <<x, m>>')}
C == (\\E v \\in {0, 1} : y' = v \\/ y' = 1 - v) /\\ ${w("Send(y')")} /\\ ${w('Keep')}
D == ${w("m' = m")} /\\ ${w('UNCHANGED <<m, x, y>>')}
E == ${w("x' = x")} /\\ ${w('Send(x)')} /\\ ${w('Send(x)')} /\\ ${w("y' = y")}
F == ${w("x' = 0")} /\\ ${w('Send(5)')} /\\ ${w('Send(6)')} /\\ ${w('UNCHANGED y')}
Next == A \\/ B \\/ C \\/ D \\/ E \\/ F
Inv == m \\subseteq {0, 1, 2}
====
`
    const cfg = 'INIT Init\nNEXT Next\nINVARIANT Inv'
    // B and F never complete (y' = 2 after y' = 1, Send(6) after Send(5)); C forks four ways.
    assert.deepEqual(counts(spec((a) => a), cfg), ['ok', 12, 81, 5])
    assert.deepEqual(counts(spec((a) => `G(${a})`), cfg), ['ok', 12, 81, 5])
  })

  it('reads a field at one place from records of several shapes, and fails on a record without it', () => {
    const spec = `---- MODULE Spec ----
EXTENDS Naturals
VARIABLE x
Rs == <<[a |-> 1, b |-> 2], [b |-> 3, c |-> 4], [b |-> 5, c |-> 6], [a |-> 7, b |-> 8, c |-> 9], [a |-> 10, b |-> 11]>>
Init == x = 1
Next == x < 5 /\\ x' = x + 1
Inv == /\\ [i \\in 1..5 |-> Rs[i].b] = <<2, 3, 5, 8, 11>>
       /\\ Rs[x].b = <<2, 3, 5, 8, 11>>[x]
       /\\ x < 5 \\/ Rs[x - 2].c = 6
Bad == Rs[x].c > 0
====
`
    assert.deepEqual(counts(spec, 'INIT Init\nNEXT Next\nINVARIANT Inv\nCHECK_DEADLOCK FALSE'), ['ok', 5, 5, 5])
    const s = checkTlaText(grammar, spec, 'INIT Init\nNEXT Next\nINVARIANT Bad').summary
    assert.match(s.violation?.message ?? '', /nonexistent field 'c'/)
  })

  it('looks values up in a large constant set, and subsets in SUBSET of one, as membership in the set computed each time', () => {
    // \`c\` is the constant set, or (through x) the same set computed in each state: the general path.
    const spec = (c: string): string => `---- MODULE Spec ----
EXTENDS Naturals
VARIABLE x
Msg == [kind : {"a", "b"}, n : 0..3] \\cup {<<1, 2>>, {3}, "s", 7}
S == ${c}
Init == x = 0
Next == x < 3 /\\ x' = x + 1
Inv == /\\ [kind |-> "a", n |-> x] \\in S /\\ [n |-> x, kind |-> "b"] \\in S /\\ [kind |-> "c", n |-> x] \\notin S
       /\\ ([kind |-> "a", n |-> 3] \\in S) /\\ (([kind |-> "a", n |-> x + 1] \\in S) = (x < 3))
       /\\ [[kind |-> "a", n |-> 0] EXCEPT !.n = x] \\in S /\\ (<<1, x>> \\in S) = (x = 2) /\\ {3} \\in S /\\ 7 \\in S /\\ x \\notin S
       /\\ {[kind |-> "b", n |-> x], <<1, 2>>, 7} \\in SUBSET S /\\ ({[kind |-> "b", n |-> x + 1]} \\in SUBSET S) = (x < 3)
       /\\ {[kind |-> "a", n |-> 1], "s"} \\subseteq S /\\ ~({x, [kind |-> "a", n |-> 1]} \\subseteq S) /\\ {} \\subseteq S
====
`
    const cfg = 'INIT Init\nNEXT Next\nINVARIANT Inv\nCHECK_DEADLOCK FALSE'
    assert.deepEqual(counts(spec('Msg'), cfg), ['ok', 4, 4, 4])
    assert.deepEqual(counts(spec('IF x >= 0 THEN Msg ELSE {}'), cfg), ['ok', 4, 4, 4])
    // An element of SUBSET must be a set.
    const s = checkTlaText(grammar, spec('Msg').replace('Inv ==', 'Bad == x \\in SUBSET S\nInv =='), 'INIT Init\nNEXT Next\nINVARIANT Bad').summary
    assert.match(s.violation?.message ?? '', /must be a set/)
  })

  it('does not keep a definition that reads TLCGet', () => {
    const spec = `---- MODULE Spec ----
EXTENDS Naturals, TLC
VARIABLE x
Lvl == TLCGet("level")
Init == x = 0
Next == x < 3 /\\ x' = Lvl
Inv == x < Lvl \\/ x = 0
====
`
    assert.deepEqual(counts(spec, 'INIT Init\nNEXT Next\nINVARIANT Inv\nCHECK_DEADLOCK FALSE'), ['ok', 4, 4, 4])
  })

  const STUCK = `---- MODULE Spec ----
EXTENDS Naturals, FiniteSets
VARIABLE x
Init == x = 0
Next == \\E s \\in SUBSET (1..28) : Cardinality(s) = 99 /\\ x' = x + 1
====
`

  /** Checks STUCK (2^28 subsets in its first state's successors: minutes) with these options; the summary and the seconds it took. */
  function stuck(options: { timeLimit?: number; memoryExhausted?: () => boolean }) {
    const loaded = loadTlaText(grammar, STUCK, 'INIT Init\nNEXT Next')
    assert.ok(loaded.model)
    const started = process.hrtime.bigint()
    const s = runCheck(loaded.model as unknown as Model<unknown, unknown>, options).summary
    return { s, seconds: Number(process.hrtime.bigint() - started) / 1e9 }
  }

  it('stops at the time limit inside the successors of one state', () => {
    const { s, seconds } = stuck({ timeLimit: 0.5 })
    assert.equal(s.result, 'incomplete')
    assert.equal(s.limit, 'time-limit')
    assert.equal(s.violation, undefined)
    assert.deepEqual([s.stats!.distinct, s.stats!.transitions], [1, 1])
    assert.ok(seconds < 20, `stopped after ${seconds} s`)
  })

  it('stops at the memory limit inside the successors of one state', () => {
    const { s, seconds } = stuck({ memoryExhausted: () => true })
    assert.equal(s.result, 'incomplete')
    assert.equal(s.limit, 'memory')
    assert.equal(s.violation, undefined)
    assert.ok(seconds < 20, `stopped after ${seconds} s`)
  })
})
