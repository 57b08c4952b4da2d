/**
 * The search's time and memory limits inside one state's evaluation: the loops that enumerate a
 * set (quantifiers, filters, `x' \in S`) tick once per element, and every so many ticks the
 * search's poll is asked; a limit reached throws `LimitReached`, which abandons the evaluation
 * and ends the search incomplete (the search's own check runs only between states).
 */
import { LimitReached, type LimitPoll } from '../../core/model.js'

/** Ticks between two polls: a poll reads the clock, a tick only counts down. */
const TICKS_PER_POLL = 1024

export class LimitWatch {
  /** Set by the search while it runs (`Model.watchLimits`). */
  poll: LimitPoll | undefined = undefined
  private left = TICKS_PER_POLL

  tick(): void {
    if (--this.left > 0) return
    this.left = TICKS_PER_POLL
    const limit = this.poll?.()
    if (limit !== undefined) throw new LimitReached(limit)
  }
}
