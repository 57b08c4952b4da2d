/** `weft explore`: the server it starts, what it serves, and its errors. */
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { InputError } from '../diag/diagnostic.js'
import { startExplorer } from './explore.js'
import { main } from './main.js'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const abs = (rel: string): string => join(ROOT, rel)

// Each test is bounded; the bundling at start takes about a second.
describe('weft explore', { timeout: 30_000 }, () => {
  it('prints its URL on 127.0.0.1 and serves the page, the bundle and the model', async () => {
    let timer: NodeJS.Timeout | undefined
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'weft.js'), 'explore', 'test/fixtures/tla/Workers.tla', '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = ''
        child.stdout.setEncoding('utf8').on('data', (d: string) => {
          out += d
          const m = /^weft explore: (http:\/\/127\.0\.0\.1:\d+\/) {2}\(test\/fixtures\/tla\/Workers\.tla; Ctrl-C to stop\)$/m.exec(out)
          if (m) resolve(m[1]!)
        })
        child.on('exit', (code) => reject(new Error(`exited with ${code}: ${out}`)))
        timer = setTimeout(() => reject(new Error(`no URL in 20 s: ${out}`)), 20_000)
      })
      const page = await (await fetch(url)).text()
      assert.match(page, /<script type="module" src="\/explorer.js"><\/script>/)
      const info = (await (await fetch(`${url}model.json`)).json()) as { language: string; source: { files: Record<string, string>; cfg: string } }
      assert.equal(info.language, 'tla')
      assert.deepEqual(Object.keys(info.source.files).sort(), ['test/fixtures/tla/Workers.cfg', 'test/fixtures/tla/Workers.tla'])
      const wasm = await fetch(`${url}tree-sitter-tlaplus.wasm`)
      assert.equal(wasm.headers.get('content-type'), 'application/wasm')
      assert.equal((await fetch(`${url}nothing`)).status, 404)
    } finally {
      clearTimeout(timer)
      child.kill('SIGTERM')
    }
    const code = await new Promise<number | null>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.on('exit', resolve)))
    assert.equal(code, 0)
  })

  it('reports a model that does not load as check does, with exit code 2', async () => {
    let stderr = ''
    const code = await main(['explore', abs('examples/missing.ts')], { stdout: { write: () => true }, stderr: { write: (s: string) => (stderr += s) } })
    assert.equal(code, 2)
    assert.match(stderr, /^error\[CLI010\]: cannot find model file/)
  })

  it('says when the port is taken', async () => {
    const first = await startExplorer(abs('examples/aws-dns/race.pml'), { port: 0 })
    try {
      const port = Number(new URL(first.url).port)
      await assert.rejects(startExplorer(abs('examples/aws-dns/race.pml'), { port }), (e: unknown) => e instanceof InputError && e.diagnostics[0]!.code === 'CLI051' && e.diagnostics[0]!.message === `port ${port} on 127.0.0.1 is in use`)
    } finally {
      first.server.close()
    }
  })
})
