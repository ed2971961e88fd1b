import type Database from 'better-sqlite3'

/**
 * Connector and accepted-domain exports, kept as imported (the raw texts) so a later version's
 * audit rules re-read them; with the case they belong to, or on their own.
 */
export function updateToSchemaVersion30(db: Database.Database): void {
  db.exec(`
    CREATE TABLE connector_imports (
      id INTEGER PRIMARY KEY,
      case_id INTEGER REFERENCES cases (id) ON DELETE SET NULL,
      inputs_json TEXT NOT NULL,
      created_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX connector_imports_case ON connector_imports (case_id, id DESC);
  `)
}
