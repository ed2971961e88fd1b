// Child process of migration-kill.test.ts, run by plain Node with type stripping and
// test/tools/ts-resolve-hook.mjs, so the REAL migrate() and pragmas are what gets SIGKILLed.
// argv: <db file>. Prints "migrating" just before migrate() and "migrated <ms>" after its commit.
import Database from 'better-sqlite3'
import { writeSync } from 'node:fs'
import { DURABILITY_PRAGMAS } from '../../../../main/backend/db/connection'
import { migrate } from '../../../../main/backend/db/migrations'

const file = process.argv[2]!
const db = new Database(file)
for (const p of DURABILITY_PRAGMAS) db.pragma(p)
writeSync(1, 'migrating\n')
const t0 = performance.now()
migrate(db)
writeSync(1, `migrated ${performance.now() - t0}\n`)
db.close()
