/**
 * The only links the app lets the user open outside itself: Microsoft's documentation over https,
 * and mailto:.
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
  // mailto: opens the user's mail program with an address; it loads nothing.
  if (u.protocol === 'mailto:') return /^mailto:[^\s<>"]{1,320}$/.test(url)
  return (
    u.protocol === 'https:' &&
    ALLOWED_HOSTS.has(u.hostname) &&
    u.username === '' &&
    u.password === '' &&
    u.port === ''
  )
}
