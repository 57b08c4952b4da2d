import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { corpusDir } from '../support/promela-corpus.js'
import { readTlaManifest, runTlaEntry, type TlaEntry, type TlaOutcome } from '../support/tla-corpus.js'

/**
 * Differential test against TLC 2.20 (../shared/corpus/tla/manifest.json): each entry weft can
 * run gets TLC's verdict, and each complete search TLC's distinct states, states generated and
 * depth. Entries TLC takes longer than LIMIT seconds on run in `npm run conformance:full`.
 */
const LIMIT = Number(process.env['WEFT_TLA_CONFORMANCE_SECONDS'] ?? (process.env['WEFT_CONFORMANCE_LIMIT'] ? 1e9 : 20))

/**
 * Entries TLC takes longer than LIMIT seconds on that weft checks in a few seconds: run with the
 * others (MCInnerSerial: TLC 358 s, weft about 5 s of CPU, its definitions kept for their inputs).
 */
const FAST_IN_WEFT = new Set<string>(['SpecifyingSystems/AdvancedExamples/MCInnerSerial'])

/** Whether an entry runs in the regular set. */
function regular(e: TlaEntry): boolean {
  return e.tlcSeconds <= LIMIT || FAST_IN_WEFT.has(e.name)
}

/** What weft cannot check yet; such entries are listed, not run. */
function unsupported(_e: TlaEntry): string | undefined {
  return undefined
}

/** fixme: entries that still differ from TLC. Each must still differ, so that a fix updates this list. */
const KNOWN_DIFFERENT = new Set<string>([])

const manifest = readTlaManifest()

describe('TLA+ conformance with TLC', () => {
  if (!manifest) {
    it.skip(`the corpus is not at ${corpusDir()} (set WEFT_CORPUS to run these tests)`, () => {})
    return
  }
  const runnable = manifest.filter((e) => regular(e) && unsupported(e) === undefined)
  const outcomes: TlaOutcome[] = []
  for (const entry of runnable) {
    it(entry.name, async (t) => {
      const outcome = await runTlaEntry(entry)
      outcomes.push(outcome)
      if (KNOWN_DIFFERENT.has(entry.name)) {
        t.diagnostic(`fixme: ${outcome.mismatches.join('; ')}`)
        assert.ok(outcome.mismatches.length > 0, `${entry.name} now matches TLC: remove it from KNOWN_DIFFERENT`)
        return
      }
      assert.deepEqual(outcome.mismatches, [], `${entry.name} differs from TLC`)
    })
  }

  // Entries with SYMMETRY that also have temporal properties: their invariants and distinct count.
  const symmetric = manifest.filter((e) => e.features.includes('symmetry') && unsupported(e) !== undefined && regular(e))
  for (const entry of symmetric) {
    it(`${entry.name} (SYMMETRY, invariants only)`, async () => {
      const outcome = await runTlaEntry(entry, undefined, { withoutProperties: true })
      assert.deepEqual(outcome.mismatches, [], `${entry.name} differs from TLC`)
    })
  }

  it('reports what is not run', (t) => {
    const skipped = manifest.filter((e) => unsupported(e) !== undefined).map((e) => `${e.name} (${unsupported(e)})`)
    const slow = manifest.filter((e) => unsupported(e) === undefined && !regular(e)).map((e) => e.name)
    t.diagnostic(`not supported yet: ${skipped.join(', ')}`)
    t.diagnostic(`longer than ${LIMIT} s in TLC (conformance:full): ${slow.join(', ')}`)
    assert.equal(outcomes.length, runnable.length)
  })
})
