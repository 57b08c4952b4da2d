/**
 * The explorer's "find a counterexample" search, in a Web Worker so that the page stays responsive
 * while it runs: the worker loads the model itself (as the page does), runs the same breadth-first
 * (or, for a Promela claim with accepting cycles, nested depth-first) search as `weft check`, and
 * answers with the counterexample's ChoicePath, which the page then follows.
 */
import { runCheck } from '../src/browser.js'
import { loadServedModel, type SearchReply, type SearchRequest } from './load.js'

const scope = self as unknown as { onmessage: ((ev: MessageEvent<SearchRequest>) => void) | null; postMessage(reply: SearchReply): void }
const ready = loadServedModel()

scope.onmessage = (ev) => {
  void search(ev.data)
}

async function search(request: SearchRequest): Promise<void> {
  try {
    const app = await ready
    const { summary } = runCheck(app.model, {
      strategy: app.strategy,
      file: app.info.file,
      maxStates: request.maxStates,
      reporter: { progress: (p) => scope.postMessage({ kind: 'progress', distinct: p.distinct }) },
    })
    const v = summary.violation
    scope.postMessage({
      kind: 'done',
      result: summary.result,
      distinct: summary.stats?.distinct ?? 0,
      ...(v ? { violation: { message: v.message, length: v.length, path: v.path } } : {}),
      ...(summary.limit ? { limit: summary.limit } : {}),
    })
  } catch (e) {
    scope.postMessage({ kind: 'error', message: e instanceof Error ? e.message : String(e) })
  }
}
