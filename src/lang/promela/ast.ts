import type { Span } from '../../diag/span.js'

/**
 * The Promela syntax tree: `kind`-discriminated plain objects, each with an `id` (unique in one
 * parse, for side tables) and a `span` into the original source files (macro expansions point at
 * the macro's use). Names are resolved later; this tree is only what was written.
 */
export interface Node {
  readonly id: number
  readonly span: Span
}

// ---------------------------------------------------------------------------------------------
// Types and declarations

export type BasicType = 'bit' | 'bool' | 'byte' | 'short' | 'int' | 'pid' | 'unsigned' | 'chan' | 'mtype'

export interface TypeName extends Node {
  readonly kind: 'type'
  /** A basic type, or the name of a typedef. */
  readonly name: BasicType | string
  /** `mtype:name`: the named mtype set. */
  readonly mtypeSet?: string
}

export interface ChanInit extends Node {
  readonly kind: 'chanInit'
  /** `[capacity]`; 0 is a rendezvous channel. */
  readonly capacity: Expr
  /** `of { byte, mtype, Msg }`. */
  readonly fields: readonly TypeName[]
}

export interface VarDecl extends Node {
  readonly kind: 'varDecl'
  readonly type: TypeName
  readonly name: string
  /** `x[N]`. */
  readonly arraySize?: Expr
  /** `unsigned x : 3`. */
  readonly bits?: Expr
  /** `= expr`, or `= [N] of { … }` for channels. */
  readonly init?: Expr | ChanInit
  readonly visibility?: 'hidden' | 'show' | 'local'
}

/** One declaration statement, which may declare several variables: `byte a, b[2] = 3`. */
export interface DeclGroup extends Node {
  readonly kind: 'decl'
  readonly vars: readonly VarDecl[]
}

export interface MtypeDecl extends Node {
  readonly kind: 'mtype'
  /** `mtype:name = { … }`. */
  readonly set?: string
  readonly names: readonly { readonly name: string; readonly span: Span }[]
}

export interface TypedefDecl extends Node {
  readonly kind: 'typedef'
  readonly name: string
  readonly fields: readonly VarDecl[]
}

// ---------------------------------------------------------------------------------------------
// Top level

export interface Proctype extends Node {
  readonly kind: 'proctype'
  readonly name: string
  /** `active [N]`: how many instances start (an expression); undefined when not active. */
  readonly active?: Expr
  /** `D_proctype`: the whole body is deterministic. */
  readonly deterministic: boolean
  readonly params: readonly VarDecl[]
  readonly priority?: Expr
  readonly provided?: Expr
  readonly body: Sequence
}

export interface InitDecl extends Node {
  readonly kind: 'init'
  readonly priority?: Expr
  readonly body: Sequence
}

export interface NeverDecl extends Node {
  readonly kind: 'never'
  /** `never name { … }`. */
  readonly name?: string
  readonly body: Sequence
}

export interface TraceDecl extends Node {
  readonly kind: 'trace' | 'notrace'
  readonly body: Sequence
}

export interface InlineDecl extends Node {
  readonly kind: 'inline'
  readonly name: string
  readonly params: readonly string[]
  readonly body: Sequence
}

export interface LtlDecl extends Node {
  readonly kind: 'ltl'
  /** `ltl name { … }`; unnamed formulas are named `ltl_0`, `ltl_1`, … by SPIN. */
  readonly name?: string
  readonly formula: LtlFormula
}

/** Embedded C (`c_code`, `c_decl`, `c_state`, `c_track`, `c_expr`): parsed only to be reported. */
export interface CCode extends Node {
  readonly kind: 'cCode'
  readonly keyword: string
}

export type TopLevel = DeclGroup | MtypeDecl | TypedefDecl | Proctype | InitDecl | NeverDecl | TraceDecl | InlineDecl | LtlDecl | CCode

export interface PmlModule extends Node {
  readonly kind: 'module'
  readonly items: readonly TopLevel[]
}

// ---------------------------------------------------------------------------------------------
// Statements

export interface Label {
  readonly name: string
  readonly span: Span
}

/** A statement with the labels before it and an optional `unless` escape. */
export interface Step extends Node {
  readonly kind: 'step'
  readonly labels: readonly Label[]
  readonly stmt: Stmt
  readonly unless?: Sequence
}

export interface Sequence extends Node {
  readonly kind: 'sequence'
  readonly steps: readonly Step[]
}

export interface AssignStmt extends Node {
  readonly kind: 'assign'
  readonly target: VarRef
  readonly value: Expr
}

export interface IncDecStmt extends Node {
  readonly kind: 'incr' | 'decr'
  readonly target: VarRef
}

/** An expression used as a statement: a guard, executable when non-zero. */
export interface ExprStmt extends Node {
  readonly kind: 'exprStmt'
  readonly expr: Expr
}

export interface SendStmt extends Node {
  readonly kind: 'send'
  readonly chan: Expr
  /** `ch!!msg`: sorted send. */
  readonly sorted: boolean
  readonly args: readonly Expr[]
}

/** A receive argument: a variable to assign, a constant to match, `eval(e)` to match, or `_`. */
export type RecvArg =
  | { readonly kind: 'recvVar'; readonly ref: VarRef; readonly span: Span }
  | { readonly kind: 'recvConst'; readonly value: Expr; readonly span: Span }
  | { readonly kind: 'recvEval'; readonly value: Expr; readonly span: Span }

export interface ReceiveStmt extends Node {
  readonly kind: 'receive'
  readonly chan: Expr
  /** `ch??msg`: takes the first matching message anywhere in the buffer. */
  readonly random: boolean
  /** `ch?<msg>`: copies the message without removing it. */
  readonly keep: boolean
  readonly args: readonly RecvArg[]
}

export interface IfStmt extends Node {
  readonly kind: 'if' | 'do'
  readonly options: readonly Sequence[]
}

/** `for (i : lo .. hi) { … }` or `for (i in array) { … }`. */
export interface ForStmt extends Node {
  readonly kind: 'for'
  readonly variable: VarRef
  readonly range: { readonly kind: 'range'; readonly from: Expr; readonly to: Expr } | { readonly kind: 'in'; readonly array: VarRef }
  readonly body: Sequence
}

/** `select (i : lo .. hi)`. */
export interface SelectStmt extends Node {
  readonly kind: 'select'
  readonly variable: VarRef
  readonly from: Expr
  readonly to: Expr
  /** Written in an inline's body, where SPIN's lexer does not expand it into an if (set by inline expansion). */
  readonly inInline?: boolean
}

export interface BlockStmt extends Node {
  readonly kind: 'atomic' | 'dStep' | 'block'
  readonly body: Sequence
}

export interface GotoStmt extends Node {
  readonly kind: 'goto'
  readonly label: string
}

export interface SimpleStmt extends Node {
  /** `else` is only meaningful as the first statement of an option. */
  readonly kind: 'break' | 'skip' | 'else'
}

export interface AssertStmt extends Node {
  readonly kind: 'assert'
  readonly expr: Expr
}

export interface PrintfStmt extends Node {
  readonly kind: 'printf'
  readonly format: string
  readonly args: readonly Expr[]
}

export interface PrintmStmt extends Node {
  readonly kind: 'printm'
  readonly value: Expr
}

/** `name(args)` where `name` is an inline; expanded after parsing. */
export interface InlineCall extends Node {
  readonly kind: 'inlineCall'
  readonly name: string
  readonly args: readonly Expr[]
}

export type Stmt =
  | DeclGroup
  | AssignStmt
  | IncDecStmt
  | ExprStmt
  | SendStmt
  | ReceiveStmt
  | IfStmt
  | ForStmt
  | SelectStmt
  | BlockStmt
  | GotoStmt
  | SimpleStmt
  | AssertStmt
  | PrintfStmt
  | PrintmStmt
  | InlineCall
  | CCode

// ---------------------------------------------------------------------------------------------
// Expressions

/** `a.b[i].c`: a name, an optional index, and field selections, each with an optional index. */
export interface VarRef extends Node {
  readonly kind: 'ref'
  readonly name: string
  readonly index?: Expr
  readonly fields: readonly { readonly name: string; readonly index?: Expr; readonly span: Span }[]
}

export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '&' | '|' | '^' | '<<' | '>>' | '<' | '<=' | '>' | '>=' | '==' | '!=' | '&&' | '||'
export type UnaryOp = '-' | '!' | '~'

export interface NumberLit extends Node {
  readonly kind: 'number'
  readonly value: number
}

export interface BoolLit extends Node {
  readonly kind: 'bool'
  readonly value: boolean
}

export interface BinaryExpr extends Node {
  readonly kind: 'binary'
  readonly op: BinaryOp
  readonly left: Expr
  readonly right: Expr
}

export interface UnaryExpr extends Node {
  readonly kind: 'unary'
  readonly op: UnaryOp
  readonly operand: Expr
}

/** `(c -> a : b)`. */
export interface CondExpr extends Node {
  readonly kind: 'cond'
  readonly test: Expr
  readonly then: Expr
  readonly else: Expr
}

/** `len(ch)`, `empty(ch)`, `nempty(ch)`, `full(ch)`, `nfull(ch)`. */
export interface ChanQuery extends Node {
  readonly kind: 'chanQuery'
  readonly op: 'len' | 'empty' | 'nempty' | 'full' | 'nfull'
  readonly chan: Expr
}

/** `ch?[args]` (receive executable?) and `ch??[args]`: side-effect free polls. */
export interface PollExpr extends Node {
  readonly kind: 'poll'
  readonly chan: Expr
  readonly random: boolean
  readonly args: readonly RecvArg[]
}

export interface RunExpr extends Node {
  readonly kind: 'run'
  readonly proctype: string
  readonly args: readonly Expr[]
  readonly priority?: Expr
}

/** `_pid`, `_nr_pr`, `_last`, `timeout`, `np_`, `_priority`. */
export interface BuiltinVar extends Node {
  readonly kind: 'builtin'
  readonly name: '_pid' | '_nr_pr' | '_last' | 'timeout' | 'np_' | '_priority'
}

/** `proc[pid]@label`. */
export interface RemoteLabel extends Node {
  readonly kind: 'remoteLabel'
  readonly proctype: string
  readonly pid?: Expr
  readonly label: string
}

/** `proc[pid]:var`. */
export interface RemoteVar extends Node {
  readonly kind: 'remoteVar'
  readonly proctype: string
  readonly pid?: Expr
  readonly variable: VarRef
}

/** `enabled(pid)`, `pc_value(pid)`, `get_priority(pid)`, `set_priority(pid, p)`. */
export interface CallExpr extends Node {
  readonly kind: 'call'
  readonly fn: 'enabled' | 'pc_value' | 'get_priority' | 'set_priority'
  readonly args: readonly Expr[]
}

export type Expr =
  | VarRef
  | NumberLit
  | BoolLit
  | BinaryExpr
  | UnaryExpr
  | CondExpr
  | ChanQuery
  | PollExpr
  | RunExpr
  | BuiltinVar
  | RemoteLabel
  | RemoteVar
  | CallExpr
  | CCode

// ---------------------------------------------------------------------------------------------
// LTL

export type LtlFormula =
  | { readonly kind: 'ltlAtom'; readonly expr: Expr; readonly span: Span }
  | { readonly kind: 'ltlConst'; readonly value: boolean; readonly span: Span }
  | { readonly kind: 'ltlUnary'; readonly op: '!' | '[]' | '<>' | 'X'; readonly operand: LtlFormula; readonly span: Span }
  | { readonly kind: 'ltlBinary'; readonly op: '&&' | '||' | '->' | '<->' | 'U' | 'W' | 'V'; readonly left: LtlFormula; readonly right: LtlFormula; readonly span: Span }
