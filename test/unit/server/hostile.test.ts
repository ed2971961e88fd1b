import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createBackend, type Backend } from '../../../main/backend/backend'
import { METHODS } from '../../../main/core/api/contract'
import { startServer, type RunningServer } from '../../../main/server/http'
import { recordFigures } from '../../support/figures'
import { HOSTILE_PAYLOADS as HOSTILE, countRows } from '../../support/hostile-payloads'
import { tempDir } from '../../support/tmp'

/**
 * Every method of the contract, over the real HTTP transport, fed hostile payloads and forged
 * tokens: a typed error each time, nothing written, and the server still answers (issue 7).
 */

describe('hostile calls over HTTP, generated per method', () => {
  const tmp = tempDir()
  let backend: Backend
  let server: RunningServer
  const rowCount = () => countRows(backend)
  const figures = { calls: 0, typedErrors: 0, forgedRefused: 0, writes: 0 }
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
        figures.calls++
        if (!env.ok && typeof env.error?.code === 'string') figures.typedErrors++
      }
      if (JSON.stringify(rowCount()) !== JSON.stringify(before)) figures.writes++
      expect(rowCount()).toEqual(before)
      expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    })

    test(`${method}: a forged token is refused`, async () => {
      const res = await post(method, '{}', 'forged-'.repeat(6))
      if (res.status === 403) figures.forgedRefused++
      expect(res.status).toBe(403)
    })
  }

  test('the server still answers after all of it', async () => {
    const res = await post('app.info', '{}')
    const alive = ((await res.json()) as { ok: boolean }).ok
    expect(alive).toBe(true)
    const n = METHODS.length
    recordFigures('api-http', 'API over HTTP (browser mode)', [
      {
        check: `Hostile payloads × ${n} methods`,
        target: 'typed error each, 0 writes, no crash',
        measured: `${figures.typedErrors}/${figures.calls} typed errors, ${figures.writes} methods wrote, server ${alive ? 'alive' : 'dead'}`,
        pass:
          figures.calls === n * HOSTILE.length &&
          figures.typedErrors === figures.calls &&
          figures.writes === 0 &&
          alive,
      },
      {
        check: `Forged token × ${n} methods`,
        target: '100 % refused',
        measured: `${figures.forgedRefused}/${n} refused (403)`,
        pass: figures.forgedRefused === n,
      },
    ])
  })
})
