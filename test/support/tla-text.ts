import assert from 'node:assert/strict'
import { runCheck, type Outcome } from '../../src/api.js'
import type { Model } from '../../src/core/model.js'
import { loadTla, type TlaLoaded } from '../../src/lang/tla/load.js'
import type { TlaGrammar } from '../../src/lang/tla/parse.js'

/** Loads a spec given as text (as Spec.tla), with its cfg and any other modules it uses, by name. */
export function loadTlaText(grammar: TlaGrammar, text: string, cfg: string | undefined, modules: Record<string, string> = {}): TlaLoaded {
  return loadTla({
    grammar,
    file: 'Spec.tla',
    text,
    ...(cfg === undefined ? {} : { cfg: { name: 'Spec.cfg', text: cfg } }),
    readModule: (name) => (modules[name] === undefined ? undefined : { name: `${name}.tla`, text: modules[name]! }),
  })
}

/** Loads a spec given as text (it must load) and checks it breadth-first on one worker. */
export function checkTlaText(grammar: TlaGrammar, text: string, cfg: string, modules: Record<string, string> = {}): Outcome<unknown, unknown> {
  const loaded = loadTlaText(grammar, text, cfg, modules)
  assert.ok(loaded.model, loaded.diagnostics.map((d) => d.message).join('; '))
  return runCheck(loaded.model as unknown as Model<unknown, unknown>)
}
