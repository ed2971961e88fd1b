import type Database from 'better-sqlite3'
import { updateToSchemaVersion10 } from './0010-initial'
import { updateToSchemaVersion20 } from './0020-parse-results'
import { updateToSchemaVersion30 } from './0030-connector-imports'
import { updateToSchemaVersion40 } from './0040-case-tracking'

/**
 * Append-only, numbered in steps of 10 (Signal Desktop's scheme). Never edit one that has shipped:
 * add the next.
 */
export const MIGRATIONS: readonly { version: number; up: (db: Database.Database) => void }[] = [
  { version: 10, up: updateToSchemaVersion10 },
  { version: 20, up: updateToSchemaVersion20 },
  { version: 30, up: updateToSchemaVersion30 },
  { version: 40, up: updateToSchemaVersion40 },
]

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version

export class DatabaseNewerError extends Error {
  constructor(
    readonly found: number,
    readonly supported: number,
  ) {
    super(
      `This database was written by a newer version of NDR Assistant (schema ${found}; this version knows up to ${supported}). It was left untouched: update the app to open it.`,
    )
    this.name = 'DatabaseNewerError'
  }
}

for (let i = 1; i < MIGRATIONS.length; i++) {
  if (MIGRATIONS[i]!.version <= MIGRATIONS[i - 1]!.version) {
    throw new Error('migrations must be in increasing version order')
  }
}

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number
}

/**
 * Applies every pending migration in ONE transaction together with `user_version`, so the schema is
 * wholly old or wholly new whatever happens midway. A database from the future is refused before
 * anything is written.
 */
export function migrate(db: Database.Database): number {
  const current = schemaVersion(db)
  if (current > SCHEMA_VERSION) throw new DatabaseNewerError(current, SCHEMA_VERSION)
  const pending = MIGRATIONS.filter((m) => m.version > current)
  if (pending.length === 0) return current
  db.transaction(() => {
    for (const m of pending) m.up(db)
    db.pragma(`user_version = ${SCHEMA_VERSION}`)
  }).immediate()
  return SCHEMA_VERSION
}
