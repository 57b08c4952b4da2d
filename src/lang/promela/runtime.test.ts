import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { explore } from '../../core/check.js'
import { isTransitionFailure, type SuccessorSink } from '../../core/model.js'
import { renderDiagnostics } from '../../diag/render.js'
import { claimProduct } from './claim.js'
import { loadPromela } from './load.js'
import type { PromelaModel } from './model.js'
import { VectorArena, VectorCodec } from './vector.js'

function load(text: string): PromelaModel & { claims: readonly string[] } {
  const loaded = loadPromela({ file: 'test.pml', text })
  assert.ok(loaded.model, renderDiagnostics(loaded.diagnostics, (f) => loaded.sources.get(f)))
  return Object.assign(loaded.model, { claims: loaded.claims })
}

describe('state bytes (VectorCodec)', () => {
  const codec = new VectorCodec(new VectorArena(), new Uint8Array([0, 0, 1]))

  it('decode gives back the vector, small, large and negative slots alike', () => {
    const v = Int32Array.from([0, 254, 255, 256, -1, 2 ** 31 - 1, -(2 ** 31), 7])
    const plain = new VectorCodec(new VectorArena(), new Uint8Array(0))
    const bytes = plain.encode(v)
    assert.equal(bytes.length, 3 + 5 * 5)
    assert.deepEqual(Array.from(plain.decode(bytes)), Array.from(v))
  })

  it('different vectors have different bytes, also where a wide slot could read as narrow ones', () => {
    const seen = new Map<string, string>()
    const vectors = [[255], [255, 0, 0, 0, 0], [0, 255], [1, 0], [1], [256], [0, 1, 0, 0, 0], [-1], [254, 255]]
    const plain = new VectorCodec(new VectorArena(), new Uint8Array(0))
    for (const v of vectors) {
      const key = Array.from(plain.encode(Int32Array.from(v))).join(',')
      assert.equal(seen.get(key), undefined, `${v} and ${seen.get(key)} share their bytes`)
      seen.set(key, v.join(','))
    }
  })

  it('leaves hidden slots out of the bytes', () => {
    const a = Array.from(codec.encode(Int32Array.from([3, 4, 5, 6])))
    const b = Array.from(codec.encode(Int32Array.from([3, 4, 900, 6])))
    assert.deepEqual(a, b)
    assert.deepEqual(Array.from(codec.decode(Uint8Array.from(a))), [3, 4, 0, 6])
  })

  it('writes four narrow slots at a time as the same bytes as one at a time, whatever their mix with wide ones', () => {
    const plain = new VectorCodec(new VectorArena(), new Uint8Array(0))
    const slot = fc.oneof(fc.integer({ min: 0, max: 254 }), fc.constantFrom(255, 256, -1, 2 ** 31 - 1, -(2 ** 31)), fc.integer())
    fc.assert(
      fc.property(fc.array(slot, { maxLength: 40 }), (values) => {
        const v = Int32Array.from(values)
        const expected: number[] = []
        for (const x of values) {
          if (x >= 0 && x < 255) expected.push(x)
          else expected.push(255, x & 255, (x >> 8) & 255, (x >> 16) & 255, (x >>> 24) & 255)
        }
        const bytes = plain.encode(v)
        assert.deepEqual(Array.from(bytes), expected)
        assert.deepEqual(Array.from(plain.decode(bytes)), values)
      }),
    )
  })

  it('encodes a slot appended after the vector as the longer vector', () => {
    const appended = Array.from(codec.encode(Int32Array.from([1, 2, 3]), 300))
    assert.deepEqual(appended, Array.from(codec.encode(Int32Array.from([1, 2, 3, 300]))))
  })
})

describe('vectors from an arena', () => {
  it('are independent copies, also across slabs', () => {
    const arena = new VectorArena()
    const src = Int32Array.from({ length: 1000 }, (_, i) => i)
    const copies = Array.from({ length: 40 }, () => arena.copy(src))
    copies[3]![0] = -5
    for (const [i, c] of copies.entries()) assert.equal(c[0], i === 3 ? -5 : 0)
    assert.equal(copies[39]![999], 999)
  })
})

type Stepper = { initStates(): readonly Int32Array[]; actions(v: Int32Array): readonly unknown[]; nextState(v: Int32Array, a: unknown): Int32Array | undefined; nextEncoded?(v: Int32Array, a: unknown): Uint8Array | undefined; keepNext?(): Int32Array; successorsEncoded?(v: Int32Array, sink: SuccessorSink): void; encode(v: Int32Array): Uint8Array }

/**
 * `successorsEncoded` of `v` gives each enabled action's `nextEncoded` bytes, in order, or throws
 * (and the search takes the state step by step) where a step fails.
 */
function assertAllAtOnce(model: Stepper, v: Int32Array): void {
  const entries: { action: number; at: number; length: number }[] = []
  const sink = {
    bytes: new Uint8Array(1 << 16),
    top: 0,
    add(action: number, length: number): number {
      entries.push({ action, at: this.top, length })
      this.top += length
      return this.top - length
    },
  }
  let threw = false
  try {
    model.successorsEncoded!(v, sink)
  } catch {
    threw = true
  }
  const got = entries.map((e) => `${e.action}:${Array.from(sink.bytes.subarray(e.at, e.at + e.length)).join(',')}`)
  const expected: string[] = []
  let fails = false
  model.actions(v).forEach((a, i) => {
    try {
      const b = model.nextEncoded!(v, a)
      if (b !== undefined) expected.push(`${i}:${Array.from(b).join(',')}`)
    } catch {
      fails = true
    }
  })
  if (fails) assert.ok(threw, 'successorsEncoded went on where a step failed')
  if (!threw) assert.deepEqual(got, expected)
}

/**
 * Every successor, three ways: the step's own vector (nextState), its bytes without a vector
 * (nextEncoded), and what a failing step still reaches. They must agree on every reachable state.
 */
function assertSuccessorsAgree(model: Stepper): number {
  const key = (b: Uint8Array): string => Array.from(b).join(',')
  const seen = new Set<string>()
  const todo = [...model.initStates()]
  let checked = 0
  while (todo.length > 0) {
    const v = todo.pop()!
    const k = key(model.encode(v))
    if (seen.has(k)) continue
    seen.add(k)
    for (const a of model.actions(v)) {
      let next: Int32Array | undefined
      let failure: unknown
      try {
        next = model.nextState(v, a)
      } catch (e) {
        failure = e
        next = isTransitionFailure(e) ? (e.next as Int32Array | undefined) : undefined
      }
      let bytes: Uint8Array | undefined
      try {
        bytes = model.nextEncoded!(v, a)
        assert.equal(failure, undefined, 'nextEncoded went on where nextState failed')
        // The vector a depth-first search keeps for new bytes: the successor itself, hidden slots included.
        if (bytes !== undefined) assert.deepEqual(Array.from(model.keepNext!()), Array.from(next!))
      } catch (e) {
        assert.ok(failure !== undefined, 'nextEncoded failed where nextState went on')
        assert.equal((e as Error).message, (failure as Error).message)
        bytes = isTransitionFailure(e) && e.next !== undefined ? model.encode(e.next as Int32Array) : undefined
      }
      assert.equal(bytes === undefined ? undefined : key(bytes), next === undefined ? undefined : key(model.encode(next)))
      checked++
      if (next) todo.push(next)
    }
    assertAllAtOnce(model, v)
  }
  return checked
}

describe('successors', () => {
  it('are the same as bytes alone and as vectors: plain steps, atomic chains, rendezvous, run, process ends, hidden globals', () => {
    const model = load(`
      hidden byte scratch;
      byte g, n;
      chan r = [0] of { byte };
      chan q = [1] of { byte, byte };
      proctype Child(byte k) { g = g + k; scratch = k }
      active proctype A() {
        byte i;
        do
        :: i < 2 -> atomic { run Child(i); i++ ; r!i }
        :: q?_,n
        :: i >= 2 -> break
        od
      }
      active proctype B() {
        byte m;
        end: do
        :: r?m -> q!m,m+1
        od
      }`)
    assert.ok(assertSuccessorsAgree(model) > 20)
  })

  it('agree where a step fails (an assertion that still completes, an index out of range)', () => {
    const model = load(`
      byte a[2];
      active proctype P() { byte i; do :: i < 3 -> a[i] = 1; i++ :: assert(i < 2) od }`)
    assertSuccessorsAgree(model)
  })

  it('agree in the product with a claim', () => {
    const model = load(`
      byte x;
      active proctype P() { do :: x < 3 -> x++ :: x == 3 -> x = 0 od }
      ltl small { [] (x < 3) }`)
    const product = claimProduct(model, 'small')
    assert.ok(product)
    assertSuccessorsAgree(product)
  })

  it("read timeout as true in the effects of a step taken in the timeout pass (SPIN: 4 stored, the assert holds)", () => {
    const model = load(`
      byte x;
      active proctype A() { d_step { timeout -> x = timeout }; assert(x == 1) }`)
    for (const strategy of ['dfs', 'bfs'] as const) {
      const r = explore(model, { strategy, checkDeadlock: true, continueAfterViolation: false })
      assert.deepEqual({ status: r.status, stored: r.stats.distinct }, { status: 'ok', stored: 4 })
    }
  })
})
