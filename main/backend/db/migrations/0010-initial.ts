import type Database from 'better-sqlite3'

export function updateToSchemaVersion10(db: Database.Database): void {
  db.exec(`
    CREATE TABLE cases (
      id INTEGER PRIMARY KEY,
      title TEXT NOT NULL,
      status TEXT,
      input_text TEXT NOT NULL,
      file_name TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX cases_updated ON cases (updated_at DESC);

    CREATE TABLE settings (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    ) STRICT;
  `)
}
