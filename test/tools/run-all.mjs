// `npm test`: typecheck, lint, build, then every unit and end-to-end test in one Vitest run.
// A failed step counts as a failure in the closing line, which CI reads: "N passed, N failed".
import { spawnSync } from 'node:child_process'
import { readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const major = Number(process.versions.node.split('.')[0])
if (major < 22) {
  console.error(
    `npm test needs Node.js 22 or newer, and this is ${process.versions.node}. Run \`npm install\` first: it installs Node 22 for the project's scripts.`,
  )
  process.exit(1)
}

const run = (name, cmd, args) => {
  const started = Date.now()
  console.log(`\n▶ ${name}: ${cmd} ${args.join(' ')}`)
  const r = spawnSync(cmd, args, { stdio: 'inherit', shell: process.platform === 'win32' })
  const ok = r.status === 0
  console.log(`${ok ? '✔' : '✘'} ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`)
  return ok
}

const bin = (name) => join('node_modules', '.bin', name)
const steps = [
  ['typecheck (node)', bin('tsc'), ['--noEmit', '-p', 'tsconfig.node.json']],
  ['typecheck (web)', bin('tsc'), ['--noEmit', '-p', 'tsconfig.web.json']],
  ['eslint', bin('eslint'), ['--max-warnings', '0', '.']],
  ['electronegativity', process.execPath, [join('test', 'tools', 'electronegativity.mjs')]],
  ['prettier', bin('prettier'), ['--check', '--log-level', 'warn', '.']],
  ['build', bin('electron-vite'), ['build', '--logLevel', 'warn']],
]
const failedSteps = steps.filter(([name, cmd, args]) => !run(name, cmd, args)).map(([name]) => name)

const summaryFile = join(tmpdir(), `ndr-test-summary-${process.pid}.json`)
const testsOk = (() => {
  const started = Date.now()
  console.log('\n▶ tests: vitest run (unit + e2e)')
  const r = spawnSync(
    bin('vitest'),
    ['run', '--reporter=default', '--reporter=./test/tools/plain-summary-reporter.mjs'],
    {
      stdio: 'inherit',
      env: { ...process.env, NDR_SUMMARY_FILE: summaryFile },
    },
  )
  console.log(
    `${r.status === 0 ? '✔' : '✘'} tests (${((Date.now() - started) / 1000).toFixed(1)} s)`,
  )
  return r.status === 0
})()

let summary = { passed: 0, failed: 0, skipped: 0 }
try {
  summary = JSON.parse(readFileSync(summaryFile, 'utf8'))
  rmSync(summaryFile)
} catch {
  summary.failed += 1 // Vitest died before reporting.
}
if (!testsOk && summary.failed === 0) summary.failed = 1
if (failedSteps.length) console.log(`\nFailed steps: ${failedSteps.join(', ')}`)
const failed = summary.failed + failedSteps.length
console.log(
  `\n${summary.passed} passed, ${failed} failed${summary.skipped ? `, ${summary.skipped} skipped` : ''}`,
)
process.exit(failed === 0 ? 0 : 1)
