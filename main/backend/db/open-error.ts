import type { TFunction } from 'i18next'
import { errorCode, storageErrorCode } from './durability/errors'
import { DatabaseNewerError } from './migrations'

/**
 * The localized sentence for a store that could not be opened (newer schema, unwritable, …), for
 * the CLI's commands that open it and for the desktop app's startup dialog.
 */
export function describeOpenError(e: unknown, t: TFunction, dir: string): string {
  if (e instanceof DatabaseNewerError) {
    return t('errors:api.database-newer', { found: e.found, supported: e.supported })
  }
  return t('errors:startup.dbOpenFailed', { dir, detail: openErrorDetail(e, t) })
}

/**
 * Why the data folder could not be opened, in the user's language. SQLite's and Node's own messages
 * are English ("Storage error (read-only): unable to open database file" inside an Italian
 * sentence, `cases --data-dir /proc`); an error with no known code keeps its message, which beats
 * saying nothing.
 */
function openErrorDetail(e: unknown, t: TFunction): string {
  const storage = storageErrorCode(e)
  if (storage !== undefined) return t(`errors:startup.openDetail.${storage}`)
  const code = errorCode(e)
  // mkdir of a path that is a file (`--data-dir /etc/hostname`).
  if (code === 'EEXIST' || code === 'ENOTDIR') return t('errors:startup.openDetail.EEXIST')
  return e instanceof Error ? e.message : String(e)
}
