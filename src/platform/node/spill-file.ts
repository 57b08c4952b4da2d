import { closeSync, ftruncateSync, mkdtempSync, openSync, readSync, rmSync, unlinkSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FrontierSpill, SpillFile } from '../../core/store/frontier.js'

/** The frontier's default budget in memory before it spills to disk, when no `--memory` limit says otherwise. */
export const DEFAULT_FRONTIER_BYTES = 2 ** 30

/**
 * The breadth-first frontier's spill to a temporary file: over `budgetBytes` of chunks in memory,
 * chunks go to a file in `dir` (default: the system's temporary directory). On POSIX systems the
 * file is unlinked as soon as it is open, so nothing is left behind even when the process is
 * killed; elsewhere it is removed when the search closes it.
 */
export function fileSpill(budgetBytes: number, dir: string = tmpdir(), chunkBytes?: number): FrontierSpill {
  return { budgetBytes, open: () => openSpillFile(dir), ...(chunkBytes === undefined ? {} : { chunkBytes }) }
}

/** Opens a new spill file in a fresh directory under `dir`. */
export function openSpillFile(dir: string): SpillFile {
  const folder = mkdtempSync(join(dir, 'weft-frontier-'))
  const path = join(folder, 'frontier.bin')
  const fd = openSync(path, 'w+', 0o600)
  let removed = false
  const remove = (): void => {
    if (removed) return
    removed = true
    rmSync(folder, { recursive: true, force: true })
  }
  if (process.platform !== 'win32') {
    // The open descriptor keeps the data; the name is gone at once.
    unlinkSync(path)
    remove()
  }
  let writeAt = 0
  let readAt = 0
  let open = true
  return {
    write(bytes, length) {
      for (let done = 0; done < length; ) done += writeSync(fd, bytes, done, length - done, writeAt + done)
      writeAt += length
    },
    read(into, length) {
      for (let done = 0; done < length; ) {
        const n = readSync(fd, into, done, length - done, readAt + done)
        if (n === 0) throw new Error('the frontier spill file ended early')
        done += n
      }
      readAt += length
    },
    rewind() {
      writeAt = 0
      readAt = 0
      ftruncateSync(fd, 0)
    },
    close() {
      if (open) closeSync(fd)
      open = false
      remove()
    },
  }
}
