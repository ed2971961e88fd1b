/**
 * Runs in a worker thread: parsing a 25 MB paste must never stall the event loop that answers the
 * window (Electron main) or the HTTP transport (browser mode).
 */
import { parentPort } from 'node:worker_threads'
import { analyzeInput, type AnalyzeInput } from './analyze'

export interface WorkerRequest {
  readonly id: number
  readonly input: AnalyzeInput
}

parentPort?.on('message', (req: WorkerRequest) => {
  try {
    parentPort!.postMessage({ id: req.id, ok: true, value: analyzeInput(req.input) })
  } catch (e) {
    parentPort!.postMessage({
      id: req.id,
      ok: false,
      message: e instanceof Error ? e.message : String(e),
    })
  }
})
