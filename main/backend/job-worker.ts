/**
 * Runs in a worker thread: parsing a 25 MB paste or auditing a 10 MB export must never stall the
 * event loop that answers the window (Electron main) or the HTTP transport (browser mode).
 */
import { parentPort } from 'node:worker_threads'
import { runJob, type Job } from './jobs'

export interface WorkerRequest {
  readonly id: number
  readonly job: Job
}

async function handle(req: WorkerRequest): Promise<void> {
  try {
    parentPort!.postMessage({ id: req.id, ok: true, value: await runJob(req.job) })
  } catch (e) {
    parentPort!.postMessage({
      id: req.id,
      ok: false,
      message: e instanceof Error ? e.message : String(e),
    })
  }
}

parentPort?.on('message', (req: WorkerRequest) => void handle(req))
