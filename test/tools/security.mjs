// `npm run security` (issue 7): runs every security and robustness check of the project and prints
// ONE table of their figures. The checks themselves are ordinary tests and scripts (they also run in
// `npm test`); each records what it measured in test-results/security/<slug>.json through
// test/support/figures.ts. This script clears that folder, runs them, adds the static checks (ESLint
// security rules, Electronegativity) and prints the table. Exit 1 when any row fails or a group that
// should have reported is missing. `--quick` skips the 1,000,000-run fuzzing and reuses its last figures.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const major = Number(process.versions.node.split('.')[0])
if (major < 22) {
  console.error(
    `npm run security needs Node.js 22 (this is ${process.versions.node}); run it through npm after \`npm install\`.`,
  )
  process.exit(1)
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const figuresDir = join(root, 'test-results/security')
const bin = (name) => join(root, 'node_modules', '.bin', name)
const quiet = process.argv.includes('--quiet')

// --quick skips the 1,000,000-run fuzzing (≈6 min) and shows the figures of the last `npm run fuzz`.
const quickRun = process.argv.includes('--quick')
mkdirSync(figuresDir, { recursive: true })
for (const f of readdirSync(figuresDir))
  if (!(quickRun && f === 'fuzz-nightly.json')) rmSync(join(figuresDir, f), { force: true })

function step(name, cmd, args, opts = {}) {
  const t0 = Date.now()
  process.stdout.write(`▶ ${name} … `)
  const r = spawnSync(cmd, args, {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, FORCE_COLOR: '0' },
    ...opts,
  })
  const s = ((Date.now() - t0) / 1000).toFixed(1)
  console.log(`${r.status === 0 ? 'ok' : `exit ${r.status}`} (${s} s)`)
  if (r.status !== 0 && !quiet) {
    const tail = `${r.stdout ?? ''}\n${r.stderr ?? ''}`.trim().split('\n').slice(-40).join('\n')
    console.log(tail)
  }
  return r
}

function write(slug, group, rows) {
  writeFileSync(join(figuresDir, `${slug}.json`), JSON.stringify({ group, rows }, null, 2))
}

// 1. The build the end-to-end checks drive.
step('build', bin('electron-vite'), ['build', '--logLevel', 'warn'])

// 2. The tests that measure: hostile files, property-based runs, hostile API calls (HTTP and IPC),
//    the Electron checklist against a fake electron, lint rules firing, and the whole end-to-end
//    suite (hostile HTML, the 10 MB paste, zero network in every spec).
const SUITES = [
  'test/unit/security',
  'test/unit/parse/robustness.test.ts',
  'test/unit/server/hostile.test.ts',
  'test/unit/electron',
  'test/unit/lint',
  'test/e2e',
]
const tests = step('tests (security suites and the whole end-to-end suite)', bin('vitest'), [
  'run',
  ...SUITES,
])
const summary =
  `${tests.stdout ?? ''}\n${tests.stderr ?? ''}`
    // eslint-disable-next-line no-control-regex -- strips terminal colour codes
    .replace(/\x1b\[[\d;]*m/g, '')
    .split('\n')
    .find((l) => l.trimStart().startsWith('Tests '))
    ?.trim() ?? 'no summary'
write('tests', 'Test run', [
  {
    check: `vitest ${SUITES.join(' ')}`,
    target: '0 failed',
    measured: summary,
    pass: tests.status === 0,
  },
])

// 2b. Fuzzing: 1,000,000 fast-check runs per parser entry point (test/fuzz/fuzz.ts).
if (!quickRun)
  step('fuzz (1,000,000 runs per entry point)', process.execPath, [
    '--experimental-transform-types',
    '--no-warnings',
    '--import',
    './test/tools/ts-resolve-hook.mjs',
    'test/fuzz/fuzz.ts',
  ])

// 3. ESLint: the security rules over the whole repository (0 violations), counted by rule.
const SECURITY_RULES = {
  'no-restricted-syntax':
    'ipcMain/ipcRenderer only in the transports; shell.openExternal only in its wrapper; no innerHTML/dangerouslySetInnerHTML',
  'no-restricted-imports': 'main/core pure; renderer imports no main code',
  'regexp/no-super-linear-backtracking': 'no super-linear backtracking (ReDoS)',
  'regexp/no-super-linear-move': 'no super-linear move (ReDoS)',
}
const lint = step('eslint (security rules)', bin('eslint'), ['-f', 'json', '.'], {
  stdio: ['ignore', 'pipe', 'pipe'],
})
let lintRows
try {
  const results = JSON.parse(lint.stdout)
  const counts = Object.fromEntries(Object.keys(SECURITY_RULES).map((r) => [r, 0]))
  let files = 0
  for (const f of results) {
    files++
    for (const m of f.messages) if (m.ruleId in counts) counts[m.ruleId]++
  }
  lintRows = Object.entries(SECURITY_RULES).map(([rule, what]) => ({
    check: `${rule}: ${what}`,
    target: '0 violations',
    measured: `${counts[rule]} in ${files} files`,
    pass: counts[rule] === 0,
  }))
} catch {
  lintRows = [{ check: 'ESLint', target: 'runs', measured: 'no JSON output', pass: false }]
}
write('eslint', 'Lint rules (ESLint)', lintRows)

// 4. Electronegativity (its own script gates on findings and writes its figures).
const eng = join(root, 'test/tools/electronegativity.mjs')
if (existsSync(eng)) step('electronegativity', process.execPath, [eng])

// 5. The table.
const EXPECTED = [
  'hostile-files',
  'fuzz-ci',
  'fuzz-nightly',
  'api-http',
  'api-ipc',
  'electron-hardening',
  'hostile-html',
  'paste-10mb',
  'paste-10mb-fallback',
  'electronegativity',
  'eslint',
]
const groups = new Map()
const network = { specs: 0, requests: 0, foreign: 0, failures: [] }
for (const f of readdirSync(figuresDir).sort()) {
  if (!f.endsWith('.json')) continue
  const slug = f.slice(0, -5)
  const data = JSON.parse(readFileSync(join(figuresDir, f), 'utf8'))
  if (slug.startsWith('network-')) {
    for (const r of data.rows) {
      network.specs++
      const m = /^(\d+) of (\d+)/.exec(r.measured)
      if (m) {
        network.foreign += Number(m[1])
        network.requests += Number(m[2])
      }
      if (!r.pass) network.failures.push(r.check)
    }
    continue
  }
  groups.set(slug, data)
}
if (network.specs > 0) {
  groups.set('network', {
    group: 'Zero network (whole end-to-end suite)',
    rows: [
      {
        check: `requests seen in ${network.specs} app sessions`,
        target: '0 leave the app',
        measured: `${network.foreign} of ${network.requests} left${network.failures.length ? ` (${network.failures.join('; ')})` : ''}`,
        pass: network.foreign === 0 && network.failures.length === 0,
      },
    ],
  })
}
for (const slug of [...EXPECTED, 'network']) {
  if (!groups.has(slug)) {
    groups.set(slug, {
      group: slug,
      rows: [{ check: 'figures', target: 'reported', measured: 'MISSING', pass: false }],
    })
  }
}

const rows = []
const limits = []
for (const [, g] of groups)
  for (const r of g.rows) {
    const status = r.pass ? 'pass' : r.limit ? 'limit¹' : 'FAIL'
    if (!r.pass && r.limit) limits.push(r.limit)
    rows.push([g.group, r.check, r.target, r.measured, status])
  }
const head = ['Area', 'Check', 'Target', 'Measured', '']
const esc = (s) => String(s).replace(/\|/g, '\\|')
const table = [
  `| ${head.join(' | ')} |`,
  `|${head.map(() => '---').join('|')}|`,
  ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
].join('\n')
writeFileSync(join(figuresDir, 'TABLE.md'), table + '\n')
console.log('\n' + table + '\n')
for (const l of new Set(limits)) console.log(`¹ a platform floor, not the app's work: ${l}\n`)
const failed = rows.filter((r) => r[4] === 'FAIL').length
console.log(
  `security: ${rows.length - failed} of ${rows.length} checks pass${failed ? `, ${failed} FAIL` : ''}`,
)
process.exit(failed === 0 ? 0 : 1)
