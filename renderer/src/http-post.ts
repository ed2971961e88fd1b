import type { Envelope } from '../../main/core/api/contract'

/**
 * One browser-mode call: `POST /api/<method>` with the arguments as JSON. Used from the API worker
 * (http-worker.ts) and, where no worker can start, from the page itself. Any failure becomes a
 * `transport` error envelope, so callers handle one shape.
 */
export async function postApi(
  method: string,
  args: unknown,
  headers: Readonly<Record<string, string>>,
): Promise<Envelope<unknown>> {
  try {
    const res = await fetch(`/api/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
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

/** Page → API worker. */
export interface WorkerRequest {
  readonly id: number
  readonly method: string
  readonly args: unknown
  readonly headers: Readonly<Record<string, string>>
}

/** API worker → page. */
export interface WorkerResponse {
  readonly id: number
  readonly envelope: Envelope<unknown>
}
