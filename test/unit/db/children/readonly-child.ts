// Child process of storage.test.ts, run as an unprivileged user so that a read-only folder really
// refuses writes (root ignores permissions). Prints one JSON line describing what happened.
import { writeSync } from 'node:fs'
import {
  openDatabaseReadOnly,
  openDatabaseWithRecovery,
} from '../../../../main/backend/db/connection'
import {
  DatabaseStorageError,
  storageErrorCode,
} from '../../../../main/backend/db/durability/errors'

const dataDir = process.argv[2]!
const report: Record<string, unknown> = {}
try {
  openDatabaseWithRecovery(dataDir).db.close()
  report.opened = true
} catch (e) {
  report.error =
    e instanceof DatabaseStorageError
      ? { name: e.name, code: e.code, viewable: e.viewable }
      : { name: (e as Error).name, message: String(e) }
}
try {
  const db = openDatabaseReadOnly(dataDir)
  report.titles = (
    db.prepare('SELECT title FROM cases ORDER BY id').all() as { title: string }[]
  ).map((r) => r.title)
  try {
    db.prepare("UPDATE cases SET title = 'changed'").run()
    report.write = 'succeeded'
  } catch (e) {
    report.write = storageErrorCode(e) ?? String(e)
  }
  db.close()
} catch (e) {
  report.readOnlyError = String(e)
}
writeSync(1, `${JSON.stringify(report)}\n`)
