/** Golden Promela traces (`test/support/golden.ts`): small models of test/golden/promela and the DNS examples. */
import { goldenSuite } from '../support/golden.js'

goldenSuite('Promela golden traces', 'promela', 'pml', 8)
