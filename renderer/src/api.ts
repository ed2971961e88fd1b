import {
  BRIDGE_NAME,
  METHODS,
  TOKEN_HEADER,
  type ApiError,
  type Args,
  type Envelope,
  type Method,
  type NdrApi,
  type Result,
} from '../../main/core/api/contract'
import { postApi, type WorkerRequest, type WorkerResponse } from './http-post'

const TOKEN_KEY = 'ndr-assistant.token'

/**
 * Browser mode: the URL printed by `ndr-assistant serve` carries the per-launch token in its
 * fragment (never sent to any server, never logged). Keep it for this tab and clean the address bar.
 */
export function takeToken(): string | null {
  const m = /(?:^#|&)token=([A-Za-z0-9_-]{16,128})/.exec(window.location.hash)
  if (m?.[1]) {
    sessionStorage.setItem(TOKEN_KEY, m[1])
    history.replaceState(null, '', window.location.pathname + window.location.search)
    return m[1]
  }
  return sessionStorage.getItem(TOKEN_KEY)
}

function httpApi(token: string): NdrApi {
  const headers = { [TOKEN_HEADER]: token }
  const post = workerPost() ?? ((method: string, args: unknown) => postApi(method, args, headers))
  const api: Partial<Record<Method, (args: unknown) => Promise<Envelope<unknown>>>> = {}
  for (const m of METHODS) api[m] = (args: unknown) => post(m, args, headers)
  return api as NdrApi
}

type Post = (
  method: string,
  args: unknown,
  headers: Readonly<Record<string, string>>,
) => Promise<Envelope<unknown>>

/**
 * Calls made from a dedicated worker (http-worker.ts), so that JSON-encoding a 10 MB paste and
 * decoding a 10 MB case never block the UI thread (reliability P4). If the worker cannot start,
 * calls go from the page instead: those still waiting were never sent, so they are sent from here.
 */
function workerPost(): Post | null {
  if (typeof Worker === 'undefined') return null
  let worker: Worker
  try {
    worker = new Worker(new URL('./http-worker.ts', import.meta.url), {
      type: 'module',
      name: 'api',
    })
  } catch {
    return null
  }
  let nextId = 1
  let answered = false
  let broken = false
  const pending = new Map<number, { req: WorkerRequest; resolve: (e: Envelope<unknown>) => void }>()
  worker.onmessage = (e: MessageEvent<WorkerResponse>) => {
    answered = true
    const p = pending.get(e.data.id)
    pending.delete(e.data.id)
    p?.resolve(e.data.envelope)
  }
  worker.onerror = (e) => {
    e.preventDefault()
    const waiting = [...pending.values()]
    pending.clear()
    if (!answered) {
      // It never ran (blocked or missing script): nothing was sent, so send from the page.
      broken = true
      worker.terminate()
      for (const p of waiting) void postApi(p.req.method, p.req.args, p.req.headers).then(p.resolve)
    } else {
      for (const p of waiting)
        p.resolve({ ok: false, error: { code: 'transport', message: e.message || 'worker error' } })
    }
  }
  return (method, args, headers) => {
    if (broken) return postApi(method, args, headers)
    return new Promise((resolve) => {
      const req: WorkerRequest = { id: nextId++, method, args: args ?? {}, headers }
      pending.set(req.id, { req, resolve })
      worker.postMessage(req)
    })
  }
}

export type Transport = { kind: 'electron' | 'http'; api: NdrApi } | { kind: 'none' }

export function connect(): Transport {
  const bridged = (window as unknown as Record<string, unknown>)[BRIDGE_NAME] as NdrApi | undefined
  if (bridged) return { kind: 'electron', api: bridged }
  const token = takeToken()
  return token ? { kind: 'http', api: httpApi(token) } : { kind: 'none' }
}

export class CallError extends Error {
  constructor(readonly error: ApiError) {
    super(error.message)
  }
}

/** Calls a method and unwraps the envelope; failures become CallError carrying the typed error. */
export async function call<M extends Method>(
  api: NdrApi,
  method: M,
  args: Args<M>,
): Promise<Result<M>> {
  const fn = api[method] as (a: Args<M>) => Promise<Envelope<Result<M>>>
  const env = await fn(args)
  if (!env.ok) throw new CallError(env.error)
  return env.value
}
