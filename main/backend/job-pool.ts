import { Worker } from 'node:worker_threads'
import { ApiFailure } from './backend'
import { findBuilt } from './built-path'
import { runJob, type Job, type JobResults } from './jobs'

/** A job that takes longer than this is abandoned and its worker replaced. */
export const JOB_TIMEOUT_MS = 30_000
/** Heap cap of the worker: a hostile input (a crafted .msg, a huge export) cannot take the machine. */
export const WORKER_HEAP_MB = 1024

export interface JobPool {
  readonly run: <J extends Job>(job: J) => Promise<JobResults[J['kind']]>
  readonly close: () => Promise<void>
}

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }

/**
 * One worker thread, started lazily and replaced if it dies or overruns. In an unbuilt tree (unit
 * tests run the TypeScript sources) there is no compiled worker: jobs then run in-process.
 */
export function createJobPool(workerFile = findBuilt('job-worker.js', import.meta.url)): JobPool {
  if (!workerFile) {
    return {
      run: async <J extends Job>(job: J) => (await runJob(job)) as JobResults[J['kind']],
      close: () => Promise.resolve(),
    }
  }
  let worker: Worker | undefined
  let nextId = 1
  const pending = new Map<number, Pending>()

  const failAll = (err: Error) => {
    for (const [id, p] of pending) {
      clearTimeout(p.timer)
      p.reject(err)
      pending.delete(id)
    }
  }

  const getWorker = () => {
    if (worker) return worker
    const w = new Worker(workerFile, { resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } })
    w.on('message', (m: { id: number; ok: boolean; value?: unknown; message?: string }) => {
      const p = pending.get(m.id)
      if (!p) return
      pending.delete(m.id)
      clearTimeout(p.timer)
      if (m.ok) p.resolve(m.value)
      else p.reject(new ApiFailure({ code: 'internal', message: m.message ?? 'worker job failed' }))
    })
    w.on('error', (e) => {
      worker = undefined
      failAll(new ApiFailure({ code: 'internal', message: `worker stopped: ${e.message}` }))
    })
    w.on('exit', () => {
      if (worker === w) worker = undefined
      failAll(new ApiFailure({ code: 'internal', message: 'worker stopped' }))
    })
    w.unref()
    worker = w
    return w
  }

  return {
    run<J extends Job>(job: J) {
      return new Promise<JobResults[J['kind']]>((resolve, reject) => {
        const id = nextId++
        const w = getWorker()
        const timer = setTimeout(() => {
          pending.delete(id)
          reject(
            new ApiFailure({
              code: 'internal',
              message: 'job timed out',
              params: { ms: JOB_TIMEOUT_MS },
            }),
          )
          // A runaway job cannot be interrupted in-thread; replace the worker.
          void w.terminate()
          if (worker === w) worker = undefined
        }, JOB_TIMEOUT_MS)
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer })
        w.postMessage({ id, job })
      })
    },
    async close() {
      const w = worker
      worker = undefined
      failAll(new ApiFailure({ code: 'internal', message: 'closing' }))
      if (w) await w.terminate()
    },
  }
}
