import type { TFunction } from 'i18next'
import { DatabaseNewerError } from '../backend/db/migrations'
import { openErrorDetail } from '../backend/db/open-error'

/** The localized sentence for a store that could not be opened (newer schema, unreadable, …). */
export function describeOpenError(e: unknown, t: TFunction, dir: string): string {
  if (e instanceof DatabaseNewerError) {
    return t('errors:api.database-newer', { found: e.found, supported: e.supported })
  }
  return t('common:cli.dbOpenFailed', { dir, detail: openErrorDetail(e, t) })
}
