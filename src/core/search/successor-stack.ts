import type { Model } from '../model.js'
import { ScratchViews } from '../store/bytes.js'
import { LITTLE_ENDIAN, type Fingerprinter } from '../store/fingerprint.js'
import type { SeenSet } from '../store/seen-set.js'
import { SuccessorBatch } from './successor-batch.js'

/**
 * The successors of the states on a depth-first stack, as bytes with their fingerprints.
 *
 * When the search enters a state, `expand` computes all its successors at once
 * (`Model.successorsEncodedFor`), fingerprints them, and reads their seen-set slots together
 * (`SeenSet.touchAll`), so that their cache misses overlap instead of coming one per transition.
 * The search still admits them one by one, in action order, each after the subtree of the one
 * before: fingerprints do not depend on the seen set, so counts, depth and order are those of the
 * step-by-step search. A new successor's state is built from its bytes (`Model.decode`).
 *
 * Entries (a `SuccessorBatch`'s, without its per-state lists) form a stack that follows the
 * search's: a level's entries lie above its parent's and are dropped (`truncate`) when the level
 * is left.
 */
export class SuccessorStack extends SuccessorBatch<never> {
  /** One level's fingerprints from index 0, and their homes, for `SeenSet.homes` and `touchAll`. */
  private levelFps = new Uint32Array(64)
  private levelHomes = new Int32Array(32)
  private readonly scratch = new ScratchViews()

  /**
   * Adds the successors of `state` under `actions` as entries from `count` on, fingerprinted and
   * touched in `seen`. False when the model left the state to the step-by-step path (it threw:
   * a failing step, which that path reports); nothing is added then.
   */
  expand<S, A>(model: Model<S, A>, state: S, actions: readonly A[], fp: Fingerprinter, seen: SeenSet): boolean {
    const first = this.count
    this.lastAction = -1
    try {
      model.successorsEncodedFor!(state, actions, this)
    } catch {
      this.truncate(first)
      return false
    }
    const n = this.count - first
    if (n === 0) return true
    if (n > this.levelHomes.length) {
      this.levelHomes = new Int32Array(n * 2)
      this.levelFps = new Uint32Array(n * 4)
    }
    const { fps, levelFps, offsets, lengths } = this
    for (let k = first, j = 0; k < this.count; k++, j += 2) {
      if (LITTLE_ENDIAN) fp.digestWords(this.words, offsets[k]! >> 2, lengths[k]!)
      else fp.digest(this.view(k))
      fps[2 * k] = levelFps[j] = fp.hi
      fps[2 * k + 1] = levelFps[j + 1] = fp.lo
    }
    seen.homes(levelFps, n, this.levelHomes)
    seen.touchAll(this.levelHomes, n)
    return true
  }

  /** Entry k's bytes, valid until the next call (for `Model.decode`); allocates nothing for short states. */
  scratchView(k: number): Uint8Array {
    return this.scratch.of(this.bytes, this.offsets[k]!, this.lengths[k]!)
  }
}
