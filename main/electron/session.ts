import type { Session } from 'electron'
import { isAppUrl, isLocalNonNetworkUrl } from './app-origin'

/**
 * Locks the session down (Electron checklist items 5 and 14, issue 7): no permission is ever
 * granted (the app needs no camera, notifications or geolocation), and the renderer may load only
 * app:// resources, so no request can leave the workstation.
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
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
  // The spellchecker downloads Hunspell dictionaries from a CDN (Electron docs, session.md).
  session.setSpellCheckerEnabled(false)
  session.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: !isAppUrl(details.url) && !isLocalNonNetworkUrl(details.url) })
  })
}
