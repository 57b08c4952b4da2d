import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { tlaCodes } from './codes.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..')

it('every TLA code the front end reports is defined and listed in docs/errors.md', () => {
  const doc = readFileSync(join(root, 'docs', 'errors.md'), 'utf8')
  for (const [code, meaning] of Object.entries(tlaCodes)) assert.ok(doc.includes(`| ${code} | ${meaning} |`), `${code} is missing or differs in docs/errors.md`)
  const dir = join(root, 'src', 'lang', 'tla')
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'codes.ts')) {
    for (const m of readFileSync(join(dir, file), 'utf8').matchAll(/'(TLA\d{3})'/g)) assert.ok(m[1]! in tlaCodes, `${m[1]} (in ${file}) is not in codes.ts`)
  }
})
