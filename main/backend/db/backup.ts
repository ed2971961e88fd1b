import Database from 'better-sqlite3'
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs'
import { join } from 'node:path'
import type { DB } from './connection'
import { schemaVersion } from './migrations'
import { storageErrorCode, type StorageErrorCode } from './durability/errors'

/** How many verified backups are kept (issue 6: "keep five"). */
export const BACKUPS_KEPT = 5
/** A daily backup is taken when the newest backup is older than this. */
export const DAILY_INTERVAL_MS = 24 * 60 * 60 * 1000
export const BACKUP_DIR_NAME = 'backups'

export type BackupReason = 'pre-migration' | 'daily' | 'quit' | 'manual'

export interface BackupInfo {
  readonly path: string
  readonly fileName: string
  /** When the backup was taken: the data it holds is everything committed before this instant. */
  readonly takenAt: Date
  readonly schemaVersion: number
  readonly reason: BackupReason
}

export type BackupOutcome =
  | {
      readonly ok: true
      /** null when none was needed (a daily one exists already). */ readonly backup: BackupInfo | null
    }
  | { readonly ok: false; readonly code: StorageErrorCode | 'unverified'; readonly message: string }

export class BackupVerificationError extends Error {
  constructor(
    readonly path: string,
    readonly detail: string,
  ) {
    super(`Backup ${path} failed verification: ${detail}`)
    this.name = 'BackupVerificationError'
  }
}

const NAME =
  /^ndr-assistant-(\d{8}T\d{9}Z)-v(\d+)-(pre-migration|daily|quit|manual)(?:-(\d+))?\.sqlite3$/

/** 2026-01-02T03:04:05.678Z → 20260102T030405678Z: sortable as text, valid in every file system. */
export function fileStamp(d: Date): string {
  return d.toISOString().replace(/[-:.]/g, '')
}

function parseStamp(s: string): Date {
  const iso = `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(9, 11)}:${s.slice(11, 13)}:${s.slice(13, 15)}.${s.slice(15, 18)}Z`
  return new Date(iso)
}

export function backupsDir(dataDir: string): string {
  return join(dataDir, BACKUP_DIR_NAME)
}

/** The finished (verified) backups, newest first. Partial files of an interrupted backup are not listed. */
export function listBackups(dataDir: string): BackupInfo[] {
  const dir = backupsDir(dataDir)
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return []
  const found: (BackupInfo & { seq: number })[] = []
  for (const fileName of readdirSync(dir)) {
    const m = NAME.exec(fileName)
    if (!m) continue
    found.push({
      path: join(dir, fileName),
      fileName,
      takenAt: parseStamp(m[1]!),
      schemaVersion: Number(m[2]),
      reason: m[3] as BackupReason,
      seq: Number(m[4] ?? 0),
    })
  }
  found.sort((a, b) => b.takenAt.getTime() - a.takenAt.getTime() || b.seq - a.seq)
  return found.map(({ seq: _seq, ...b }) => b)
}

/**
 * Opens the file read-only and checks it the way a restore would use it: integrity_check says
 * exactly "ok" and user_version reads as a number. Returns the schema version.
 */
export function verifyBackup(path: string): number {
  let b: Database.Database
  try {
    b = new Database(path, { readonly: true, fileMustExist: true })
  } catch (e) {
    throw new BackupVerificationError(path, e instanceof Error ? e.message : String(e))
  }
  try {
    const rows = b.pragma('integrity_check') as { integrity_check: string }[]
    if (rows.length !== 1 || rows[0]?.integrity_check !== 'ok') {
      throw new BackupVerificationError(path, rows.map((r) => r.integrity_check).join('; '))
    }
    const version: unknown = b.pragma('user_version', { simple: true })
    if (typeof version !== 'number')
      throw new BackupVerificationError(path, 'user_version unreadable')
    return version
  } catch (e) {
    if (e instanceof BackupVerificationError) throw e
    throw new BackupVerificationError(path, e instanceof Error ? e.message : String(e))
  } finally {
    b.close()
  }
}

/** Flushes a file or a folder (its entries) to disk. */
export function fsyncPath(path: string): void {
  const fd = openSync(path, 'r')
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

function removeWithSidecars(path: string): void {
  for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(path + suffix, { force: true })
}

function targetFor(dataDir: string, version: number, reason: BackupReason, now: Date) {
  const dir = backupsDir(dataDir)
  mkdirSync(dir, { recursive: true })
  const base = `ndr-assistant-${fileStamp(now)}-v${version}-${reason}`
  let fileName = `${base}.sqlite3`
  for (let n = 2; existsSync(join(dir, fileName)); n++) fileName = `${base}-${n}.sqlite3`
  return { dir, fileName, path: join(dir, fileName), partial: join(dir, `${fileName}.partial`) }
}

/**
 * Turns a freshly written copy into a stand-alone single file (rollback journal, so no -wal can be
 * separated from it later), verifies it, makes it durable, and only then gives it its final name.
 * Anything that fails verification is deleted: only verified backups carry a backup's name.
 */
function finish(t: ReturnType<typeof targetFor>, now: Date, reason: BackupReason): BackupInfo {
  try {
    const c = new Database(t.partial, { fileMustExist: true })
    try {
      c.pragma('journal_mode = DELETE')
    } finally {
      c.close()
    }
    const version = verifyBackup(t.partial)
    fsyncPath(t.partial)
    renameSync(t.partial, t.path)
    fsyncPath(t.dir)
    return { path: t.path, fileName: t.fileName, takenAt: now, schemaVersion: version, reason }
  } catch (e) {
    removeWithSidecars(t.partial)
    throw e
  }
}

/** Deletes all but the newest `keep` backups, and leftovers of interrupted ones. */
export function pruneBackups(dataDir: string, keep = BACKUPS_KEPT): void {
  const dir = backupsDir(dataDir)
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return
  for (const b of listBackups(dataDir).slice(keep)) rmSync(b.path, { force: true })
  for (const f of readdirSync(dir)) {
    if (/\.partial(-journal|-wal|-shm)?$/.test(f)) rmSync(join(dir, f), { force: true })
  }
}

/**
 * A backup through SQLite's online backup API (better-sqlite3 `db.backup`), which copies a
 * consistent snapshot while the app keeps using the connection; never a file copy of a live
 * database (https://www.sqlite.org/howtocorrupt.html#_backup_or_restore_while_a_transaction_is_active).
 * Verified before older backups are pruned. Throws on failure.
 */
export async function takeBackup(
  db: DB,
  dataDir: string,
  reason: BackupReason,
  now: Date,
): Promise<BackupInfo> {
  const t = targetFor(dataDir, schemaVersion(db), reason, now)
  try {
    await db.backup(t.partial)
  } catch (e) {
    removeWithSidecars(t.partial)
    throw e
  }
  const info = finish(t, now, reason)
  pruneBackups(dataDir)
  return info
}

/**
 * The same, synchronously, for the backup before a migration: openDatabase is synchronous, and
 * the backup API's copy is asynchronous in better-sqlite3. VACUUM INTO writes a consistent
 * snapshot through SQLite itself (https://www.sqlite.org/lang_vacuum.html#vacuuminto), so it is as
 * safe as the backup API; it is also compacted.
 */
export function takeBackupSync(
  db: DB,
  dataDir: string,
  reason: BackupReason,
  now: Date,
): BackupInfo {
  const t = targetFor(dataDir, schemaVersion(db), reason, now)
  try {
    db.prepare('VACUUM INTO ?').run(t.partial)
  } catch (e) {
    removeWithSidecars(t.partial)
    throw e
  }
  const info = finish(t, now, reason)
  pruneBackups(dataDir)
  return info
}

function failure(e: unknown): BackupOutcome {
  const message = e instanceof Error ? e.message : String(e)
  if (e instanceof BackupVerificationError) return { ok: false, code: 'unverified', message }
  return { ok: false, code: storageErrorCode(e) ?? 'io-error', message }
}

/**
 * Call at start-up (and, for an app left open for days, e.g. every hour): takes a backup when the
 * newest one is more than a day old. Never throws: a failed backup must not stop the app.
 */
export async function maybeDailyBackup(db: DB, dataDir: string, now: Date): Promise<BackupOutcome> {
  try {
    const newest = listBackups(dataDir)[0]
    if (newest && now.getTime() - newest.takenAt.getTime() < DAILY_INTERVAL_MS) {
      return { ok: true, backup: null }
    }
    return { ok: true, backup: await takeBackup(db, dataDir, 'daily', now) }
  } catch (e) {
    return failure(e)
  }
}

/** Call on quit, before closing the connection. Never throws. */
export async function backupOnQuit(db: DB, dataDir: string, now: Date): Promise<BackupOutcome> {
  try {
    return { ok: true, backup: await takeBackup(db, dataDir, 'quit', now) }
  } catch (e) {
    return failure(e)
  }
}
