// Electronegativity gate (issue 7, goal S2 of ../shared/research/reliability.md): Doyensec's Electron
// security checker over the app sources (main/ and renderer/, the HTML page included; not test/, not
// out/). Electronegativity itself exits 0 whatever it finds, so this script reads its output and fails
// (exit 1) when:
//   - a finding of MEDIUM severity or above is left open (see RAISED for the one check whose
//     rating the gate raises);
//   - an `eng-disable` comment has no one-line reason, is malformed, is file-wide (line 1), or
//     silences nothing (stale or misplaced);
//   - an entry of the reviewed list (electronegativity-reviewed.json, for GLOBAL checks, which have no
//     line to carry a comment) is stale, or its implementing file no longer contains the named call;
//   - Electronegativity could not parse or check one of the files, or did not run to the end.
//
// A finding is silenced only next to the code, with Electronegativity's own per-line mechanism, on
// the line the finding is reported at:
//     preload: path, // eng-disable PRELOAD_JS_CHECK -- why this is safe, in a few words
// Its parser (dist/util/exceptions.js) reads `(?:\/\*|\/\/)[ \t]*eng-disable[ \t]+([\w \t]+)`
// on that line (and on the file's first line, for the whole file: not allowed here): IDs are the
// word characters up to the first other character, so the `--` ends the list and the reason after
// it is not read as IDs. IDs are separated by spaces (a comma ends the list). In HTML the comment
// is `<!-- eng-disable ID -->` with the reason in the next comment on the same line.
//
// Two scans run at once: the sources as they are (what the gate judges) and a copy with every
// eng-disable neutralized, so the table can show what each comment silences and stale ones are found.
// The scan is offline and quick (about 1.5 s): -e pins the Electron version (else the tool assumes
// 0.1.0 and its insecure defaults), -x drops the one check that downloads Electron's release list,
// and electronegativity-preload.mjs stubs the translation download and records files the tool failed
// to parse. Output: CSV, the one format that carries severity and confidence (SARIF has neither);
// the CLI writes the CSV header and rows with two concurrent fs.writeFile calls, so the tool runs
// with one libuv thread to keep them in order, and the file is validated row by row.
//
// Usage: node test/tools/electronegativity.mjs [--root DIR] [--reviewed FILE] [--no-figures]
//   --root      folder holding main/ and renderer/ (default: this repository)
//   --reviewed  reviewed list (default: <root>/test/tools/electronegativity-reviewed.json, optional)
// Writes test-results/security/electronegativity.json ({ group, rows, at }) when scanning this repo.
import { spawn } from 'node:child_process'
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)))
const TOOL_BIN = join(REPO_ROOT, 'node_modules', '.bin', 'electronegativity')
const TOOL_DIR = join(REPO_ROOT, 'node_modules', '@doyensec', 'electronegativity')
const PRELOAD = fileURLToPath(new URL('./electronegativity-preload.mjs', import.meta.url))
const ELECTRON_VERSION = '45.4.1'
const EXCLUDED = 'AvailableSecurityFixesGlobalCheck'
const SCAN_DIRS = ['main', 'renderer']
const TIMEOUT_MS = 60_000
const GROUP = 'Electronegativity 1.10.3'

export const SEVERITY = { INFORMATIONAL: 0, LOW: 1, MEDIUM: 2, HIGH: 3 }
export const CONFIDENCE = { TENTATIVE: 0, FIRM: 1, CERTAIN: 2 }
const GATE = SEVERITY.MEDIUM
/**
 * Where the gate rates a finding above Electronegativity. NODE_INTEGRATION_JS_CHECK rates an explicit
 * `nodeIntegration: true` (or InWorker / InSubFrames) on a window without `sandbox: true` as
 * INFORMATIONAL (only a missing key with an insecure default is HIGH); Electron's checklist item 2
 * says never, so the gate counts it as HIGH.
 */
const RAISED = { NODE_INTEGRATION_JS_CHECK: 'HIGH' }
const MIN_REASON_WORDS = 4
const CSV_HEADER = 'issue, severity, confidence, filename, location, sample, description, url'
const WIKI = 'https://github.com/doyensec/electronegativity/wiki/'
const MARK = 'eng-disable'
/** Same length as MARK, so the neutralized copy keeps every line and column. */
const NEUTRAL = 'eng-ignored'

/** The files Electronegativity reads (dist/util/file.js list_files): scripts, HTML, package files. */
function isScanned(name) {
  const lower = name.toLowerCase()
  const ext = lower.slice(lower.lastIndexOf('.') + 1)
  return (
    ['js', 'jsx', 'ts', 'tsx', 'html', 'htm'].includes(ext) ||
    ['package.json', 'package-lock.json', 'yarn.lock'].some((n) => lower.includes(n))
  )
}

function listSources(root) {
  const out = []
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules') continue
      const full = join(dir, entry.name)
      if (entry.isDirectory()) walk(full)
      else if (entry.isFile() && isScanned(entry.name)) out.push(relative(root, full))
    }
  }
  for (const d of SCAN_DIRS) if (existsSync(join(root, d))) walk(join(root, d))
  return out.sort()
}

/** Every check ID this version of Electronegativity knows, read from its own sources. */
function knownCheckIds() {
  const ids = new Set()
  for (const kind of ['AtomicChecks', 'GlobalChecks']) {
    const dir = join(TOOL_DIR, 'dist', 'finder', 'checks', kind)
    for (const f of readdirSync(dir)) {
      if (!f.endsWith('.js')) continue
      for (const m of readFileSync(join(dir, f), 'utf8').matchAll(/this\.id = "([A-Z0-9_]+)"/g)) {
        ids.add(m[1])
      }
    }
  }
  return ids
}

const words = (text) => text.split(/\s+/).filter((w) => /\p{L}{2}/u.test(w))
const isHtml = (file) => /\.html?$/i.test(file)
/** What Electronegativity reads after the mark: `[ \t]+([\w \t]+)`, i.e. blank, then IDs and blanks. */
const isIdList = (text) => /^[ \t]/.test(text) && /^[\w \t]+$/.test(text) && /\w/.test(text)

/**
 * Reads every eng-disable comment of one file. Returns the directives ({ file, line, ids, reason })
 * and the problems (a comment the gate refuses).
 */
export function readDirectives(file, text, known) {
  const directives = []
  const problems = []
  const html = isHtml(file)
  text.split('\n').forEach((raw, i) => {
    // What Electronegativity reads as a directive: the mark right after a comment opener. Other
    // mentions (prose) are not directives, to it or to us.
    const opener = (html ? /<!--[ \t]*eng-disable/i : /(?:\/\/|\/\*)[ \t]*eng-disable/i).exec(raw)
    if (!opener) return
    const at = opener.index + opener[0].length - MARK.length
    const line = i + 1
    const where = `${file}:${line}`
    const fail = (why) => problems.push(`${where}: ${why}`)
    if (line === 1) {
      return fail(
        'eng-disable on the first line silences the check for the whole file; put it on the line of the finding',
      )
    }
    let ids
    let reason
    if (html) {
      const close = raw.indexOf('-->', at)
      const idText = close < 0 ? '' : raw.slice(at + MARK.length, close)
      if (!isIdList(idText)) {
        return fail('write `<!-- eng-disable CHECK_ID --><!-- reason in a few words -->`')
      }
      ids = idText.trim().split(/[ \t]+/)
      const next = raw.indexOf('<!--', close)
      const end = next < 0 ? -1 : raw.indexOf('-->', next + 4)
      reason = end < 0 ? '' : raw.slice(next + 4, end).trim()
    } else {
      const block = opener[0].startsWith('/*')
      let rest = raw.slice(at + MARK.length)
      if (block) {
        const end = rest.indexOf('*/')
        if (end < 0) return fail('close the /* eng-disable ... */ comment on the same line')
        rest = rest.slice(0, end)
      }
      const dash = rest.indexOf('--')
      if (dash < 0) {
        return fail(
          'eng-disable without a reason: write `// eng-disable CHECK_ID -- why this is safe, in a few words`',
        )
      }
      const idText = rest.slice(0, dash)
      if (!isIdList(idText)) {
        return fail(
          'write `// eng-disable CHECK_ID -- reason`, IDs separated by spaces (Electronegativity stops reading at a comma)',
        )
      }
      ids = idText.trim().split(/[ \t]+/)
      reason = rest.slice(dash + 2).trim()
    }
    const unknown = ids.filter((id) => !known.has(id))
    if (unknown.length) {
      return fail(`unknown check ID ${unknown.join(', ')} (use the ID, e.g. PRELOAD_JS_CHECK)`)
    }
    if (words(reason).length < MIN_REASON_WORDS) {
      return fail(
        `eng-disable ${ids.join(' ')} needs a one-line reason of at least ${MIN_REASON_WORDS} words (found "${reason}")`,
      )
    }
    directives.push({ file, line, ids, reason, used: new Set() })
  })
  return { directives, problems }
}

/** RFC 4180 CSV (quoted fields, doubled quotes, newlines inside quotes). */
function parseCsv(text) {
  const rows = []
  let row = []
  let field = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"'
        i++
      } else if (c === '"') quoted = false
      else field += c
    } else if (c === '"') quoted = true
    else if (c === ',') {
      row.push(field)
      field = ''
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++
      row.push(field)
      rows.push(row)
      row = []
      field = ''
    } else field += c
  }
  if (field !== '' || row.length) {
    row.push(field)
    rows.push(row)
  }
  return rows
}

/** Electronegativity's CSV, checked row by row: a torn or reordered file is an error, never "0 findings". */
function readFindings(csvText, known) {
  const [header, ...rows] = parseCsv(csvText)
  if (header?.map((h) => h.trim()).join(', ') !== CSV_HEADER) {
    throw new Error(`unexpected CSV header: ${JSON.stringify(header)}`)
  }
  return rows
    .filter((r) => !(r.length === 1 && r[0] === ''))
    .map((r) => {
      const [id, severity, confidence, file, location, sample, description, url] = r
      if (
        r.length !== 8 ||
        !known.has(id) ||
        url !== WIKI + id ||
        !(severity in SEVERITY) ||
        !(confidence in CONFIDENCE) ||
        !/^\d+:\d+$/.test(location)
      ) {
        throw new Error(`unreadable CSV row: ${JSON.stringify(r)}`)
      }
      const [line, column] = location.split(':').map(Number)
      const raised = RAISED[id] && SEVERITY[RAISED[id]] > SEVERITY[severity] ? RAISED[id] : null
      const gateSeverity = raised ?? severity
      const shown = raised ? `${severity}→${raised}` : severity
      return {
        id,
        severity: shown,
        gateSeverity,
        confidence,
        file,
        line,
        column,
        sample,
        description,
      }
    })
}

const keyOf = (f) => `${f.id}|${f.file}|${f.line}:${f.column}`
/** A directive naming X_GLOBAL_CHECK on a X_JS/HTML_CHECK line removes that line from the global check. */
const covers = (directiveId, findingId) =>
  directiveId === findingId ||
  directiveId === findingId.replace(/_(?:JS|HTML|JSON)_CHECK$/, '_GLOBAL_CHECK')

function runTool(input, csv, reportFile) {
  return new Promise((done) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        pathToFileURL(PRELOAD).href,
        TOOL_BIN,
        ...['-i', input, '-r', '-e', ELECTRON_VERSION, '-x', EXCLUDED, '-o', csv],
      ],
      {
        env: {
          ...process.env,
          LANG: 'en-US',
          // One thread: the CSV header and body writes then complete in the order they were issued.
          UV_THREADPOOL_SIZE: '1',
          NDR_ENG_REPORT: reportFile,
        },
        timeout: TIMEOUT_MS,
        killSignal: 'SIGKILL',
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    let output = ''
    child.stdout.on('data', (d) => (output += d))
    child.stderr.on('data', (d) => (output += d))
    child.on('error', (e) => done({ code: null, signal: null, output: String(e) }))
    child.on('close', (code, signal) => done({ code, signal, output }))
  })
}

async function scan(sources, sourceRoot, work, name, transform, known) {
  const input = join(work, name)
  for (const rel of sources) {
    const to = join(input, rel)
    mkdirSync(dirname(to), { recursive: true })
    if (transform) writeFileSync(to, transform(readFileSync(join(sourceRoot, rel), 'utf8')))
    else copyFileSync(join(sourceRoot, rel), to)
  }
  const csv = join(work, `${name}.csv`)
  const reportFile = join(work, `${name}.report.json`)
  const run = await runTool(input, csv, reportFile)
  const tail = run.output.trim().split('\n').slice(-5).join('\n')
  if (run.code !== 0 || !existsSync(csv) || !existsSync(reportFile)) {
    const how = run.signal
      ? `killed (${run.signal}, time limit ${TIMEOUT_MS / 1000} s)`
      : `exit ${run.code}`
    throw new Error(`Electronegativity did not complete (${how}):\n${tail}`)
  }
  const report = JSON.parse(readFileSync(reportFile, 'utf8'))
  const scanned = new Set(report.files.map((f) => relative(input, f).split(sep).join('/')))
  return {
    findings: readFindings(readFileSync(csv, 'utf8'), known),
    errors: report.errors.map((e) => ({
      ...e,
      file: relative(input, e.file).split(sep).join('/'),
    })),
    missing: sources.filter((s) => isScanned(s) && !scanned.has(s.split(sep).join('/'))),
  }
}

/** The reviewed list for GLOBAL checks: { CHECK_ID: { at, maxSeverity, reason, file, contains[] } }. */
function readReviewed(path, root, known) {
  const problems = []
  if (!path || !existsSync(path)) return { entries: [], problems }
  const where = relative(root, path) || path
  let data
  try {
    data = JSON.parse(readFileSync(path, 'utf8'))
  } catch (e) {
    return { entries: [], problems: [`${where}: not JSON (${e.message})`] }
  }
  const entries = []
  for (const [id, e] of Object.entries(data)) {
    if (id.startsWith('$')) continue // "$comment"
    const fail = (why) => problems.push(`${where} ${id}: ${why}`)
    if (!known.has(id)) {
      fail('unknown check ID')
      continue
    }
    if (!id.endsWith('_GLOBAL_CHECK')) {
      fail(
        'only GLOBAL checks go here; per-line checks are reviewed with eng-disable next to the code',
      )
      continue
    }
    const contains = Array.isArray(e?.contains) ? e.contains : [e?.contains]
    if (
      typeof e?.at !== 'string' ||
      !(e?.maxSeverity in SEVERITY) ||
      typeof e?.reason !== 'string' ||
      typeof e?.file !== 'string' ||
      !contains.every((c) => typeof c === 'string' && c.length > 0)
    ) {
      fail('needs at, maxSeverity, reason, file and contains')
      continue
    }
    if (words(e.reason).length < MIN_REASON_WORDS) fail('the reason needs a few words')
    const file = join(root, e.file)
    if (!existsSync(file) || !statSync(file).isFile()) {
      fail(`${e.file} (the file that implements the defence) does not exist`)
    } else {
      const text = readFileSync(file, 'utf8')
      for (const c of contains) {
        if (!text.includes(c))
          fail(`${e.file} no longer contains ${JSON.stringify(c)}: review again`)
      }
    }
    entries.push({ id, ...e, used: false })
  }
  return { entries, problems }
}

/**
 * Runs the gate. Returns { ok, rows, problems, files, ms }; rows are the findings with their status.
 */
export async function checkElectronegativity({ root = REPO_ROOT, reviewed } = {}) {
  const started = Date.now()
  const known = knownCheckIds()
  const sources = listSources(root)
  if (!sources.length) throw new Error(`no sources under ${SCAN_DIRS.join(', ')} in ${root}`)
  const problems = []
  const directives = []
  for (const rel of sources) {
    const r = readDirectives(rel.split(sep).join('/'), readFileSync(join(root, rel), 'utf8'), known)
    directives.push(...r.directives)
    problems.push(...r.problems)
  }
  const review = readReviewed(
    reviewed ?? join(root, 'test', 'tools', 'electronegativity-reviewed.json'),
    root,
    known,
  )
  problems.push(...review.problems)

  const work = mkdtempSync(join(tmpdir(), 'ndr-eng-'))
  let asIs
  let raw
  try {
    const neutralize = (text) => text.replace(/eng-disable/gi, NEUTRAL)
    ;[asIs, raw] = await Promise.all([
      scan(sources, root, work, 'as-is', null, known),
      scan(sources, root, work, 'raw', neutralize, known),
    ])
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
  for (const e of asIs.errors) {
    problems.push(
      `${e.file}: Electronegativity could not ${e.stage} it (${e.message}), so it was not checked`,
    )
  }
  for (const m of asIs.missing) problems.push(`${m}: Electronegativity did not read it`)

  const reported = new Set(asIs.findings.map(keyOf))
  const rows = []
  for (const f of asIs.findings) {
    const entry = review.entries.find(
      (e) =>
        e.id === f.id && e.at === f.file && SEVERITY[f.gateSeverity] <= SEVERITY[e.maxSeverity],
    )
    if (entry) entry.used = true
    const open = SEVERITY[f.gateSeverity] >= GATE
    rows.push({
      ...f,
      pass: !!entry || !open,
      status: entry
        ? `reviewed: ${entry.reason} (${entry.file})`
        : open
          ? f.id.endsWith('_GLOBAL_CHECK')
            ? 'FAIL: fix it (if the checker cannot see the defence: electronegativity-reviewed.json)'
            : 'FAIL: fix it, or review it next to the code'
          : `below the gate (${f.gateSeverity})`,
    })
  }
  // Findings an eng-disable comment silenced: in the neutralized scan, not in the real one.
  for (const f of raw.findings.filter((x) => !reported.has(keyOf(x)))) {
    const d = directives.find(
      (x) => x.file === f.file && x.line === f.line && x.ids.some((id) => covers(id, f.id)),
    )
    if (d) for (const id of d.ids) if (covers(id, f.id)) d.used.add(id)
    rows.push({
      ...f,
      pass: !!d,
      status: d
        ? `reviewed: ${d.reason}`
        : 'FAIL: silenced, but no eng-disable comment on its line',
    })
  }
  for (const d of directives) {
    for (const id of d.ids.filter((x) => !d.used.has(x))) {
      problems.push(
        `${d.file}:${d.line}: eng-disable ${id} silences no finding on this line (stale or misplaced): remove it or move it to the finding's line`,
      )
    }
  }
  for (const e of review.entries.filter((x) => !x.used)) {
    problems.push(
      `reviewed list: ${e.id} at ${e.at} (≤ ${e.maxSeverity}) matches no finding any more: remove the entry`,
    )
  }
  rows.sort((a, b) => `${a.file}:${a.line}:${a.id}`.localeCompare(`${b.file}:${b.line}:${b.id}`))
  return {
    ok: problems.length === 0 && rows.every((r) => r.pass),
    rows,
    problems,
    files: sources.length,
    ms: Date.now() - started,
  }
}

function printTable(rows) {
  const head = ['check', 'severity', 'confidence', 'file:line', 'status']
  const cells = rows.map((r) => [
    r.id,
    r.severity,
    r.confidence,
    r.file === 'N/A' ? '(whole app)' : `${r.file}:${r.line}`,
    r.status,
  ])
  const width = head.slice(0, 4).map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)))
  const fmt = (c) => c.map((v, i) => (i < 4 ? v.padEnd(width[i]) : v)).join('  ')
  console.log(fmt(head))
  for (const c of cells) console.log(fmt(c))
}

function figureRows(result) {
  const open = result.rows.filter((r) => !r.pass)
  return [
    ...result.rows.map((r) => ({
      check: `${r.id} (${r.file === 'N/A' ? 'whole app' : `${r.file}:${r.line}`})`,
      target: `none ≥ MEDIUM unless reviewed next to the code`,
      measured: `${r.severity}/${r.confidence}, ${r.status}`,
      pass: r.pass,
    })),
    {
      check: 'Findings ≥ MEDIUM without a reviewed reason',
      target: '0',
      measured: String(open.length),
      pass: open.length === 0,
    },
    {
      check: 'Suppressions without a reason, stale, or unparsed files',
      target: '0',
      measured: String(result.problems.length),
      pass: result.problems.length === 0,
    },
    {
      check: 'Scan time (two scans in parallel, offline)',
      target: '≤ 20 s',
      measured: `${(result.ms / 1000).toFixed(1)} s, ${result.files} files`,
      pass: result.ms <= 20_000,
    },
  ]
}

async function main(argv) {
  const arg = (name) => {
    const i = argv.indexOf(name)
    return i >= 0 ? argv[i + 1] : undefined
  }
  const root = arg('--root') ? resolve(arg('--root')) : REPO_ROOT
  const reviewedArg = arg('--reviewed')
  const figures = !argv.includes('--no-figures') && root === REPO_ROOT
  let result
  try {
    result = await checkElectronegativity({
      root,
      ...(reviewedArg ? { reviewed: resolve(reviewedArg) } : {}),
    })
  } catch (e) {
    console.error(`✘ electronegativity: ${e instanceof Error ? e.message : String(e)}`)
    return 1
  }
  console.log(
    `Electronegativity 1.10.3 on ${SCAN_DIRS.join('/, ')}/ (${result.files} file(s), Electron ${ELECTRON_VERSION}, offline): ${result.rows.length} findings, ${(result.ms / 1000).toFixed(1)} s`,
  )
  if (result.rows.length) printTable(result.rows)
  for (const p of result.problems) console.log(`✘ ${p}`)
  if (figures) {
    const dir = join(REPO_ROOT, 'test-results', 'security')
    mkdirSync(dir, { recursive: true })
    writeFileSync(
      join(dir, 'electronegativity.json'),
      JSON.stringify(
        { group: GROUP, rows: figureRows(result), at: new Date().toISOString() },
        null,
        2,
      ) + '\n',
    )
  }
  const open = result.rows.filter((r) => !r.pass).length
  console.log(
    result.ok
      ? '✔ no open finding ≥ MEDIUM; every silenced one has a reviewed reason next to the code'
      : `✘ ${open} open finding(s) ≥ MEDIUM, ${result.problems.length} problem(s)`,
  )
  return result.ok ? 0 : 1
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2))
}
