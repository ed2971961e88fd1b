import { shell } from 'electron'
import { isAllowedExternalUrl } from '../core/api/external-links'

/**
 * The one place the app hands a URL to the operating system (lint forbids shell.openExternal
 * elsewhere): Microsoft documentation over https, and mailto:. Anything else is dropped.
 */
export function openExternalSafely(url: string): boolean {
  if (!isAllowedExternalUrl(url)) return false
  void shell.openExternal(url) // eng-disable OPEN_EXTERNAL_JS_CHECK -- only URLs that passed isAllowedExternalUrl on the line above get here: https to five Microsoft hosts, or mailto
  return true
}
