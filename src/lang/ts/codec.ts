/**
 * The canonical binary form of a TypeScript model's state: plain data (null, booleans, numbers,
 * bigints, strings, arrays, plain objects, Sets, Maps). Equal values, and only they, encode to
 * equal bytes: object keys are sorted, Set elements and Map entries are ordered by their own
 * encodings, -0 is 0. `decode` gives back frozen plain objects and arrays.
 */
export class StateCodec {
  private buf = new Uint8Array(256)
  private pos = 0
  /** Where `write` is, as keys and indexes, so that an error can name the place; joined only then. */
  private readonly at: (string | number)[] = []

  /** The encoding of a value, as a view of a buffer that the next call reuses. */
  encode(value: unknown): Uint8Array {
    this.pos = 0
    this.at.length = 0
    this.write(value)
    return this.buf.subarray(0, this.pos)
  }

  private where(): string {
    let out = ''
    for (const k of this.at) out += typeof k === 'number' ? `[${k}]` : out === '' ? k : `.${k}`
    return out
  }

  decode(bytes: Uint8Array): unknown {
    const reader = { bytes, pos: 0 }
    const value = read(reader)
    if (reader.pos !== bytes.length) throw new Error('state bytes have trailing data')
    return value
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return
    const bigger = new Uint8Array(Math.max(this.buf.length * 2, this.pos + n))
    bigger.set(this.buf.subarray(0, this.pos))
    this.buf = bigger
  }

  private byte(b: number): void {
    this.ensure(1)
    this.buf[this.pos++] = b
  }

  /** Unsigned LEB128 of a non-negative safe integer. */
  private varint(n: number): void {
    this.ensure(8)
    while (n >= 0x80) {
      this.buf[this.pos++] = (n % 0x80) | 0x80
      n = Math.floor(n / 0x80)
    }
    this.buf[this.pos++] = n
  }

  private string(s: string): void {
    this.varint(s.length)
    for (let i = 0; i < s.length; i++) this.varint(s.charCodeAt(i))
  }

  private write(v: unknown): void {
    switch (typeof v) {
      case 'boolean':
        this.byte(v ? Tag.True : Tag.False)
        return
      case 'number':
        if (Number.isSafeInteger(v)) {
          this.byte(Tag.Int)
          this.varint(v < 0 ? -v * 2 - 1 : v * 2)
        } else {
          this.byte(Tag.Float)
          this.ensure(8)
          new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 8).setFloat64(0, Number.isNaN(v) ? NaN : v)
          this.pos += 8
        }
        return
      case 'string':
        this.byte(Tag.String)
        this.string(v)
        return
      case 'bigint':
        this.byte(Tag.BigInt)
        this.string(v.toString())
        return
      case 'object':
        if (v === null) {
          this.byte(Tag.Null)
          return
        }
        if (Array.isArray(v)) {
          this.byte(Tag.Array)
          this.varint(v.length)
          const at = this.at
          for (let i = 0; i < v.length; i++) {
            at.push(i)
            this.write(v[i])
            at.pop()
          }
          return
        }
        if (v instanceof Set) {
          this.byte(Tag.Set)
          this.sorted([...v].map((e) => this.nested(e, '{}')))
          return
        }
        if (v instanceof Map) {
          this.byte(Tag.Map)
          this.sorted([...v].map(([k, e]) => concat(this.nested(k, '<key>'), this.nested(e, 'get()'))))
          return
        }
        if (isPlainObject(v)) {
          const o = v as Record<string, unknown>
          const keys = Object.keys(o)
          // Usually already in order (states are built from one literal), so sort only when not.
          let sorted = true
          let defined = 0
          for (let i = 0; i < keys.length; i++) {
            if (i > 0 && keys[i - 1]! > keys[i]!) sorted = false
            if (o[keys[i]!] !== undefined) defined++
          }
          if (!sorted) keys.sort()
          this.byte(Tag.Object)
          this.varint(defined)
          const at = this.at
          for (const k of keys) {
            const e = o[k]
            if (e === undefined) continue
            this.string(k)
            at.push(k)
            this.write(e)
            at.pop()
          }
          return
        }
        throw new TypeError(`state value ${describe(this.where())} is a ${v.constructor?.name ?? 'object'} instance; states hold plain data: objects, arrays, Sets, Maps, numbers, strings, booleans`)
      default:
        throw new TypeError(`state value ${describe(this.where())} is ${typeof v === 'undefined' ? 'undefined' : `a ${typeof v}`}; states hold plain data: objects, arrays, Sets, Maps, numbers, strings, booleans`)
    }
  }

  /** Encodes a value on its own, for ordering the elements of a Set or Map. */
  private nested(v: unknown, at: string): Uint8Array {
    const saved = this.buf
    const savedPos = this.pos
    this.buf = new Uint8Array(64)
    this.pos = 0
    this.at.push(at)
    try {
      this.write(v)
      return this.buf.slice(0, this.pos)
    } finally {
      this.at.pop()
      this.buf = saved
      this.pos = savedPos
    }
  }

  private sorted(parts: Uint8Array[]): void {
    parts.sort(compareBytes)
    this.varint(parts.length)
    for (const p of parts) {
      this.ensure(p.length)
      this.buf.set(p, this.pos)
      this.pos += p.length
    }
  }
}

const enum Tag {
  Null = 0,
  False = 1,
  True = 2,
  Int = 3,
  Float = 4,
  String = 5,
  BigInt = 6,
  Array = 7,
  Object = 8,
  Set = 9,
  Map = 10,
}

interface Reader {
  bytes: Uint8Array
  pos: number
}

function readVarint(r: Reader): number {
  let n = 0
  let scale = 1
  for (;;) {
    const b = r.bytes[r.pos++]
    if (b === undefined) throw new Error('state bytes end early')
    n += (b & 0x7f) * scale
    if (b < 0x80) return n
    scale *= 0x80
  }
}

function readString(r: Reader): string {
  const n = readVarint(r)
  let s = ''
  for (let i = 0; i < n; i++) s += String.fromCharCode(readVarint(r))
  return s
}

function read(r: Reader): unknown {
  const tag = r.bytes[r.pos++]
  switch (tag) {
    case Tag.Null:
      return null
    case Tag.False:
      return false
    case Tag.True:
      return true
    case Tag.Int: {
      const z = readVarint(r)
      return z % 2 === 1 ? -(z + 1) / 2 : z / 2
    }
    case Tag.Float: {
      const v = new DataView(r.bytes.buffer, r.bytes.byteOffset + r.pos, 8).getFloat64(0)
      r.pos += 8
      return v
    }
    case Tag.String:
      return readString(r)
    case Tag.BigInt:
      return BigInt(readString(r))
    case Tag.Array: {
      const n = readVarint(r)
      const a = new Array<unknown>(n)
      for (let i = 0; i < n; i++) a[i] = read(r)
      return Object.freeze(a)
    }
    case Tag.Object: {
      const n = readVarint(r)
      const o: Record<string, unknown> = {}
      for (let i = 0; i < n; i++) {
        const k = readString(r)
        o[k] = read(r)
      }
      return Object.freeze(o)
    }
    case Tag.Set: {
      const n = readVarint(r)
      const s = new Set<unknown>()
      for (let i = 0; i < n; i++) s.add(read(r))
      return s
    }
    case Tag.Map: {
      const n = readVarint(r)
      const m = new Map<unknown, unknown>()
      for (let i = 0; i < n; i++) {
        const k = read(r)
        m.set(k, read(r))
      }
      return m
    }
    default:
      throw new Error(`state bytes hold an unknown tag ${String(tag)}`)
  }
}

function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v)
  return proto === Object.prototype || proto === null
}

function describe(at: string): string {
  return at ? `'${at}'` : '(the whole state)'
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length)
  out.set(a)
  out.set(b, a.length)
  return out
}

export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!
  return a.length - b.length
}

/** Freezes plain objects and arrays, all the way down, skipping parts already frozen (shared with a decoded state). */
export function freezeDeep<T>(v: T): T {
  if (typeof v !== 'object' || v === null || Object.isFrozen(v)) return v
  if (Array.isArray(v)) {
    Object.freeze(v)
    for (const e of v) freezeDeep(e)
  } else if (isPlainObject(v)) {
    Object.freeze(v)
    for (const k of Object.keys(v)) freezeDeep((v as Record<string, unknown>)[k])
  }
  return v
}
