import { mkdirSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createBackend, type Backend } from '../../../main/backend/backend'
import { startServer, type RunningServer } from '../../../main/server/http'
import { CSP } from '../../../main/server/csp'
import { tempDir } from '../../support/tmp'

/** Raw HTTP so the test controls Host and Origin exactly as an attacker's page or process would. */
function send(
  port: number,
  opts: { method?: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<{
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: opts.method ?? 'GET',
        path: opts.path,
        headers: opts.headers ?? {},
      },
      (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (c: string) => (body += c))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
      },
    )
    req.on('error', reject)
    if (opts.body) req.write(opts.body)
    req.end()
  })
}

describe('browser-mode HTTP transport', () => {
  const tmp = tempDir()
  let backend: Backend
  let server: RunningServer
  let host: string
  const api = (method: string, body: unknown, headers: Record<string, string> = {}) =>
    send(server.port, {
      method: 'POST',
      path: `/api/${method}`,
      headers: {
        host,
        'content-type': 'application/json',
        'x-ndr-token': server.token,
        ...headers,
      },
      body: JSON.stringify(body),
    })

  beforeAll(async () => {
    const staticDir = join(tmp.dir, 'static')
    mkdirSync(staticDir)
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>t</title>')
    writeFileSync(join(tmp.dir, 'secret.txt'), 'do not serve')
    backend = createBackend({
      dataDir: join(tmp.dir, 'data'),
      mode: 'browser',
      version: '1',
      systemLocales: [],
    })
    server = await startServer({ backend, staticDir })
    host = `127.0.0.1:${server.port}`
  })
  afterAll(async () => {
    await server.close()
    backend.close()
    tmp.cleanup()
  })

  test('prints a loopback URL with a long random token in the fragment', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]{40,}$/)
  })

  test('a call with the right token, Host and no Origin is answered', async () => {
    const r = await api('cases.analyze', { text: '550 5.7.750 Service unavailable' })
    expect(r.status).toBe(200)
    expect(JSON.parse(r.body)).toMatchObject({ ok: true, value: { status: '5.7.750' } })
  })

  test('same-origin Origin is accepted', async () => {
    const r = await api('cases.list', {}, { origin: `http://${host}` })
    expect(JSON.parse(r.body)).toMatchObject({ ok: true })
  })

  test.each([
    ['no token', { 'x-ndr-token': '' }, 403],
    ['a wrong token', { 'x-ndr-token': 'A'.repeat(43) }, 403],
    ['a foreign Host (DNS rebinding)', { host: 'attacker.example:80' }, 421],
    ['a foreign Origin', { origin: 'http://attacker.example' }, 403],
    ['a null Origin', { origin: 'null' }, 403],
    ['an https look-alike Origin', { origin: `https://${'127.0.0.1'}:1` }, 403],
    ['a cross-site fetch', { 'sec-fetch-site': 'cross-site' }, 403],
    ['a form post content type', { 'content-type': 'application/x-www-form-urlencoded' }, 415],
  ])('a call with %s is refused and writes nothing', async (_name, headers, status) => {
    const before = backend.db.prepare('SELECT count(*) AS n FROM cases').get()
    const r = await api('cases.analyze', { text: '550 5.1.1 no' }, headers)
    expect(r.status).toBe(status)
    expect(backend.db.prepare('SELECT count(*) AS n FROM cases').get()).toEqual(before)
  })

  test('GET on the API and malformed JSON are refused with typed errors', async () => {
    expect((await send(server.port, { path: '/api/cases.list', headers: { host } })).status).toBe(
      405,
    )
    const bad = await send(server.port, {
      method: 'POST',
      path: '/api/cases.list',
      headers: { host, 'content-type': 'application/json', 'x-ndr-token': server.token },
      body: '{"limit":',
    })
    expect(bad.status).toBe(400)
    expect(JSON.parse(bad.body)).toMatchObject({ ok: false, error: { code: 'invalid-arguments' } })
  })

  test('validation errors travel in the envelope', async () => {
    const r = await api('cases.get', { id: 'one' })
    expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code: 'invalid-arguments' } })
  })

  test('static files carry the CSP; paths cannot escape the renderer folder', async () => {
    const index = await send(server.port, { path: '/', headers: { host } })
    expect(index.status).toBe(200)
    expect(index.headers['content-security-policy']).toBe(CSP)
    expect(index.headers['x-content-type-options']).toBe('nosniff')
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/%00']) {
      const r = await send(server.port, { path, headers: { host } })
      expect(r.status, path).toBeGreaterThanOrEqual(400)
      expect(r.body).not.toContain('do not serve')
    }
  })

  test('the CSP allows no inline or remote script and no outside connection', () => {
    expect(CSP).toContain("default-src 'none'")
    expect(CSP).toContain("script-src 'self'")
    expect(CSP).toContain("connect-src 'self'")
    expect(CSP).not.toMatch(/script-src[^;]*unsafe/)
  })
})
