import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import type { Diagnostic } from '../../diag/diagnostic.js'
import { renderDiagnostic } from '../../diag/render.js'
import { pmlCodes } from './codes.js'
import { preprocess, type PreprocessOptions, type Preprocessed, type SourceFile } from './preprocess.js'

const run = (text: string, options?: PreprocessOptions): { value: Preprocessed; diagnostics: readonly Diagnostic[] } => {
  const r = preprocess({ name: 'm.pml', text }, options)
  assert.ok(r.value, 'the value is always present')
  return { value: r.value, diagnostics: r.diagnostics }
}
/** The output of a model that must preprocess cleanly. */
const out = (text: string, options?: PreprocessOptions): string => {
  const r = run(text, options)
  assert.deepEqual(r.diagnostics, [])
  return r.value.text
}
const files = (map: Record<string, string>): PreprocessOptions['readFile'] => (name) =>
  map[name] === undefined ? undefined : { name, text: map[name] }
/** Where the first occurrence of `what` (after `after`) in the output comes from, as file and source text there. */
const originOf = (p: Preprocessed, what: string, after = 0): { file: string; at: string } => {
  const i = p.text.indexOf(what, after)
  assert.ok(i >= 0, `'${what}' in ${JSON.stringify(p.text)}`)
  const o = p.origin(i)
  return { file: o.file, at: (p.sources.get(o.file) ?? '').slice(o.offset, o.offset + what.length) }
}
const spanText = (p: Preprocessed, d: Diagnostic): string => (d.span ? (p.sources.get(d.span.file) ?? '').slice(d.span.start, d.span.end) : '')

describe('preprocess: comments and line structure', () => {
  it('blanks out comments so that the other text keeps its offsets', () => {
    const text = 'a /* x */ b // c\nd'
    const r = run(text).value
    assert.equal(r.text, 'a         b\nd')
    assert.equal(r.text.indexOf('b'), text.indexOf('b'))
    assert.deepEqual(r.origin(r.text.indexOf('d')), { file: 'm.pml', offset: text.indexOf('d') })
  })

  it('keeps the lines of a multi-line comment and of directives', () => {
    assert.equal(out('a /* x\ny */ b\nc\n'), 'a\n     b\nc\n')
    assert.equal(out('#define N 1\n\n#if N\nx\n#endif\ny\n'), '\n\n\nx\n\ny\n')
  })

  it('does not see comment markers inside strings, nor macros inside strings and characters', () => {
    assert.equal(out('#define x 1\nprintf("x = %d /* no */\\n", x); c = \'x\''), '\nprintf("x = %d /* no */\\n", 1); c = \'x\'')
  })
})

describe('preprocess: macros', () => {
  it('expands object-like macros until #undef', () => {
    assert.equal(out('#define N 5\nint x = N;\n#undef N\nN\n'), '\nint x = 5;\n\nN\n')
  })

  it('substitutes arguments, with parentheses and commas inside them', () => {
    assert.equal(out('#define F(a, b) (a + b)\nF((1, 2), g(3, 4))'), '\n((1, 2) + g(3, 4))')
    assert.equal(out('#define F(x) [x]\nF\n(1) F;'), '\n[1]\n F;')
  })

  it('expands the result again, but never a macro inside its own expansion', () => {
    assert.equal(out('#define foo foo + 1\nfoo'), '\nfoo + 1')
    assert.equal(out('#define a b\n#define b a\na b'), '\n\na b')
    assert.equal(out('#define N M\n#define M 3\nN'), '\n\n3')
    assert.equal(out('#define f(a) a*g\n#define g(a) f(a)\nf(2)(9)'), '\n\n2*9*g')
  })

  it('joins lines ending in a backslash, and keeps the line count', () => {
    assert.equal(out('#define M(x) { x; \\\n x }\nM(y)\nz'), '\n\n{ y; y }\nz')
  })

  it('keeps the line count after an invocation that spans lines', () => {
    // gcc prints `1 +2;` too: a number followed by '+' could read back as one pp-number
    assert.equal(out('#define F(a, b) a+b\nF(1,\n  2); x\ny'), '\n1 +2;\n x\ny')
  })

  it('stringifies with # and pastes with ##', () => {
    assert.equal(out('#define S(x) #x\nS(a "b\\n"  +  \'c\')'), '\n"a \\"b\\\\n\\" + \'c\'"')
    assert.equal(out('#define P(a, b) a##b\nP(x, 1) P(, y) P(z, )'), '\nx1 y z')
  })

  it('takes variadic arguments', () => {
    assert.equal(out('#define V(a, ...) f(a; __VA_ARGS__)\nV(1) V(1, 2, 3)'), '\nf(1; ) f(1; 2, 3)')
  })

  it('spaces tokens as gcc does, so that they do not paste', () => {
    assert.equal(out('#define M -1\n-M x=M;'), '\n- -1 x=-1;')
  })
})

describe('preprocess: origins', () => {
  it('maps a macro body to the use of the macro, and an argument to where it was written', () => {
    const text = '#define M(x) (x + 1)\n  y = M(z);\n'
    const r = run(text).value
    assert.equal(r.text, '\n  y = (z + 1);\n')
    assert.deepEqual(r.origin(r.text.indexOf('+')), { file: 'm.pml', offset: text.indexOf('M(z)') })
    assert.deepEqual(r.origin(r.text.indexOf('z')), { file: 'm.pml', offset: text.indexOf('z)') })
    assert.deepEqual(r.origin(r.text.indexOf(';')), { file: 'm.pml', offset: text.indexOf(';') })
  })

  it('maps text after a backslash-newline to the original offsets', () => {
    const text = 'a \\\n b'
    const r = run(text).value
    assert.deepEqual(originOf(r, 'b'), { file: 'm.pml', at: 'b' })
  })
})

describe('preprocess: #include', () => {
  const inc = { 'inc.h': '#define K 7\nint k = K;\n', 'nested.h': '#include "inc.h"\nnest;\n' }

  it('reads the file through readFile, with the including file, and maps its text back to it', () => {
    const seen: [string, string][] = []
    const readFile = (name: string, from: string): SourceFile | undefined => {
      seen.push([name, from])
      return files(inc)?.(name, from)
    }
    const r = run('a;\n#include "nested.h"\nb = K;\n', { readFile })
    assert.deepEqual(r.diagnostics, [])
    assert.deepEqual(seen, [['nested.h', 'm.pml'], ['inc.h', 'nested.h']])
    assert.equal(r.value.text.split(/\s+/).join(' '), 'a; int k = 7; nest; b = 7; ')
    assert.deepEqual(originOf(r.value, 'k ='), { file: 'inc.h', at: 'k =' })
    assert.deepEqual(originOf(r.value, '7;'), { file: 'inc.h', at: 'K;' })
    assert.deepEqual(originOf(r.value, 'nest'), { file: 'nested.h', at: 'nest' })
    assert.deepEqual(originOf(r.value, 'b'), { file: 'm.pml', at: 'b' })
    assert.deepEqual(originOf(r.value, '7', r.value.text.indexOf('b')), { file: 'm.pml', at: 'K' })
    assert.deepEqual([...r.value.sources.keys()], ['m.pml', 'nested.h', 'inc.h'])
  })

  it('reports a missing file at the directive', () => {
    const r = run('\n#include "nope.h"\nx\n', { readFile: files({}) })
    assert.deepEqual(r.diagnostics.map((d) => [d.code, d.message, spanText(r.value, d)]), [['PML004', "cannot find include file 'nope.h'", '#include "nope.h"']])
    assert.equal(r.value.text, '\n\nx\n')
  })

  it('stops an include cycle', () => {
    const r = run('#include "self.h"\n', { readFile: files({ 'self.h': '#include "self.h"\n' }) })
    assert.deepEqual(r.diagnostics.map((d) => d.code), ['PML006'])
  })
})

describe('preprocess: conditionals', () => {
  const cond = (text: string): string => out(text).split(/\s+/).filter(Boolean).join(' ')

  it('takes the first true branch of #if/#elif/#else', () => {
    assert.equal(cond('#if 0\na\n#elif 1 + 2 * 3 == 7 && !(8 / 3 - 2)\nb\n#else\nc\n#endif'), 'b')
    assert.equal(cond('#if 0\na\n#elif 0\nb\n#else\nc\n#endif'), 'c')
    assert.equal(cond('#if (1 << 4) == 16 && -7 % 3 == -1 && (0 ? 1 : 2) == 2 && 0x10 == 020 && \'A\' == 65\nok\n#endif'), 'ok')
  })

  it('knows defined(X), defined X, #ifdef and #ifndef; an unknown name is 0', () => {
    assert.equal(cond('#define X\n#if defined(X) && defined X && !defined(Y) && UNKNOWN == 0\nok\n#endif'), 'ok')
    assert.equal(cond('#define X\n#ifdef X\na\n#endif\n#ifndef X\nb\n#endif\n#ifndef Y\nc\n#endif'), 'a c')
  })

  it('expands macros in the condition', () => {
    assert.equal(cond('#define N 3\n#define TWICE(x) ((x) * 2)\n#if TWICE(N) == 6\nok\n#endif'), 'ok')
  })

  it('does not evaluate skipped groups, nor the right of a decided && or ||', () => {
    assert.equal(cond('#if 0\n#if 1/0 garbage (\n#endif\n#bogus\n#else\nyes\n#endif'), 'yes')
    assert.equal(cond('#if 0 && 1/0\nno\n#elif 1 || 1/0\nyes\n#endif'), 'yes')
  })
})

describe('preprocess: -D defines', () => {
  it('defines them before the model', () => {
    assert.equal(out('N M F(2)\n', { defines: { N: '3', M: '', 'F(x)': 'x+1' } }), '3  2 +1\n')
    assert.equal(out('#ifndef N\n#define N 5\n#endif\nN\n', { defines: { N: '3' } }).trim(), '3')
  })

  it("lets the model's own #define replace one, as cpp does, with a warning", () => {
    // cpp -DN=3 on a file with `#define N 5` warns '"N" redefined' and uses 5: the later definition wins.
    const r = run('#define N 5\nN\n', { defines: { N: '3' } })
    assert.equal(r.value.text, '\n5\n')
    assert.deepEqual(r.diagnostics.map((d) => [d.code, d.severity, d.message, spanText(r.value, d)]), [['PML015', 'warning', "macro 'N' redefined", 'N']])
    assert.equal(r.diagnostics[0].notes?.[0].span?.file, '<command-line>')
  })

  it('does not warn when the definition is the same', () => {
    assert.equal(out('#define N 3\nN\n', { defines: { N: '3' } }), '\n3\n')
  })
})

describe('preprocess: other directives and errors', () => {
  it('ignores #line, #pragma and line markers', () => {
    assert.equal(out('#line 20 "x.pml"\n#pragma once\n# 3 "y.pml"\n#\nx\n'), '\n\n\n\nx\n')
  })

  it('reports an unknown directive with file:line:col', () => {
    const r = run('x\n  #foo bar\n')
    assert.deepEqual(r.diagnostics.map((d) => [d.code, d.message, spanText(r.value, d)]), [['PML003', "unknown directive '#foo'", '#foo']])
    const text = renderDiagnostic(r.diagnostics[0], (f) => r.value.sources.get(f))
    assert.match(text, /^error\[PML003\]: unknown directive '#foo'\n +--> m\.pml:2:3\n/)
  })

  const cases: [string, string, string, string][] = [
    ['a /* open', 'PML001', 'unterminated comment', '/*'],
    ['#define 3 x', 'PML002', "macro names must be identifiers, found '3'", '3'],
    ['#define F(a, a) a', 'PML002', "duplicate macro parameter 'a'", 'a'],
    ['#define F(a) #b', 'PML002', "'#' is not followed by a macro parameter", '#'],
    ['#define F ## x', 'PML002', "'##' cannot appear at either end of a macro expansion", '##'],
    ['#include nothing', 'PML005', '#include expects "file" or <file>', '#include nothing'],
    ['#endif', 'PML007', "'#endif' without '#if'", '#endif'],
    ['#if 1\n#else\n#elif 1\n#endif', 'PML007', "'#elif' after '#else'", '#elif 1'],
    ['#if 1\nx', 'PML008', "unterminated '#if'", '#if 1'],
    ['#if 1 +\n#endif', 'PML009', 'expected a value at the end of the condition', '+'],
    ['#if (1\n#endif', 'PML009', "missing ')' in the condition", '('],
    ['#if 1 2\n#endif', 'PML009', "missing binary operator before token '2'", '2'],
    ['#if 1/0\n#endif', 'PML009', 'division by zero in #if', '/'],
    ['#if 1.5\n#endif', 'PML009', "invalid integer constant '1.5' in #if", '1.5'],
    ['#if defined(\n#endif', 'PML009', "operator 'defined' requires an identifier", 'defined'],
    ['#define F(a, b) a\nF(1)', 'PML010', "macro 'F' takes 2 arguments, but 1 was given", 'F'],
    ['#define F(a) a\nF(1, 2)', 'PML010', "macro 'F' takes 1 argument, but 2 were given", 'F'],
    ['#define F(a) a\nx F(1,\n', 'PML011', "unterminated argument list invoking macro 'F'", 'F'],
    ['#define P(a, b) a##b\nP(+, /)', 'PML012', "pasting '+' and '/' does not give a valid preprocessing token", '+'],
    ['#error stop here', 'PML013', '#error stop here', '#error stop here'],
    ['#warning careful', 'PML014', '#warning careful', '#warning careful'],
    ['#define A 1\n#define A 2', 'PML015', "macro 'A' redefined", 'A'],
    ['#ifdef\n#endif', 'PML016', 'no macro name given in #ifdef', '#ifdef'],
  ]
  for (const [text, code, message, at] of cases) {
    it(`${code}: ${message}`, () => {
      const r = run(text)
      assert.deepEqual(r.diagnostics.map((d) => [d.code, d.message, spanText(r.value, d)]), [[code, message, at]])
      assert.ok(code in pmlCodes)
    })
  }

  it('gives every diagnostic a code, a lower-case message and a span', () => {
    for (const [text] of cases) {
      for (const d of run(text).diagnostics) {
        assert.ok(d.span && d.span.end >= d.span.start, d.message)
        assert.match(d.message, /^[^A-Z]/, d.message)
      }
    }
  })
})

describe('preprocess: the corpus', () => {
  const root = fileURLToPath(new URL('../../../../', import.meta.url))
  const corpus = join(process.env.WEFT_CORPUS ?? join(root, '..', 'shared', 'corpus'), 'promela')
  const models = (): string[] => {
    const found: string[] = []
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir).sort()) {
        const p = join(dir, e)
        if (statSync(p).isDirectory()) walk(p)
        else if (p.endsWith('.pml')) found.push(p)
      }
    }
    walk(corpus)
    return found
  }
  const readFile = (name: string, from: string): SourceFile | undefined => {
    const p = resolve(dirname(from), name)
    return existsSync(p) ? { name: p, text: readFileSync(p, 'utf8') } : undefined
  }
  const load = (file: string): Preprocessed => {
    const r = preprocess({ name: file, text: readFileSync(file, 'utf8') }, { readFile })
    assert.deepEqual(r.diagnostics, [], relative(corpus, file))
    assert.ok(r.value)
    return r.value
  }

  it('preprocesses every model without diagnostics', (t) => {
    if (!existsSync(corpus)) return t.skip(`no corpus at ${corpus}`)
    const all = models()
    assert.ok(all.length > 0)
    for (const file of all) load(file)
  })

  it('gives the tokens cpp gives, for every model with a directive', (t) => {
    if (!existsSync(corpus)) return t.skip(`no corpus at ${corpus}`)
    if (spawnSync('which', ['cpp']).status !== 0) return t.skip('cpp is not installed')
    const withDirectives = models().filter((f) => /^\s*#/m.test(readFileSync(f, 'utf8')))
    assert.ok(withDirectives.length > 0)
    for (const file of withDirectives) {
      // SPIN runs `gcc -std=gnu99 -E -x c`; -undef leaves out gcc's predefined `linux`/`unix`, which weft does not define.
      const cpp = spawnSync('cpp', ['-P', '-undef', '-std=gnu99', '-x', 'c', file], { cwd: dirname(file), encoding: 'utf8' })
      assert.equal(cpp.status, 0, cpp.stderr)
      const tokens = (s: string): string[] => s.split(/\s+/).filter(Boolean)
      assert.deepEqual(tokens(load(file).text), tokens(cpp.stdout), relative(corpus, file))
    }
  })
})
