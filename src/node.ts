/** weft for Node: the public API plus loading model files and stopping cleanly when memory runs low. */
import { check as checkAnywhere, type CheckOptions } from './api.js'
import type { Model } from './core/model.js'
import type { CheckSummary } from './report/summary.js'
import { memoryProbe } from './platform/node/memory.js'

export * from './index.js'
export { loadScriptModel } from './platform/node/load-model.js'
export type { Constants } from './platform/node/load-model.js'
export { memoryProbe } from './platform/node/memory.js'

/** `check` with a memory probe, so that a search near the machine's memory ends as `incomplete`. */
export async function check<S, A>(model: Model<S, A>, options: CheckOptions = {}): Promise<CheckSummary> {
  return checkAnywhere(model, { memoryExhausted: memoryProbe(), ...options })
}
