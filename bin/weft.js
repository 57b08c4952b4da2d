#!/usr/bin/env node
// The `weft` command. The TypeScript sources compile to dist/ (npm run build).
let main
try {
  ;({ main } = await import('../dist/src/cli/main.js'))
} catch (e) {
  if (e && e.code === 'ERR_MODULE_NOT_FOUND' && String(e.message).includes('dist/src/cli/main.js')) {
    process.stderr.write("weft is not built yet: run 'npm ci && npm run build' in the weft checkout first\n")
    process.exit(4)
  }
  throw e
}
process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr })
