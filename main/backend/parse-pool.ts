import { Worker } from 'node:worker_threads'
import { analyzeInput, type Analysis, type AnalyzeInput } from './analyze'
import { ApiFailure } from './backend'
import { findBuilt } from './built-path'

/** A parse that takes longer than this is abandoned and its worker replaced. */
export const PARSE_TIMEOUT_MS = 30_000

export interface ParsePool {
  readonly analyze: (input: AnalyzeInput) => Promise<Analysis>
  readonly close: () => Promise<void>
}

type Pending = { resolve: (a: Analysis) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }

/**
 * One worker thread, started lazily and replaced if it dies or overruns. In an unbuilt tree (unit
 * tests run the TypeScript sources) there is no compiled worker: parsing then runs in-process.
 */
export function createParsePool(
  workerFile = findBuilt('parse-worker.js', import.meta.url),
): ParsePool {
  if (!workerFile) {
    return {
      analyze: (input) => Promise.resolve(analyzeInput(input)),
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
    const w = new Worker(workerFile, { resourceLimits: { maxOldGenerationSizeMb: 1024 } })
    w.on('message', (m: { id: number; ok: boolean; value?: Analysis; message?: string }) => {
      const p = pending.get(m.id)
      if (!p) return
      pending.delete(m.id)
      clearTimeout(p.timer)
      if (m.ok && m.value) p.resolve(m.value)
      else p.reject(new ApiFailure({ code: 'internal', message: m.message ?? 'parse failed' }))
    })
    w.on('error', (e) => {
      worker = undefined
      failAll(new ApiFailure({ code: 'internal', message: `parser stopped: ${e.message}` }))
    })
    w.on('exit', () => {
      if (worker === w) worker = undefined
      failAll(new ApiFailure({ code: 'internal', message: 'parser stopped' }))
    })
    w.unref()
    worker = w
    return w
  }

  return {
    analyze(input) {
      return new Promise<Analysis>((resolve, reject) => {
        const id = nextId++
        const w = getWorker()
        const timer = setTimeout(() => {
          pending.delete(id)
          reject(
            new ApiFailure({
              code: 'internal',
              message: 'parse timed out',
              params: { ms: PARSE_TIMEOUT_MS },
            }),
          )
          // A runaway parse cannot be interrupted in-thread; replace the worker.
          void w.terminate()
          if (worker === w) worker = undefined
        }, PARSE_TIMEOUT_MS)
        pending.set(id, { resolve, reject, timer })
        w.postMessage({ id, input })
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
