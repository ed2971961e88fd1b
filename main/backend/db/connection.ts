import Database from 'better-sqlite3'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { migrate } from './migrations'

export type DB = Database.Database

export const DB_FILE_NAME = 'ndr-assistant.sqlite3'

/**
 * Opens (creating if needed) the store and brings its schema up to date. WAL keeps readers off the
 * writer's back; synchronous=FULL makes a commit durable before we report it saved (WAL with NORMAL
 * can lose the last transactions on power loss: https://www.sqlite.org/pragma.html#pragma_synchronous).
 * Throws DatabaseNewerError, untouched, for a file written by a newer version of the app.
 */
export function openDatabase(dataDir: string): DB {
  mkdirSync(dataDir, { recursive: true })
  const db = new Database(join(dataDir, DB_FILE_NAME))
  try {
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = FULL')
    db.pragma('foreign_keys = ON')
    db.pragma('busy_timeout = 5000')
    migrate(db)
    return db
  } catch (e) {
    db.close()
    throw e
  }
}
