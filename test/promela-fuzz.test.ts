import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { loadPromela } from '../src/lang/promela/load.js'
import { randomPromela } from './support/promela-fuzz.js'

describe('random Promela models for the differential tests against SPIN', () => {
  it('are the same for the same seed and differ between seeds', () => {
    assert.equal(randomPromela(7), randomPromela(7))
    assert.notEqual(randomPromela(7), randomPromela(8))
  })
  it('mostly load in weft (the rest are programs SPIN rejects too, such as gotos that only jump to each other)', () => {
    const seeds = Array.from({ length: 40 }, (_, i) => i + 1)
    const loaded = seeds.filter((seed) => loadPromela({ file: 'm.pml', text: randomPromela(seed) }).model !== undefined)
    assert.ok(loaded.length >= 28, `only ${loaded.length} of 40 load`)
  })
})
