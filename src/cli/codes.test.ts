import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { cliCodes } from './codes.js'

it('docs/errors.md lists every CLI code with its meaning', () => {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
  const doc = readFileSync(join(root, 'docs', 'errors.md'), 'utf8')
  for (const [code, meaning] of Object.entries(cliCodes)) assert.ok(doc.includes(`| ${code} | ${meaning} |`), `${code} is missing or differs in docs/errors.md`)
})
