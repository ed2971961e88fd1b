import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { insertCase } from '../../../main/backend/db/cases'
import {
  DB_FILE_NAME,
  DURABILITY_PRAGMAS,
  openDatabase,
  openDatabaseWithRecovery,
} from '../../../main/backend/db/connection'
import { tempDir } from '../../support/tmp'

const WRITER = fileURLToPath(new URL('./children/checklist-writer.mjs', import.meta.url))
const TRIALS = 50
const WRITES = 1000

const cleanups: (() => void)[] = []
afterAll(() => cleanups.forEach((c) => c()))

interface Run {
  acked: number[]
  pragmas: string | undefined
  finished: boolean
  killed: boolean
}

/**
 * Runs the writer and SIGKILLs it `delayMs` after its first acknowledged commit. The 'close'
 * listener is attached before anything else can happen: attached late, the promise may never
 * settle and vitest would end green without having run anything (reliability.md §3).
 */
function runAndKill(file: string, caseId: number, delayMs: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [WRITER, file, JSON.stringify(DURABILITY_PRAGMAS), String(WRITES), String(caseId)],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    )
    const run: Run = { acked: [], pragmas: undefined, finished: false, killed: false }
    let buffered = ''
    let stderr = ''
    let timer: NodeJS.Timeout | undefined
    child.on('close', (_code, signal) => {
      clearTimeout(timer)
      run.killed = signal === 'SIGKILL'
      if (!run.killed && !run.finished) reject(new Error(`writer failed: ${stderr}`))
      else resolve(run)
    })
    child.on('error', reject)
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.stdout.on('data', (d: Buffer) => {
      buffered += d.toString()
      const lines = buffered.split('\n')
      buffered = lines.pop() ?? ''
      for (const line of lines) {
        if (line.startsWith('pragmas ')) run.pragmas = line.slice('pragmas '.length)
        else if (line === 'finished') run.finished = true
        else {
          run.acked.push(Number(line))
          if (run.acked.length === 1) timer = setTimeout(() => child.kill('SIGKILL'), delayMs)
        }
      }
    })
  })
}

describe('SIGKILL during checklist writes (issue 6: nothing acknowledged is lost)', () => {
  test(`${TRIALS} kills at random points of ${WRITES} writes: every acknowledged write is there, integrity ok`, async () => {
    const t = tempDir()
    cleanups.push(t.cleanup)
    const db = openDatabase(t.dir)
    const caseId = insertCase(db, {
      title: 'kill test',
      status: '5.7.1',
      text: 'x',
      bytes: null,
      fileName: null,
      parse: null,
      now: new Date('2026-01-01T00:00:00Z'),
    }).id
    const expectedPragmas = JSON.stringify({
      journal_mode: db.pragma('journal_mode', { simple: true }),
      synchronous: db.pragma('synchronous', { simple: true }),
      foreign_keys: db.pragma('foreign_keys', { simple: true }),
      busy_timeout: db.pragma('busy_timeout', { simple: true }),
    })
    db.close()
    expect(expectedPragmas).toBe(
      '{"journal_mode":"wal","synchronous":2,"foreign_keys":1,"busy_timeout":5000}',
    )

    const file = join(t.dir, DB_FILE_NAME)
    const started = performance.now()
    let killedMidway = 0
    let ackedChecked = 0
    let maxReopenMs = 0
    for (let trial = 0; trial < TRIALS; trial++) {
      // Writes run at a few thousand commits/s with synchronous=FULL: 0–250 ms lands anywhere
      // from the first writes to past the end.
      const run = await runAndKill(file, caseId, Math.random() * 250)
      expect(run.pragmas).toBe(expectedPragmas)
      if (run.killed && !run.finished) killedMidway++

      const t0 = performance.now()
      const { db: after, recovery } = openDatabaseWithRecovery(t.dir)
      maxReopenMs = Math.max(maxReopenMs, performance.now() - t0)
      try {
        expect(recovery).toBeUndefined()
        expect(after.pragma('integrity_check', { simple: true })).toBe('ok')
        const notes = new Map(
          (
            after
              .prepare('SELECT step_key, note FROM case_steps WHERE case_id = ?')
              .all(caseId) as {
              step_key: string
              note: string
            }[]
          ).map((r) => [r.step_key, r.note]),
        )
        const missing = run.acked.filter((i) => notes.get(`step-${i}`) !== `note ${i}`)
        expect(missing).toEqual([])
        ackedChecked += run.acked.length
        // The case row was updated in the same transactions: at least as far as the last ack.
        const last = run.acked[run.acked.length - 1]!
        const { updated_at } = after
          .prepare('SELECT updated_at FROM cases WHERE id = ?')
          .get(caseId) as {
          updated_at: string
        }
        expect(new Date(updated_at).getTime()).toBeGreaterThanOrEqual(
          Date.UTC(2026, 0, 1, 0, 0, 0, last),
        )
        // Next trial starts from a clean table so each one checks its own acknowledgements.
        after.prepare('DELETE FROM case_steps WHERE case_id = ?').run(caseId)
      } finally {
        after.close()
      }
    }
    const seconds = (performance.now() - started) / 1000
    console.log(
      `kill test: ${TRIALS} trials, ${killedMidway} killed midway, ${ackedChecked} acknowledged writes checked, 0 lost, reopen max ${maxReopenMs.toFixed(0)} ms, ${seconds.toFixed(1)} s`,
    )
    // Most trials must really have been killed in the middle, or the test proves nothing.
    expect(killedMidway).toBeGreaterThanOrEqual(TRIALS * 0.6)
    expect(ackedChecked).toBeGreaterThan(0)
  })
})
