import assert from 'node:assert/strict'
import { it } from 'node:test'
import { editDistance, nearestName } from './suggest.js'

it('suggests the nearest name for a likely typo, and nothing for a far one', () => {
  assert.equal(editDistance('cuont', 'count'), 1)
  assert.equal(nearestName('cuont', ['count', 'Init', 'Next']), 'count')
  assert.equal(nearestName('TypeOk', ['TypeOK', 'Type']), 'TypeOK')
  assert.equal(nearestName('zzz', ['count', 'Init']), undefined)
  assert.equal(nearestName('x', ['y']), 'y')
})
