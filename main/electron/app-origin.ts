// The app's own origin (app://ndr, served by protocol.ts) and the one check every guard uses:
// navigation, redirects, the IPC sender check and the zero-network request filter. Pure (no
// electron import) so that a unit test can run it without an Electron binary.

export const APP_SCHEME = 'app'
export const APP_ORIGIN = `${APP_SCHEME}://ndr`

/**
 * True for a URL of the app itself. Parsed, not prefix-matched: `app://ndr.evil/`, `app://ndr@x/`
 * and `app://ndr:80/` are other origins (Electron checklist items 13 and 17; "use Node's parser,
 * startsWith can be fooled").
 */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url)
    // WHATWG URL gives non-special schemes an opaque origin ("null"): compare the parts instead.
    return (
      u.protocol === `${APP_SCHEME}:` &&
      u.hostname === 'ndr' &&
      u.port === '' &&
      u.username === '' &&
      u.password === ''
    )
  } catch {
    return false
  }
}

/** In-memory URLs that never reach the network: devtools and data: (the PDF report is one). */
export function isLocalNonNetworkUrl(url: string): boolean {
  return url.startsWith('devtools://') || url.startsWith('data:')
}
