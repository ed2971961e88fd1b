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
  const api: Partial<Record<Method, (args: unknown) => Promise<Envelope<unknown>>>> = {}
  for (const m of METHODS) {
    api[m] = async (args: unknown) => {
      try {
        const res = await fetch(`/api/${m}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [TOKEN_HEADER]: token },
          body: JSON.stringify(args ?? {}),
          cache: 'no-store',
          credentials: 'omit',
        })
        return (await res.json()) as Envelope<unknown>
      } catch (e) {
        return {
          ok: false,
          error: { code: 'transport', message: e instanceof Error ? e.message : String(e) },
        }
      }
    }
  }
  return api as NdrApi
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
