/**
 * TLA+ values as TLC computes with them, and everything that depends on their representation:
 * equality, TLC's total order (which makes CHOOSE deterministic), canonical bytes for fingerprints,
 * printing in TLC's notation, and the plain form used in traces.
 *
 * Booleans, integers and strings are JS primitives; a model value is a `ModelValue` (so model
 * value `a` is not the string "a"). Finite sets and functions are kept normalized: a set's
 * elements are sorted in TLC's order without duplicates, and a function is a tuple (domain 1..n),
 * a record (a non-empty domain of strings) or a general function with a sorted domain, whichever
 * fits, so that structural equality is value equality. Sets TLC keeps lazy (intervals, `Nat`,
 * `SUBSET S`, `[S -> T]`, `Seq(S)`, ...) are `LazySet`s, enumerated only when needed.
 */
import { copyBytes } from '../../core/store/bytes.js'

export type Value = boolean | number | string | ModelValue | SetValue | FcnLike | LazySet | LazyFcn

export type FcnLike = TupleValue | RecordValue | FcnValue

/** Raised for an evaluation TLC rejects (a function applied outside its domain, an overflow, ...). */
export class EvalError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'EvalError'
  }
}

export function fail(message: string): never {
  throw new EvalError(message)
}

/**
 * A value that keeps its hash (value-hash.ts) once computed: a model value, a set or a function.
 * All zero until then.
 */
export abstract class Hashed {
  h0 = 0
  h1 = 0
  h2 = 0
  h3 = 0
}

export class ModelValue extends Hashed {
  /** The name table `tableId` is the number in, for `ValueWriter`: a model value is written often, and looking its name up costs more than this. */
  tableOf: NameTable | undefined = undefined
  tableId = -1
  constructor(readonly name: string) {
    super()
  }
}

export class SetValue extends Hashed {
  /** Sorted in TLC's order, without duplicates. */
  constructor(readonly elems: readonly Value[]) {
    super()
  }
}

export class TupleValue extends Hashed {
  constructor(readonly elems: readonly Value[]) {
    super()
  }
}

export class RecordValue extends Hashed {
  /**
   * Its bytes as `ValueWriter` wrote them inside another value, and that writer's name table;
   * null once written so without keeping them (`ValueWriter.nestedRecord`). Values are immutable,
   * so the bytes stay right.
   */
  written: { readonly bytes: Uint8Array; readonly table: NameTable } | null | undefined = undefined
  /** Field names sorted (as TLC orders strings), and their values. */
  constructor(
    readonly keys: readonly string[],
    readonly vals: readonly Value[],
  ) {
    super()
  }
}

export class FcnValue extends Hashed {
  /** A sorted domain that is neither 1..n nor a set of strings, and the values at each point. */
  constructor(
    readonly dom: readonly Value[],
    readonly vals: readonly Value[],
  ) {
    super()
  }
}

/** A function TLC keeps unevaluated: a recursive function definition, or one over an infinite domain. */
export class LazyFcn {
  private cache: FcnLike | undefined
  /** Values at arguments already applied to, by a primitive argument or a model value; only when `at` always gives the same value for the same argument. */
  private readonly known: Map<unknown, Value> | undefined
  constructor(
    readonly domain: Value,
    readonly at: (arg: Value) => Value,
    memo = false,
  ) {
    this.known = memo ? new Map() : undefined
  }
  apply(arg: Value): Value {
    const known = this.known
    if (known !== undefined) {
      const v = known.get(arg)
      if (v !== undefined) return v
    }
    if (!isMember(arg, this.domain)) fail(`Attempted to apply function:\n[x \\in ${show(this.domain)} |-> ...]\nto argument ${show(arg)}, which is not in the domain of the function.`)
    return this.at(arg)
  }
  /**
   * Keeps `v` as the value at `arg` when the function was made with `memo`: `at` calls it after a
   * computation that read nothing but its argument. Only primitive arguments and model values are
   * kept: the map finds a model value by its object, which can miss an equal one but never confuses two.
   */
  remember(arg: Value, v: Value): void {
    if (this.known !== undefined && (typeof arg !== 'object' || arg instanceof ModelValue)) this.known.set(arg, v)
  }
  /** The function as a value, which needs a finite domain. */
  force(): FcnLike {
    if (this.cache) return this.cache
    const dom = enumerate(this.domain).elems
    this.cache = makeFcn(dom, dom.map((d) => this.at(d)))
    return this.cache
  }
}

/** A set TLC does not enumerate until it must. */
export abstract class LazySet {
  abstract contains(v: Value): boolean
  /** The elements, sorted; throws EvalError when the set is infinite. */
  abstract enumerate(): SetValue
  /** The elements in TLC's enumeration order (not always sorted); by default the sorted ones. */
  elements(): readonly Value[] {
    return this.enumerate().elems
  }
  abstract describe(): string
  private memo: SetValue | undefined
  normalized(): SetValue {
    return (this.memo ??= this.enumerate())
  }
}

export class IntervalSet extends LazySet {
  constructor(
    readonly lo: number,
    readonly hi: number,
  ) {
    super()
  }
  contains(v: Value): boolean {
    return typeof v === 'number' && v >= this.lo && v <= this.hi
  }
  get size(): number {
    return Math.max(0, this.hi - this.lo + 1)
  }
  enumerate(): SetValue {
    const out: number[] = []
    for (let i = this.lo; i <= this.hi; i++) out.push(i)
    return new SetValue(out)
  }
  describe(): string {
    return `${this.lo}..${this.hi}`
  }
}

export class InfiniteSet extends LazySet {
  constructor(readonly which: 'Nat' | 'Int' | 'STRING') {
    super()
  }
  contains(v: Value): boolean {
    if (this.which === 'STRING') return typeof v === 'string'
    return typeof v === 'number' && (this.which === 'Int' || v >= 0)
  }
  enumerate(): SetValue {
    return fail(`TLC cannot enumerate the infinite set ${this.which}`)
  }
  describe(): string {
    return this.which
  }
}

export class SubsetSet extends LazySet {
  constructor(readonly base: Value) {
    super()
  }
  contains(v: Value): boolean {
    const s = asSet(v, 'an element of SUBSET')
    for (const e of s.elems) if (!isMember(e, this.base)) return false
    return true
  }
  enumerate(): SetValue {
    const base = enumerate(this.base).elems
    if (base.length > 24) fail(`SUBSET of a set of ${base.length} elements is too large to enumerate`)
    // Generated in order: no sort needed.
    const out: SetValue[] = []
    eachSubset(base, (subset) => {
      out.push(subset)
      return true
    })
    return new SetValue(out)
  }
  /**
   * Visits the subsets in TLC's order (the order `enumerate` sorts them in: by size, then
   * lexicographically) without building the powerset, until `visit` returns false; false then.
   */
  each(visit: (subset: SetValue) => boolean): boolean {
    return eachSubset(this.streamable(), visit)
  }
  /** The base's elements, when the subsets can be streamed (`each`); throws EvalError otherwise. */
  streamable(): readonly Value[] {
    const base = enumerate(this.base).elems
    if (base.length > 30) fail(`SUBSET of a set of ${base.length} elements is too large to enumerate`)
    return base
  }
  describe(): string {
    return `SUBSET ${show(this.base)}`
  }
}

/** `SubsetSet.each` over the sorted elements of the base. */
export function eachSubset(base: readonly Value[], visit: (subset: SetValue) => boolean): boolean {
  const n = base.length
  if (!visit(EMPTY_SET)) return false
  const idx: number[] = []
  for (let k = 1; k <= n; k++) {
    idx.length = k
    for (let i = 0; i < k; i++) idx[i] = i
    for (;;) {
      const elems: Value[] = new Array(k)
      for (let i = 0; i < k; i++) elems[i] = base[idx[i]!]!
      if (!visit(new SetValue(elems))) return false
      // The next combination of k indices: the rightmost that can still grow grows, the rest follow it.
      let i = k - 1
      while (i >= 0 && idx[i] === n - k + i) i--
      if (i < 0) break
      idx[i]!++
      for (let j = i + 1; j < k; j++) idx[j] = idx[j - 1]! + 1
    }
  }
  return true
}

export class FcnSet extends LazySet {
  constructor(
    readonly dom: Value,
    readonly rng: Value,
  ) {
    super()
  }
  contains(v: Value): boolean {
    if (v instanceof LazyFcn) v = v.force()
    if (!isFcnLike(v)) return false
    const dom = fcnDomain(v)
    if (!equals(new SetValue(dom), this.dom)) return false
    for (const x of fcnValues(v)) if (!isMember(x, this.rng)) return false
    return true
  }
  enumerate(): SetValue {
    const dom = enumerate(this.dom).elems
    const rng = enumerate(this.rng).elems
    const total = rng.length ** dom.length
    if (total > 5_000_000) fail(`[${show(this.dom)} -> ${show(this.rng)}] has ${total} elements, too many to enumerate`)
    const out: Value[] = []
    const idx = new Array<number>(dom.length).fill(0)
    if (dom.length > 0 && rng.length === 0) return new SetValue([])
    for (;;) {
      out.push(makeFcn(dom, idx.map((i) => rng[i]!)))
      let k = dom.length - 1
      while (k >= 0 && ++idx[k]! === rng.length) idx[k--] = 0
      if (k < 0) break
    }
    return new SetValue(sortUnique(out))
  }
  describe(): string {
    return `[${show(this.dom)} -> ${show(this.rng)}]`
  }
}

export class RecordSet extends LazySet {
  /** Field names sorted, and the set of each field. */
  constructor(
    readonly keys: readonly string[],
    readonly sets: readonly Value[],
  ) {
    super()
  }
  contains(v: Value): boolean {
    if (!(v instanceof RecordValue) || v.keys.length !== this.keys.length) return false
    for (let i = 0; i < this.keys.length; i++) {
      if (v.keys[i] !== this.keys[i] || !isMember(v.vals[i]!, this.sets[i]!)) return false
    }
    return true
  }
  enumerate(): SetValue {
    const sets = this.sets.map((s) => enumerate(s).elems)
    const out: Value[] = []
    const idx = new Array<number>(sets.length).fill(0)
    if (sets.some((s) => s.length === 0)) return new SetValue([])
    for (;;) {
      out.push(new RecordValue(this.keys, idx.map((i, k) => sets[k]![i]!)))
      let k = sets.length - 1
      while (k >= 0 && ++idx[k]! === sets[k]!.length) idx[k--] = 0
      if (k < 0) break
    }
    return new SetValue(sortUnique(out))
  }
  describe(): string {
    return `[${this.keys.map((k, i) => `${k} : ${show(this.sets[i]!)}`).join(', ')}]`
  }
}

/** `Seq(S)`: TLC tests membership but never enumerates it. */
export class SeqSet extends LazySet {
  constructor(readonly base: Value) {
    super()
  }
  contains(v: Value): boolean {
    if (v instanceof LazyFcn) v = v.force()
    if (!(v instanceof TupleValue)) return false
    for (const e of v.elems) if (!isMember(e, this.base)) return false
    return true
  }
  enumerate(): SetValue {
    return fail(`TLC cannot enumerate the infinite set Seq(${show(this.base)})`)
  }
  describe(): string {
    return `Seq(${show(this.base)})`
  }
}

/** `{x \in S : P}` over a set TLC does not enumerate: kept as a predicate. */
export class FilteredSet extends LazySet {
  constructor(
    readonly base: Value,
    readonly pred: (v: Value) => boolean,
  ) {
    super()
  }
  contains(v: Value): boolean {
    return isMember(v, this.base) && this.pred(v)
  }
  enumerate(): SetValue {
    return new SetValue(enumerate(this.base).elems.filter(this.pred))
  }
  describe(): string {
    return `{x \\in ${show(this.base)} : ...}`
  }
}

// ---------------------------------------------------------------------------------------------
// Construction

export const EMPTY_SET = new SetValue([])
export const EMPTY_TUPLE = new TupleValue([])
export const BOOLEAN_SET = new SetValue([false, true])

/** A set of arbitrary values, normalized. */
export function makeSet(elems: Value[]): SetValue {
  return new SetValue(sortUnique(elems))
}

/** The canonical function with this sorted domain: a tuple, a record or a general function. */
export function makeFcn(dom: readonly Value[], vals: readonly Value[]): FcnLike {
  if (dom.length === 0) return EMPTY_TUPLE
  let tuple = true
  let record = true
  for (let i = 0; i < dom.length; i++) {
    const d = dom[i]
    if (d !== i + 1) tuple = false
    if (typeof d !== 'string') record = false
    if (!tuple && !record) break
  }
  if (tuple) return new TupleValue(vals)
  if (record) return new RecordValue(dom as string[], vals)
  return new FcnValue(dom, vals)
}

/** A function from unsorted (domain, value) pairs; later pairs win for equal domain elements. */
export function fcnFromPairs(pairs: [Value, Value][]): FcnLike {
  pairs.sort((a, b) => compare(a[0], b[0]))
  const dom: Value[] = []
  const vals: Value[] = []
  for (const [d, v] of pairs) {
    if (dom.length > 0 && compare(dom[dom.length - 1]!, d) === 0) vals[vals.length - 1] = v
    else {
      dom.push(d)
      vals.push(v)
    }
  }
  return makeFcn(dom, vals)
}

export function makeRecord(keys: string[], vals: Value[]): FcnLike {
  return fcnFromPairs(keys.map((k, i) => [k, vals[i]!]))
}

export function sortUnique(elems: Value[]): Value[] {
  if (elems.length < 2) return elems
  // Often already in order (built from a sorted set): then one pass suffices.
  let r = 1
  while (r < elems.length && compare(elems[r - 1]!, elems[r]!) < 0) r++
  if (r === elems.length) return elems
  elems.sort(compare)
  let w = 1
  for (let r = 1; r < elems.length; r++) {
    if (compare(elems[r]!, elems[w - 1]!) !== 0) elems[w++] = elems[r]!
  }
  elems.length = w
  return elems
}

// ---------------------------------------------------------------------------------------------
// Inspection

export function isFcnLike(v: Value): v is FcnLike {
  return v instanceof TupleValue || v instanceof RecordValue || v instanceof FcnValue
}

export function isSetLike(v: Value): v is SetValue | LazySet {
  return v instanceof SetValue || v instanceof LazySet
}

export function fcnDomain(f: FcnLike): readonly Value[] {
  if (f instanceof TupleValue) return f.elems.map((_, i) => i + 1)
  if (f instanceof RecordValue) return f.keys
  return f.dom
}

export function fcnValues(f: FcnLike): readonly Value[] {
  return f instanceof TupleValue ? f.elems : f.vals
}

/** A set's sorted elements; throws EvalError when it cannot be enumerated. */
export function enumerate(v: Value): SetValue {
  if (v instanceof SetValue) return v
  if (v instanceof LazySet) return v.normalized()
  return fail(`${show(v)} is not a set`)
}

/** A set's elements in TLC's enumeration order. */
export function elementsOf(v: Value): readonly Value[] {
  if (v instanceof SetValue) return v.elems
  if (v instanceof LazySet) return v.elements()
  return fail(`${show(v)} is not a set`)
}

export function asSet(v: Value, what: string): SetValue {
  if (v instanceof SetValue) return v
  if (v instanceof LazySet) return v.normalized()
  return fail(`${what} must be a set, not ${show(v)}`)
}

export function asInt(v: Value, what: string): number {
  if (typeof v === 'number') return v
  return fail(`${what} must be an integer, not ${show(v)}`)
}

export function asBool(v: Value, what: string): boolean {
  if (typeof v === 'boolean') return v
  return fail(`${what} must be a Boolean, not ${show(v)}`)
}

/** A function value, forcing a lazy one; tuples, records and functions alike. */
export function asFcn(v: Value, what: string): FcnLike {
  if (v instanceof LazyFcn) return v.force()
  if (isFcnLike(v)) return v
  return fail(`${what} must be a function, not ${show(v)}`)
}

export function asSeq(v: Value, what: string): TupleValue {
  if (v instanceof LazyFcn) v = v.force()
  if (v instanceof TupleValue) return v
  return fail(`${what} must be a sequence, not ${show(v)}`)
}

export function isMember(v: Value, set: Value): boolean {
  if (set instanceof SetValue) return indexOfSorted(set.elems, v) >= 0
  if (set instanceof LazySet) return set.contains(v)
  return fail(`membership in ${show(set)}, which is not a set`)
}

export function indexOfSorted(elems: readonly Value[], v: Value): number {
  let lo = 0
  let hi = elems.length - 1
  // A tuple (a point of a grid, a pair) among tuples: compared here, element by element.
  const tuple = v instanceof TupleValue ? v.elems : undefined
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1
    const e = elems[mid]!
    const c = tuple !== undefined && e instanceof TupleValue ? compareTuples(e.elems, tuple) : compare(e, v)
    if (c === 0) return mid
    if (c < 0) lo = mid + 1
    else hi = mid - 1
  }
  return -1
}

/**
 * Where `v` is in a function's sorted domain, or -1. A small domain is first scanned for the
 * value itself: model values are mostly one object per name, and primitives compare by value.
 */
export function indexInDomain(dom: readonly Value[], v: Value): number {
  if (dom.length <= 8) for (let i = 0; i < dom.length; i++) if (dom[i] === v) return i
  return indexOfSorted(dom, v)
}

/** f[arg] with TLC's error when arg is outside the domain. */
export function apply(f: Value, arg: Value): Value {
  if (f instanceof TupleValue) {
    if (typeof arg === 'number' && arg >= 1 && arg <= f.elems.length) return f.elems[arg - 1]!
  } else if (f instanceof RecordValue) {
    if (typeof arg === 'string') {
      const i = f.keys.indexOf(arg)
      if (i >= 0) return f.vals[i]!
    }
  } else if (f instanceof FcnValue) {
    const i = indexInDomain(f.dom, arg)
    if (i >= 0) return f.vals[i]!
  } else if (f instanceof LazyFcn) {
    return f.apply(arg)
  } else {
    return fail(`${show(f)} is applied to ${show(arg)}, but it is not a function`)
  }
  return fail(`Attempted to apply function:\n${show(f)}\nto argument ${show(arg)}, which is not in the domain of the function.`)
}

// ---------------------------------------------------------------------------------------------
// Equality and order

export function equals(a: Value, b: Value): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object') return false
  return compare(a, b) === 0
}

function rank(v: Value): number {
  switch (typeof v) {
    case 'boolean':
      return 1
    case 'number':
      return 2
    case 'string':
      return 3
  }
  if (v instanceof ModelValue) return 0
  if (v instanceof SetValue || v instanceof LazySet) return 5
  return 4
}

/** TLC's order: model values first, then within a kind as TLC compares (sets by size first). */
export function compare(a: Value, b: Value): number {
  if (a === b) return 0
  // The common cases first: two integers, two strings, two records of the same fields, two sets.
  const ta = typeof a
  if (ta === typeof b) {
    if (ta === 'number') return (a as number) - (b as number)
    if (ta === 'string') return strcmp(a as string, b as string)
    if (a instanceof RecordValue && b instanceof RecordValue) {
      if (a.keys !== b.keys) {
        const c = compareArrays(a.keys, b.keys)
        if (c !== 0) return c
      }
      return compareArrays(a.vals, b.vals)
    }
    if (a instanceof SetValue && b instanceof SetValue) return compareArrays(a.elems, b.elems)
    if (a instanceof TupleValue && b instanceof TupleValue) return compareArrays(a.elems, b.elems)
    if (a instanceof ModelValue && b instanceof ModelValue) return strcmp(a.name, b.name)
  }
  const ra = rank(a)
  const rb = rank(b)
  if (ra !== rb) return ra - rb
  switch (ra) {
    case 0:
      return strcmp((a as ModelValue).name, (b as ModelValue).name)
    case 1:
      return (a ? 1 : 0) - (b ? 1 : 0)
    case 2:
      return (a as number) - (b as number)
    case 3:
      return strcmp(a as string, b as string)
    case 5: {
      const x = enumerate(a).elems
      const y = enumerate(b).elems
      if (x.length !== y.length) return x.length - y.length
      for (let i = 0; i < x.length; i++) {
        const c = compare(x[i]!, y[i]!)
        if (c !== 0) return c
      }
      return 0
    }
  }
  const f = asFcn(a, 'a compared value')
  const g = asFcn(b, 'a compared value')
  if (f instanceof TupleValue && g instanceof TupleValue) return compareArrays(f.elems, g.elems)
  const df = fcnDomain(f)
  const dg = fcnDomain(g)
  if (df.length !== dg.length) return df.length - dg.length
  const c = compareArrays(df, dg)
  return c !== 0 ? c : compareArrays(fcnValues(f), fcnValues(g))
}

/** `compareArrays` of two tuples' elements, integers compared in place. */
function compareTuples(x: readonly Value[], y: readonly Value[]): number {
  if (x.length !== y.length) return x.length - y.length
  for (let i = 0; i < x.length; i++) {
    const a = x[i]!
    const b = y[i]!
    const c = typeof a === 'number' && typeof b === 'number' ? a - b : compare(a, b)
    if (c !== 0) return c
  }
  return 0
}

function compareArrays(x: readonly Value[], y: readonly Value[]): number {
  if (x.length !== y.length) return x.length - y.length
  for (let i = 0; i < x.length; i++) {
    const c = compare(x[i]!, y[i]!)
    if (c !== 0) return c
  }
  return 0
}

function strcmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

// ---------------------------------------------------------------------------------------------
// Canonical bytes

/** What each value written starts with (and, in value-hash.ts, the tag of its hash). */
export const enum Tag {
  False = 1,
  True,
  Int,
  /** A string of the name table, by its number. */
  Str,
  /** A model value of the name table, by its number. */
  Model,
  Set,
  Fcn,
  /** A string not in the name table, as its UTF-8 bytes. */
  StrText,
  /** A model value not in the name table, as its name's UTF-8 bytes. */
  ModelText,
}

/**
 * The strings and model value names a spec can be expected to put in its states (its literals,
 * record fields and constants), numbered in sorted order. Built once from the spec and the cfg
 * before the search, so every thread that loads the same spec gets the same numbers: state bytes
 * stay canonical across threads while the common names cost four bytes and a map lookup.
 */
export class NameTable {
  readonly ids: ReadonlyMap<string, number>
  readonly names: readonly string[]
  constructor(names: Iterable<string>) {
    this.names = [...new Set(names)].sort()
    this.ids = new Map(this.names.map((n, i) => [n, i]))
  }
  static readonly EMPTY = new NameTable([])
}

const utf8 = new TextEncoder()
const fromUtf8 = new TextDecoder()

/**
 * Writes values as canonical bytes: equal values, and only they, give equal bytes, in every writer
 * with the same name table (a name in the table is written as its number, any other as its UTF-8
 * bytes). Reused across calls.
 */
export class ValueWriter {
  private buf = new Uint8Array(256)
  private view = new DataView(this.buf.buffer)
  private at = 0
  private readonly ids: ReadonlyMap<string, number>

  constructor(private readonly table: NameTable = NameTable.EMPTY) {
    this.ids = table.ids
  }

  reset(): void {
    this.at = 0
    this.depth = 0
  }

  bytes(): Uint8Array {
    return this.buf.subarray(0, this.at)
  }

  private room(n: number): void {
    if (this.at + n <= this.buf.length) return
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.at + n))
    next.set(this.buf.subarray(0, this.at))
    this.buf = next
    this.view = new DataView(next.buffer)
  }

  private u32(n: number): void {
    this.room(4)
    this.view.setUint32(this.at, n >>> 0)
    this.at += 4
  }

  private byte(n: number): void {
    this.room(1)
    this.buf[this.at++] = n
  }

  /** A name of the table, by its number. */
  private numbered(tag: Tag, id: number): void {
    this.room(5)
    this.buf[this.at++] = tag
    this.view.setUint32(this.at, id)
    this.at += 4
  }

  /** A name: its number in the table when it has one, else its UTF-8 bytes after their length. */
  private name(s: string, numbered: Tag, text: Tag): void {
    const id = this.ids.get(s)
    if (id !== undefined) {
      this.numbered(numbered, id)
      return
    }
    this.byte(text)
    this.room(4 + s.length * 3)
    const { written } = utf8.encodeInto(s, this.buf.subarray(this.at + 4))
    this.u32(written)
    this.at += written
  }

  write(v: Value): void {
    switch (typeof v) {
      case 'boolean':
        this.byte(v ? Tag.True : Tag.False)
        return
      case 'number':
        this.room(5)
        this.buf[this.at++] = Tag.Int
        this.view.setUint32(this.at, v | 0)
        this.at += 4
        return
      case 'string':
        this.name(v, Tag.Str, Tag.StrText)
        return
    }
    if (v instanceof ModelValue) {
      if (v.tableOf !== this.table) {
        v.tableOf = this.table
        v.tableId = this.ids.get(v.name) ?? -1
      }
      if (v.tableId < 0) this.name(v.name, Tag.Model, Tag.ModelText)
      else this.numbered(Tag.Model, v.tableId)
      return
    }
    if (this.depth > 0 && v instanceof RecordValue) this.nestedRecord(v)
    else this.composite(v)
  }

  /** How deep inside a state's value the value being written is (0: a variable's value). */
  private depth = 0

  /**
   * A record inside another value (a message in a set of messages): one written before, inside
   * another state's value (a successor's values share most of their parts with its state's), is
   * copied from the bytes kept the second time it was written.
   */
  private nestedRecord(v: RecordValue): void {
    const kept = v.written
    if (kept && kept.table === this.table) {
      const bytes = kept.bytes
      this.room(bytes.length)
      copyBytes(bytes, 0, this.buf, this.at, bytes.length)
      this.at += bytes.length
      return
    }
    const start = this.at
    this.composite(v)
    v.written = kept === undefined ? null : { bytes: this.buf.slice(start, this.at), table: this.table }
  }

  private composite(v: Value): void {
    // (A write that throws leaves depth too high: `reset` and `writeState` start it again from 0.)
    this.depth++
    this.walk(v)
    this.depth--
  }

  private walk(v: Value): void {
    if (v instanceof SetValue || v instanceof LazySet) {
      const elems = enumerate(v).elems
      this.byte(Tag.Set)
      this.u32(elems.length)
      for (let i = 0; i < elems.length; i++) this.write(elems[i]!)
      return
    }
    const f = asFcn(v, 'a state value')
    this.byte(Tag.Fcn)
    if (f instanceof TupleValue) {
      this.u32(f.elems.length)
      for (let i = 0; i < f.elems.length; i++) {
        this.room(5)
        this.buf[this.at++] = Tag.Int
        this.view.setUint32(this.at, i + 1)
        this.at += 4
        this.write(f.elems[i]!)
      }
      return
    }
    const dom = fcnDomain(f)
    const vals = fcnValues(f)
    this.u32(dom.length)
    for (let i = 0; i < dom.length; i++) {
      this.write(dom[i]!)
      this.write(vals[i]!)
    }
  }
}

/** Reads back what a `ValueWriter` with the same name table wrote: values equal to the ones written. */
export class ValueReader {
  private view: DataView = new DataView(new ArrayBuffer(0))
  private bytes: Uint8Array = new Uint8Array(0)
  private at = 0
  private readonly models = new Map<string, ModelValue>()
  /** Records of the same fields share one key array, which makes comparing them cheaper. */
  private readonly keys = new Map<string, readonly string[]>()

  constructor(private readonly table: NameTable = NameTable.EMPTY) {}

  /** The `count` values written one after another in `bytes`. */
  readAll(bytes: Uint8Array, count: number): Value[] {
    this.bytes = bytes
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    this.at = 0
    const out: Value[] = new Array(count)
    for (let i = 0; i < count; i++) out[i] = this.read()
    if (this.at !== bytes.length) throw new RangeError(`${bytes.length - this.at} bytes left after reading ${count} values`)
    return out
  }

  private u32(): number {
    const n = this.view.getUint32(this.at)
    this.at += 4
    return n
  }

  private text(): string {
    const n = this.u32()
    // A copy: the bytes may live in shared memory, which TextDecoder does not read.
    const s = fromUtf8.decode(this.bytes.slice(this.at, this.at + n))
    this.at += n
    return s
  }

  private model(name: string): ModelValue {
    let m = this.models.get(name)
    if (!m) this.models.set(name, (m = new ModelValue(name)))
    return m
  }

  private read(): Value {
    const tag = this.bytes[this.at++]!
    switch (tag) {
      case Tag.False:
        return false
      case Tag.True:
        return true
      case Tag.Int:
        return this.view.getInt32((this.at += 4) - 4)
      case Tag.Str:
        return this.table.names[this.u32()]!
      case Tag.StrText:
        return this.text()
      case Tag.Model:
        return this.model(this.table.names[this.u32()]!)
      case Tag.ModelText:
        return this.model(this.text())
      case Tag.Set: {
        const n = this.u32()
        const elems: Value[] = new Array(n)
        for (let i = 0; i < n; i++) elems[i] = this.read()
        // Written in TLC's order without duplicates: already normalized.
        return n === 0 ? EMPTY_SET : new SetValue(elems)
      }
      case Tag.Fcn: {
        const n = this.u32()
        const dom: Value[] = new Array(n)
        const vals: Value[] = new Array(n)
        for (let i = 0; i < n; i++) {
          dom[i] = this.read()
          vals[i] = this.read()
        }
        const f = makeFcn(dom, vals)
        if (!(f instanceof RecordValue)) return f
        const key = f.keys.join('\0')
        const shared = this.keys.get(key)
        if (!shared) {
          this.keys.set(key, f.keys)
          return f
        }
        return new RecordValue(shared, f.vals)
      }
    }
    throw new RangeError(`no value starts with byte ${tag}`)
  }
}

// ---------------------------------------------------------------------------------------------
// Printing and plain values

/** A value in TLC's notation, as TLC prints it in traces and messages. */
export function show(v: Value): string {
  switch (typeof v) {
    case 'boolean':
      return v ? 'TRUE' : 'FALSE'
    case 'number':
      return String(v)
    case 'string':
      return JSON.stringify(v)
  }
  if (v instanceof ModelValue) return v.name
  if (v instanceof SetValue) return `{${v.elems.map(show).join(', ')}}`
  if (v instanceof LazySet) return v.describe()
  if (v instanceof LazyFcn) return `[x \\in ${show(v.domain)} |-> ...]`
  if (v instanceof TupleValue) return `<<${v.elems.map(show).join(', ')}>>`
  if (v instanceof RecordValue) return `[${v.keys.map((k, i) => `${k} |-> ${show(v.vals[i]!)}`).join(', ')}]`
  return `(${v.dom.map((d, i) => `${show(d)} :> ${show(v.vals[i]!)}`).join(' @@ ')})`
}

/**
 * The value as plain data for traces (ITF): sets as `Set`, tuples as arrays, records as objects,
 * other functions as `Map`, model values by name.
 */
export function plain(v: Value): unknown {
  switch (typeof v) {
    case 'boolean':
    case 'number':
    case 'string':
      return v
  }
  if (v instanceof ModelValue) return v.name
  if (v instanceof SetValue || v instanceof LazySet) return new Set(enumerate(v).elems.map(plain))
  const f = asFcn(v, 'a state value')
  if (f instanceof TupleValue) return f.elems.map(plain)
  if (f instanceof RecordValue) return Object.fromEntries(f.keys.map((k, i) => [k, plain(f.vals[i]!)]))
  return new Map(f.dom.map((d, i) => [plain(d), plain(f.vals[i]!)]))
}

/** TLC's integers are 32-bit; a result outside that range is an error, not a wrapped value. */
export function checkInt(n: number, what: string): number {
  if (n > 2147483647 || n < -2147483648 || !Number.isFinite(n)) fail(`integer overflow: ${what} is ${n}, outside TLC's 32-bit range`)
  return n
}
