import type { CoverageItem, Model } from './model.js'

/** A model that counts, for each of its coverage items, how often a search fired it. */
export interface CountingModel<S, A> {
  readonly model: Model<S, A>
  readonly items: readonly CoverageItem[]
  /** Per item: how many generated successors fired it. */
  readonly counts: Uint32Array
}

/**
 * Wraps a model so that each successor the search computes counts the items it fires (see
 * `Model.coverage`). The wrapper inherits everything else from the model, so the search sees the
 * same model; the count costs one call per successor, so it is used only when asked for.
 * Undefined when the model has no coverage items.
 */
export function countCoverage<S, A>(model: Model<S, A>): CountingModel<S, A> | undefined {
  const coverage = model.coverage?.()
  if (!coverage) return undefined
  const counts = new Uint32Array(coverage.items.length)
  const counting = Object.create(model) as Model<S, A>
  const next = model.nextState.bind(model)
  counting.nextState = (state: S, action: A): S | undefined => {
    const to = next(state, action)
    if (to !== undefined) for (const i of coverage.fired(state, action)) counts[i]!++
    return to
  }
  if (model.nextEncoded) {
    // Breadth-first search takes successors as bytes when it can; they fire the same items.
    const nextBytes = model.nextEncoded.bind(model)
    counting.nextEncoded = (state: S, action: A): Uint8Array | undefined => {
      const to = nextBytes(state, action)
      if (to !== undefined) for (const i of coverage.fired(state, action)) counts[i]!++
      return to
    }
  }
  // All successors at once would fire items unseen: the search takes them action by action instead.
  if (model.successorsEncoded) counting.successorsEncoded = undefined
  if (model.successorsEncodedFor) counting.successorsEncodedFor = undefined
  // A model's `release` may update its own fields, which on this wrapper would not be the model's.
  if (model.release) counting.release = undefined
  return { model: counting, items: coverage.items, counts }
}
