/**
 * Promela's value types as weft stores them: every scalar takes one 32-bit slot of the state
 * vector, and a value is truncated on assignment to its C type, as pan does (a byte wraps at 256,
 * a short is 16-bit signed, `unsigned x : 3` keeps three bits).
 */
export type Scalar =
  | { readonly kind: 'bit' | 'bool' | 'byte' | 'short' | 'int' | 'pid' | 'mtype' | 'chan'; readonly mtypeSet?: string }
  | { readonly kind: 'unsigned'; readonly bits: number }

export type VType =
  | { readonly kind: 'scalar'; readonly scalar: Scalar }
  | { readonly kind: 'array'; readonly elem: VType; readonly length: number }
  | { readonly kind: 'struct'; readonly name: string; readonly fields: ReadonlyMap<string, StructField>; readonly size: number }

export interface StructField {
  readonly name: string
  readonly offset: number
  readonly type: VType
  /** A field declared `chan f = [n] of { … }`: the channel type each instance creates (its id 0..n). */
  readonly chan?: { readonly id: number }
  /** `byte f = e` in the typedef: every instance starts with it (each element, for an array field). */
  readonly init?: import('./ast.js').Expr
}

/** Slots a value of the type takes. */
export function slotsOf(t: VType): number {
  switch (t.kind) {
    case 'scalar':
      return 1
    case 'array':
      return t.length * slotsOf(t.elem)
    case 'struct':
      return t.size
  }
}

/** The C conversion pan applies when a value is stored in a variable of this type. */
export function truncator(s: Scalar): (v: number) => number {
  switch (s.kind) {
    case 'bit':
    case 'bool':
      return (v) => v & 1
    case 'byte':
    case 'pid':
    case 'mtype':
    case 'chan':
      return (v) => v & 0xff
    case 'short':
      return (v) => (v << 16) >> 16
    case 'int':
      return (v) => v | 0
    case 'unsigned': {
      const mask = s.bits >= 32 ? 0xffffffff : 2 ** s.bits - 1
      return s.bits >= 32 ? (v) => v >>> 0 : (v) => v & mask
    }
  }
}

/** `truncator(s)(v)` without a function made per call, for the search loop (a message's fields). */
export function truncate(s: Scalar, v: number): number {
  switch (s.kind) {
    case 'bit':
    case 'bool':
      return v & 1
    case 'byte':
    case 'pid':
    case 'mtype':
    case 'chan':
      return v & 0xff
    case 'short':
      return (v << 16) >> 16
    case 'int':
      return v | 0
    case 'unsigned':
      return s.bits >= 32 ? v >>> 0 : v & (2 ** s.bits - 1)
  }
}

export function describeType(t: VType): string {
  switch (t.kind) {
    case 'scalar':
      return t.scalar.kind === 'unsigned' ? `unsigned : ${t.scalar.bits}` : t.scalar.kind
    case 'array':
      return `${describeType(t.elem)}[${t.length}]`
    case 'struct':
      return t.name
  }
}
