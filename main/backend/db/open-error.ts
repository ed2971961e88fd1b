import { storageErrorCode } from './durability/errors'

/**
 * Why the data folder could not be opened, in the user's language, for the sentence
 * `errors:startup.dbOpenFailed`. SQLite's and Node's own messages are English ("Storage error
 * (read-only): unable to open database file" inside an Italian sentence, `cases --data-dir /proc`);
 * an error with no known code keeps its message, which beats saying nothing.
 */
export function openErrorDetail(e: unknown, t: (key: string) => string): string {
  const storage = storageErrorCode(e)
  if (storage !== undefined) return t(`errors:startup.openDetail.${storage}`)
  const code =
    e !== null && typeof e === 'object' && 'code' in e && typeof e.code === 'string'
      ? e.code
      : undefined
  // mkdir of a path that is a file (`--data-dir /etc/hostname`).
  if (code === 'EEXIST' || code === 'ENOTDIR') return t('errors:startup.openDetail.EEXIST')
  return e instanceof Error ? e.message : String(e)
}
