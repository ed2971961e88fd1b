import Database from 'better-sqlite3'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { takeBackupSync, type BackupInfo } from './backup'
import {
  DatabaseStorageError,
  isCorruptionError,
  storageErrorCode,
  toStorageError,
} from './durability/errors'
import { migrate, schemaVersion, SCHEMA_VERSION } from './migrations'
import { installBackup, moveAside, restorableBackups, type RecoveryReport } from './recovery'

export type DB = Database.Database

export const DB_FILE_NAME = 'ndr-assistant.sqlite3'

/**
 * Applied, in order, to every read-write connection. WAL keeps readers off the writer's back;
 * synchronous=FULL makes a commit durable before we report it saved (WAL with NORMAL can lose the
 * last transactions on power loss: https://www.sqlite.org/pragma.html#pragma_synchronous). The
 * kill test's child process receives this very list.
 */
export const DURABILITY_PRAGMAS: readonly string[] = [
  'journal_mode = WAL',
  'synchronous = FULL',
  'foreign_keys = ON',
  'busy_timeout = 5000',
]

export interface OpenResult {
  readonly db: DB
  /** Set when the store was found damaged, set aside and restored (or started empty). */
  readonly recovery?: RecoveryReport
  /** Set when a migration ran: the backup of the old schema taken just before. */
  readonly preMigrationBackup?: BackupInfo
}

/** Thrown by the quick check at open; handled like SQLite's own SQLITE_CORRUPT. */
class FailedCheckError extends Error {
  readonly code = 'SQLITE_CORRUPT'
}

function hasData(db: DB): boolean {
  if (schemaVersion(db) > 0) return true
  return (db.prepare('SELECT count(*) AS n FROM sqlite_schema').get() as { n: number }).n > 0
}

/** Opens read-write, applies the pragmas, checks the file, backs up and migrates. Throws raw errors. */
function openAndUpgrade(dataDir: string, file: string, now: Date): OpenResult {
  const db = new Database(file)
  try {
    for (const p of DURABILITY_PRAGMAS) db.pragma(p)
    // quick_check reads every page (O(N), without the index cross-checks of integrity_check): a
    // damaged page is found now, while a backup can replace it, and not in the middle of a save.
    const check = db.pragma('quick_check') as { quick_check: string }[]
    if (check.length !== 1 || check[0]?.quick_check !== 'ok') {
      throw new FailedCheckError(`quick_check: ${check.map((r) => r.quick_check).join('; ')}`)
    }
    let preMigrationBackup: BackupInfo | undefined
    const version = schemaVersion(db)
    if (version < SCHEMA_VERSION && hasData(db)) {
      preMigrationBackup = takeBackupSync(db, dataDir, 'pre-migration', now)
    }
    migrate(db)
    return preMigrationBackup ? { db, preMigrationBackup } : { db }
  } catch (e) {
    db.close()
    throw e
  }
}

/**
 * An empty file where a store was (a truncation) is damage too, when backups exist: starting
 * empty over it would silently drop every case.
 */
function truncatedWithBackups(file: string, dataDir: string): boolean {
  if (!existsSync(file) || statSync(file).size > 0) return false
  if (existsSync(`${file}-wal`) && statSync(`${file}-wal`).size > 0) return false
  return restorableBackups(dataDir).next().done === false
}

function describe(e: unknown): string {
  const code = (e as { code?: unknown }).code
  const message = e instanceof Error ? e.message : String(e)
  return typeof code === 'string' ? `${code}: ${message}` : message
}

/**
 * Opens (creating if needed) the store and brings its schema up to date, backing it up first when
 * a migration is due. A damaged store (SQLITE_CORRUPT, SQLITE_NOTADB, a failed quick_check, or an
 * empty file while backups exist) is moved to `<dataDir>/corrupt-<time>/`, never deleted, and the
 * newest backup that verifies is restored; with none, the store starts empty. `recovery` says
 * which, for the UI to tell the user what period is affected.
 *
 * Throws DatabaseNewerError, untouched, for a file written by a newer version of the app, and
 * DatabaseStorageError (code 'read-only', 'disk-full', 'io-error' or 'busy') when the folder or
 * disk refuses; `viewable` then says whether openDatabaseReadOnly can still show the data.
 */
export function openDatabaseWithRecovery(dataDir: string, now: Date = new Date()): OpenResult {
  const file = join(dataDir, DB_FILE_NAME)
  try {
    mkdirSync(dataDir, { recursive: true })
  } catch (e) {
    throw toStorageError(e, existsSync(file))
  }
  let first: unknown
  try {
    if (truncatedWithBackups(file, dataDir))
      throw new FailedCheckError('the database file is empty')
    return openAndUpgrade(dataDir, file, now)
  } catch (e) {
    if (!isCorruptionError(e)) throw toStorageError(e, existsSync(file))
    first = e
  }

  const movedTo = moveAside(dataDir, file, DB_FILE_NAME, now)
  const report = { movedTo, reason: describe(first), detectedAt: now }
  for (const backup of restorableBackups(dataDir)) {
    installBackup(backup, file, dataDir)
    try {
      const opened = openAndUpgrade(dataDir, file, now)
      return {
        ...opened,
        recovery: { ...report, restoredFrom: backup.path, backupTakenAt: backup.takenAt },
      }
    } catch (e) {
      if (!isCorruptionError(e)) throw toStorageError(e, true)
      // A copy of a backup that verified a moment ago: drop the copy, keep the backup, try the next.
      moveAside(join(movedTo, 'restore-attempts'), file, DB_FILE_NAME, now)
    }
  }
  try {
    return {
      ...openAndUpgrade(dataDir, file, now),
      recovery: { ...report, restoredFrom: null, backupTakenAt: null },
    }
  } catch (e) {
    throw toStorageError(e)
  }
}

/** openDatabaseWithRecovery for callers that need only the connection (CLI, tests). */
export function openDatabase(dataDir: string): DB {
  return openDatabaseWithRecovery(dataDir).db
}

/**
 * A connection for viewing only, for when openDatabaseWithRecovery threw DatabaseStorageError with
 * `viewable`. Writes through it fail with SQLITE_READONLY (storageErrorCode 'read-only'). When
 * SQLite cannot open the file in place (a WAL database in a folder where its -shm cannot be
 * created) or its schema is older than this app's, it opens a snapshot copied to the temp folder:
 * copying is safe here because nothing can be writing to a file we may not write.
 */
export function openDatabaseReadOnly(dataDir: string): DB {
  const file = join(dataDir, DB_FILE_NAME)
  if (!existsSync(file)) {
    throw new DatabaseStorageError('read-only', `No database to show at ${file}`, {
      viewable: false,
    })
  }
  let direct: DB | undefined
  try {
    direct = new Database(file, { readonly: true, fileMustExist: true })
    if (schemaVersion(direct) === SCHEMA_VERSION) return direct
    direct.close()
  } catch (e) {
    direct?.close()
    if (storageErrorCode(e) !== 'read-only') throw toStorageError(e)
  }
  const snapshotDir = mkdtempSync(join(tmpdir(), 'ndr-assistant-readonly-'))
  const copy = join(snapshotDir, DB_FILE_NAME)
  copyFileSync(file, copy)
  if (existsSync(`${file}-wal`)) copyFileSync(`${file}-wal`, `${copy}-wal`)
  const db = new Database(copy)
  try {
    migrate(db)
    db.pragma('query_only = ON')
    return db
  } catch (e) {
    db.close()
    throw toStorageError(e)
  }
}
