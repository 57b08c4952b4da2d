/**
 * The standard modules as TLC builds them in (Naturals, Integers, Sequences, FiniteSets, Bags, TLC)
 * and the operators of TLA+ itself that take evaluated arguments. Operators that need their
 * arguments unevaluated (`=>`, primes, `ENABLED`, ...) are special forms in compile.ts.
 */
import {
  BOOLEAN_SET,
  EMPTY_SET,
  EMPTY_TUPLE,
  FilteredSet,
  IntervalSet,
  InfiniteSet,
  LazyFcn,
  LazySet,
  ModelValue,
  SetValue,
  SeqSet,
  SubsetSet,
  TupleValue,
  asBool,
  asFcn,
  asInt,
  asSeq,
  asSet,
  checkInt,
  compare,
  elementsOf,
  enumerate,
  equals,
  fail,
  fcnDomain,
  fcnFromPairs,
  fcnValues,
  indexOfSorted,
  isMember,
  makeFcn,
  makeSet,
  show,
  sortUnique,
  type Value,
} from './values.js'

/** An operator passed as an argument (`SelectSeq(s, Test)`, a LAMBDA, an operator parameter). */
export interface OpValue {
  readonly name: string
  readonly arity: number
  call(args: Value[]): Value
}

export interface Builtin {
  /** The number of arguments; -1 for any number. */
  readonly arity: number
  /** Argument positions that take operators rather than values. */
  readonly opArgs?: readonly number[]
  /** The module that defines it (for messages), or undefined for TLA+ itself. */
  readonly module?: string
  fn(args: (Value | OpValue)[]): Value
  /** `fn` of two value arguments, without an array to pass them in (a binary operator). */
  readonly fn2?: (a: Value, b: Value) => Value
}

/** Standard modules weft builds in; any other module is read from the spec's folder. */
export const STANDARD_MODULES = new Set(['Naturals', 'Integers', 'Sequences', 'FiniteSets', 'Bags', 'TLC', 'TLCExt', 'Reals'])

const v = (args: (Value | OpValue)[], i: number): Value => args[i] as Value
const op = (args: (Value | OpValue)[], i: number): OpValue => args[i] as OpValue

/** An operator of two value arguments. */
function binary(f: (a: Value, b: Value) => Value, module?: string): Builtin {
  return { arity: 2, ...(module === undefined ? {} : { module }), fn: (a) => f(v(a, 0), v(a, 1)), fn2: f }
}

function arith(name: string, f: (a: number, b: number) => number, module = 'Naturals'): Builtin {
  const left = `the left side of ${name}`
  const right = `the right side of ${name}`
  const result = `the result of ${name}`
  return binary((a, b) => checkInt(f(asInt(a, left), asInt(b, right)), result), module)
}

function cmp(name: string, f: (a: number, b: number) => boolean): Builtin {
  const left = `the left side of ${name}`
  const right = `the right side of ${name}`
  return binary((a, b) => f(asInt(a, left), asInt(b, right)), 'Naturals')
}

/** The union of two normalized sets, by merging their sorted elements. */
function unionSorted(x: SetValue, y: SetValue): SetValue {
  if (y.elems.length === 0) return x
  if (x.elems.length === 0) return y
  const a = x.elems
  const b = y.elems
  const out: Value[] = []
  let i = 0
  let j = 0
  while (i < a.length && j < b.length) {
    const c = compare(a[i]!, b[j]!)
    if (c < 0) out.push(a[i++]!)
    else if (c > 0) out.push(b[j++]!)
    else {
      out.push(a[i++]!)
      j++
    }
  }
  while (i < a.length) out.push(a[i++]!)
  while (j < b.length) out.push(b[j++]!)
  return new SetValue(out)
}

/** Whether looking each of `few` elements up in a sorted array of `many` costs fewer comparisons than one merge of the two. */
function fewer(few: number, many: number): boolean {
  return few === 1 || few * Math.log2(many + 1) < many + few
}

/** The elements of x not in y, both normalized: y's elements looked up in x when they are few, else one merge. */
function differenceSorted(x: SetValue, y: SetValue): SetValue {
  const a = x.elems
  const b = y.elems
  if (a.length === 0 || b.length === 0) return x
  // S \ {CHOOSE x \in S : TRUE}, a recursion's step: S without its first element.
  if (b.length === 1 && a[0] === b[0]) return new SetValue(a.slice(1))
  const out: Value[] = []
  if (fewer(b.length, a.length)) {
    // Both sorted in the one order: the indices found grow.
    let from = 0
    for (let j = 0; j < b.length; j++) {
      const i = indexOfSorted(a, b[j]!)
      if (i < 0) continue
      while (from < i) out.push(a[from++]!)
      from = i + 1
    }
    if (from === 0) return x
    while (from < a.length) out.push(a[from++]!)
    return new SetValue(out)
  }
  let i = 0
  let j = 0
  while (i < a.length && j < b.length) {
    const c = compare(a[i]!, b[j]!)
    if (c < 0) out.push(a[i++]!)
    else if (c > 0) j++
    else {
      i++
      j++
    }
  }
  while (i < a.length) out.push(a[i++]!)
  return out.length === a.length ? x : new SetValue(out)
}

/** The elements of both x and y, normalized: the smaller's elements looked up in the larger when they are few, else one merge. */
function intersectionSorted(x: SetValue, y: SetValue): SetValue {
  const [small, large] = x.elems.length <= y.elems.length ? [x.elems, y.elems] : [y.elems, x.elems]
  if (small.length === 0) return EMPTY_SET
  const out: Value[] = []
  if (fewer(small.length, large.length)) {
    for (let j = 0; j < small.length; j++) if (indexOfSorted(large, small[j]!) >= 0) out.push(small[j]!)
    return new SetValue(out)
  }
  let i = 0
  let j = 0
  while (i < small.length && j < large.length) {
    const c = compare(small[i]!, large[j]!)
    if (c < 0) i++
    else if (c > 0) j++
    else {
      out.push(small[i++]!)
      j++
    }
  }
  return new SetValue(out)
}

function seqOrString(x: Value, what: string): readonly Value[] | string {
  if (typeof x === 'string') return x
  return asSeq(x, what).elems
}

function power(base: number, exp: number): number {
  if (exp < 0) fail(`the exponent of ^ must not be negative, here ${exp}`)
  let r = 1
  for (let i = 0; i < exp; i++) {
    r *= base
    checkInt(r, 'the result of ^')
  }
  return r
}

/** All permutations of a set of model values, as functions from the set to itself. */
export function permutations(s: SetValue): SetValue {
  const elems = s.elems
  const out: Value[] = []
  const perm = [...elems]
  const gen = (k: number): void => {
    if (k === perm.length) {
      out.push(makeFcn(elems, [...perm]))
      return
    }
    for (let i = k; i < perm.length; i++) {
      ;[perm[k], perm[i]] = [perm[i]!, perm[k]!]
      gen(k + 1)
      ;[perm[k], perm[i]] = [perm[i]!, perm[k]!]
    }
  }
  gen(0)
  return makeSet(out)
}

function bagCount(b: Value, e: Value): number {
  const f = asFcn(b, 'a bag')
  const dom = fcnDomain(f)
  const vals = fcnValues(f)
  for (let i = 0; i < dom.length; i++) if (equals(dom[i]!, e)) return asInt(vals[i]!, 'a bag count')
  return 0
}

function bagPairs(b: Value): [Value, Value][] {
  const f = asFcn(b, 'a bag')
  const dom = fcnDomain(f)
  const vals = fcnValues(f)
  return dom.map((d, i) => [d, vals[i]!])
}

export const BUILTINS: Readonly<Record<string, Builtin>> = {
  // TLA+ itself
  '=': binary(equals),
  '#': binary((a, b) => !equals(a, b)),
  '~': { arity: 1, fn: (a) => !asBool(v(a, 0), 'the operand of ~') },
  '<=>': { arity: 2, fn: (a) => asBool(v(a, 0), 'an operand of <=>') === asBool(v(a, 1), 'an operand of <=>') },
  '\\equiv': { arity: 2, fn: (a) => asBool(v(a, 0), 'an operand of \\equiv') === asBool(v(a, 1), 'an operand of \\equiv') },
  '\\in': binary(isMember),
  '\\notin': binary((a, b) => !isMember(a, b)),
  '\\cup': binary((a, b) => unionSorted(asSet(a, 'a set operand'), asSet(b, 'a set operand'))),
  '\\cap': binary((x, y) => {
    if ((x instanceof InfiniteSet || x instanceof SeqSet) && (y instanceof InfiniteSet || y instanceof SeqSet)) return new FilteredSet(x, (e) => isMember(e, y))
    if (x instanceof LazySet && !(y instanceof LazySet)) return makeSet(asSet(y, 'a set operand').elems.filter((e) => isMember(e, x)))
    if (x instanceof SetValue && y instanceof SetValue) return intersectionSorted(x, y)
    // A sorted set's elements, filtered, are still sorted and distinct.
    return new SetValue(asSet(x, 'a set operand').elems.filter((e) => isMember(e, y)))
  }),
  '\\': binary((x, y) => {
    if (x instanceof InfiniteSet || x instanceof SeqSet) return new FilteredSet(x, (e) => !isMember(e, y))
    if (x instanceof SetValue && y instanceof SetValue) return differenceSorted(x, y)
    return new SetValue(asSet(x, 'a set operand').elems.filter((e) => !isMember(e, y)))
  }),
  '\\subseteq': binary((a, b) => asSet(a, 'the left side of \\subseteq').elems.every((e) => isMember(e, b))),
  '\\subset': {
    arity: 2,
    fn: (a) => {
      const x = asSet(v(a, 0), 'the left side of \\subset')
      return x.elems.every((e) => isMember(e, v(a, 1))) && !equals(x, v(a, 1))
    },
  },
  '\\supseteq': { arity: 2, fn: (a) => asSet(v(a, 1), 'the right side of \\supseteq').elems.every((e) => isMember(e, v(a, 0))) },
  '\\supset': {
    arity: 2,
    fn: (a) => {
      const y = asSet(v(a, 1), 'the right side of \\supset')
      return y.elems.every((e) => isMember(e, v(a, 0))) && !equals(y, v(a, 0))
    },
  },
  SUBSET: { arity: 1, fn: (a) => new SubsetSet(v(a, 0)) },
  UNION: {
    arity: 1,
    fn: (a) => {
      const out: Value[] = []
      for (const s of asSet(v(a, 0), 'the operand of UNION').elems) out.push(...asSet(s, 'an element of UNION’s operand').elems)
      return makeSet(out)
    },
  },
  DOMAIN: {
    arity: 1,
    fn: (a) => {
      const f = v(a, 0)
      if (f instanceof LazyFcn) return f.domain
      const g = asFcn(f, 'the operand of DOMAIN')
      if (g instanceof TupleValue) return new IntervalSet(1, g.elems.length)
      return new SetValue(fcnDomain(g))
    },
  },
  BOOLEAN: { arity: 0, fn: () => BOOLEAN_SET },
  STRING: { arity: 0, fn: () => new InfiniteSet('STRING') },

  // Naturals and Integers
  Nat: { arity: 0, module: 'Naturals', fn: () => new InfiniteSet('Nat') },
  Int: { arity: 0, module: 'Integers', fn: () => new InfiniteSet('Int') },
  '+': arith('+', (a, b) => a + b),
  '-': arith('-', (a, b) => a - b),
  '*': arith('*', (a, b) => a * b),
  '^': arith('^', power),
  '\\div': arith('\\div', (a, b) => {
    if (b === 0) fail('division by zero in \\div')
    return Math.floor(a / b)
  }),
  '%': arith('%', (a, b) => {
    if (b <= 0) fail(`the right side of % must be positive, here ${b}`)
    return ((a % b) + b) % b
  }),
  '-.': { arity: 1, module: 'Integers', fn: (a) => checkInt(-asInt(v(a, 0), 'the operand of unary -'), 'the result of unary -') },
  '<': cmp('<', (a, b) => a < b),
  '>': cmp('>', (a, b) => a > b),
  '<=': cmp('<=', (a, b) => a <= b),
  '>=': cmp('>=', (a, b) => a >= b),
  '..': binary((a, b) => new IntervalSet(asInt(a, 'the left side of ..'), asInt(b, 'the right side of ..')), 'Naturals'),
  Real: { arity: 0, module: 'Reals', fn: () => fail('the Reals module is not supported: TLC cannot check models with real numbers either') },

  // Sequences
  Seq: { arity: 1, module: 'Sequences', fn: (a) => new SeqSet(v(a, 0)) },
  Len: {
    arity: 1,
    module: 'Sequences',
    fn: (a) => {
      const s = seqOrString(v(a, 0), 'the operand of Len')
      return s.length
    },
  },
  '\\o': {
    arity: 2,
    module: 'Sequences',
    fn: (a) => {
      const x = seqOrString(v(a, 0), 'the left side of \\o')
      const y = seqOrString(v(a, 1), 'the right side of \\o')
      if (typeof x === 'string' && typeof y === 'string') return x + y
      if (typeof x === 'string' || typeof y === 'string') {
        if (x.length === 0) return v(a, 1)
        if (y.length === 0) return v(a, 0)
        return fail('\\o joins two sequences or two strings, not one of each')
      }
      return new TupleValue([...x, ...y])
    },
  },
  Append: { arity: 2, module: 'Sequences', fn: (a) => new TupleValue([...asSeq(v(a, 0), 'the first argument of Append').elems, v(a, 1)]) },
  Head: {
    arity: 1,
    module: 'Sequences',
    fn: (a) => {
      const s = asSeq(v(a, 0), 'the argument of Head')
      if (s.elems.length === 0) fail('Head is applied to the empty sequence')
      return s.elems[0]!
    },
  },
  Tail: {
    arity: 1,
    module: 'Sequences',
    fn: (a) => {
      const s = asSeq(v(a, 0), 'the argument of Tail')
      if (s.elems.length === 0) fail('Tail is applied to the empty sequence')
      return new TupleValue(s.elems.slice(1))
    },
  },
  SubSeq: {
    arity: 3,
    module: 'Sequences',
    fn: (a) => {
      const s = seqOrString(v(a, 0), 'the first argument of SubSeq')
      const m = asInt(v(a, 1), 'the second argument of SubSeq')
      const n = asInt(v(a, 2), 'the third argument of SubSeq')
      if (m > n) return typeof s === 'string' ? '' : EMPTY_TUPLE
      if (m < 1 || n > s.length) fail(`SubSeq(s, ${m}, ${n}) is outside a sequence of length ${s.length}`)
      return typeof s === 'string' ? s.slice(m - 1, n) : new TupleValue(s.slice(m - 1, n))
    },
  },
  SelectSeq: {
    arity: 2,
    opArgs: [1],
    module: 'Sequences',
    fn: (a) => new TupleValue(asSeq(v(a, 0), 'the first argument of SelectSeq').elems.filter((e) => asBool(op(a, 1).call([e]), 'the test of SelectSeq'))),
  },

  // FiniteSets
  Cardinality: {
    arity: 1,
    module: 'FiniteSets',
    fn: (a) => {
      const s = v(a, 0)
      if (s instanceof IntervalSet) return s.size
      return asSet(s, 'the argument of Cardinality').elems.length
    },
  },
  IsFiniteSet: {
    arity: 1,
    module: 'FiniteSets',
    fn: (a) => {
      const s = v(a, 0)
      return !(s instanceof InfiniteSet || s instanceof SeqSet)
    },
  },

  // TLC
  ':>': { arity: 2, module: 'TLC', fn: (a) => makeFcn([v(a, 0)], [v(a, 1)]) },
  '@@': {
    arity: 2,
    module: 'TLC',
    fn: (a) => {
      const f = asFcn(v(a, 0), 'the left side of @@')
      const g = asFcn(v(a, 1), 'the right side of @@')
      const pairs: [Value, Value][] = []
      const df = fcnDomain(f)
      const vf = fcnValues(f)
      const dg = fcnDomain(g)
      const vg = fcnValues(g)
      for (let i = 0; i < dg.length; i++) pairs.push([dg[i]!, vg[i]!])
      for (let i = 0; i < df.length; i++) pairs.push([df[i]!, vf[i]!])
      return fcnFromPairs(pairs)
    },
  },
  Print: { arity: 2, module: 'TLC', fn: (a) => v(a, 1) },
  PrintT: { arity: 1, module: 'TLC', fn: () => true },
  Assert: {
    arity: 2,
    module: 'TLC',
    fn: (a) => {
      if (v(a, 0) !== true) throw new AssertionFailed(typeof v(a, 1) === 'string' ? (v(a, 1) as string) : show(v(a, 1)))
      return true
    },
  },
  JavaTime: { arity: 0, module: 'TLC', fn: () => 0 },
  TLCEval: { arity: 1, module: 'TLC', fn: (a) => v(a, 0) },
  Permutations: { arity: 1, module: 'TLC', fn: (a) => permutations(asSet(v(a, 0), 'the argument of Permutations')) },
  SortSeq: {
    arity: 2,
    opArgs: [1],
    module: 'TLC',
    fn: (a) => {
      const elems = [...asSeq(v(a, 0), 'the first argument of SortSeq').elems]
      const less = op(a, 1)
      elems.sort((x, y) => (asBool(less.call([x, y]), 'the order of SortSeq') ? -1 : asBool(less.call([y, x]), 'the order of SortSeq') ? 1 : 0))
      return new TupleValue(elems)
    },
  },
  ToString: { arity: 1, module: 'TLC', fn: (a) => show(v(a, 0)) },
  RandomElement: {
    arity: 1,
    module: 'TLC',
    fn: (a) => {
      const s = elementsOf(v(a, 0))
      if (s.length === 0) fail('RandomElement of the empty set')
      return s[0]!
    },
  },
  Any: { arity: 0, module: 'TLC', fn: () => new ModelValue('Any') },

  // Bags
  EmptyBag: { arity: 0, module: 'Bags', fn: () => EMPTY_TUPLE },
  IsABag: { arity: 1, module: 'Bags', fn: (a) => bagPairs(v(a, 0)).every(([, n]) => typeof n === 'number' && n > 0) },
  BagToSet: { arity: 1, module: 'Bags', fn: (a) => makeSet(bagPairs(v(a, 0)).map(([d]) => d)) },
  SetToBag: { arity: 1, module: 'Bags', fn: (a) => fcnFromPairs(asSet(v(a, 0), 'the argument of SetToBag').elems.map((e) => [e, 1])) },
  BagIn: { arity: 2, module: 'Bags', fn: (a) => bagCount(v(a, 1), v(a, 0)) > 0 },
  CopiesIn: { arity: 2, module: 'Bags', fn: (a) => bagCount(v(a, 1), v(a, 0)) },
  BagCardinality: { arity: 1, module: 'Bags', fn: (a) => bagPairs(v(a, 0)).reduce((s, [, n]) => s + asInt(n, 'a bag count'), 0) },
  '\\oplus': {
    arity: 2,
    module: 'Bags',
    fn: (a) => {
      const counts = new Map<string, [Value, number]>()
      for (const [d, n] of [...bagPairs(v(a, 0)), ...bagPairs(v(a, 1))]) {
        const key = show(d)
        const prev = counts.get(key)
        counts.set(key, [d, (prev ? prev[1] : 0) + asInt(n, 'a bag count')])
      }
      return fcnFromPairs([...counts.values()].map(([d, n]) => [d, n]))
    },
  },
  '\\ominus': {
    arity: 2,
    module: 'Bags',
    fn: (a) => {
      const out: [Value, Value][] = []
      for (const [d, n] of bagPairs(v(a, 0))) {
        const left = asInt(n, 'a bag count') - bagCount(v(a, 1), d)
        if (left > 0) out.push([d, left])
      }
      return fcnFromPairs(out)
    },
  },
  '\\sqsubseteq': { arity: 2, module: 'Bags', fn: (a) => bagPairs(v(a, 0)).every(([d, n]) => asInt(n, 'a bag count') <= bagCount(v(a, 1), d)) },
}

/** `Assert(FALSE, msg)`: reported as an assertion failure, not a runtime error. */
export class AssertionFailed extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'AssertionFailed'
  }
}

/** S1 \X S2 \X ...: the set of tuples, kept lazy so that membership in `Nat \X Nat` works. */
export class ProductSet extends LazySet {
  constructor(readonly sets: readonly Value[]) {
    super()
  }
  contains(x: Value): boolean {
    if (!(x instanceof TupleValue) || x.elems.length !== this.sets.length) return false
    for (let i = 0; i < x.elems.length; i++) if (!isMember(x.elems[i]!, this.sets[i]!)) return false
    return true
  }
  enumerate(): SetValue {
    const sets = this.sets.map((s) => enumerate(s).elems)
    if (sets.some((s) => s.length === 0)) return EMPTY_SET
    const out: Value[] = []
    const idx = new Array<number>(sets.length).fill(0)
    for (;;) {
      out.push(new TupleValue(idx.map((i, k) => sets[k]![i]!)))
      let k = sets.length - 1
      while (k >= 0 && ++idx[k]! === sets[k]!.length) idx[k--] = 0
      if (k < 0) break
    }
    return new SetValue(sortUnique(out))
  }
  describe(): string {
    return this.sets.map(show).join(' \\X ')
  }
}

