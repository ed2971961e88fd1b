// `npm run fuzz` (issue 7, reliability.md §6 P1 "nightly: 1,000,000 per parser"): every parser entry
// point against its fast-check properties, 1,000,000 runs each. The arbitraries and properties are
// the unit suite's (test/support/properties.ts); only the count differs.
//
//   npm run fuzz                        all targets, 1,000,000 runs each
//   npm run fuzz -- CLIXML msg          only targets whose name contains one of the words
//   NDR_FUZZ_RUNS=50000 npm run fuzz    another count
//   NDR_FUZZ_SEED=123 npm run fuzz      replay a seed printed by a failure
//
// A target fails on a counterexample (printed with its seed and path), on running out of time
// (NDR_FUZZ_TIME_LIMIT_MS per target, default 30 min: an interrupted run is a failure, fast-check's
// failOnInterrupt), or on a single call slower than 2 s (P2's worst case). Exit code 1 on any failure.
// Run with Node 22 and the TypeScript hook (see package.json "fuzz"); prints one row per target and
// writes test-results/security/fuzz-nightly.json.
import { withMsgReader } from '../../main/backend/msg-reader'
import { buildMsg } from '../support/cfb'
import { recordFigures, type FigureRow } from '../support/figures'
import { fuzzTargets, type TargetResult } from '../support/properties'

const RUNS = Number(process.env['NDR_FUZZ_RUNS'] ?? '') || 1_000_000
const TIME_LIMIT_MS = Number(process.env['NDR_FUZZ_TIME_LIMIT_MS'] ?? '') || 30 * 60_000
const SEED = process.env['NDR_FUZZ_SEED'] ? Number(process.env['NDR_FUZZ_SEED']) : undefined
const WORST_CALL_MS = 2000
const words = process.argv.slice(2).map((w) => w.toLowerCase())

const { msgReader } = await withMsgReader(buildMsg('x').bytes)
if (!msgReader) throw new Error('the .msg reader did not load')
const targets = fuzzTargets(msgReader).filter(
  (t) => words.length === 0 || words.some((w) => t.id.toLowerCase().includes(w)),
)

const out = (s: string): boolean => process.stdout.write(s + '\n')
const cols = (c: readonly string[]): string =>
  [c[0]!.padEnd(40), ...c.slice(1).map((x, i) => x.padStart([11, 9, 9, 9, 13][i]!))].join(' ')

out(`fast-check, ${RUNS.toLocaleString('en')} runs per target, Node ${process.version}`)
out(cols(['target', 'runs', 'failures', 'seconds', 'runs/s', 'slowest ms']))
const results: TargetResult[] = []
let failures = 0
for (const t of targets) {
  const r = t.run(RUNS, {
    timeLimitMs: TIME_LIMIT_MS,
    ...(SEED !== undefined ? { seed: SEED } : {}),
  })
  results.push(r)
  const slow = r.worstMs > WORST_CALL_MS
  const failed = r.failed || slow || r.runs < RUNS
  if (failed) failures++
  out(
    cols([
      t.id,
      r.runs.toLocaleString('en'),
      String(r.failed ? 1 : 0),
      r.seconds.toFixed(1),
      Math.round(r.runs / r.seconds).toLocaleString('en'),
      r.worstMs.toFixed(1) + (slow ? ' SLOW' : ''),
    ]),
  )
  if (r.report) {
    out(`  failure (seed ${r.seed}, path ${r.path ?? '-'}):`)
    for (const line of r.report.split('\n')) out(`    ${line}`)
    out(`  replay: NDR_FUZZ_SEED=${r.seed} npm run fuzz -- "${t.id}"`)
  }
}

const rows: FigureRow[] = results.map((r) => ({
  check: r.id,
  target: `≥ ${RUNS.toLocaleString('en')} runs, 0 failures, every call ≤ ${WORST_CALL_MS} ms`,
  measured:
    `${r.runs.toLocaleString('en')} runs, ${r.failed ? `FAILED (seed ${r.seed})` : '0 failures'}, ` +
    `${r.seconds.toFixed(0)} s, slowest call ${r.worstMs.toFixed(0)} ms`,
  pass: !r.failed && r.runs >= RUNS && r.worstMs <= WORST_CALL_MS,
}))
if (words.length === 0) recordFigures('fuzz-nightly', 'Property-based fuzzing (npm run fuzz)', rows)
out(failures === 0 ? 'all targets passed' : `${failures} target(s) failed`)
process.exitCode = failures === 0 ? 0 : 1
