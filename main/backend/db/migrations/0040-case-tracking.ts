import type Database from 'better-sqlite3'

/**
 * Remediation tracking (issue 6): case state, ticket and tags, a trash, per-step state with note,
 * time and author, and full-text search. The trigram tokenizer finds substrings in any script, so a
 * Japanese or Chinese word matches without a word-breaker (https://sqlite.org/fts5.html#the_trigram_tokenizer).
 */
export function updateToSchemaVersion40(db: Database.Database): void {
  db.exec(`
    ALTER TABLE cases ADD COLUMN state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'resolved'));
    ALTER TABLE cases ADD COLUMN ticket TEXT NOT NULL DEFAULT '';
    ALTER TABLE cases ADD COLUMN tags_json TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE cases ADD COLUMN deleted_at TEXT;
    ALTER TABLE cases ADD COLUMN sender_domain TEXT;
    UPDATE cases SET sender_domain = lower(json_extract(parse_json, '$.messages[0].senderDomain'))
      WHERE parse_json IS NOT NULL AND json_valid(parse_json);
    CREATE INDEX cases_sender_domain ON cases (sender_domain);
    CREATE INDEX cases_state ON cases (deleted_at, state, updated_at DESC);
    CREATE INDEX cases_live ON cases (deleted_at, updated_at DESC);
    CREATE INDEX cases_status ON cases (status);

    CREATE TABLE case_steps (
      case_id INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
      step_key TEXT NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('todo', 'done', 'skipped', 'na')),
      note TEXT NOT NULL DEFAULT '',
      updated_at TEXT NOT NULL,
      updated_by TEXT NOT NULL,
      PRIMARY KEY (case_id, step_key)
    ) STRICT;

    CREATE VIRTUAL TABLE cases_fts USING fts5(title, body, notes, tokenize = 'trigram');
    INSERT INTO cases_fts (rowid, title, body, notes)
      SELECT id, title, substr(input_text, 1, 1000000), '' FROM cases;
  `)
}
