import type { Progress, Reporter } from '../core/search/types.js'

/**
 * The one-line progress display: states, states/s, queue and depth, rewritten in place on stderr.
 * Only for a terminal; the engine first reports after a second, so short runs show nothing.
 */
export class ProgressLine implements Reporter {
  private shown = false

  constructor(private readonly out: { write(s: string): unknown }) {}

  progress(p: Progress): void {
    const rate = p.seconds > 0 ? Math.round(p.distinct / p.seconds) : 0
    const line = `${fmt(p.distinct)} states  ${fmt(rate)} states/s  queue ${fmt(p.queue)}  depth ${fmt(p.depth)}  ${p.seconds.toFixed(0)} s`
    this.out.write(`\r\x1b[2K${line}`)
    this.shown = true
  }

  /** Erases the line before the result is printed. */
  clear(): void {
    if (this.shown) this.out.write('\r\x1b[2K')
    this.shown = false
  }
}

export function fmt(n: number): string {
  return n.toLocaleString('en-US')
}
