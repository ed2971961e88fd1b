import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { fileStamp, fsyncPath, listBackups, verifyBackup, type BackupInfo } from './backup'

/** What openDatabaseWithRecovery did about a damaged store, for the UI to tell the user. */
export interface RecoveryReport {
  /** The folder now holding the damaged file (and its -wal/-shm), kept for the user or support. */
  readonly movedTo: string
  /** Why the file was set aside: the SQLite code or check that failed. */
  readonly reason: string
  /** The backup restored, or null when there was none that verified: the store started empty. */
  readonly restoredFrom: string | null
  /**
   * When that backup was taken: changes made after this instant (up to `detectedAt`) are not in the
   * restored store. Null with no backup.
   */
  readonly backupTakenAt: Date | null
  readonly detectedAt: Date
}

const SIDE_FILES = ['', '-wal', '-shm', '-journal']

/**
 * Moves the database file and its -wal/-shm/-journal, together (separating a hot journal from its
 * database is itself a way to corrupt it: https://www.sqlite.org/howtocorrupt.html#_deleting_a_hot_journal),
 * into `<dataDir>/corrupt-<time>/`. Never deletes anything. Returns that folder.
 */
export function moveAside(dataDir: string, dbFile: string, fileName: string, now: Date): string {
  let dir = join(dataDir, `corrupt-${fileStamp(now)}`)
  for (let n = 2; existsSync(dir); n++) dir = join(dataDir, `corrupt-${fileStamp(now)}-${n}`)
  mkdirSync(dir, { recursive: true })
  for (const suffix of SIDE_FILES) {
    if (existsSync(dbFile + suffix)) renameSync(dbFile + suffix, join(dir, fileName + suffix))
  }
  return dir
}

/**
 * The verified backups, newest first, each checked again now (a backup can rot on disk too).
 * The caller tries them in order.
 */
export function* restorableBackups(dataDir: string): Generator<BackupInfo> {
  for (const b of listBackups(dataDir)) {
    try {
      verifyBackup(b.path)
    } catch {
      continue
    }
    yield b
  }
}

/**
 * Puts a copy of the backup where the database belongs: copy, fsync, then rename, so a crash
 * midway leaves either no database or the whole copy. The backup itself stays as it is (it is not
 * live, so a file copy is safe).
 */
export function installBackup(backup: BackupInfo, dbFile: string, dataDir: string): void {
  // Only ever into an empty place: the damaged file has been moved aside first.
  if (existsSync(dbFile)) throw new Error(`refusing to restore over ${dbFile}`)
  for (const suffix of SIDE_FILES.slice(1)) rmSync(dbFile + suffix, { force: true })
  const tmp = `${dbFile}.restoring`
  copyFileSync(backup.path, tmp)
  fsyncPath(tmp)
  renameSync(tmp, dbFile)
  fsyncPath(dataDir)
}
