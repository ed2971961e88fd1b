/**
 * The only links the app lets the user open outside itself: Microsoft's documentation over https.
 * The renderer uses it to decide what to show as a link; Electron's window-open handler uses it to
 * decide what to hand to the system browser (everything else is denied).
 */
const ALLOWED_HOSTS = new Set([
  'learn.microsoft.com',
  'support.microsoft.com',
  'admin.microsoft.com',
  'security.microsoft.com',
  'admin.exchange.microsoft.com',
])

export function isAllowedExternalUrl(url: string): boolean {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return false
  }
  return (
    u.protocol === 'https:' &&
    ALLOWED_HOSTS.has(u.hostname) &&
    u.username === '' &&
    u.password === '' &&
    u.port === ''
  )
}
