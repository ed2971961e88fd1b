import { randomBytes, timingSafeEqual } from 'node:crypto'
import { createReadStream, statSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { extname, join, normalize, sep } from 'node:path'
import { TOKEN_HEADER, type Envelope } from '../core/api/contract'
import { MAX_INPUT_CHARS } from '../core/api/contract'
import type { Backend } from '../backend/backend'
import { SECURITY_HEADERS } from './csp'

/** JSON bodies up to the largest accepted paste, with room for JSON escaping. */
const MAX_BODY_BYTES = MAX_INPUT_CHARS * 2 + 64 * 1024

const MIME: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json; charset=utf-8',
}

export interface ServeOptions {
  readonly backend: Backend
  /** Folder of the built renderer (out/renderer). */
  readonly staticDir: string
  /** 0 picks a free port. */
  readonly port?: number
  /** Fixed token for tests; otherwise 32 random bytes per launch. */
  readonly token?: string
}

export interface RunningServer {
  readonly url: string
  readonly port: number
  readonly token: string
  close(): Promise<void>
}

/**
 * Browser mode: the built renderer and `POST /api/<method>` on 127.0.0.1 only.
 * Defences, in order: bind to loopback; refuse a Host that is not our loopback authority (DNS
 * rebinding); refuse a foreign Origin (cross-site requests from other pages); require the per-launch
 * token in a header on every API call (a header cannot be set cross-origin without a CORS preflight,
 * which we never answer positively).
 */
export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  const token = opts.token ?? randomBytes(32).toString('base64url')
  const tokenBuf = Buffer.from(token)
  let allowedHosts: ReadonlySet<string> = new Set()

  const server = createServer((req, res) => {
    void handle(req, res).catch(() => {
      if (!res.headersSent)
        sendJson(res, 500, { ok: false, error: { code: 'internal', message: 'Internal error.' } })
      else res.destroy()
    })
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const host = (req.headers.host ?? '').toLowerCase()
    if (!allowedHosts.has(host)) return sendPlain(res, 421, 'Misdirected request: unknown Host.')
    const origin = req.headers.origin
    if (origin !== undefined && !allowedHosts.has(originAuthority(origin))) {
      return sendPlain(res, 403, 'Forbidden: foreign Origin.')
    }
    const fetchSite = req.headers['sec-fetch-site']
    if (fetchSite === 'cross-site') return sendPlain(res, 403, 'Forbidden: cross-site request.')

    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    if (url.pathname.startsWith('/api/')) {
      if (req.method !== 'POST')
        return sendPlain(res, 405, 'Method not allowed.', { Allow: 'POST' })
      const given = req.headers[TOKEN_HEADER]
      if (typeof given !== 'string' || !safeEqual(Buffer.from(given), tokenBuf)) {
        return sendJson(res, 403, {
          ok: false,
          error: { code: 'forbidden', message: 'Missing or wrong API token.' },
        })
      }
      const ctype = req.headers['content-type'] ?? ''
      if (!ctype.toLowerCase().startsWith('application/json')) {
        return sendJson(res, 415, {
          ok: false,
          error: { code: 'invalid-arguments', message: 'Content-Type must be application/json.' },
        })
      }
      const body = await readBody(req, MAX_BODY_BYTES)
      if (body === null) {
        return sendJson(res, 413, {
          ok: false,
          error: { code: 'too-large', message: 'Request body too large.' },
        })
      }
      let args: unknown
      try {
        args = body.length ? JSON.parse(body) : {}
      } catch {
        return sendJson(res, 400, {
          ok: false,
          error: { code: 'invalid-arguments', message: 'Body is not JSON.' },
        })
      }
      const method = decodeURIComponent(url.pathname.slice('/api/'.length))
      const envelope = await opts.backend.call(method, args)
      return sendJson(res, 200, envelope)
    }

    if (req.method !== 'GET' && req.method !== 'HEAD')
      return sendPlain(res, 405, 'Method not allowed.')
    serveStatic(opts.staticDir, url.pathname, req, res)
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve())
  })
  const address = server.address()
  if (!address || typeof address === 'string') throw new Error('server did not bind')
  const port = address.port
  allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`])
  server.headersTimeout = 30_000
  server.requestTimeout = 120_000

  return {
    url: `http://127.0.0.1:${port}/#token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

function originAuthority(origin: string): string {
  try {
    const u = new URL(origin)
    return u.protocol === 'http:' ? u.host.toLowerCase() : ''
  } catch {
    return ''
  }
}

function safeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b)
}

/** The body as text, or null once it passes `limit` bytes (the rest is drained, not kept). */
function readBody(req: IncomingMessage, limit: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    let over = false
    req.on('data', (c: Buffer) => {
      if (over) return
      size += c.length
      if (size > limit) {
        over = true
        chunks.length = 0
        resolve(null)
        req.resume()
        return
      }
      chunks.push(c)
    })
    req.on('end', () => {
      if (!over) resolve(Buffer.concat(chunks).toString('utf8'))
    })
    req.on('error', reject)
  })
}

function serveStatic(
  root: string,
  pathname: string,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  let rel: string
  try {
    rel = decodeURIComponent(pathname)
  } catch {
    return sendPlain(res, 400, 'Bad path.')
  }
  if (rel.includes('\0')) return sendPlain(res, 400, 'Bad path.')
  if (rel === '/' || rel === '') rel = '/index.html'
  const file = normalize(join(root, rel))
  if (file !== root && !file.startsWith(root.endsWith(sep) ? root : root + sep)) {
    return sendPlain(res, 404, 'Not found.')
  }
  let size: number
  try {
    const st = statSync(file)
    if (!st.isFile()) return sendPlain(res, 404, 'Not found.')
    size = st.size
  } catch {
    return sendPlain(res, 404, 'Not found.')
  }
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': MIME[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': size,
    'Cache-Control': 'no-cache',
  })
  if (req.method === 'HEAD') return void res.end()
  createReadStream(file).pipe(res)
}

function sendJson(res: ServerResponse, status: number, body: Envelope<unknown>): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  })
  res.end(text)
}

function sendPlain(
  res: ServerResponse,
  status: number,
  text: string,
  extra: Record<string, string> = {},
): void {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    ...extra,
    'Content-Type': 'text/plain; charset=utf-8',
    'Cache-Control': 'no-store',
  })
  res.end(text)
}
