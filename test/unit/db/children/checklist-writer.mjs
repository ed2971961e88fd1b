// Child process of kill.test.ts: plain JavaScript (no build, no TypeScript loader) so that what
// gets SIGKILLed is just Node, better-sqlite3 and our transaction boundaries.
// argv: <db file> <pragmas as JSON (connection.ts DURABILITY_PRAGMAS)> <count> <case id>
// Prints "pragmas <json>" once, then each step number on its own line right after its commit.
import Database from 'better-sqlite3'
import { writeSync } from 'node:fs'

const [file, pragmasJson, countText, caseIdText] = process.argv.slice(2)
const pragmas = JSON.parse(pragmasJson)
const count = Number(countText)
const caseId = Number(caseIdText)

const db = new Database(file)
for (const p of pragmas) db.pragma(p)
const readBack = {
  journal_mode: db.pragma('journal_mode', { simple: true }),
  synchronous: db.pragma('synchronous', { simple: true }),
  foreign_keys: db.pragma('foreign_keys', { simple: true }),
  busy_timeout: db.pragma('busy_timeout', { simple: true }),
}
// fs.writeSync, not process.stdout.write: the latter may still be buffered when the kill lands,
// and it must never report a step before its commit either (reliability.md §3).
writeSync(1, `pragmas ${JSON.stringify(readBack)}\n`)

// The same two statements as cases.ts setStep: the step row, then the case's updated_at.
const upsert = db.prepare(
  `INSERT INTO case_steps (case_id, step_key, state, note, updated_at, updated_by)
   VALUES (?, ?, ?, ?, ?, 'kill-test')
   ON CONFLICT (case_id, step_key) DO UPDATE SET
     state = excluded.state, note = excluded.note, updated_at = excluded.updated_at`,
)
const touch = db.prepare('UPDATE cases SET updated_at = ? WHERE id = ?')
const write = db.transaction((i) => {
  const at = new Date(Date.UTC(2026, 0, 1, 0, 0, 0, i)).toISOString()
  upsert.run(caseId, `step-${i}`, i % 2 === 0 ? 'done' : 'skipped', `note ${i}`, at)
  touch.run(at, caseId)
})
for (let i = 1; i <= count; i++) {
  write.immediate(i)
  writeSync(1, `${i}\n`)
}
writeSync(1, 'finished\n')
db.close()
