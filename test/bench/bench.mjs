// `npm run bench` (issue 3 "Speed"): builds an mbox of >= 5,000 Microsoft bounces with
// ../shared/peers/make-mbox.sh, then times our CLI (`ndr-assistant parse --json`, i.e. main/cli/bin.cjs
// running the built out/main/cli.js) and Sisimai
// (../shared/peers/sisimai-bench.sh) on it in the same run: messages/s and peak RSS for each, then
// `throughput ratio vs sisimai: X.X`. A benchmark, not a test: it never fails on numbers.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const shared = resolve(root, '../shared')
const target = Number(process.env.NDR_BENCH_MESSAGES ?? 5005)
// The package's `bin` (main/cli/bin.cjs) loads the built out/main/cli.js and calls its main().
const built = join(root, 'out/main/cli.js')
const cli = join(root, 'main/cli/bin.cjs')

if (!existsSync(built)) {
  console.error(`bench: ${built} is missing; run "npm run build" first (npm run bench does).`)
  process.exit(1)
}

const work = mkdtempSync(join(tmpdir(), 'ndr-bench-'))
const mbox = join(work, 'microsoft.mbox')
const samples = readdirSync(join(shared, 'corpus/microsoft'))
  .filter((f) => f.endsWith('.eml'))
  .sort()
  .map((f) => join(shared, 'corpus/microsoft', f))
const mk = spawnSync(
  'bash',
  [join(shared, 'peers/make-mbox.sh'), mbox, String(target), ...samples],
  { encoding: 'utf8' },
)
if (mk.status !== 0) {
  console.error(mk.stderr)
  process.exit(1)
}
const messages = readFileSync(mbox, 'latin1')
  .split('\n')
  .filter((l) => l.startsWith('From MAILER-DAEMON ')).length
console.log(
  `mbox: ${messages} messages, ${(statSync(mbox).size / 1048576).toFixed(1)} MiB (${samples.length} samples from ../shared/corpus/microsoft)`,
)

/** Runs a command, polling /proc for its peak RSS (VmHWM), and counts stdout lines. */
function measure(cmd, args) {
  return new Promise((resolvePromise) => {
    const t0 = process.hrtime.bigint()
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let lines = 0
    let peakKiB = 0
    let stderr = ''
    child.stdout.on('data', (d) => {
      for (let i = 0; i < d.length; i++) if (d[i] === 10) lines++
    })
    child.stderr.on('data', (d) => (stderr += d))
    const poll = setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))
        if (m) peakKiB = Math.max(peakKiB, Number(m[1]))
      } catch {
        /* process gone */
      }
    }, 10)
    child.on('close', (code) => {
      clearInterval(poll)
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9
      resolvePromise({ code, seconds, lines, peakKiB, stderr })
    })
  })
}

// Ours: time -v gives the exact peak RSS when available; /proc polling is the fallback.
let ours
if (existsSync('/usr/bin/time')) {
  const tf = join(work, 'time.txt')
  const r = await measure('/usr/bin/time', [
    '-v',
    '-o',
    tf,
    process.execPath,
    cli,
    'parse',
    '--json',
    mbox,
  ])
  const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(readFileSync(tf, 'utf8'))
  ours = { ...r, peakKiB: m ? Number(m[1]) : r.peakKiB }
} else {
  ours = await measure(process.execPath, [cli, 'parse', '--json', mbox])
}
if (ours.code !== 0)
  console.error(`ndr-assistant exited ${ours.code}: ${ours.stderr.slice(0, 500)}`)
const oursRate = messages / ours.seconds
console.log(
  `ndr-assistant messages=${ours.lines} wall_s=${ours.seconds.toFixed(2)} msgs_per_s=${oursRate.toFixed(1)} peak_rss_kib=${ours.peakKiB}`,
)

const hasSisimai = spawnSync('perl', ['-MSisimai', '-e', '1']).status === 0
let ratio = 'n/a'
if (!hasSisimai) {
  console.log(
    'sisimai: NOT INSTALLED (Debian: apt-get install -y libsisimai-perl); no comparison made',
  )
} else {
  const s = spawnSync('bash', [join(shared, 'peers/sisimai-bench.sh'), mbox], { encoding: 'utf8' })
  const line = s.stdout.trim().split('\n').pop() ?? ''
  console.log(line || `sisimai failed: ${s.stderr.slice(0, 500)}`)
  const rate = Number(/msgs_per_s=([\d.]+)/.exec(line)?.[1])
  const rss = Number(/peak_rss_kib=(\d+)/.exec(line)?.[1])
  if (rate > 0) {
    ratio = (oursRate / rate).toFixed(1)
    console.log(`memory ratio vs sisimai: ${(ours.peakKiB / rss).toFixed(2)}`)
  }
}
rmSync(work, { recursive: true, force: true })
console.log(`throughput ratio vs sisimai: ${ratio}`)
