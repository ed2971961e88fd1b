import type Database from 'better-sqlite3'

/** Keeps the engine's full result with each case, and the bytes of binary inputs (Outlook .msg). */
export function updateToSchemaVersion20(db: Database.Database): void {
  db.exec(`
    ALTER TABLE cases ADD COLUMN parse_json TEXT;
    ALTER TABLE cases ADD COLUMN input_bytes BLOB;
  `)
}
