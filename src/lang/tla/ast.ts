/**
 * The TLA+ front end's own syntax tree, lowered from tree-sitter's concrete tree (parse.ts).
 * Every node has a span; operators of every fixity are one `op` node named by their symbol or
 * identifier, so that name resolution treats user-defined and built-in operators alike.
 */
import type { Span } from '../../diag/span.js'

export type Expr =
  | { readonly kind: 'num'; readonly value: number; readonly span: Span }
  | { readonly kind: 'str'; readonly value: string; readonly span: Span }
  | { readonly kind: 'bool'; readonly value: boolean; readonly span: Span }
  /** An operator or name applied to arguments (none for a plain name); `via` is an instance path `M!` */
  | { readonly kind: 'op'; readonly name: string; readonly args: readonly Expr[]; readonly via?: readonly InstanceStep[]; readonly span: Span }
  | { readonly kind: 'if'; readonly cond: Expr; readonly then: Expr; readonly else: Expr; readonly span: Span }
  | { readonly kind: 'case'; readonly arms: readonly { readonly guard: Expr; readonly body: Expr }[]; readonly other?: Expr; readonly span: Span }
  | { readonly kind: 'let'; readonly defs: readonly Definition[]; readonly body: Expr; readonly span: Span }
  | { readonly kind: 'quant'; readonly quantifier: 'A' | 'E'; readonly bounds: readonly Bound[]; readonly body: Expr; readonly span: Span }
  | { readonly kind: 'uquant'; readonly quantifier: 'A' | 'E' | 'TA' | 'TE'; readonly names: readonly string[]; readonly body: Expr; readonly span: Span }
  | { readonly kind: 'choose'; readonly bound: Bound | { readonly names: readonly string[]; readonly tuple: boolean; readonly set?: undefined }; readonly body: Expr; readonly span: Span }
  | { readonly kind: 'setEnum'; readonly elems: readonly Expr[]; readonly span: Span }
  | { readonly kind: 'setFilter'; readonly bound: Bound; readonly pred: Expr; readonly span: Span }
  | { readonly kind: 'setMap'; readonly body: Expr; readonly bounds: readonly Bound[]; readonly span: Span }
  | { readonly kind: 'fcn'; readonly bounds: readonly Bound[]; readonly body: Expr; readonly span: Span }
  | { readonly kind: 'fcnSet'; readonly dom: Expr; readonly rng: Expr; readonly span: Span }
  | { readonly kind: 'record'; readonly fields: readonly { readonly name: string; readonly value: Expr }[]; readonly span: Span }
  | { readonly kind: 'recordSet'; readonly fields: readonly { readonly name: string; readonly value: Expr }[]; readonly span: Span }
  | { readonly kind: 'dot'; readonly target: Expr; readonly field: string; readonly span: Span }
  | { readonly kind: 'apply'; readonly fcn: Expr; readonly args: readonly Expr[]; readonly span: Span }
  | { readonly kind: 'except'; readonly target: Expr; readonly updates: readonly ExceptUpdate[]; readonly span: Span }
  | { readonly kind: 'at'; readonly span: Span }
  | { readonly kind: 'tuple'; readonly elems: readonly Expr[]; readonly span: Span }
  | { readonly kind: 'conj'; readonly items: readonly Expr[]; readonly span: Span }
  | { readonly kind: 'disj'; readonly items: readonly Expr[]; readonly span: Span }
  | { readonly kind: 'lambda'; readonly params: readonly string[]; readonly body: Expr; readonly span: Span }
  /** `[A]_v` (stutter) and `<<A>>_v` */
  | { readonly kind: 'step'; readonly stutter: boolean; readonly action: Expr; readonly sub: Expr; readonly span: Span }
  | { readonly kind: 'fair'; readonly strong: boolean; readonly sub: Expr; readonly action: Expr; readonly span: Span }
  | { readonly kind: 'label'; readonly name: string; readonly body: Expr; readonly span: Span }

/** One step of an instance path: `M!` or `M(1, 2)!`. */
export interface InstanceStep {
  readonly name: string
  readonly args: readonly Expr[]
}

/** `x \in S`, `x, y \in S` (one name each) or `<<x, y>> \in S`. */
export interface Bound {
  readonly names: readonly string[]
  /** True for a tuple pattern `<<x, y>> \in S`. */
  readonly tuple: boolean
  readonly set: Expr
}

export interface ExceptUpdate {
  /** Each step is a function argument (several become a tuple) or a record field. */
  readonly path: readonly ({ readonly kind: 'arg'; readonly args: readonly Expr[] } | { readonly kind: 'field'; readonly name: string })[]
  readonly value: Expr
}

export interface Param {
  readonly name: string
  /** 0 for an ordinary parameter, n for an operator parameter `F(_, _)`. */
  readonly arity: number
}

export type Definition = OpDef | FcnDef | InstanceDef

export interface OpDef {
  readonly kind: 'opdef'
  readonly name: string
  readonly params: readonly Param[]
  readonly body: Expr
  readonly local: boolean
  readonly span: Span
}

/** `f[x \in S] == e`, possibly recursive. */
export interface FcnDef {
  readonly kind: 'fcndef'
  readonly name: string
  readonly bounds: readonly Bound[]
  readonly body: Expr
  readonly local: boolean
  readonly span: Span
}

/** `INSTANCE M WITH ...`, unnamed (its definitions join this module's) or `N(p) == INSTANCE M ...`. */
export interface InstanceDef {
  readonly kind: 'instance'
  readonly name?: string
  readonly params: readonly Param[]
  readonly module: string
  readonly substitutions: readonly { readonly name: string; readonly expr: Expr; readonly span: Span }[]
  readonly local: boolean
  readonly span: Span
}

export interface Module {
  readonly name: string
  readonly file: string
  readonly extends: readonly { readonly name: string; readonly span: Span }[]
  readonly constants: readonly (Param & { readonly span: Span })[]
  readonly variables: readonly { readonly name: string; readonly span: Span }[]
  /** Definitions and instances in source order. */
  readonly defs: readonly Definition[]
  readonly assumptions: readonly Expr[]
  /** Modules declared inside this one. */
  readonly inner: readonly Module[]
  readonly span: Span
}
