import Database from 'better-sqlite3'
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileStamp, verifyBackup } from './backup'
import { reindex } from './cases'
import { openDatabase, DB_FILE_NAME, type DB } from './connection'
import { DatabaseNewerError, SCHEMA_VERSION } from './migrations'

export interface ExportResult {
  readonly path: string
  readonly bytes: number
  readonly cases: number
}

/**
 * All data as one file, for moving to another workstation or handing cases to a colleague: a
 * consistent, compacted SQLite snapshot (VACUUM INTO), verified before it is reported written.
 */
export function exportAll(db: DB, dataDir: string, now: Date, target?: string): ExportResult {
  const dir = join(dataDir, 'exports')
  const path = target ?? join(dir, `ndr-assistant-export-${fileStamp(now)}.sqlite3`)
  if (!target) mkdirSync(dir, { recursive: true })
  if (existsSync(path)) throw new Error(`${path} already exists`)
  const partial = `${path}.partial`
  rmSync(partial, { force: true })
  db.prepare('VACUUM INTO ?').run(partial)
  verifyBackup(partial)
  renameSync(partial, path)
  const cases = (db.prepare('SELECT count(*) AS n FROM cases').get() as { n: number }).n
  return { path, bytes: statSync(path).size, cases }
}

export interface ImportResult {
  readonly imported: number
  /** Cases already in this store (same creation time, title and text), left alone. */
  readonly skipped: number
}

/**
 * Adds every case of an exported file to this store, with its steps and connector imports, under
 * new numbers. A file from an older version is migrated on a temporary copy first; one from a newer
 * version is refused; the file itself is never modified. All or nothing: one transaction.
 */
export function importAll(db: DB, file: string): ImportResult {
  const work = mkdtempSync(join(tmpdir(), 'ndr-import-'))
  try {
    // Verify, then migrate a private copy: the user's file stays untouched whatever happens.
    const version = verifyBackup(file)
    if (version > SCHEMA_VERSION) throw new DatabaseNewerError(version, SCHEMA_VERSION)
    copyFileSync(file, join(work, DB_FILE_NAME))
    openDatabase(work).close()
    const src = new Database(join(work, DB_FILE_NAME), { readonly: true })
    try {
      return copyInto(db, src)
    } finally {
      src.close()
    }
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

type Row = Record<string, unknown>

function copyInto(db: DB, src: Database.Database): ImportResult {
  const cols = (table: string) =>
    (db.prepare(`SELECT name FROM pragma_table_info('${table}')`).all() as { name: string }[])
      .map((c) => c.name)
      .filter((n) => n !== 'id')
  const caseCols = cols('cases')
  const stepCols = cols('case_steps').filter((n) => n !== 'case_id')
  const importCols = cols('connector_imports').filter((n) => n !== 'case_id')
  const insertCase = db.prepare(
    `INSERT INTO cases (${caseCols.join(', ')}) VALUES (${caseCols.map((c) => '@' + c).join(', ')})`,
  )
  const insertStep = db.prepare(
    `INSERT INTO case_steps (case_id, ${stepCols.join(', ')}) VALUES (@case_id, ${stepCols.map((c) => '@' + c).join(', ')})`,
  )
  const insertImport = db.prepare(
    `INSERT INTO connector_imports (case_id, ${importCols.join(', ')}) VALUES (@case_id, ${importCols.map((c) => '@' + c).join(', ')})`,
  )
  const exists = db.prepare(
    'SELECT 1 FROM cases WHERE created_at = ? AND title = ? AND length(input_text) = ? AND input_text = ? LIMIT 1',
  )
  return db.transaction(() => {
    let imported = 0
    let skipped = 0
    const ids = new Map<number, number>()
    for (const row of src
      .prepare('SELECT * FROM cases ORDER BY id')
      .iterate() as IterableIterator<Row>) {
      const text = row.input_text as string
      if (exists.get(row.created_at, row.title, text.length, text)) {
        skipped++
        continue
      }
      const values: Row = {}
      for (const c of caseCols) values[c] = row[c] ?? null
      const id = Number(insertCase.run(values).lastInsertRowid)
      ids.set(row.id as number, id)
      imported++
    }
    for (const row of src.prepare('SELECT * FROM case_steps').iterate() as IterableIterator<Row>) {
      const id = ids.get(row.case_id as number)
      if (id === undefined) continue
      const values: Row = { case_id: id }
      for (const c of stepCols) values[c] = row[c] ?? null
      insertStep.run(values)
    }
    for (const row of src
      .prepare('SELECT * FROM connector_imports')
      .iterate() as IterableIterator<Row>) {
      const caseId = row.case_id === null ? null : (ids.get(row.case_id as number) ?? undefined)
      if (caseId === undefined) continue
      const values: Row = { case_id: caseId }
      for (const c of importCols) values[c] = row[c] ?? null
      insertImport.run(values)
    }
    for (const id of ids.values()) reindex(db, id)
    return { imported, skipped }
  })()
}
