/**
 * Parsing: TLA+ text through the official tree-sitter grammar (its WASM build, loaded by
 * web-tree-sitter, so it runs in node and in the browser alike), then lowered to our AST.
 *
 * The grammar itself is loaded by the platform layer (`TlaGrammar`); this phase only walks trees.
 */
import type { Node, Parser } from 'web-tree-sitter'
import { error, type Diagnostic, type Result } from '../../diag/diagnostic.js'
import type { Span } from '../../diag/span.js'
import type { Bound, Definition, ExceptUpdate, Expr, InstanceDef, InstanceStep, Module, Param } from './ast.js'

/** A ready tree-sitter parser for TLA+. */
export interface TlaGrammar {
  readonly parser: Parser
}

/** The canonical name of each operator symbol (the grammar's node type), as definitions and built-ins use it. */
const SYMBOLS: Readonly<Record<string, string>> = {
  implies: '=>', plus_arrow: '-+->', equiv: '\\equiv', iff: '<=>', leads_to: '~>', land: '/\\', lor: '\\/',
  assign: ':=', bnf_rule: '::=', eq: '=', neq: '#', lt: '<', gt: '>', leq: '<=', geq: '>=', approx: '\\approx',
  rs_ttile: '|-', rd_ttile: '|=', ls_ttile: '-|', ld_ttile: '=|', asymp: '\\asymp', cong: '\\cong', doteq: '\\doteq',
  gg: '\\gg', ll: '\\ll', in: '\\in', notin: '\\notin', prec: '\\prec', succ: '\\succ', preceq: '\\preceq',
  succeq: '\\succeq', propto: '\\propto', sim: '\\sim', simeq: '\\simeq', sqsubset: '\\sqsubset',
  sqsupset: '\\sqsupset', sqsubseteq: '\\sqsubseteq', sqsupseteq: '\\sqsupseteq', subset: '\\subset',
  supset: '\\supset', subseteq: '\\subseteq', supseteq: '\\supseteq', compose: '@@', map_to: ':>', map_from: '<:',
  setminus: '\\', cap: '\\cap', cup: '\\cup', dots_2: '..', dots_3: '...', plus: '+', plusplus: '++',
  oplus: '\\oplus', ominus: '\\ominus', mod: '%', modmod: '%%', vert: '|', vertvert: '||', minus: '-',
  minusminus: '--', amp: '&', ampamp: '&&', odot: '\\odot', oslash: '\\oslash', otimes: '\\otimes', mul: '*',
  mulmul: '**', slash: '/', slashslash: '//', bigcirc: '\\bigcirc', bullet: '\\bullet', div: '\\div', circ: '\\o',
  star: '\\star', excl: '!!', hashhash: '##', dol: '$', doldol: '$$', qq: '??', sqcap: '\\sqcap', sqcup: '\\sqcup',
  uplus: '\\uplus', times: '\\X', wr: '\\wr', cdot: '\\cdot', pow: '^', powpow: '^^',
  lnot: '~', union: 'UNION', powerset: 'SUBSET', domain: 'DOMAIN', enabled: 'ENABLED', unchanged: 'UNCHANGED',
  always: '[]', eventually: '<>', negative_dot: '-.', negative: '-.',
  sup_plus: '^+', asterisk: '^*', sup_hash: '^#', prime: "'",
}

const NAMED_SETS: Readonly<Record<string, string>> = {
  nat_number_set: 'Nat', int_number_set: 'Int', real_number_set: 'Real', string_set: 'STRING', boolean_set: 'BOOLEAN',
}

/** Parses one file; it may hold several modules (and modules nested in them). */
export function parseTla(grammar: TlaGrammar, file: string, text: string): Result<Module[]> {
  const tree = grammar.parser.parse(text)
  if (!tree) return { diagnostics: [error('TLA001', 'the TLA+ parser could not read this file', { file })] }
  try {
    const lowering = new Lowering(file, text)
    const syntax = lowering.syntaxErrors(tree.rootNode)
    if (syntax.length > 0) return { diagnostics: syntax }
    const modules: Module[] = []
    for (const child of named(tree.rootNode)) if (child.type === 'module') modules.push(lowering.module(child))
    if (modules.length === 0) return { diagnostics: [error('TLA002', 'the file holds no module (---- MODULE Name ---- ... ====)', { file })] }
    return { value: modules, diagnostics: lowering.diagnostics }
  } finally {
    tree.delete()
  }
}

class Unsupported extends Error {
  constructor(readonly node: Node) {
    super(`unsupported ${node.type}`)
  }
}

function named(n: Node): Node[] {
  const out: Node[] = []
  for (let i = 0; i < n.namedChildCount; i++) {
    const c = n.namedChild(i)
    if (c && c.type !== 'comment' && c.type !== 'block_comment') out.push(c)
  }
  return out
}

function field(n: Node, name: string): Node {
  const c = n.childForFieldName(name)
  if (!c) throw new Unsupported(n)
  return c
}

function fields(n: Node, name: string): Node[] {
  return n.childrenForFieldName(name).filter((c): c is Node => c !== null && c.isNamed && c.type !== 'comment' && c.type !== 'block_comment')
}

class Lowering {
  readonly diagnostics: Diagnostic[] = []
  /** Byte offset to UTF-16 offset, for texts with non-ASCII characters. */
  private readonly offsets: Uint32Array | undefined

  constructor(
    private readonly file: string,
    text: string,
  ) {
    // eslint-disable-next-line no-control-regex
    if (/[^\x00-\x7f]/.test(text)) {
      const bytes = new TextEncoder().encode(text).length
      const map = new Uint32Array(bytes + 1)
      let b = 0
      for (let i = 0; i < text.length; i++) {
        const cp = text.codePointAt(i)!
        const len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4
        for (let k = 0; k < len; k++) map[b + k] = i
        b += len
        if (cp >= 0x10000) i++
      }
      map[bytes] = text.length
      this.offsets = map
    }
  }

  span(n: Node): Span {
    const o = this.offsets
    return { file: this.file, start: o ? o[n.startIndex]! : n.startIndex, end: o ? o[n.endIndex]! : n.endIndex }
  }

  syntaxErrors(root: Node): Diagnostic[] {
    if (!root.hasError) return []
    const out: Diagnostic[] = []
    const visit = (n: Node): void => {
      if (out.length >= 3) return
      if (n.isError || n.isMissing) {
        const what = n.isMissing ? `'${n.type}' is missing here` : `unexpected ${n.text.length > 0 && n.text.length < 30 ? `'${n.text.split('\n')[0]}'` : 'text'}`
        out.push(error('TLA001', `syntax error: ${what}`, { span: this.span(n), label: 'the TLA+ grammar does not accept this' }))
        return
      }
      for (let i = 0; i < n.childCount; i++) {
        const c = n.child(i)
        if (c && c.hasError) visit(c)
      }
    }
    visit(root)
    return out
  }

  module(n: Node): Module {
    const name = field(n, 'name').text
    const ext: { name: string; span: Span }[] = []
    const constants: (Param & { span: Span })[] = []
    const variables: { name: string; span: Span }[] = []
    const defs: Definition[] = []
    const assumptions: Expr[] = []
    const inner: Module[] = []
    for (const c of named(n)) {
      try {
        switch (c.type) {
          case 'extends':
            for (const r of named(c)) ext.push({ name: r.text, span: this.span(r) })
            break
          case 'constant_declaration':
            for (const d of named(c)) {
              if (d.type === 'identifier') constants.push({ name: d.text, arity: 0, span: this.span(d) })
              else constants.push({ ...this.opDecl(d), span: this.span(d) })
            }
            break
          case 'variable_declaration':
            for (const d of named(c)) variables.push({ name: d.text, span: this.span(d) })
            break
          case 'operator_definition':
          case 'function_definition':
          case 'module_definition':
          case 'instance':
            defs.push(this.definition(c, false))
            break
          case 'local_definition':
            defs.push(this.definition(named(c)[0]!, true))
            break
          case 'assumption': {
            const exprs = named(c).filter((x) => x.type !== 'identifier' && x.type !== 'def_eq')
            const body = this.expr(exprs[exprs.length - 1]!)
            assumptions.push(body)
            // `ASSUME Name == P` also defines Name, for the module and those that extend it.
            const label = named(c).find((x) => x.type === 'identifier')
            if (label && named(c).some((x) => x.type === 'def_eq')) defs.push({ kind: 'opdef', name: label.text, params: [], body, local: false, span: this.span(c) })
            break
          }
          case 'module':
            inner.push(this.module(c))
            break
          default:
            // header lines, RECURSIVE declarations, theorems and proofs carry nothing to check
            break
        }
      } catch (e) {
        if (!(e instanceof Unsupported)) throw e
        this.unsupported(e.node)
      }
    }
    return { name, file: this.file, extends: ext, constants, variables, defs, assumptions, inner, span: this.span(n) }
  }

  private unsupported(n: Node): void {
    this.diagnostics.push(error('TLA003', `weft does not support this TLA+ construct (${n.type.replace(/_/g, ' ')})`, { span: this.span(n) }))
  }

  private opDecl(d: Node): Param {
    return { name: this.opName(field(d, 'name')), arity: fields(d, 'parameter').filter((p) => p.type === 'placeholder').length }
  }

  private opName(n: Node): string {
    if (n.type === 'identifier' || n.type === 'identifier_ref') return n.text
    if (n.type === 'infix_op_symbol' || n.type === 'prefix_op_symbol' || n.type === 'postfix_op_symbol') {
      const sym = named(n)[0]
      return sym ? (SYMBOLS[sym.type] ?? sym.text) : n.text
    }
    return SYMBOLS[n.type] ?? n.text
  }

  definition(c: Node, local: boolean): Definition {
    const span = this.span(c)
    switch (c.type) {
      case 'operator_definition': {
        const params: Param[] = []
        for (const p of fields(c, 'parameter')) {
          if (p.type === 'identifier') params.push({ name: p.text, arity: 0 })
          else if (p.type === 'operator_declaration') params.push(this.opDecl(p))
        }
        return { kind: 'opdef', name: this.opName(field(c, 'name')), params, body: this.expr(field(c, 'definition')), local, span }
      }
      case 'function_definition': {
        const bounds = named(c).filter((x) => x.type === 'quantifier_bound').map((b) => this.bound(b))
        return { kind: 'fcndef', name: field(c, 'name').text, bounds, body: this.expr(field(c, 'definition')), local, span }
      }
      case 'module_definition': {
        const params: Param[] = []
        for (const p of fields(c, 'parameter')) {
          if (p.type === 'identifier') params.push({ name: p.text, arity: 0 })
          else if (p.type === 'operator_declaration') params.push(this.opDecl(p))
        }
        const inst = this.instance(field(c, 'definition'), local)
        return { ...inst, name: field(c, 'name').text, params, span }
      }
      case 'instance':
        return this.instance(c, local)
    }
    throw new Unsupported(c)
  }

  private instance(n: Node, local: boolean): InstanceDef {
    const parts = named(n)
    const substitutions = parts
      .filter((p) => p.type === 'substitution')
      .map((s) => {
        const [target, , value] = named(s)
        return { name: this.opName(target!), expr: this.operand(value!), span: this.span(s) }
      })
    return { kind: 'instance', params: [], module: parts[0]!.text, substitutions, local, span: this.span(n) }
  }

  private bound(b: Node): Bound {
    const intros = fields(b, 'intro')
    const set = this.expr(field(b, 'set'))
    if (intros.length === 1 && intros[0]!.type === 'tuple_of_identifiers') {
      return { names: named(intros[0]!).filter((x) => x.type === 'identifier').map((x) => x.text), tuple: true, set }
    }
    return { names: intros.map((x) => x.text), tuple: false, set }
  }

  /** Splits `x, y \in S` into one bound per name, as quantifiers bind them. */
  private bounds(nodes: Node[]): Bound[] {
    const out: Bound[] = []
    for (const n of nodes) {
      const b = this.bound(n)
      if (b.tuple) out.push(b)
      else for (const name of b.names) out.push({ names: [name], tuple: false, set: b.set })
    }
    return out
  }

  /** An operator argument: an expression, or an operator symbol passed by name. */
  private operand(n: Node): Expr {
    if (n.type === 'infix_op_symbol' || n.type === 'prefix_op_symbol' || n.type === 'postfix_op_symbol') {
      return { kind: 'op', name: this.opName(n), args: [], span: this.span(n) }
    }
    return this.expr(n)
  }

  expr(n: Node): Expr {
    const span = this.span(n)
    switch (n.type) {
      case 'nat_number':
        return { kind: 'num', value: Number(n.text), span }
      case 'octal_number':
      case 'hex_number':
      case 'binary_number': {
        const base = n.type === 'octal_number' ? 8 : n.type === 'hex_number' ? 16 : 2
        return { kind: 'num', value: parseInt(n.text.slice(2), base), span }
      }
      case 'string':
        return { kind: 'str', value: unescape(n.text.slice(1, -1)), span }
      case 'boolean':
        return { kind: 'bool', value: n.text === 'TRUE', span }
      case 'identifier_ref':
      case 'identifier':
        return { kind: 'op', name: n.text, args: [], span }
      case 'nat_number_set':
      case 'int_number_set':
      case 'real_number_set':
      case 'string_set':
      case 'boolean_set':
        return { kind: 'op', name: NAMED_SETS[n.type]!, args: [], span }
      case 'parentheses':
        return this.expr(named(n)[0]!)
      case 'bound_op':
        return { kind: 'op', name: field(n, 'name').text, args: fields(n, 'parameter').map((p) => this.operand(p)), span }
      case 'bound_nonfix_op':
        return { kind: 'op', name: this.opName(field(n, 'symbol')), args: named(n).slice(1).map((p) => this.expr(p)), span }
      case 'bound_infix_op': {
        const sym = field(n, 'symbol')
        const lhs = this.expr(field(n, 'lhs'))
        const rhs = this.expr(field(n, 'rhs'))
        if (sym.type === 'land' || sym.type === 'lor') {
          const kind = sym.type === 'land' ? 'conj' : 'disj'
          const items = [...(lhs.kind === kind ? lhs.items : [lhs]), ...(rhs.kind === kind ? rhs.items : [rhs])]
          return { kind, items, span }
        }
        const name = this.opName(sym)
        // A \X B \X C is one ternary product, not a product of pairs (unless parenthesized).
        if (name === '\\X' && field(n, 'lhs').type === 'bound_infix_op' && lhs.kind === 'op' && lhs.name === '\\X') {
          return { kind: 'op', name, args: [...lhs.args, rhs], span }
        }
        return { kind: 'op', name, args: [lhs, rhs], span }
      }
      case 'bound_prefix_op':
        return { kind: 'op', name: this.opName(field(n, 'symbol')), args: [this.expr(field(n, 'rhs'))], span }
      case 'bound_postfix_op':
        return { kind: 'op', name: this.opName(field(n, 'symbol')), args: [this.expr(field(n, 'lhs'))], span }
      case 'conj_list':
      case 'disj_list': {
        const items = named(n).map((item) => {
          const parts = named(item)
          return this.expr(parts[parts.length - 1]!)
        })
        return items.length === 1 ? items[0]! : { kind: n.type === 'conj_list' ? 'conj' : 'disj', items, span }
      }
      case 'if_then_else':
        return { kind: 'if', cond: this.expr(field(n, 'if')), then: this.expr(field(n, 'then')), else: this.expr(field(n, 'else')), span }
      case 'case': {
        const arms: { guard: Expr; body: Expr }[] = []
        let other: Expr | undefined
        for (const c of named(n)) {
          const parts = named(c).filter((x) => x.type !== 'case_arrow')
          if (c.type === 'case_arm') arms.push({ guard: this.expr(parts[0]!), body: this.expr(parts[1]!) })
          else if (c.type === 'other_arm') other = this.expr(parts[0]!)
        }
        return { kind: 'case', arms, other, span }
      }
      case 'let_in':
        return { kind: 'let', defs: fields(n, 'definitions').filter((d) => d.type !== 'recursive_declaration').map((d) => this.definition(d, false)), body: this.expr(field(n, 'expression')), span }
      case 'bounded_quantification':
        return {
          kind: 'quant',
          quantifier: field(n, 'quantifier').type === 'forall' ? 'A' : 'E',
          bounds: this.bounds(fields(n, 'bound')),
          body: this.expr(field(n, 'expression')),
          span,
        }
      case 'unbounded_quantification': {
        const q = field(n, 'quantifier').type
        const quantifier = q === 'forall' ? 'A' : q === 'exists' ? 'E' : q === 'temporal_forall' ? 'TA' : 'TE'
        return { kind: 'uquant', quantifier, names: fields(n, 'intro').map((x) => x.text), body: this.expr(field(n, 'expression')), span }
      }
      case 'choose': {
        const intro = field(n, 'intro')
        const tuple = intro.type === 'tuple_of_identifiers'
        const names = tuple ? named(intro).filter((x) => x.type === 'identifier').map((x) => x.text) : [intro.text]
        const setNode = n.childForFieldName('set')
        const bound = setNode ? { names, tuple, set: this.expr(setNode) } : { names, tuple }
        return { kind: 'choose', bound, body: this.expr(field(n, 'expression')), span }
      }
      case 'finite_set_literal':
        return { kind: 'setEnum', elems: named(n).map((x) => this.expr(x)), span }
      case 'set_filter':
        return { kind: 'setFilter', bound: this.bound(field(n, 'generator')), pred: this.expr(field(n, 'filter')), span }
      case 'set_map':
        return { kind: 'setMap', body: this.expr(field(n, 'map')), bounds: this.bounds(fields(n, 'generator')), span }
      case 'function_literal': {
        const parts = named(n)
        const bounds = this.bounds(parts.filter((x) => x.type === 'quantifier_bound'))
        return { kind: 'fcn', bounds, body: this.expr(parts[parts.length - 1]!), span }
      }
      case 'set_of_functions': {
        const parts = named(n).filter((x) => x.type !== 'maps_to')
        return { kind: 'fcnSet', dom: this.expr(parts[0]!), rng: this.expr(parts[1]!), span }
      }
      case 'record_literal':
      case 'set_of_records': {
        const parts = named(n).filter((x) => x.type !== 'all_map_to')
        const out: { name: string; value: Expr }[] = []
        for (let i = 0; i + 1 < parts.length; i += 2) out.push({ name: parts[i]!.text, value: this.expr(parts[i + 1]!) })
        return { kind: n.type === 'record_literal' ? 'record' : 'recordSet', fields: out, span }
      }
      case 'record_value': {
        const [target, name] = named(n)
        return { kind: 'dot', target: this.expr(target!), field: name!.text, span }
      }
      case 'function_evaluation': {
        const [fcn, ...args] = named(n)
        return { kind: 'apply', fcn: this.expr(fcn!), args: args.map((a) => this.expr(a)), span }
      }
      case 'except': {
        const updates: ExceptUpdate[] = []
        for (const u of named(n).filter((x) => x.type === 'except_update')) {
          const spec = fields(u, 'update_specifier').find((x) => x.type === 'except_update_specifier')
          const path = spec
            ? named(spec).map((step) =>
                step.type === 'except_update_record_field'
                  ? ({ kind: 'field', name: named(step)[0]!.text } as const)
                  : ({ kind: 'arg', args: named(step).map((a) => this.expr(a)) } as const),
              )
            : []
          updates.push({ path, value: this.expr(field(u, 'new_val')) })
        }
        return { kind: 'except', target: this.expr(field(n, 'expr_to_update')), updates, span }
      }
      case 'prev_func_val':
        return { kind: 'at', span }
      case 'tuple_literal':
        return { kind: 'tuple', elems: named(n).filter((x) => x.type !== 'langle_bracket' && x.type !== 'rangle_bracket').map((x) => this.expr(x)), span }
      case 'lambda': {
        const parts = named(n)
        return { kind: 'lambda', params: parts.slice(0, -1).map((x) => x.text), body: this.expr(parts[parts.length - 1]!), span }
      }
      case 'step_expr_or_stutter': {
        const [action, sub] = named(n)
        return { kind: 'step', stutter: true, action: this.expr(action!), sub: this.expr(sub!), span }
      }
      case 'step_expr_no_stutter': {
        const parts = named(n).filter((x) => x.type !== 'langle_bracket' && x.type !== 'rangle_bracket_sub')
        return { kind: 'step', stutter: false, action: this.expr(parts[0]!), sub: this.expr(parts[1]!), span }
      }
      case 'fairness': {
        const [sub, action] = named(n)
        return { kind: 'fair', strong: n.text.startsWith('SF'), sub: this.expr(sub!), action: this.expr(action!), span }
      }
      case 'label':
        return { kind: 'label', name: field(n, 'name').text, body: this.expr(field(n, 'expression')), span }
      case 'prefixed_op': {
        const via: InstanceStep[] = []
        for (const comp of named(field(n, 'prefix'))) {
          const inner = named(comp)[0]
          if (comp.type !== 'subexpr_component' || !inner) throw new Unsupported(comp)
          if (inner.type === 'bound_op') via.push({ name: field(inner, 'name').text, args: fields(inner, 'parameter').map((p) => this.operand(p)) })
          else via.push({ name: inner.text, args: [] })
        }
        const op = this.expr(field(n, 'op'))
        if (op.kind !== 'op') throw new Unsupported(n)
        return { ...op, via, span }
      }
    }
    throw new Unsupported(n)
  }
}

function unescape(s: string): string {
  return s.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c === 'r' ? '\r' : c === 'f' ? '\f' : c))
}
