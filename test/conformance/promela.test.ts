import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { describe, it } from 'node:test'
import { asPanPrints, corpusDir, isSupported, mismatchTable, readManifest, runEntry, type Outcome } from '../support/promela-corpus.js'

/**
 * Differential test against SPIN 6.5.2's canonical counts (../shared/corpus/promela/manifest.json):
 * every entry (safety, ltl and never claims, accept labels, non-progress) must get SPIN's verdict,
 * and every complete search SPIN's stored states and transitions, and, when it searches depth-first
 * on one thread as pan does (safety, claims and non-progress alike), SPIN's "depth reached". Entries whose canonical state
 * space is larger than LIMIT run in `npm run conformance:full`.
 */
const LIMIT = Number(process.env['WEFT_CONFORMANCE_LIMIT'] ?? 300_000)

/** fixme: entries (`name [claim]`) that still differ from SPIN (none now). Each must still differ, so that a fix updates this list. */
const KNOWN_DIFFERENT = new Set<string>([])

/** An entry's key: its name, and for a claim mode the claim (or the mode). */
const keyOf = (e: { name: string; mode: string; ltl?: string }): string => (e.mode === 'safety' ? e.name : `${e.name} [${e.ltl ?? e.mode}]`)

const manifest = readManifest()

describe("pan's printed counts", () => {
  it('have eight significant digits (%9.8g), so counts from 100,000,000 up compare rounded half to even', () => {
    assert.equal(asPanPrints(49305042, 49305042), true)
    assert.equal(asPanPrints(49305041, 49305042), false)
    assert.equal(asPanPrints(137090947, 137090950), true)
    assert.equal(asPanPrints(137090947, 137090947), false)
    assert.equal(asPanPrints(137090957, 137090950), false)
    assert.equal(asPanPrints(111909365, 111909360), true)
    assert.equal(asPanPrints(111909375, 111909380), true)
    assert.equal(asPanPrints(111909365, 111909370), false)
  })
})

describe('Promela conformance with SPIN (canonical configuration)', () => {
  if (!manifest) {
    it.skip(`the corpus is not at ${corpusDir()} (set WEFT_CORPUS to run these tests)`, () => {})
    return
  }
  const supported = (e: (typeof manifest)[number]): boolean => e.expect.canonical.stored <= LIMIT && isSupported(e)
  const safety = manifest.filter(supported)
  const outcomes: Outcome[] = []

  for (const entry of safety) {
    it(keyOf(entry), async (t) => {
      const outcome = await runEntry(entry)
      outcomes.push(outcome)
      if (KNOWN_DIFFERENT.has(keyOf(entry))) {
        t.diagnostic(`fixme: ${outcome.mismatches.join('; ')}`)
        assert.ok(outcome.mismatches.length > 0, `${entry.name} now matches SPIN: remove it from KNOWN_DIFFERENT`)
        return
      }
      assert.deepEqual(outcome.mismatches, [], `${entry.name} differs from SPIN`)
    })
  }

  // pan -c0: the search goes on past errors (a failing assert completes its step), so the whole
  // space is counted, and so is every error. These counts do not depend on the search order.
  const noStop = manifest.filter((e) => e.expect.canonicalNoStop && e.expect.canonicalNoStop.stored <= LIMIT)
  for (const entry of noStop) {
    for (const bfs of [false, true]) {
      it(`${keyOf(entry)} --continue${bfs ? ' (breadth-first)' : ''}`, async () => {
        const outcome = await runEntry(entry, undefined, { continue: true, bfs })
        assert.deepEqual(outcome.mismatches, [], `${entry.name} with --continue differs from SPIN's -c0 counts`)
      })
    }
  }

  it('prints the table of differences', (t) => {
    t.diagnostic(mismatchTable(outcomes))
    const later = manifest.filter((e) => e.expect.canonical.stored <= LIMIT && !isSupported(e)).length
    t.diagnostic(`${later} entries cannot run yet; ${manifest.filter((e) => e.expect.canonical.stored > LIMIT).length} larger entries run in conformance:full`)
    assert.ok(existsSync(corpusDir()))
    assert.equal(outcomes.length, safety.length)
  })
})
