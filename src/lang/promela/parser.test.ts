import assert from 'node:assert/strict'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'
import type { Diagnostic } from '../../diag/diagnostic.js'
import type { Expr, LtlFormula, PmlModule, RecvArg, Sequence, Step, Stmt, TopLevel, VarDecl, VarRef } from './ast.js'
import { lexPromela } from './lexer.js'
import { preprocess } from './preprocess.js'
import { parsePromela } from './parser.js'

// ---------------------------------------------------------------------------------------------
// Helpers: parse with an identity origin, and print trees as compact s-expressions.

const FILE = 'test.pml'

function parse(text: string, file = FILE): { module: PmlModule; diagnostics: readonly Diagnostic[] } {
  const r = parsePromela({ text, origin: (offset) => ({ file, offset }) })
  assert.ok(r.value, 'parsePromela always returns a module')
  return { module: r.value, diagnostics: r.diagnostics }
}

/** Parses and asserts there are no diagnostics. */
function ok(text: string): PmlModule {
  const { module, diagnostics } = parse(text)
  assert.deepEqual(diagnostics.map((d) => `${d.code} ${d.message}`), [], `unexpected diagnostics for:\n${text}`)
  return module
}

/** The steps of `init { body }`, printed. */
function stmts(body: string): string {
  const init = ok(`init {\n${body}\n}`).items[0]
  assert.equal(init?.kind, 'init')
  return init.kind === 'init' ? init.body.steps.map(step).join(' ; ') : ''
}

/** One expression, printed (parsed as the guard `(expr)` in an init body). */
function expr(text: string): string {
  return stmts(text)
}

function ltl(formula: string): string {
  const item = ok(`ltl p { ${formula} }`).items[0]
  return item?.kind === 'ltl' ? lt(item.formula) : ''
}

function codes(text: string): string[] {
  return parse(text).diagnostics.map((d) => d.code)
}

function ref(r: VarRef): string {
  return `${r.name}${r.index ? `[${ex(r.index)}]` : ''}${r.fields.map((f) => `.${f.name}${f.index ? `[${ex(f.index)}]` : ''}`).join('')}`
}

function ex(e: Expr): string {
  switch (e.kind) {
    case 'ref':
      return ref(e)
    case 'number':
      return String(e.value)
    case 'bool':
      return String(e.value)
    case 'binary':
      return `(${e.op} ${ex(e.left)} ${ex(e.right)})`
    case 'unary':
      return `(${e.op} ${ex(e.operand)})`
    case 'cond':
      return `(?: ${ex(e.test)} ${ex(e.then)} ${ex(e.else)})`
    case 'chanQuery':
      return `(${e.op} ${ex(e.chan)})`
    case 'poll':
      return `(poll${e.random ? '??' : '?'} ${ex(e.chan)} ${e.args.map(rarg).join(' ')})`
    case 'run':
      return `(run ${e.proctype}${e.args.map((a) => ` ${ex(a)}`).join('')}${e.priority ? ` prio=${ex(e.priority)}` : ''})`
    case 'builtin':
      return e.name
    case 'remoteLabel':
      return `${e.proctype}${e.pid ? `[${ex(e.pid)}]` : ''}@${e.label}`
    case 'remoteVar':
      return `${e.proctype}${e.pid ? `[${ex(e.pid)}]` : ''}:${ref(e.variable)}`
    case 'call':
      return `(${e.fn} ${e.args.map(ex).join(' ')})`
    case 'cCode':
      return `(${e.keyword})`
  }
}

function rarg(a: RecvArg): string {
  return a.kind === 'recvVar' ? ref(a.ref) : a.kind === 'recvConst' ? `=${ex(a.value)}` : `(eval ${ex(a.value)})`
}

function seq(s: Sequence): string {
  return s.steps.map(step).join(' ; ')
}

function step(s: Step): string {
  const labels = s.labels.map((l) => `${l.name}: `).join('')
  const body = `${labels}${st(s.stmt)}`
  return s.unless ? `(unless ${body} { ${seq(s.unless)} })` : body
}

function vd(v: VarDecl): string {
  const init = v.init ? `=${v.init.kind === 'chanInit' ? `[${ex(v.init.capacity)}]of{${v.init.fields.map((f) => f.name + (f.mtypeSet ? `:${f.mtypeSet}` : '')).join(',')}}` : ex(v.init)}` : ''
  return `${v.visibility ? `${v.visibility} ` : ''}${v.type.name}${v.type.mtypeSet ? `:${v.type.mtypeSet}` : ''} ${v.name}${v.bits ? `:${ex(v.bits)}` : ''}${v.arraySize ? `[${ex(v.arraySize)}]` : ''}${init}`
}

function st(s: Stmt): string {
  switch (s.kind) {
    case 'decl':
      return `(decl ${s.vars.map(vd).join(', ')})`
    case 'assign':
      return `(= ${ref(s.target)} ${ex(s.value)})`
    case 'incr':
      return `(++ ${ref(s.target)})`
    case 'decr':
      return `(-- ${ref(s.target)})`
    case 'exprStmt':
      return ex(s.expr)
    case 'send':
      return `(${s.sorted ? '!!' : '!'} ${ex(s.chan)} ${s.args.map(ex).join(' ')})`
    case 'receive':
      return `(${s.random ? '??' : '?'}${s.keep ? '<>' : ''} ${ex(s.chan)} ${s.args.map(rarg).join(' ')})`
    case 'if':
    case 'do':
      return `(${s.kind} ${s.options.map((o) => `{ ${seq(o)} }`).join(' ')})`
    case 'for':
      return `(for ${ref(s.variable)} ${s.range.kind === 'range' ? `${ex(s.range.from)}..${ex(s.range.to)}` : `in ${ref(s.range.array)}`} { ${seq(s.body)} })`
    case 'select':
      return `(select ${ref(s.variable)} ${ex(s.from)}..${ex(s.to)})`
    case 'atomic':
    case 'dStep':
    case 'block':
      return `(${s.kind} { ${seq(s.body)} })`
    case 'goto':
      return `(goto ${s.label})`
    case 'break':
    case 'skip':
    case 'else':
      return s.kind
    case 'assert':
      return `(assert ${ex(s.expr)})`
    case 'printf':
      return `(printf ${JSON.stringify(s.format)}${s.args.map((a) => ` ${ex(a)}`).join('')})`
    case 'printm':
      return `(printm ${ex(s.value)})`
    case 'inlineCall':
      return `(${s.name}${s.args.map((a) => ` ${ex(a)}`).join('')})`
    case 'cCode':
      return `(${s.keyword})`
  }
}

function lt(f: LtlFormula): string {
  switch (f.kind) {
    case 'ltlAtom':
      return ex(f.expr)
    case 'ltlConst':
      return `#${f.value}`
    case 'ltlUnary':
      return `(${f.op} ${lt(f.operand)})`
    case 'ltlBinary':
      return `(${f.op} ${lt(f.left)} ${lt(f.right)})`
  }
}

function top(t: TopLevel): string {
  switch (t.kind) {
    case 'decl':
      return `(decl ${t.vars.map(vd).join(', ')})`
    case 'mtype':
      return `(mtype${t.set ? `:${t.set}` : ''} ${t.names.map((n) => n.name).join(' ')})`
    case 'typedef':
      return `(typedef ${t.name} ${t.fields.map(vd).join(', ')})`
    case 'proctype':
      return `(${t.deterministic ? 'D_proctype' : 'proctype'} ${t.name}${t.active ? ` active=${ex(t.active)}` : ''} (${t.params.map(vd).join(', ')})${t.priority ? ` prio=${ex(t.priority)}` : ''}${t.provided ? ` provided=${ex(t.provided)}` : ''} { ${seq(t.body)} })`
    case 'init':
      return `(init${t.priority ? ` prio=${ex(t.priority)}` : ''} { ${seq(t.body)} })`
    case 'never':
      return `(never${t.name ? ` ${t.name}` : ''} { ${seq(t.body)} })`
    case 'trace':
    case 'notrace':
      return `(${t.kind} { ${seq(t.body)} })`
    case 'inline':
      return `(inline ${t.name}(${t.params.join(',')}) { ${seq(t.body)} })`
    case 'ltl':
      return `(ltl${t.name ? ` ${t.name}` : ''} ${lt(t.formula)})`
    case 'cCode':
      return `(${t.keyword})`
  }
}

function tops(text: string): string[] {
  return ok(text).items.map(top)
}

/** Every node id in a tree, for the uniqueness check. */
function ids(node: unknown, out: number[] = []): number[] {
  if (Array.isArray(node)) for (const n of node) ids(n, out)
  else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>
    if (typeof o.id === 'number' && o.kind !== 'type') out.push(o.id)
    for (const [k, v] of Object.entries(o)) if (k !== 'span' && k !== 'type') ids(v, out)
  }
  return out
}

// ---------------------------------------------------------------------------------------------

describe('lexer', () => {
  it('reads numbers (decimal, hex, characters), names, keywords and operators', () => {
    const { tokens, problems } = lexPromela(`x = 0x1F + 'a' + '\\n' + 12; ch!!m; a<->b [] <> /\\ \\/ c?<d> .. ::`)
    assert.deepEqual(problems, [])
    assert.deepEqual(
      tokens.map((t) => (t.kind === 'number' ? t.value : t.kind === 'ident' ? t.text : t.kind)),
      ['x', '=', 31, '+', 97, '+', 10, '+', 12, ';', 'ch', '!!', 'm', ';', 'a', '<->', 'b', '[]', '<>', '/\\', '\\/', 'c', '?', '<', 'd', '>', '..', '::', 'eof'],
    )
  })

  it('skips comments and turns a c_code body into one token', () => {
    const { tokens } = lexPromela('/* a { */ c_code [p > 0] { if (x) { y = "}"; } /* } */ } // }\nc_expr { 1 }')
    assert.deepEqual(tokens.map((t) => t.kind), ['c_code', 'cbody', 'c_expr', 'cbody', 'eof'])
    assert.equal(tokens[1]?.text, '[p > 0] { if (x) { y = "}"; } /* } */ }')
  })

  it('reports unterminated comments, strings and unknown characters, and goes on', () => {
    assert.deepEqual(lexPromela('x $ y').problems.map((p) => [p.kind, p.start]), [['badChar', 2]])
    assert.deepEqual(lexPromela('"abc\nx').problems.map((p) => p.kind), ['unterminatedString'])
    assert.deepEqual(lexPromela('x /* y').problems.map((p) => p.kind), ['unterminatedComment'])
    assert.deepEqual(lexPromela("x = 'ab'").problems.map((p) => p.kind), ['badCharConst'])
    assert.deepEqual(lexPromela('c_code { x').problems.map((p) => p.kind), ['unterminatedC'])
    assert.deepEqual(lexPromela('#define N 3\n# 12 "x.pml"\nx').problems.map((p) => p.kind), ['directive'])
  })

  it("implies a ';' at a line end inside bodies, as SPIN does", () => {
    const kinds = (s: string): string => lexPromela(s).tokens.map((t) => (t.implied ? '<;>' : t.text || t.kind)).join(' ')
    assert.equal(kinds('init {\n x = a\n y++\n}'), 'init { x = a <;> y ++ <;> } eof')
    assert.equal(kinds('init {\n printf("%d",\n x)\n}'), 'init { printf ( "%d" , x ) <;> } eof') // not inside ( )
    assert.equal(kinds('init {\n atomic { x }\n unless { y }\n}'), 'init { atomic { x } unless { y } <;> } eof')
    assert.equal(kinds('int a\nint b\nltl { p\n-> q }'), 'int a int b ltl { p -> q } eof') // not outside bodies
    assert.equal(kinds('proctype P(byte a;\n byte b)\n{ skip }'), 'proctype P ( byte a ; byte b ) { skip } eof')
  })
})

describe('top level', () => {
  it('mtype declarations in all their forms', () => {
    assert.deepEqual(tops('mtype = { a, b }; mtype { c d, }\nmtype:fruit = { apple, pear } mtype : sizes { small }'), ['(mtype a b)', '(mtype c d)', '(mtype:fruit apple pear)', '(mtype:sizes small)'])
  })

  it('global declarations', () => {
    assert.deepEqual(tops('byte a, b[3] = 2; hidden int c = -1; show bit d; unsigned e : 3 = 5; bool f = true'), [
      '(decl byte a, byte b[3]=2)',
      '(decl hidden int c=(- 1))',
      '(decl show bit d)',
      '(decl unsigned e:3=5)',
      '(decl bool f=true)',
    ])
    assert.deepEqual(tops('chan c = [2] of { byte, mtype, Msg, mtype:fruit }; chan d[3] = [0] of { int }; chan e'), [
      '(decl chan c=[2]of{byte,mtype,Msg,mtype:fruit})',
      '(decl chan d[3]=[0]of{int})',
      '(decl chan e)',
    ])
    assert.deepEqual(tops('mtype:fruit f = apple; Msg m[2]; pid p; short s'), ['(decl mtype:fruit f=apple)', '(decl Msg m[2])', '(decl pid p)', '(decl short s)'])
  })

  it('typedefs', () => {
    assert.deepEqual(tops('typedef Msg { byte a, b[2]; chan c; Inner i\n; unsigned u : 2 }'), ['(typedef Msg byte a, byte b[2], chan c, Inner i, unsigned u:2)'])
    assert.deepEqual(tops('typedef T {\n  byte x\n  int y\n}'), ['(typedef T byte x, int y)'])
  })

  it('proctypes: active, D_proctype, parameter groups, priority, provided', () => {
    assert.deepEqual(tops('proctype P(byte a, b; chan c) { skip }'), ['(proctype P (byte a, byte b, chan c) { skip })'])
    assert.deepEqual(tops('active proctype P() { skip }'), ['(proctype P active=1 () { skip })'])
    assert.deepEqual(tops('active [N+1] proctype P() priority 3 provided (x > 0) { skip }'), ['(proctype P active=(+ N 1) () prio=3 provided=(> x 0) { skip })'])
    assert.deepEqual(tops('D_proctype Q(mtype:fruit f) { skip }'), ['(D_proctype Q (mtype:fruit f) { skip })'])
  })

  it('init, never, trace, notrace', () => {
    assert.deepEqual(tops('init { skip } init priority 2 { skip }'), ['(init { skip })', '(init prio=2 { skip })'])
    assert.deepEqual(tops('never { skip } never claim1 { skip }'), ['(never { skip })', '(never claim1 { skip })'])
    assert.deepEqual(tops('trace { c!1 } notrace { skip }'), ['(trace { (! c 1) })', '(notrace { skip })'])
  })

  it('inline definitions and embedded C', () => {
    assert.deepEqual(tops('inline swap(a, b) { t = a; a = b; b = t } inline nop() { skip }'), ['(inline swap(a,b) { (= t a) ; (= a b) ; (= b t) })', '(inline nop() { skip })'])
    assert.deepEqual(tops('c_decl { int x; } c_code { x = 1; } c_state "int y" "Global" c_track "&z" "sizeof(int)" "UnMatched"'), ['(c_decl)', '(c_code)', '(c_state)', '(c_track)'])
  })

  it('separators between units are optional', () => {
    assert.deepEqual(tops('int a int b;; proctype P() { skip };'), ['(decl int a)', '(decl int b)', '(proctype P () { skip })'])
  })
})

describe('statements', () => {
  it('assignments, increments, guards, skip, break, goto, else', () => {
    assert.equal(stmts('x = y + 1; a[i].f = 2; x++; y--; x > 0 -> skip'), '(= x (+ y 1)) ; (= a[i].f 2) ; (++ x) ; (-- y) ; (> x 0) ; skip')
    assert.equal(stmts('do :: break :: else -> goto L od'), '(do { break } { else ; (goto L) })')
  })

  it("separators: ';' and '->', several in a row, trailing, none after '}' or 'else'", () => {
    assert.equal(stmts('a;; b -> -> c;'), 'a ; b ; c')
    assert.equal(stmts('atomic { a } b; { c } d'), '(atomic { a }) ; b ; (block { c }) ; d')
    assert.equal(stmts('if :: else skip fi'), '(if { else ; skip })')
    assert.equal(stmts('x = 1\ny = 2\nif\n:: a\n-> b\nfi\nz = 3'), '(= x 1) ; (= y 2) ; (if { a ; b }) ; (= z 3)')
  })

  it('labels, several per statement, and a label before a closing brace', () => {
    assert.equal(stmts('L1: L2: x = 1; end: do :: skip; progress: skip od'), 'L1: L2: (= x 1) ; end: (do { skip ; progress: skip })')
    assert.equal(stmts('skip; end:'), 'skip ; end: skip')
  })

  it('unless', () => {
    assert.equal(stmts('{ a; b } unless { c }; d unless e'), '(unless (block { a ; b }) { (block { c }) }) ; (unless d { e })')
    assert.equal(stmts('atomic { a }\nunless c'), '(unless (atomic { a }) { c })')
    // SPIN lifts a label over the escape: `L: {A} unless {B}` is `L: { {A} unless {B} }`.
    assert.equal(stmts('L: { a } unless { c }'), 'L: (block { (unless (block { a }) { (block { c }) }) })')
  })

  it('if, do, for, select, atomic, d_step, blocks', () => {
    assert.equal(stmts('if :: a -> b :: c fi'), '(if { a ; b } { c })')
    assert.equal(stmts('for (i : 1 .. N) { s = s + i }'), '(for i 1..N { (= s (+ s i)) })')
    assert.equal(stmts('for (i in arr) { skip }'), '(for i in arr { skip })')
    assert.equal(stmts('for (i : 0 .. 2)\n{ skip }'), '(for i 0..2 { skip })')
    assert.equal(stmts('select (i : 1 .. 3)'), '(select i 1..3)')
    assert.equal(stmts('d_step { a; b }; { c }'), '(dStep { a ; b }) ; (block { c })')
  })

  it('sends and receives in all forms', () => {
    assert.equal(stmts('c!a,b; c!!a; c!msg(x, y+1); q[1]!0'), '(! c a b) ; (!! c a) ; (! c msg x (+ y 1)) ; (! q[1] 0)')
    assert.equal(stmts("c?a,b; c??a; c?<a,b>; c??<a>; c?msg(x, y)"), '(? c a b) ; (?? c a) ; (?<> c a b) ; (??<> c a) ; (? c msg x y)')
    assert.equal(stmts("c?_,eval(x+1),-1,5,true,'a',s.f[2]; c?(a,b)"), '(? c _ (eval (+ x 1)) =-1 =5 =true =97 s.f[2]) ; (? c a b)')
  })

  it('assert, printf, printm, inline calls, run, set_priority, c_code', () => {
    assert.equal(stmts('assert(x == 1); assert x'), '(assert (== x 1)) ; (assert x)')
    assert.equal(stmts('printf("x=%d\\t%d\\n", x, y); printf("hi"); printm(m)'), '(printf "x=%d\\t%d\\n" x y) ; (printf "hi") ; (printm m)')
    assert.equal(stmts('swap(a, b); nop()'), '(swap a b) ; (nop)')
    assert.equal(stmts('run P(1, x) priority 2; p = run Q()'), '(run P 1 x prio=2) ; (= p (run Q))')
    assert.equal(stmts('set_priority(_pid, 3); c_code { x++; }; c_expr { x > 0 } -> skip'), '(set_priority _pid 3) ; (c_code) ; (c_expr) ; skip')
  })

  it('local declarations anywhere a statement may stand; xr/xs are dropped', () => {
    assert.equal(stmts('byte a = 1; x = a; chan c = [1] of { byte }; Msg m; local int z'), '(decl byte a=1) ; (= x a) ; (decl chan c=[1]of{byte}) ; (decl Msg m) ; (decl local int z)')
    assert.equal(stmts('xr c; xs d, e[1]; skip'), 'skip')
  })

  it("assigns to SPIN's predefined variables as plain names", () => {
    assert.equal(stmts('_priority = 3'), '(= _priority 3)')
  })
})

describe('expressions', () => {
  it('follow C precedence and associativity', () => {
    assert.equal(expr('a || b && c'), '(|| a (&& b c))')
    assert.equal(expr('a | b ^ c & d'), '(| a (^ b (& c d)))')
    assert.equal(expr('a == b < c'), '(== a (< b c))')
    assert.equal(expr('a != b >= c << d'), '(!= a (>= b (<< c d)))')
    assert.equal(expr('a >> b + c * d % e'), '(>> a (+ b (% (* c d) e)))')
    assert.equal(expr('a - b - c'), '(- (- a b) c)')
    assert.equal(expr('a / b * c'), '(* (/ a b) c)')
    assert.equal(expr('-a * ~b + !c'), '(+ (* (- a) (~ b)) (! c))')
    assert.equal(expr('!a == b'), '(== (! a) b)')
    assert.equal(expr('(a + b) * c'), '(* (+ a b) c)')
    assert.equal(expr('!!a'), '(! (! a))')
  })

  it('conditional expressions', () => {
    assert.equal(expr('x = (a > b -> a : b)'), '(= x (?: (> a b) a b))')
    assert.equal(expr('x = (c -> (d -> 1 : 2) : 3)'), '(= x (?: c (?: d 1 2) 3))')
  })

  it('channel queries, polls, run, builtins, remote references, calls', () => {
    assert.equal(expr('len(q) > 0 && empty(q) || nempty(q) && full(q[1]) || nfull(q)'), '(|| (|| (&& (> (len q) 0) (empty q)) (&& (nempty q) (full q[1]))) (nfull q))')
    assert.equal(expr('c?[a, 1] && c??[eval(x)]'), '(&& (poll? c a =1) (poll?? c (eval x)))')
    assert.equal(expr('_pid + _nr_pr + _last + _priority'), '(+ (+ (+ _pid _nr_pr) _last) _priority)')
    assert.equal(expr('timeout || np_'), '(|| timeout np_)')
    assert.equal(expr('true && false || skip'), '(|| (&& true false) true)')
    assert.equal(ok('proctype P() { L: skip }\ninit { P[1]@L || P@L; P[0]:x > 0; P:y; q.f[1].g }').items.flatMap((i) => (i.kind === 'init' ? [seq(i.body)] : []))[0], '(|| P[1]@L P@L) ; (> P[0]:x 0) ; P:y ; q.f[1].g')
    assert.equal(expr('enabled(1) && pc_value(2) > get_priority(3)'), '(&& (enabled 1) (> (pc_value 2) (get_priority 3)))')
  })
})

describe('ltl', () => {
  it('temporal and boolean operators with SPIN precedence', () => {
    assert.equal(ltl('[] p -> <> q'), '(-> ([] p) (<> q))')
    assert.equal(ltl('[] (a -> <> b)'), '([] (-> a (<> b)))')
    assert.equal(ltl('p U q || r'), '(|| (U p q) r)')
    assert.equal(ltl('a && b U c'), '(&& a (U b c))')
    assert.equal(ltl('![]<>(x == 1)'), '(! ([] (<> (== x 1))))')
    assert.equal(ltl('a -> b -> c'), '(-> (-> a b) c)')
    assert.equal(ltl('a <-> b W c V d'), '(<-> a (V (W b c) d))')
    assert.equal(ltl('X p /\\ q \\/ r'), '(|| (&& (X p) q) r)')
  })

  it('word operators', () => {
    assert.equal(ltl('always eventually (p > 5)'), '([] (<> (> p 5)))')
    assert.equal(ltl('p until q implies next r'), '(-> (U p q) (X r))')
    assert.equal(ltl('p weakuntil q equivalent p release q stronguntil r'), '(<-> (W p q) (U (V p q) r))')
  })

  it('atoms are Promela expressions; boolean combinations of atoms stay one atom', () => {
    assert.equal(ltl('[] (x > 0 && y < 2)'), '([] (&& (> x 0) (< y 2)))')
    assert.equal(ltl('[] ((P@CS) -> (mutex == 1))'), '([] (-> P@CS (== mutex 1)))')
    assert.equal(ltl('<>inp?[red] -> <>out?[red]'), '(-> (<> (poll? inp red)) (<> (poll? out red)))')
    assert.equal(ltl('[] true'), '([] #true)')
    const item = ok('ltl { [] !(a && b) } ltl named { p; }').items
    assert.deepEqual(item.map(top), ['(ltl ([] (! (&& a b))))', '(ltl named p)'])
  })

  it('a temporal formula cannot be a value', () => {
    assert.deepEqual(codes('ltl { ([] p) + 1 }'), ['PML038'])
  })

  it("an option of several cannot start with a statement that has an escape, as SPIN rejects 'unless' on a guard", () => {
    assert.deepEqual(codes('active proctype P() { byte x; do :: { x > 0 } unless { break } :: x < 3 -> x++ od }'), ['PML039'])
    assert.deepEqual(codes('active proctype P() { byte x; if :: x < 3 -> x++ :: { x > 0 } unless { x > 2 } fi }'), ['PML039'])
    // One option alone, or an escape further into the option, is fine.
    assert.deepEqual(codes('active proctype P() { byte x; if :: { x > 0 } unless { x > 2 } fi }'), [])
    assert.deepEqual(codes('active proctype P() { byte x; if :: skip; { x > 0 } unless { x > 2 } :: x < 3 -> x++ fi }'), [])
  })
})

describe('spans', () => {
  const text = 'init {\n  x = a + b * c\n}'
  const { module } = parse(text)
  const init = module.items[0]
  const s = init?.kind === 'init' ? init.body.steps[0] : undefined
  const slice = (sp: { start: number; end: number }): string => text.slice(sp.start, sp.end)

  it('cover the tokens of each node', () => {
    assert.ok(s && s.stmt.kind === 'assign')
    assert.equal(slice(s.span), 'x = a + b * c')
    assert.equal(slice(s.stmt.target.span), 'x')
    assert.equal(slice(s.stmt.value.span), 'a + b * c')
    assert.ok(s.stmt.value.kind === 'binary')
    assert.equal(slice(s.stmt.value.right.span), 'b * c')
    assert.equal(slice(init?.kind === 'init' ? init.body.span : { start: 0, end: 0 }), '{\n  x = a + b * c\n}')
    assert.equal(slice(module.span), text)
  })

  it('map through origin: first token start, last token end', () => {
    // 'int a[NN];' at offset 100 of m.pml, preprocessed to 'int a[5];': the expansion maps to the macro's use.
    const origin = (o: number): { file: string; offset: number } => ({ file: 'm.pml', offset: 100 + (o <= 6 ? o : o + 1) })
    const decl = parsePromela({ text: 'int a[5];', origin }).value?.items[0]
    assert.ok(decl?.kind === 'decl')
    assert.deepEqual(decl.span, { file: 'm.pml', start: 100, end: 109 }) // 'int a[NN]'
    assert.deepEqual(decl.vars[0]?.arraySize?.span, { file: 'm.pml', start: 106, end: 107 })
    // Start and end in different files: the start's file and start + length.
    const r = parsePromela({ text: 'int ab', origin: (o) => (o < 4 ? { file: 'a', offset: o } : { file: 'b', offset: o }) })
    assert.deepEqual(r.value?.span, { file: 'a', start: 0, end: 6 })
  })

  it('ids are unique', () => {
    const m = ok('typedef T { byte a }; proctype P(byte x) { if :: x > 0 -> c!x :: else -> L: { c?<y> } unless { skip } fi } ltl { [] x }')
    const all = ids(m)
    assert.equal(new Set(all).size, all.length)
  })
})

describe('syntax errors', () => {
  const first = (text: string): Diagnostic => {
    const d = parse(text).diagnostics[0]
    assert.ok(d, `expected a diagnostic for ${text}`)
    return d
  }

  it("say what was expected and what was found, at the token's span", () => {
    const d = first('init { x = 1 y = 2 }')
    assert.equal(d.code, 'PML030')
    assert.equal(d.message, "expected ';' or '->', found 'y'")
    assert.deepEqual(d.span, { file: FILE, start: 13, end: 14 })
    assert.equal(first('init { x = (1 + 2 }').message, "expected ')', found '}'")
    assert.equal(first('init { if :: x }').message, "expected '::' or 'fi', found '}'")
    assert.equal(first('init { x = }').message, "expected an expression, found '}'")
    assert.equal(first('init { }').message, "expected a statement, found '}'")
    assert.equal(first('proctype { skip }').message, "expected a proctype name, found '{'")
    assert.equal(first('init {\n x = a\n + b\n}').message, "expected a statement, found '+'")
    assert.equal(first('init { x[1\n] = 2 }').message, "expected ']', found end of line")
    assert.equal(first('init { x = 1').message, "expected '}', found end of file")
  })

  it('recover so that several errors are reported, one per mistake', () => {
    const ds = parse('proctype P() { x = ; y = 1 }\nproctype Q() { a = 1 b }\ninit { c ! }\nint ok = 1').diagnostics
    assert.deepEqual(ds.map((d) => d.message), ["expected an expression, found ';'", "expected ';' or '->', found 'b'", "expected an expression, found '}'"])
    assert.deepEqual(codes('init { x = (((1 + ; y = 2; z = ) }'), ['PML030', 'PML030'])
  })

  it('keep the rest of the module after an error', () => {
    const { module, diagnostics } = parse('proctype P() { x = = 1; y = 2 }\ninit { skip }')
    assert.equal(diagnostics.length, 1)
    assert.deepEqual(module.items.map((i) => i.kind), ['proctype', 'init'])
    const p = module.items[0]
    assert.equal(p?.kind === 'proctype' ? seq(p.body) : '', '(= x 0) ; (= y 2)') // 0 stands in for the missing expression
  })

  it('a missing closing brace stops at the next proctype', () => {
    const { module, diagnostics } = parse('proctype P() { x = 1\nproctype Q() { skip }')
    assert.deepEqual(diagnostics.map((d) => d.message), ["expected '}', found 'proctype'"])
    assert.deepEqual(module.items.map(top), ['(proctype P () { (= x 1) })', '(proctype Q () { skip })'])
  })

  it('non-variables cannot be assigned, sent to or received from', () => {
    assert.deepEqual(codes('init { a + b = 1 }'), ['PML033'])
    assert.deepEqual(codes('init { len(c)!1 }'), ['PML033'])
    assert.deepEqual(codes('init { 3++ }'), ['PML033'])
  })

  it('labels where SPIN gives the statement no state of its own (PML040)', () => {
    const severities = (text: string): string[] => parse(text).diagnostics.map((d) => `${d.code} ${d.severity}`)
    // The first statement inside braces, atomic, d_step, or an inline's body (when the inline is called).
    for (const body of ['{ L: skip; skip }', 'atomic { L: skip }', 'd_step { L: skip }', '{ L: if :: skip fi }', '{ L: skip } unless { skip }', 'skip unless { L: skip }'])
      assert.deepEqual(severities(`init { ${body} }`), ['PML040 error'], body)
    // An escape's first statement, and a labelled statement other than a block before `unless`.
    assert.deepEqual(severities('init { skip unless L: skip }'), ['PML040 error'])
    assert.deepEqual(severities('init { L: skip unless { skip } }'), ['PML040 error'])
    assert.deepEqual(severities('init { L1: L2: { skip } unless { skip } }'), ['PML040 error'])
    // An option's first statement: SPIN prints its error and goes on.
    assert.deepEqual(severities('init { do :: L: skip od }'), ['PML040 warning'])
    assert.deepEqual(severities('init { if :: skip :: L: else fi }'), ['PML040 warning'])
    // Allowed: a proctype's first statement, later statements, a labelled block with an escape, a for loop's body.
    for (const body of ['L: skip', 'skip; { skip; L: skip }', 'L: { skip } unless { skip }', 'L: atomic { skip } unless { skip }', 'byte i; for (i : 1 .. 2) { L: skip }'])
      assert.deepEqual(severities(`init { ${body} }`), [], body)
    const span = parse('init {\n  atomic { Lbl: skip }\n}').diagnostics[0]?.span
    assert.deepEqual(span && { start: span.start, end: span.end }, { start: 18, end: 21 })
  })

  it('labels before declarations, local mtype and typedef, unsupported constructs', () => {
    assert.deepEqual(codes('init { L: byte x }'), ['PML034'])
    assert.deepEqual(codes('init { mtype = { a }; skip }'), ['PML035'])
    assert.deepEqual(codes('init { typedef T { byte a }; skip }'), ['PML035'])
    assert.deepEqual(codes('int a[2] = { 1, 2 }'), ['PML036'])
  })

  it('lexical problems become diagnostics', () => {
    assert.deepEqual(codes('init { x = 1 $ }'), ['PML020'])
    assert.deepEqual(codes('init { skip } /* open'), ['PML021'])
    assert.deepEqual(codes('init { printf("abc\n) }'), ['PML022'])
    assert.deepEqual(codes("init { x = '' + 'ab' }"), ['PML023', 'PML023'])
    assert.deepEqual(codes('#define N 3\ninit { skip }'), ['PML025'])
  })

  it('errors inside an inline are reported only when it is called, as SPIN parses inlines at their calls', () => {
    const bad = 'inline f(q) { :: -> q = 4; return q }\n'
    assert.deepEqual(codes(`${bad}init { skip }`), [])
    assert.deepEqual(codes(`${bad}init { f(x) }`), ['PML030'])
    assert.deepEqual(codes('inline g() { x = $ }\ninit { skip }'), [])
  })

  it('deep nesting is reported, not overflowed', () => {
    for (const text of [`init { x = ${'('.repeat(50000)}1 }`, `init { ${'{'.repeat(20000)} }`, `init { x = ${'!'.repeat(50000)}1 }`, `ltl { ${'[]'.repeat(30000)} p }`, `init { c?${'('.repeat(30000)}a }`, `init { ${'if :: '.repeat(20000)} }`]) {
      const ds = parse(text).diagnostics
      assert.ok(ds.some((d) => d.code === 'PML037'), text.slice(0, 20))
    }
  })
})

// ---------------------------------------------------------------------------------------------
// The corpus: every model parses without a diagnostic, after weft's own preprocessor.

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..')
const corpusRoot = process.env.WEFT_CORPUS ?? join(repoRoot, '..', 'shared', 'corpus')

function pmlFiles(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) out.push(...pmlFiles(path))
    else if (name.endsWith('.pml')) out.push(path)
  }
  return out
}

/** The model after weft's preprocessor, with includes read relative to the including file. */
function preprocessFile(file: string): string {
  const r = preprocess(
    { name: file, text: readFileSync(file, 'utf8') },
    { readFile: (name, from) => (existsSync(join(dirname(from), name)) ? { name: join(dirname(from), name), text: readFileSync(join(dirname(from), name), 'utf8') } : undefined) },
  )
  assert.ok(r.value, `${file} does not preprocess`)
  return r.value.text
}

const corpusMissing = !existsSync(corpusRoot) ? `no corpus at ${corpusRoot} (set WEFT_CORPUS)` : undefined
const corpus = corpusMissing ? [] : pmlFiles(corpusRoot).map((file) => ({ file, text: preprocessFile(file) }))

describe('corpus', () => {
  it('every model parses with no diagnostics', (t) => {
    if (corpusMissing) return t.skip(corpusMissing)
    assert.ok(corpus.length > 0, `no .pml files under ${corpusRoot}`)
    const failures: string[] = []
    for (const { file, text } of corpus) {
      const name = relative(corpusRoot, file)
      const r = parsePromela({ text, origin: (offset) => ({ file: name, offset }) })
      if (r.diagnostics.length > 0) failures.push(`${name}: ${r.diagnostics.slice(0, 3).map((d) => `${d.code} ${d.message} at ${d.span?.start}`).join('; ')}`)
    }
    assert.deepEqual(failures, [])
  })
})

// ---------------------------------------------------------------------------------------------
// Fuzzing: mutated models never make the parser throw or hang.

const samples = [
  'mtype = { a, b }; chan c = [2] of { mtype, byte };\nproctype P(byte x) { do :: c!a,x -> x++ :: c?b,_ -> break od }\ninit { run P(1); assert(len(c) <= 2) }',
  'typedef M { byte f[2] }; M m;\nactive [2] proctype Q() priority 2 { L: if :: m.f[0] > 0 -> goto L :: else fi; atomic { skip } unless { timeout } }\nltl p { [] (Q[0]@L -> <> m.f[1] == 1) }',
  'inline i(a) { a = (a > 1 -> a : 2) }\nnever { do :: !(x) -> skip :: _nr_pr == 0 -> break od }\nproctype R() { for (k : 0 .. 3) { i(k) }; select (j : 1 .. 2); c??<eval(j), 1> }',
]

describe('fuzz', () => {
  const bases = [...samples, ...corpus.map((c) => c.text).filter((t) => t.length < 40_000)]
  const pieces = ['{', '}', '(', ')', '[', ']', ';', '->', '::', ':', '!', '?', '"', "'", '/*', '*/', 'if', 'fi', 'do', 'od', 'unless', 'ltl', '[]', '<>', 'c_code {', '\n', 'proctype', '@', '.', '..']

  const mutation = fc.oneof(
    fc.record({ op: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 20 }) }),
    fc.record({ op: fc.constant('duplicate' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 40 }) }),
    fc.record({ op: fc.constant('swap' as const), at: fc.nat(), other: fc.nat() }),
    fc.record({ op: fc.constant('insert' as const), at: fc.nat(), piece: fc.constantFrom(...pieces) }),
    fc.record({ op: fc.constant('deleteToken' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 4 }) }),
  )

  type Mutation = { readonly op: string; readonly at: number; readonly len?: number; readonly other?: number; readonly piece?: string }

  function mutate(text: string, ms: readonly Mutation[]): string {
    let out = text
    for (const m of ms) {
      const n = Math.max(1, out.length)
      const at = m.at % n
      if (m.op === 'delete') out = out.slice(0, at) + out.slice(at + (m.len ?? 1))
      else if (m.op === 'duplicate') out = out.slice(0, at) + out.slice(at, at + (m.len ?? 1)) + out.slice(at)
      else if (m.op === 'insert') out = out.slice(0, at) + (m.piece ?? '') + out.slice(at)
      else {
        const toks = lexPromela(out).tokens.filter((t) => t.text !== '')
        if (toks.length < 2) continue
        const a = toks[m.at % toks.length]!
        if (m.op === 'deleteToken') {
          const b = toks[Math.min(toks.length - 1, (m.at % toks.length) + (m.len ?? 1) - 1)]!
          out = out.slice(0, a.start) + out.slice(b.end)
        } else {
          const b = toks[(m.other ?? 0) % toks.length]!
          const [x, y] = a.start <= b.start ? [a, b] : [b, a]
          if (x.end > y.start) continue
          out = out.slice(0, x.start) + y.text + out.slice(x.end, y.start) + x.text + out.slice(y.end)
        }
      }
    }
    return out
  }

  it('mutated models never throw and parse quickly', () => {
    fc.assert(
      fc.property(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 8 }), (which, ms) => {
        const text = mutate(bases[which % bases.length]!, ms)
        const t0 = performance.now()
        const r = parsePromela({ text, origin: (offset) => ({ file: 'fuzz.pml', offset }) })
        const ms2 = performance.now() - t0
        assert.ok(r.value)
        assert.ok(ms2 < 2000, `parse took ${ms2} ms`)
        for (const d of r.diagnostics) assert.ok(d.span && d.span.start >= 0 && d.span.end >= d.span.start && d.span.end <= text.length + 1)
      }),
      { seed: 20260522, numRuns: 1000 },
    )
  })

  it('random bytes never throw', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        assert.ok(parsePromela({ text, origin: (offset) => ({ file: 'fuzz.pml', offset }) }).value)
      }),
      { seed: 7, numRuns: 300 },
    )
  })
})
