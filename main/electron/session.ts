import type { Session } from 'electron'
import { isAppUrl, isLocalNonNetworkUrl } from './app-origin'

/**
 * The one permission ever granted: `clipboard-read`, to the app's own top-level page, so that a
 * paste is read off the UI thread (navigator.clipboard.readText) instead of synchronously in the
 * paste event (50-70 ms for 10 MB: issue 7's 10 MB paste). Bounce HTML runs in a sandboxed frame
 * without scripts, and any other origin or frame is refused.
 */
export function ownPageMayRead(
  permission: string,
  url: string | undefined,
  isMainFrame: boolean | undefined,
): boolean {
  return permission === 'clipboard-read' && isMainFrame === true && !!url && isAppUrl(url)
}

/**
 * Locks the session down (Electron checklist items 5 and 14, issue 7): no permission is granted
 * but reading the clipboard to the app's own page (the app needs no camera, notifications or
 * geolocation), and the renderer may load only app:// resources, so no request can leave the
 * workstation.
 */
export function hardenSession(
  session: Pick<
    Session,
    | 'setPermissionRequestHandler'
    | 'setPermissionCheckHandler'
    | 'webRequest'
    | 'setSpellCheckerEnabled'
  >,
): void {
  session.setPermissionRequestHandler((_wc, permission, callback, details) =>
    callback(ownPageMayRead(permission, details.requestingUrl, details.isMainFrame)),
  )
  session.setPermissionCheckHandler((_wc, permission, origin, details) =>
    ownPageMayRead(permission, origin, details.isMainFrame),
  )
  // The spellchecker downloads Hunspell dictionaries from a CDN (Electron docs, session.md).
  session.setSpellCheckerEnabled(false)
  session.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: !isAppUrl(details.url) && !isLocalNonNetworkUrl(details.url) })
  })
}
