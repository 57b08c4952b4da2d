/**
 * 128-bit structural hashes of TLA+ values, which stand for a state's canonical bytes in the
 * search (`TlaModel.encode`), as TLC's fingerprints are computed from a value's structure.
 *
 * A value is hashed as the sequence of 128-bit blocks that `ValueWriter` would write it as: a set
 * is a header (its tag and size) and a block per element; a function a header and a block per
 * key and per value (a tuple's keys are 1..n, a record's its field names), so that equal values,
 * however represented, give equal hashes. A Boolean or an integer is a block of its own (tag,
 * value); a string and a model value are a hash of their text; a set or a function is a block of
 * the hash of its blocks (MurmurHash3's x86 128-bit mixing, blocks being its 16-byte chunks).
 *
 * Values are immutable, so a set's or function's hash is kept in the value itself (`h0`..`h3`, all
 * zero until computed): a successor that shares most of its parts with its state (a message set
 * with one more message, a record with one field changed) hashes only what is new. The hash
 * depends only on the value, never on which hasher or thread computes it, so the states of a
 * parallel search agree on their fingerprints.
 */
import { fmix32 } from '../../core/store/fingerprint.js'
import { FcnValue, Hashed, LazySet, ModelValue, RecordValue, SetValue, Tag, TupleValue, enumerate, asFcn, type Value } from './values.js'

/** The tag of a state's header: no value's. */
const STATE = 0

const C1 = 0x239b961b
const C2 = 0xab0e9789
const C3 = 0x38b34ae5
const C4 = 0xa1e38b93

/**
 * Computes hashes; one per model (it keeps the hashes of the strings it met). `h0`..`h3` hold the
 * last result, so that hashing allocates nothing.
 */
export class ValueHasher {
  h0 = 0
  h1 = 0
  h2 = 0
  h3 = 0
  /** The lanes of the hash being computed (of the innermost value). */
  private a = 0
  private b = 0
  private c = 0
  private d = 0
  private readonly strings = new Map<string, Int32Array>()
  private readonly out = new Uint8Array(16)
  private readonly outView = new DataView(this.out.buffer)

  /** The state's hash as 16 bytes (the same array each call): its values' blocks after a header. */
  stateBytes(values: readonly Value[]): Uint8Array {
    this.begin(STATE, values.length)
    for (let i = 0; i < values.length; i++) this.absorb(values[i]!)
    this.finish(values.length + 1)
    const view = this.outView
    view.setInt32(0, this.h0, true)
    view.setInt32(4, this.h1, true)
    view.setInt32(8, this.h2, true)
    view.setInt32(12, this.h3, true)
    return this.out
  }

  /** Leaves `v`'s hash in `h0`..`h3`. */
  hash(v: Value): void {
    switch (typeof v) {
      case 'boolean':
        this.leaf(v ? Tag.True : Tag.False, 0)
        return
      case 'number':
        this.leaf(Tag.Int, v)
        return
      case 'string':
        this.text(Tag.Str, v, true)
        return
    }
    if (v instanceof Hashed) {
      if ((v.h0 | v.h1 | v.h2 | v.h3) !== 0) {
        this.h0 = v.h0
        this.h1 = v.h1
        this.h2 = v.h2
        this.h3 = v.h3
        return
      }
      if (v instanceof ModelValue) this.text(Tag.Model, v.name, false)
      else if (v instanceof SetValue) this.set(v.elems)
      else this.fcn(v as TupleValue | RecordValue | FcnValue)
      v.h0 = this.h0
      v.h1 = this.h1
      v.h2 = this.h2
      v.h3 = this.h3
      return
    }
    // Lazy values are hashed as the sets and functions they stand for, and not kept.
    if (v instanceof LazySet) this.set(enumerate(v).elems)
    else this.hash(asFcn(v, 'a state value'))
  }

  /** A Boolean's or integer's block, as its hash: the block itself is what a composite mixes in. */
  private leaf(tag: Tag, n: number): void {
    this.h0 = tag
    this.h1 = n | 0
    this.h2 = 0
    this.h3 = 0
  }

  /**
   * A string's or model value's hash: of its tag and length, then its UTF-16 units, two a word.
   * A string's is kept in `strings` (a model value keeps its own).
   */
  private text(tag: Tag, s: string, kept: boolean): void {
    let h = kept ? this.strings.get(s) : undefined
    if (h === undefined) {
      this.begin(tag, s.length)
      const unit = (i: number): number => (i < s.length ? s.charCodeAt(i) : 0)
      const word = (i: number): number => unit(i) | (unit(i + 1) << 16)
      for (let i = 0; i < s.length; i += 8) this.mixIn(word(i), word(i + 2), word(i + 4), word(i + 6))
      this.finish(1 + ((s.length + 7) >> 3))
      if (!kept) return
      h = new Int32Array([this.h0, this.h1, this.h2, this.h3])
      this.strings.set(s, h)
    }
    this.h0 = h[0]!
    this.h1 = h[1]!
    this.h2 = h[2]!
    this.h3 = h[3]!
  }

  private set(elems: readonly Value[]): void {
    this.begin(Tag.Set, elems.length)
    for (let i = 0; i < elems.length; i++) this.absorb(elems[i]!)
    this.finish(elems.length + 1)
  }

  /** A function, as `ValueWriter` writes it: each key (1..n for a tuple), then its value. */
  private fcn(f: TupleValue | RecordValue | FcnValue): void {
    const vals = f instanceof TupleValue ? f.elems : f.vals
    this.begin(Tag.Fcn, vals.length)
    for (let i = 0; i < vals.length; i++) {
      if (f instanceof TupleValue) this.mixIn(Tag.Int, i + 1, 0, 0)
      else this.absorb(f instanceof RecordValue ? f.keys[i]! : f.dom[i]!)
      this.absorb(vals[i]!)
    }
    this.finish(2 * vals.length + 1)
  }

  /** Starts a hash with its header block. */
  private begin(tag: number, size: number): void {
    this.a = 0
    this.b = 0
    this.c = 0
    this.d = 0
    this.mixIn(tag, size, 0, 0)
  }

  /** Mixes `v`'s hash in as the next block, the lanes kept while `v` is hashed. */
  private absorb(v: Value): void {
    // The common cases first: a value that keeps its hash, an integer.
    if (v instanceof Hashed && (v.h0 | v.h1 | v.h2 | v.h3) !== 0) {
      this.mixIn(v.h0, v.h1, v.h2, v.h3)
      return
    }
    if (typeof v === 'number') {
      this.mixIn(Tag.Int, v | 0, 0, 0)
      return
    }
    const { a, b, c, d } = this
    this.hash(v)
    this.a = a
    this.b = b
    this.c = c
    this.d = d
    this.mixIn(this.h0, this.h1, this.h2, this.h3)
  }

  /** MurmurHash3 x86 128's step for one 16-byte block (words k1..k4). */
  private mixIn(k1: number, k2: number, k3: number, k4: number): void {
    let { a, b, c, d } = this
    a ^= Math.imul(rotl(Math.imul(k1, C1), 15), C2)
    a = (Math.imul((rotl(a, 19) + b) | 0, 5) + 0x561ccd1b) | 0
    b ^= Math.imul(rotl(Math.imul(k2, C2), 16), C3)
    b = (Math.imul((rotl(b, 17) + c) | 0, 5) + 0x0bcaa747) | 0
    c ^= Math.imul(rotl(Math.imul(k3, C3), 17), C4)
    c = (Math.imul((rotl(c, 15) + d) | 0, 5) + 0x96cd1c35) | 0
    d ^= Math.imul(rotl(Math.imul(k4, C4), 18), C1)
    d = (Math.imul((rotl(d, 13) + a) | 0, 5) + 0x32ac3b17) | 0
    this.a = a
    this.b = b
    this.c = c
    this.d = d
  }

  /** MurmurHash3 x86 128's finalization after `blocks` blocks, into h0..h3. */
  private finish(blocks: number): void {
    const len = blocks << 4
    let a = this.a ^ len
    let b = this.b ^ len
    let c = this.c ^ len
    let d = this.d ^ len
    a = (a + b + c + d) | 0
    b = (b + a) | 0
    c = (c + a) | 0
    d = (d + a) | 0
    a = fmix32(a)
    b = fmix32(b)
    c = fmix32(c)
    d = fmix32(d)
    a = (a + b + c + d) | 0
    this.h0 = a
    this.h1 = (b + a) | 0
    this.h2 = (c + a) | 0
    this.h3 = (d + a) | 0
  }
}

function rotl(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r))
}
