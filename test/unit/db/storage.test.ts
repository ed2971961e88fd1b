import Database from 'better-sqlite3'
import { spawnSync } from 'node:child_process'
import {
  chmodSync,
  existsSync,
  openSync,
  readdirSync,
  readFileSync,
  closeSync,
  writeFileSync,
  writeSync,
  truncateSync,
} from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, test } from 'vitest'
import {
  BACKUPS_KEPT,
  backupOnQuit,
  listBackups,
  maybeDailyBackup,
  verifyBackup,
} from '../../../main/backend/db/backup'
import { insertCase, setStep } from '../../../main/backend/db/cases'
import {
  DB_FILE_NAME,
  openDatabase,
  openDatabaseReadOnly,
  openDatabaseWithRecovery,
  type DB,
} from '../../../main/backend/db/connection'
import { DatabaseStorageError, storageErrorCode } from '../../../main/backend/db/durability/errors'
import { SCHEMA_VERSION } from '../../../main/backend/db/migrations'
import { REPO_ROOT, tempDir } from '../../support/tmp'
import { buildAtVersion, EARLIER_VERSIONS, seed } from './fixtures'

const cleanups: (() => void)[] = []
afterAll(() => cleanups.forEach((c) => c()))

function dir(): string {
  const t = tempDir()
  cleanups.push(t.cleanup)
  return t.dir
}

const at = (s: string) => new Date(s)

function addCase(
  db: DB,
  title: string,
  text = 'Remote Server returned 550 5.7.1',
  now = at('2026-01-01T00:00:00Z'),
) {
  return insertCase(db, {
    title,
    status: '5.7.1',
    text,
    bytes: null,
    fileName: null,
    parse: null,
    now,
  })
}

function titles(db: DB): string[] {
  return (db.prepare('SELECT title FROM cases ORDER BY id').all() as { title: string }[]).map(
    (r) => r.title,
  )
}

/** Overwrites bytes in the middle of the file, past the header (reliability.md §3 "corrupt page"). */
function corruptMiddle(file: string): void {
  const size = readFileSync(file).length
  const fd = openSync(file, 'r+')
  writeSync(
    fd,
    Buffer.alloc(3 * 4096, 0xab),
    0,
    3 * 4096,
    Math.max(4096, Math.floor(size / 2 / 4096) * 4096),
  )
  closeSync(fd)
}

/** A store with enough pages that the middle ones hold table data, closed cleanly. */
function storeWithCases(d: string, n: number): void {
  const db = openDatabase(d)
  for (let i = 1; i <= n; i++) addCase(db, `case ${i}`, `550 5.7.1 ${'x'.repeat(3000)} ${i}`)
  db.close()
}

describe('backups', () => {
  test(`rotation keeps the newest ${BACKUPS_KEPT}, each verified, named with time and schema`, async () => {
    const d = dir()
    const db = openDatabase(d)
    try {
      for (let i = 0; i < 8; i++) {
        addCase(db, `case ${i}`)
        const r = await backupOnQuit(db, d, new Date(Date.UTC(2026, 0, 1 + i, 18)))
        expect(r).toMatchObject({
          ok: true,
          backup: { schemaVersion: SCHEMA_VERSION, reason: 'quit' },
        })
      }
      const kept = listBackups(d)
      expect(kept).toHaveLength(BACKUPS_KEPT)
      expect(kept.map((b) => b.takenAt.toISOString())).toEqual(
        [8, 7, 6, 5, 4].map((day) => new Date(Date.UTC(2026, 0, day, 18)).toISOString()),
      )
      expect(kept[0]!.fileName).toBe(
        `ndr-assistant-20260108T180000000Z-v${SCHEMA_VERSION}-quit.sqlite3`,
      )
      for (const b of kept) expect(verifyBackup(b.path)).toBe(SCHEMA_VERSION)
      // Only the five backups are in the folder: no partial or journal files left behind.
      expect(readdirSync(join(d, 'backups')).sort()).toEqual(kept.map((b) => b.fileName).sort())
      // The newest holds all eight cases, as a stand-alone file (rollback journal, no -wal needed).
      const newest = new Database(kept[0]!.path, { readonly: true })
      expect(titles(newest)).toHaveLength(8)
      expect(newest.pragma('journal_mode', { simple: true })).toBe('delete')
      newest.close()
    } finally {
      db.close()
    }
  })

  test('the daily backup is taken once a day', async () => {
    const d = dir()
    const db = openDatabase(d)
    try {
      addCase(db, 'a')
      const first = await maybeDailyBackup(db, d, at('2026-02-01T08:00:00Z'))
      expect(first).toMatchObject({ ok: true, backup: { reason: 'daily' } })
      expect(await maybeDailyBackup(db, d, at('2026-02-01T20:00:00Z'))).toEqual({
        ok: true,
        backup: null,
      })
      const next = await maybeDailyBackup(db, d, at('2026-02-02T08:00:01Z'))
      expect(next).toMatchObject({ ok: true, backup: { reason: 'daily' } })
      expect(listBackups(d)).toHaveLength(2)
    } finally {
      db.close()
    }
  })

  test('a backup that cannot be written reports a typed failure and leaves no file behind', async () => {
    const d = dir()
    const db = openDatabase(d)
    try {
      addCase(db, 'a')
      writeFileSync(join(d, 'backups'), 'a file where the folder should be')
      const r = await backupOnQuit(db, d, at('2026-02-01T08:00:00Z'))
      expect(r.ok).toBe(false)
      expect(listBackups(d)).toEqual([])
    } finally {
      db.close()
    }
  })
})

describe('a damaged store is set aside and the newest verified backup restored', () => {
  test('bytes overwritten in the middle: moved to corrupt-<time>/, newest backup restored, period reported', async () => {
    const d = dir()
    storeWithCases(d, 30)
    let db = openDatabase(d)
    await backupOnQuit(db, d, at('2026-01-05T18:00:00Z'))
    addCase(db, 'after the first backup')
    const newest = await backupOnQuit(db, d, at('2026-01-06T18:00:00Z'))
    addCase(db, 'after the last backup: lost')
    db.close()
    const file = join(d, DB_FILE_NAME)
    const original = readFileSync(file)
    corruptMiddle(file)
    const damaged = readFileSync(file)
    expect(damaged.equals(original)).toBe(false)

    const r = openDatabaseWithRecovery(d, at('2026-01-07T09:00:00Z'))
    db = r.db
    try {
      expect(r.recovery).toMatchObject({
        movedTo: join(d, 'corrupt-20260107T090000000Z'),
        restoredFrom: newest.ok ? newest.backup!.path : 'missing',
        backupTakenAt: at('2026-01-06T18:00:00Z'),
        detectedAt: at('2026-01-07T09:00:00Z'),
      })
      expect(r.recovery!.reason).toMatch(/SQLITE_CORRUPT|quick_check/)
      const t = titles(db)
      expect(t).toHaveLength(31)
      expect(t).toContain('after the first backup')
      expect(t).not.toContain('after the last backup: lost')
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
      // The app keeps running: the restored store takes writes.
      addCase(db, 'after the restore')
    } finally {
      db.close()
    }
    // The damaged file is kept, byte for byte.
    expect(readFileSync(join(r.recovery!.movedTo, DB_FILE_NAME)).equals(damaged)).toBe(true)
    expect(listBackups(d)).toHaveLength(2)
  })

  test.each([
    [
      'not a database (text)',
      (f: string) => writeFileSync(f, 'hello, this is not SQLite '.repeat(400)),
    ],
    [
      'header zeroed',
      (f: string) => {
        const fd = openSync(f, 'r+')
        writeSync(fd, Buffer.alloc(100), 0, 100, 0)
        closeSync(fd)
      },
    ],
    ['truncated to nothing', (f: string) => truncateSync(f, 0)],
  ])('%s: restored from the backup', async (_name, damage) => {
    const d = dir()
    storeWithCases(d, 3)
    const db = openDatabase(d)
    await backupOnQuit(db, d, at('2026-01-06T18:00:00Z'))
    db.close()
    damage(join(d, DB_FILE_NAME))
    const r = openDatabaseWithRecovery(d, at('2026-01-07T09:00:00Z'))
    try {
      expect(r.recovery?.restoredFrom).toBe(listBackups(d)[0]!.path)
      expect(titles(r.db)).toEqual(['case 1', 'case 2', 'case 3'])
    } finally {
      r.db.close()
    }
    expect(existsSync(join(r.recovery!.movedTo, DB_FILE_NAME))).toBe(true)
  })

  test('a rotten newest backup is skipped for the next one that verifies', async () => {
    const d = dir()
    storeWithCases(d, 20)
    const db = openDatabase(d)
    await backupOnQuit(db, d, at('2026-01-05T18:00:00Z'))
    addCase(db, 'only in the newest backup')
    await backupOnQuit(db, d, at('2026-01-06T18:00:00Z'))
    db.close()
    const [newest, older] = listBackups(d)
    corruptMiddle(newest!.path)
    corruptMiddle(join(d, DB_FILE_NAME))
    const r = openDatabaseWithRecovery(d, at('2026-01-07T09:00:00Z'))
    try {
      expect(r.recovery).toMatchObject({ restoredFrom: older!.path, backupTakenAt: older!.takenAt })
      expect(titles(r.db)).toHaveLength(20)
    } finally {
      r.db.close()
    }
  })

  test('no backup: a fresh empty store, and the corrupt file kept aside, never deleted', () => {
    const d = dir()
    storeWithCases(d, 30)
    const file = join(d, DB_FILE_NAME)
    corruptMiddle(file)
    const damaged = readFileSync(file)
    const r = openDatabaseWithRecovery(d, at('2026-01-07T09:00:00Z'))
    try {
      expect(r.recovery).toMatchObject({ restoredFrom: null, backupTakenAt: null })
      expect(titles(r.db)).toEqual([])
      addCase(r.db, 'new work goes on')
    } finally {
      r.db.close()
    }
    expect(readFileSync(join(r.recovery!.movedTo, DB_FILE_NAME)).equals(damaged)).toBe(true)
  })
})

describe('degraded storage', () => {
  test('a full disk (SQLITE_FULL) leaves nothing half-written, and a retry works once there is room', () => {
    const d = dir()
    const db = openDatabase(d)
    try {
      const c = addCase(db, 'existing')
      setStep(
        db,
        c.id,
        { key: 'spf', state: 'done', note: 'checked', by: 'ana' },
        at('2026-01-01T00:00:00Z'),
      )
      const pages = db.pragma('page_count', { simple: true }) as number
      db.pragma(`max_page_count = ${pages + 5}`)
      const big = `550 5.7.1 ${'y'.repeat(200_000)}`
      let thrown: unknown
      try {
        addCase(db, 'too big for the disk', big)
      } catch (e) {
        thrown = e
      }
      expect(storageErrorCode(thrown)).toBe('disk-full')
      expect(db.inTransaction).toBe(false)
      // Nothing of it: no case row, no search row, the step untouched.
      expect(titles(db)).toEqual(['existing'])
      expect(db.prepare('SELECT count(*) AS n FROM cases_fts').get()).toEqual({ n: 1 })
      expect(db.prepare('SELECT state, note FROM case_steps').all()).toEqual([
        { state: 'done', note: 'checked' },
      ])
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
      db.pragma('max_page_count = 4294967294')
      addCase(db, 'too big for the disk', big)
      expect(titles(db)).toEqual(['existing', 'too big for the disk'])
    } finally {
      db.close()
    }
  })

  test('a read-only data folder: typed error, and a read-only connection still shows the data', () => {
    const d = dir()
    storeWithCases(d, 2)
    // Root ignores file permissions: run the real code as an unprivileged user then.
    const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {}
    chmodSync(d, 0o555)
    chmodSync(join(d, DB_FILE_NAME), 0o444)
    cleanups.unshift(() => chmodSync(d, 0o755))
    const child = spawnSync(
      process.execPath,
      [
        '--experimental-transform-types',
        '--no-warnings',
        '--import',
        join(REPO_ROOT, 'test/tools/ts-resolve-hook.mjs'),
        fileURLToPath(new URL('./children/readonly-child.ts', import.meta.url)),
        d,
      ],
      { encoding: 'utf8', ...asUser },
    )
    expect(child.stderr).toBe('')
    const report = JSON.parse(child.stdout) as Record<string, unknown>
    expect(report).toEqual({
      error: { name: 'DatabaseStorageError', code: 'read-only', viewable: true },
      titles: ['case 1', 'case 2'],
      write: 'read-only',
    })
    // The folder was left as it was: no backup, no corrupt-* folder, no snapshot.
    expect(readdirSync(d).sort()).toEqual([DB_FILE_NAME])
  })

  test('DatabaseStorageError carries a code the UI localizes', () => {
    const e = new DatabaseStorageError('disk-full', 'x', { viewable: true })
    expect(e).toBeInstanceOf(Error)
    expect([e.name, e.code, e.viewable]).toEqual(['DatabaseStorageError', 'disk-full', true])
    expect(
      storageErrorCode(Object.assign(new Error('x'), { code: 'SQLITE_READONLY_DIRECTORY' })),
    ).toBe('read-only')
    expect(storageErrorCode(Object.assign(new Error('x'), { code: 'ENOSPC' }))).toBe('disk-full')
    expect(storageErrorCode(Object.assign(new Error('x'), { code: 'SQLITE_NOTADB' }))).toBe(
      'corrupt',
    )
    expect(storageErrorCode(new Error('plain bug'))).toBeUndefined()
  })

  test('openDatabaseReadOnly views an older schema through a migrated snapshot, never touching the file', () => {
    const d = dir()
    const raw = buildAtVersion(join(d, DB_FILE_NAME), EARLIER_VERSIONS[0]!)
    seed(raw, 2)
    raw.close()
    const before = readFileSync(join(d, DB_FILE_NAME))
    const db = openDatabaseReadOnly(d)
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION)
      expect(titles(db)).toHaveLength(2)
      expect(() => addCase(db, 'no')).toThrow(
        expect.objectContaining({ code: 'SQLITE_READONLY' }) as Error,
      )
    } finally {
      db.close()
    }
    expect(readFileSync(join(d, DB_FILE_NAME)).equals(before)).toBe(true)
    expect(readdirSync(d)).not.toContain('backups')
  })
})
