import { net, protocol } from 'electron'
import { join, normalize, sep } from 'node:path'
import { pathToFileURL } from 'node:url'
import { SECURITY_HEADERS } from '../server/csp'

import { APP_SCHEME } from './app-origin'

export { APP_ORIGIN, APP_SCHEME } from './app-origin'

/** Must run before `app.ready`: a standard, secure scheme gets a real origin for the renderer. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: false } },
  ])
}

/**
 * Serves out/renderer under app://ndr/ with the same CSP and headers as browser mode. Paths that
 * escape the folder are refused.
 */
export function serveRenderer(rendererDir: string): void {
  const root = normalize(rendererDir)
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url)
    if (url.host !== 'ndr') return new Response('Not found', { status: 404 })
    const rel = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname)
    const file = normalize(join(root, rel))
    if (!file.startsWith(root + sep)) return new Response('Not found', { status: 404 })
    const res = await net.fetch(pathToFileURL(file).toString())
    const headers = new Headers(res.headers)
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) headers.set(k, v)
    return new Response(res.body, { status: res.status, headers })
  })
}
