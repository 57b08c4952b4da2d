/**
 * Golden TLA+ output (`test/support/golden.ts`): each spec of test/golden/tla with the cfg beside it
 * (traces in TLC's layout, TLC's runtime errors, bad-input diagnostics), and the DNS examples.
 */
import { goldenSuite } from '../support/golden.js'

goldenSuite('TLA+ golden output', 'tla', 'tla', 16)
