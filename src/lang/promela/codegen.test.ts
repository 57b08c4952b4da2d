import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { explore } from '../../core/check.js'
import { renderDiagnostics } from '../../diag/render.js'
import { loadPromela } from './load.js'

/**
 * The generated code (codegen.ts) computes what pan computes: each model asserts the values its
 * statements must give, so a wrong operator, conversion or slot fails an assertion; the errors
 * name what pan's name.
 */
function run(text: string): { verdict: string; message?: string } {
  const loaded = loadPromela({ file: 'test.pml', text })
  assert.ok(loaded.model, renderDiagnostics(loaded.diagnostics, (f) => loaded.sources.get(f)))
  const r = explore(loaded.model, { strategy: 'dfs', checkDeadlock: true, continueAfterViolation: false })
  return { verdict: r.violation ? r.violation.kind : r.status, ...(r.violation ? { message: r.violation.message } : {}) }
}

function holds(body: string, decls = ''): void {
  const r = run(`${decls}\nactive proctype Main() {\n${body}\n}`)
  assert.equal(r.verdict, 'ok', r.message)
}

describe('generated statements', () => {
  it('convert a stored value to the variable type, on assignment and on ++ and --', () => {
    holds('b = 255; b++; assert(b == 0); b--; assert(b == 255); b = 300; assert(b == 44)', 'byte b;')
    holds('s = 32767; s++; assert(s == -32768); s = 65537; assert(s == 1); s--; s--; assert(s == -1)', 'short s;')
    holds('t = 3; assert(t == 1); t++; assert(t == 0); t--; assert(t == 1)', 'bit t;')
    holds('u = 9; assert(u == 1); u--; assert(u == 0); u--; assert(u == 7)', 'unsigned u : 3;')
    holds('i = 2147483647; i++; assert(i == -2147483648)', 'int i;')
  })
  it('compute each operator as C does on 32-bit ints', () => {
    holds(
      [
        'i = 7; j = -3;',
        'assert(i + j == 4); assert(i - j == 10); assert(i * j == -21);',
        'assert((i & 3) == 3); assert((i | 8) == 15); assert((i ^ 5) == 2); assert((i << 2) == 28); assert((j >> 1) == -2);',
        'assert(-i == -7); assert(!i == 0); assert(!0 == 1); assert(~i == -8);',
        'assert((i > j) == 1); assert((i < j) == 0); assert((i >= 7) && (i <= 7)); assert(i != j);',
        'assert((i > 0 -> 1 : 2) == 1); assert((j > 0 -> 1 : 2) == 2);',
        'assert((0 || i) == 1); assert((i && 0) == 0);',
        'k = 2147483647; assert(k + 1 == -2147483648); assert(k * 2 == -2)',
      ].join('\n'),
      'int i, j, k;',
    )
  })
  it('read and write array elements and structure fields at their slots', () => {
    holds(
      [
        'byte i = 2; a[i] = 5; a[i - 1] = 4; assert(a[2] == 5 && a[1] == 4 && a[0] == 0);',
        'r[1].f[i] = 9; r[1].g = 3; r.g = 1; assert(r[1].f[2] == 9 && r[1].g == 3 && r[0].g == 1 && r[0].f[2] == 0);',
        'a[i]++; assert(a[2] == 6); assert(a == a[0])',
      ].join('\n'),
      'typedef R { byte f[3]; byte g }\nR r[2];\nbyte a[3];',
    )
  })
  it('read mtype names as values unless a variable has that name, and the built-in values', () => {
    holds('assert(red == 2); assert(green == 1); byte m = blue; assert(m == 3)', 'mtype = { blue, red, green };')
    holds('assert(_pid == 0); assert(_nr_pr == 1); assert(timeout == 0)')
  })
  it('read channel lengths', () => {
    holds('c!1; c!2; assert(len(c) == 2); assert(nempty(c)); assert(!empty(c)); c?_; c?_; assert(empty(c))', 'chan c = [2] of { byte };')
  })
  it('report an index out of range with the array, the index and its length, the last index first', () => {
    const one = run('byte a[3];\nactive proctype Main() { byte i = 3; a[i] = 1 }')
    assert.equal(one.verdict, 'runtime-error')
    assert.match(one.message!, /index out of range: a\[3\], the array has 3 elements/)
    const two = run('typedef R { byte f[2] }\nR r[2];\nactive proctype Main() { byte i = 5; byte j = 7; r[i].f[j] = 1 }')
    assert.match(two.message!, /index out of range: r\.f\[7\], the array has 2 elements/)
    const read = run('byte a[3];\nactive proctype Main() { byte i = 4; byte k; k = a[i] }')
    assert.match(read.message!, /index out of range: a\[4\]/)
  })
  it('receive the head message: matching constants, storing fields converted to the variables, skipping _', () => {
    holds(
      [
        'c!RDY,300,7; c!DATA,2,9;',
        'assert(!(c?[DATA,2,9])); assert(c?[RDY,_,_]);',
        'c?RDY,b,t; assert(b == 44 && t == 1 && len(c) == 1);',
        'c?<DATA,b,_>; assert(b == 2 && len(c) == 1);',
        'i = 2; c?eval(DATA),a[i],_; assert(a[2] == 2 && empty(c));',
        'c!NODATA,1,1; c!RDY,1,1; c??RDY,b,_; assert(len(c) == 1 && b == 1)',
      ].join('\n'),
      'mtype = { RDY, DATA, NODATA };\nchan c = [3] of { mtype, int, byte };\nbyte b, i, a[3];\nbit t;',
    )
  })
  it('send: a full channel blocks, fields are converted to the channel type, sorted sends keep order', () => {
    holds('c!300,1; c!2,2; assert(full(c)); c?x,y; assert(x == 44 && y == 1); c!!1,0; c?x,_; assert(x == 1)', 'chan c = [2] of { byte, bit };\nbyte x, y;')
    const blocked = run('chan c = [1] of { byte };\nactive proctype Main() { c!1; c!2 }')
    assert.equal(blocked.verdict, 'invalid-end-state')
  })
  it('report a message of another width where the channel is only known when it runs', () => {
    const send = run('chan c = [1] of { byte, byte };\nactive proctype Main() { chan d = c; d!1 }')
    assert.equal(send.verdict, 'runtime-error')
    assert.match(send.message!, /too few fields in the send: it has 1, the channel's messages have 2/)
    const recv = run('chan c = [1] of { byte };\nactive proctype Main() { chan d = c; byte x, y; c!1; d?x,y }')
    assert.equal(recv.verdict, 'runtime-error')
    assert.match(recv.message!, /too many fields/)
  })
  it('evaluate the value before the target slot', () => {
    const r = run('byte a[3];\nactive proctype Main() { byte i = 9; byte z; a[i] = 1 / z }')
    assert.equal(r.verdict, 'runtime-error')
    assert.match(r.message!, /division by zero/)
  })
})
