// Property-based tests of every parser entry point in the unit suite (issue 7, reliability.md §6 P1:
// "PR: 100,000 fast-check runs per parser"). The arbitraries and properties live in
// test/support/properties.ts, shared with `npm run fuzz` (1,000,000 runs each); NDR_FUZZ_RUNS
// overrides the count here.
import { afterAll, expect, test } from 'vitest'
import { withMsgReader } from '../../../main/backend/msg-reader'
import { recordFigures } from '../../support/figures'
import { CI_RUNS, fuzzTargets, type TargetResult } from '../../support/properties'
import { soundMsg } from './hostile-files'

const RUNS = Number(process.env['NDR_FUZZ_RUNS'] ?? '') || CI_RUNS
/** Invariant 2 (bounded): the slowest single call of any run, on a shared two-core machine. */
const WORST_CALL_MS = 1000

const { msgReader } = await withMsgReader(soundMsg())
if (!msgReader) throw new Error('the .msg reader did not load')
const results: TargetResult[] = []

afterAll(() => {
  recordFigures(
    'fuzz-ci',
    'Property-based tests (CI)',
    results.map((r) => ({
      check: r.id,
      target: `≥ ${CI_RUNS.toLocaleString('en')} runs per entry point, 0 failures`,
      measured:
        `${r.runs.toLocaleString('en')} runs, ${r.failed ? 'FAILED' : '0 failures'}, ` +
        `${r.seconds.toFixed(1)} s, slowest call ${r.worstMs.toFixed(0)} ms`,
      pass: !r.failed && r.runs >= CI_RUNS && r.worstMs < WORST_CALL_MS,
    })),
  )
})

for (const t of fuzzTargets(msgReader)) {
  test(`${t.id}: ${RUNS.toLocaleString('en')} runs never throw, typed outcome, bounded`, () => {
    const r = t.run(RUNS)
    results.push(r)
    expect(r.failed, r.report).toBe(false)
    expect(r.runs).toBe(RUNS)
    expect(r.worstMs).toBeLessThan(WORST_CALL_MS)
  }, 600_000)
}
