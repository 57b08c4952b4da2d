import assert from 'node:assert/strict'
import { it } from 'node:test'
import { runSimulation } from '../../api.js'
import { loadPromela } from './load.js'

it('simulation prints printf output as SPIN lays it out, in the order the statements run', () => {
  const text = 'byte x;\nactive proctype A() { atomic { x = 7; printf("x=%d\\n", x) } }\nactive proctype B() { x == 7; printf("B sees %d\\n", x) }\n'
  const loaded = loadPromela({ file: 'sim.pml', text })
  assert.ok(loaded.model)
  let out = ''
  const r = runSimulation(loaded.model, { seed: 3, runs: 1, steps: 100, onOutput: (s) => (out += s) })
  assert.equal(r.summary.result, 'ok')
  // pid 0 is indented 6 columns, pid 1 ten; the printf inside the atomic sequence sees x = 7.
  assert.equal(out, '      x=7\n          B sees 7\n')
})
