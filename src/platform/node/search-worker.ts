/**
 * The entry of one worker thread of a parallel search: loads the model itself from its
 * description, then answers the coordinator's requests with `LevelSearch`.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { DfsControl, DfsWorker, type FromDfsWorker, type ToDfsWorker } from '../../core/parallel/depth-first.js'
import { LevelSearch, ParallelControl, type ExpandReply, type InsertReply } from '../../core/parallel/level-search.js'
import type { RecordBlock } from '../../core/parallel/records.js'
import { loadSource, type WorkerData } from './parallel.js'

type Request =
  | { readonly id: number; readonly op: 'initial' }
  | { readonly id: number; readonly op: 'expand'; readonly ranks: Int32Array; readonly atBound: boolean; readonly owners: number }
  | { readonly id: number; readonly op: 'insert'; readonly sources: RecordBlock[]; readonly budget: number }
  | { readonly id: number; readonly op: 'resume'; readonly budget: number }
  | { readonly id: number; readonly op: 'table'; readonly table: SharedArrayBuffer }

const data = workerData as WorkerData
const port = parentPort!

function transfers(reply: ExpandReply | InsertReply | undefined): ArrayBuffer[] {
  if (reply === undefined) return []
  if ('buckets' in reply) return reply.buckets.map((b) => b.buffer)
  return reply.keys ? [reply.keys.buffer as ArrayBuffer] : []
}

/** The depth-first search's worker: it runs whenever it has work, and says why it stopped. */
function serveDepthFirst(model: Awaited<ReturnType<typeof loadSource>>): void {
  const post = (m: FromDfsWorker): void => port.postMessage(m, m.op === 'donate' ? [m.item.bytes.buffer as ArrayBuffer] : [])
  const search = new DfsWorker(model, data.index, data, data.table, new DfsControl(data.control, data.workers), (item) => post({ op: 'donate', item }))
  port.on('message', (m: ToDfsWorker) => {
    try {
      if (m.op === 'table') return search.setTable(m.table)
      if (m.op === 'start') search.start()
      else if (m.op === 'work') search.take(m.item)
      const end = search.run()
      if (end !== 'running') post({ op: end, report: search.report() })
    } catch (e) {
      port.postMessage({ op: 'error', error: e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e) })
    }
  })
  port.postMessage({ op: 'ready' })
}

/** The breadth-first search's worker: it answers the coordinator's requests, one at a time. */
function serveLevels(model: Awaited<ReturnType<typeof loadSource>>): void {
  const search = new LevelSearch(model, data.index, data.workers, data.checkDeadlock, data.table, new ParallelControl(data.control, data.workers), data.continueAfterViolation)
  port.on('message', (m: Request) => {
    try {
      let reply: ExpandReply | InsertReply | undefined
      switch (m.op) {
        case 'initial':
          reply = search.initial()
          break
        case 'expand':
          reply = search.expand(m.ranks, m.atBound, m.owners)
          break
        case 'insert':
          reply = search.insert(m.sources, m.budget)
          break
        case 'resume':
          reply = search.resume(m.budget)
          break
        case 'table':
          search.setTable(m.table)
          break
      }
      port.postMessage({ id: m.id, reply }, transfers(reply))
    } catch (e) {
      port.postMessage({ id: m.id, error: e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e) })
    }
  })
  port.postMessage({ id: 0, ready: true })
}

try {
  const model = await loadSource(data.source)
  if (data.strategy === 'dfs') serveDepthFirst(model)
  else serveLevels(model)
} catch (e) {
  const error = e instanceof Error ? e.message : String(e)
  port.postMessage(data.strategy === 'dfs' ? { op: 'error', error } : { id: 0, error })
}
