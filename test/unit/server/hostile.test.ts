import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createBackend, type Backend } from '../../../main/backend/backend'
import { METHODS } from '../../../main/core/api/contract'
import { startServer, type RunningServer } from '../../../main/server/http'
import { tempDir } from '../../support/tmp'

/**
 * Every method of the contract, over the real HTTP transport, fed hostile payloads and forged
 * tokens: a typed error each time, nothing written, and the server still answers (issue 7).
 */
const HOSTILE: readonly unknown[] = [
  null,
  42,
  'text',
  [],
  [1, 2, 3],
  { id: '1' },
  { id: -1 },
  { id: 1.5 },
  { id: Number.MAX_SAFE_INTEGER + 2 },
  { unexpected: true },
  JSON.parse('{"__proto__": {"polluted": true}}') as unknown,
  { constructor: { prototype: { polluted: true } } },
  { text: 'x'.repeat(10 * 1024 * 1024), fileName: 'big.txt', extra: 1 },
  { language: 'xx' },
  { path: '../../../etc/passwd', extra: true },
  { inputs: [{ name: '', text: 1 }] },
]

describe('hostile calls over HTTP, generated per method', () => {
  const tmp = tempDir()
  let backend: Backend
  let server: RunningServer
  const rowCount = () =>
    ['cases', 'case_steps', 'connector_imports', 'settings'].map(
      (t) => (backend.db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n,
    )
  const post = (method: string, body: string, token = server.token) =>
    fetch(`http://127.0.0.1:${server.port}/api/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-ndr-token': token },
      body,
    })

  beforeAll(async () => {
    const staticDir = join(tmp.dir, 'static')
    mkdirSync(staticDir)
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html>')
    backend = createBackend({
      dataDir: join(tmp.dir, 'data'),
      mode: 'browser',
      version: '1',
      systemLocales: [],
    })
    server = await startServer({ backend, staticDir })
  })
  afterAll(async () => {
    await server.close()
    backend.close()
    tmp.cleanup()
  })

  for (const method of METHODS) {
    test(`${method}: hostile arguments get typed errors and write nothing`, async () => {
      const before = rowCount()
      for (const payload of HOSTILE) {
        const res = await post(method, JSON.stringify(payload))
        expect(res.status).toBe(200)
        const env = (await res.json()) as { ok: boolean; error?: { code: string } }
        // A hostile payload is never a valid call for any method (each demands its own keys or none).
        expect(env.ok, JSON.stringify(payload).slice(0, 80)).toBe(false)
        expect(typeof env.error?.code).toBe('string')
      }
      expect(rowCount()).toEqual(before)
      expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    })

    test(`${method}: a forged token is refused`, async () => {
      const res = await post(method, '{}', 'forged-'.repeat(6))
      expect(res.status).toBe(403)
    })
  }

  test('the server still answers after all of it', async () => {
    const res = await post('app.info', '{}')
    expect(((await res.json()) as { ok: boolean }).ok).toBe(true)
  })
})
