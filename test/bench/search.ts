// `npm run bench`, part 1 (issue 6): full-text search over 100,000 cases must answer in under 50 ms.
// Runs the real store code (migrations, insertCase, listCases) on a temp database; prints figures,
// never fails on them. Run with: node --experimental-transform-types --import ./test/tools/ts-resolve-hook.mjs
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { openDatabase } from '../../main/backend/db/connection'
import { insertCase, listCases, setStep } from '../../main/backend/db/cases'

const COUNT = Number(process.env.NDR_BENCH_CASES ?? 100_000)
const root = resolve(import.meta.dirname, '../..')
const corpus = join(root, '../shared/corpus/microsoft')
const samples = readdirSync(corpus)
  .filter((f) => f.endsWith('.eml'))
  .map((f) => readFileSync(join(corpus, f), 'latin1').slice(0, 3000))

const dir = mkdtempSync(join(tmpdir(), 'ndr-search-bench-'))
try {
  const db = openDatabase(dir)
  let t0 = performance.now()
  const words = [
    'contoso',
    'fabrikam',
    'tailspin',
    'northwind',
    'litware',
    'adatum',
    '配信不能',
    'mailbox',
    'relay',
  ]
  db.transaction(() => {
    for (let i = 0; i < COUNT; i++) {
      const w = words[i % words.length]
      const c = insertCase(db, {
        title: `Undeliverable ${i} ${w}`,
        status: i % 7 === 0 ? '5.7.750' : '5.1.10',
        text: `${samples[i % samples.length]}\nTicket ${i} for ${w}-${i % 1000}.example`,
        bytes: null,
        fileName: null,
        parse: null,
        now: new Date(Date.UTC(2026, 0, 1) + i * 60_000),
      })
      if (i % 10 === 0)
        setStep(
          db,
          c.id,
          { key: '0:0:s', state: 'done', note: `called ${w} support, ref ${i}`, by: 'bench' },
          new Date(),
        )
    }
  })()
  const loadMs = performance.now() - t0
  const queries = [
    'tailspin-42',
    '配信不能',
    'RecipientNotFound',
    'support, ref 7770',
    '5.7',
    'no such text anywhere',
  ]
  console.log(
    `search bench: ${COUNT.toLocaleString('en')} cases stored in ${(loadMs / 1000).toFixed(1)} s`,
  )
  let worst = 0
  for (const q of queries) {
    listCases(db, { query: q, limit: 200 }) // warm
    const times: number[] = []
    let hits = 0
    for (let k = 0; k < 15; k++) {
      t0 = performance.now()
      hits = listCases(db, { query: q, limit: 200 }).length
      times.push(performance.now() - t0)
    }
    times.sort((a, b) => a - b)
    const median = times[Math.floor(times.length / 2)]!
    worst = Math.max(worst, median)
    console.log(
      `  ${JSON.stringify(q).padEnd(36)} ${hits.toString().padStart(4)} hits  median ${median.toFixed(1)} ms  max ${times.at(-1)!.toFixed(1)} ms`,
    )
  }
  console.log(
    `search: slowest median ${worst.toFixed(1)} ms over ${COUNT.toLocaleString('en')} cases (target < 50 ms): ${worst < 50 ? 'met' : 'NOT met'}`,
  )
  db.close()
} finally {
  rmSync(dir, { recursive: true, force: true })
}
