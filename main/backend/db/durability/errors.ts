/**
 * Storage failures the user can act on, each with a stable code the UI maps to a localized message
 * (the message here is English, for logs). Everything else is a bug and is rethrown as is.
 */
export type StorageErrorCode =
  /** The data folder or file cannot be written (permissions, read-only medium). */
  | 'read-only'
  /** No space left (SQLITE_FULL, ENOSPC, quota). The transaction was rolled back. */
  | 'disk-full'
  /** The disk answered with an I/O error. */
  | 'io-error'
  /** Another program holds the database locked beyond the 5 s busy timeout. */
  | 'busy'
  /** The file is damaged or is not a database (found after open, e.g. by a query). */
  | 'corrupt'

export class DatabaseStorageError extends Error {
  readonly code: StorageErrorCode
  /** A read-only connection (openDatabaseReadOnly) can still show the stored data. */
  readonly viewable: boolean

  constructor(
    code: StorageErrorCode,
    message: string,
    opts: { cause?: unknown; viewable?: boolean } = {},
  ) {
    super(message, { cause: opts.cause })
    this.name = 'DatabaseStorageError'
    this.code = code
    this.viewable = opts.viewable ?? false
  }
}

/** An error's `code` (Node's `ENOENT`, SQLite's `SQLITE_FULL`), if it has a string one. */
export function errorCode(e: unknown): string | undefined {
  if (typeof e !== 'object' || e === null || !('code' in e)) return undefined
  const code = e.code
  return typeof code === 'string' ? code : undefined
}

/** True for damage that moving the file aside and restoring a backup can fix. */
export function isCorruptionError(e: unknown): boolean {
  if (e instanceof DatabaseStorageError) return e.code === 'corrupt'
  const code = errorCode(e)
  return code !== undefined && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB')
}

/**
 * Maps a better-sqlite3 SqliteError (extended codes, e.g. SQLITE_READONLY_DIRECTORY) or a Node fs
 * error to a StorageErrorCode; undefined for anything else. SQLite's unix VFS reports ENOSPC as
 * SQLITE_FULL (https://www.sqlite.org/rescode.html#full).
 */
export function storageErrorCode(e: unknown): StorageErrorCode | undefined {
  if (e instanceof DatabaseStorageError) return e.code
  const code = errorCode(e)
  if (code === undefined) return undefined
  if (isCorruptionError(e)) return 'corrupt'
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN')) return 'read-only'
  if (code === 'SQLITE_PERM' || code === 'SQLITE_AUTH') return 'read-only'
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return 'read-only'
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT') return 'disk-full'
  if (code.startsWith('SQLITE_IOERR') || code === 'EIO') return 'io-error'
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'busy'
  return undefined
}

/** The same error, typed when it is a storage failure; otherwise `e` unchanged. */
export function toStorageError(e: unknown, viewable = false): unknown {
  if (e instanceof DatabaseStorageError) return e
  const code = storageErrorCode(e)
  if (code === undefined) return e
  const message = e instanceof Error ? e.message : String(e)
  return new DatabaseStorageError(code, `Storage error (${code}): ${message}`, {
    cause: e,
    viewable,
  })
}
