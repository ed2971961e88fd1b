import Database from 'better-sqlite3'
import { MIGRATIONS } from '../../../main/backend/db/migrations'

/** Every schema this app has shipped before the current one, oldest first. */
export const EARLIER_VERSIONS: readonly number[] = MIGRATIONS.slice(0, -1).map((m) => m.version)

/** A database file at schema `version`, built with the migrations as they shipped. */
export function buildAtVersion(file: string, version: number): Database.Database {
  const db = new Database(file)
  db.pragma('journal_mode = WAL')
  db.transaction(() => {
    for (const m of MIGRATIONS) if (m.version <= version) m.up(db)
    db.pragma(`user_version = ${version}`)
  })()
  return db
}

export interface Seeded {
  readonly cases: { id: number; title: string; input_text: string; created_at: string }[]
  readonly settings: { key: string; value: string }[]
}

function hasTable(db: Database.Database, name: string): boolean {
  return (
    db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?").get(name) !==
    undefined
  )
}

/**
 * Data as an app at that schema stored it: cases and settings (schema 10 on), and a connector
 * import when that table exists. Longer texts make a later migration's reindexing take time,
 * for the kill test to land in it.
 */
export function seed(db: Database.Database, cases: number, textLength = 200): Seeded {
  const seeded: Seeded = { cases: [], settings: [] }
  if (!hasTable(db, 'cases')) return seeded
  const insert = db.prepare(
    `INSERT INTO cases (title, status, input_text, file_name, created_at, updated_at)
     VALUES (?, '5.7.1', ?, NULL, ?, ?)`,
  )
  db.transaction(() => {
    for (let i = 1; i <= cases; i++) {
      const title = `case ${i} ブロック ${i * 7}`
      const text = `Remote Server returned '550 5.7.1 relay denied ${i}' `
        .repeat(Math.ceil(textLength / 50))
        .slice(0, textLength)
      const at = new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString()
      const id = Number(insert.run(title, text, at, at).lastInsertRowid)
      seeded.cases.push({ id, title, input_text: text, created_at: at })
    }
    db.prepare("INSERT INTO settings (key, value) VALUES ('language', 'ja')").run()
    seeded.settings.push({ key: 'language', value: 'ja' })
    if (hasTable(db, 'connector_imports')) {
      db.prepare(
        `INSERT INTO connector_imports (case_id, inputs_json, created_at) VALUES (1, '[]', '2026-01-01T00:00:00.000Z')`,
      ).run()
    }
  })()
  return seeded
}

/** The schema as SQLite stores it, for "wholly old or wholly new" comparisons. */
export function schemaFingerprint(db: Database.Database): string {
  const rows = db
    .prepare(
      "SELECT type, name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .all()
  return JSON.stringify(rows)
}

/** The fingerprint of a database built straight at `version`. */
export function referenceFingerprint(version: number): string {
  const db = buildAtVersion(':memory:', version)
  try {
    return schemaFingerprint(db)
  } finally {
    db.close()
  }
}
