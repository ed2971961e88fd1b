import Database from 'better-sqlite3'
import { spawn } from 'node:child_process'
import { copyFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, test } from 'vitest'
import { listBackups, verifyBackup } from '../../../main/backend/db/backup'
import { DB_FILE_NAME, openDatabaseWithRecovery } from '../../../main/backend/db/connection'
import { storageErrorCode } from '../../../main/backend/db/durability/errors'
import {
  migrate,
  MIGRATIONS,
  SCHEMA_VERSION,
  schemaVersion,
} from '../../../main/backend/db/migrations'
import { REPO_ROOT, tempDir } from '../../support/tmp'
import {
  buildAtVersion,
  EARLIER_VERSIONS,
  referenceFingerprint,
  schemaFingerprint,
  seed,
  type Seeded,
} from './fixtures'

const CHILD = fileURLToPath(new URL('./children/migrate-child.ts', import.meta.url))
const HOOK = join(REPO_ROOT, 'test/tools/ts-resolve-hook.mjs')
const KILLS_PER_VERSION = 8

const cleanups: (() => void)[] = []
afterAll(() => cleanups.forEach((c) => c()))

function dir(): string {
  const t = tempDir()
  cleanups.push(t.cleanup)
  return t.dir
}

function expectSeeded(db: Database.Database, seeded: Seeded): void {
  const cases = db.prepare('SELECT id, title, input_text, created_at FROM cases ORDER BY id').all()
  expect(cases).toEqual(seeded.cases)
  const settings = db.prepare('SELECT key, value FROM settings ORDER BY key').all()
  expect(settings).toEqual(seeded.settings)
}

test('the migrations list is what the fixtures walk through', () => {
  expect(EARLIER_VERSIONS.length).toBe(MIGRATIONS.length - 1)
  expect(SCHEMA_VERSION).toBe(MIGRATIONS[MIGRATIONS.length - 1]!.version)
})

describe.each(EARLIER_VERSIONS)('from schema %i', (from) => {
  test('opening upgrades it in place, keeps every row, after a verified backup of the old file', () => {
    const d = dir()
    const raw = buildAtVersion(join(d, DB_FILE_NAME), from)
    const seeded = seed(raw, 25)
    raw.close()

    const { db, preMigrationBackup, recovery } = openDatabaseWithRecovery(
      d,
      new Date('2026-03-01T10:00:00Z'),
    )
    try {
      expect(recovery).toBeUndefined()
      expect(schemaVersion(db)).toBe(SCHEMA_VERSION)
      expect(schemaFingerprint(db)).toBe(referenceFingerprint(SCHEMA_VERSION))
      expectSeeded(db, seeded)
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
      expect(db.pragma('foreign_key_check')).toEqual([])
    } finally {
      db.close()
    }
    // The backup holds the old schema and the same data, and is listed as such.
    expect(preMigrationBackup).toMatchObject({ schemaVersion: from, reason: 'pre-migration' })
    expect(listBackups(d).map((b) => b.path)).toEqual([preMigrationBackup!.path])
    expect(verifyBackup(preMigrationBackup!.path)).toBe(from)
    const old = new Database(preMigrationBackup!.path, { readonly: true })
    try {
      expect(schemaFingerprint(old)).toBe(referenceFingerprint(from))
      expectSeeded(old, seeded)
    } finally {
      old.close()
    }
  })

  test('a migration that fails midway (disk full) leaves the schema wholly old, data intact', () => {
    const d = dir()
    const raw = buildAtVersion(join(d, DB_FILE_NAME), from)
    const seeded = seed(raw, 400, 1000)
    const before = schemaFingerprint(raw)
    // Room for a page or two: the migration starts, then runs out of space partway.
    const pages = raw.pragma('page_count', { simple: true }) as number
    raw.pragma(`max_page_count = ${pages + 2}`)
    let thrown: unknown
    try {
      migrate(raw)
    } catch (e) {
      thrown = e
    }
    expect(storageErrorCode(thrown)).toBe('disk-full')
    expect(raw.inTransaction).toBe(false)
    raw.close()
    const db = new Database(join(d, DB_FILE_NAME))
    try {
      expect(schemaVersion(db)).toBe(from)
      expect(schemaFingerprint(db)).toBe(before)
      expectSeeded(db, seeded)
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
    } finally {
      db.close()
    }
  })
})

interface ChildRun {
  killed: boolean
  migratedMs: number | undefined
}

function runMigrateChild(file: string, killAfterMs: number | undefined): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--experimental-transform-types', '--no-warnings', '--import', HOOK, CHILD, file],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    )
    const run: ChildRun = { killed: false, migratedMs: undefined }
    let out = ''
    let err = ''
    let timer: NodeJS.Timeout | undefined
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      run.killed = signal === 'SIGKILL'
      if (run.killed || code === 0) resolve(run)
      else reject(new Error(`migrate child failed (${code}): ${err}`))
    })
    child.on('error', reject)
    child.stderr.on('data', (b: Buffer) => (err += b.toString()))
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString()
      if (killAfterMs !== undefined && timer === undefined && out.includes('migrating\n')) {
        timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs)
      }
      const m = /migrated ([\d.]+)/.exec(out)
      if (m) run.migratedMs = Number(m[1])
    })
  })
}

describe('SIGKILL during a migration: the schema is always wholly old or wholly new', () => {
  test.each(EARLIER_VERSIONS)(`from schema %i, ${KILLS_PER_VERSION} kills`, async (from) => {
    const d = dir()
    const template = join(d, 'template.sqlite3')
    const raw = buildAtVersion(template, from)
    // Enough text that the last migration's full-text reindex takes a few hundred ms.
    const seeded = seed(raw, 5000, 1000)
    raw.pragma('journal_mode = DELETE')
    raw.close()
    const oldPrint = referenceFingerprint(from)
    const newPrint = referenceFingerprint(SCHEMA_VERSION)

    // A first run to completion measures how long the migration takes on this machine.
    const calib = join(d, 'calibration.sqlite3')
    copyFileSync(template, calib)
    const full = await runMigrateChild(calib, undefined)
    const duration = full.migratedMs!
    expect(duration).toBeGreaterThan(0)

    const outcomes = { old: 0, new: 0 }
    for (let i = 0; i < KILLS_PER_VERSION; i++) {
      const file = join(d, `trial-${i}.sqlite3`)
      copyFileSync(template, file)
      // Stratified over 0–1.5× the measured time: early kills land mid-transaction, late ones
      // after the commit, whatever the machine's speed.
      const run = await runMigrateChild(
        file,
        (duration * 1.5 * (i + Math.random())) / KILLS_PER_VERSION,
      )
      const db = new Database(file)
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
        const version = schemaVersion(db)
        const print = schemaFingerprint(db)
        if (version === from) {
          expect(run.migratedMs).toBeUndefined()
          expect(print).toBe(oldPrint)
          outcomes.old++
        } else {
          expect(version).toBe(SCHEMA_VERSION)
          expect(print).toBe(newPrint)
          outcomes.new++
        }
        expectSeeded(db, seeded)
      } finally {
        db.close()
      }
    }
    console.log(
      `migration kill from ${from}: ${duration.toFixed(0)} ms migration; ${outcomes.old} old, ${outcomes.new} new`,
    )
    // Some kills must land before the commit, or the test would prove nothing about midway.
    expect(outcomes.old).toBeGreaterThan(0)
  })
})
