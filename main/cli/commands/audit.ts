// `ndr-assistant audit FILE… [--ndr FILE] [--json|--csv] [--now ISO] [--known-ips LIST] [--known-hosts LIST]`:
// reads connector and accepted-domain exports (issue 5), prints the objects read and the findings.

import { readFile, stat } from 'node:fs/promises'
import { basename, resolve } from 'node:path'
import {
  auditTenant,
  crossCheckFromParse,
  decodeExportBytes,
  findingMessage,
  findingsToRows,
  importExports,
  LIMITS,
  OBJECT_TYPES,
  toCsv,
  type AuditOptions,
  type Finding,
  type ImportInput,
  type ImportResult,
  type NdrCrossCheck,
  type Translate,
} from '../../core/connectors/index'
import { parseBounce, type ParseOutcome } from '../../core/parse/index'
import { withMsgReader } from '../../backend/msg-reader'
import { labelValue, listOf } from '../../core/i18n/format'
import { fileErrorReason } from '../fs-reason'
import type { CliCommand, CliContext } from './types'

interface Args {
  files: string[]
  ndr?: string
  json: boolean
  /** Findings as CSV for a spreadsheet, formula-neutralized (OWASP CSV injection). */
  csv: boolean
  now?: string
  knownIps: string[]
  knownHosts: string[]
}

function parseArgs(argv: readonly string[]): Args | { bad: string } {
  const args: Args = { files: [], json: false, csv: false, knownIps: [], knownHosts: [] }
  const split = (v: string): string[] =>
    v
      .split(/[,;\s]+/)
      .map((s) => s.trim())
      .filter((s) => s !== '')
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!
    const eq = a.indexOf('=')
    const flag = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a
    const takesValue = ['--ndr', '--now', '--known-ips', '--known-hosts', '--lang'].includes(flag)
    let value: string | undefined
    if (takesValue) {
      value = eq > 0 && a.startsWith('--') ? a.slice(eq + 1) : argv[++i]
      if (value === undefined || value === '') return { bad: flag }
    }
    switch (flag) {
      case '--json':
        args.json = true
        break
      case '--csv':
        args.csv = true
        break
      case '--ndr':
        args.ndr = value!
        break
      case '--now':
        args.now = value!
        break
      case '--known-ips':
        args.knownIps.push(...split(value!))
        break
      case '--known-hosts':
        args.knownHosts.push(...split(value!))
        break
      case '--lang':
        // Handled by the dispatcher; tolerated here so `run()` can be called with the full line.
        break
      default:
        if (a.startsWith('--')) return { bad: a }
        args.files.push(a)
    }
  }
  return args
}

/** Reads an export; a file far over the import cap is not read at all (bounded memory). */
async function readExport(
  path: string,
): Promise<{ text: string; mtime: number } | { oversized: true } | { error: unknown }> {
  try {
    const info = await stat(path)
    // UTF-16 doubles the bytes per character; anything beyond that is refused unread.
    if (info.size > LIMITS.maxChars * 2 + 2) return { oversized: true }
    const bytes = await readFile(path)
    return { text: decodeExportBytes(bytes), mtime: info.mtimeMs }
  } catch (e) {
    return { error: e }
  }
}

/** The part of a parsed bounce the audit joins on (domain brief §4.3). */
const ndrFrom = (outcome: ParseOutcome): NdrCrossCheck | undefined => crossCheckFromParse(outcome)

async function writeOut(ctx: CliContext, text: string): Promise<void> {
  if (!ctx.stdout.write(text)) {
    await new Promise<void>((res) => {
      ctx.stdout.once('drain', res)
      ctx.stdout.once('error', () => res())
    })
  }
}

function textReport(
  t: Translate,
  result: ImportResult,
  findings: readonly Finding[],
  ndrLine: string | undefined,
): string {
  const lines: string[] = []
  for (const input of result.inputs) {
    lines.push(
      t('audit:cli.input', {
        file: input.name,
        format: t(`audit:format.${input.format}`),
        count: input.objectCount,
        types:
          listOf(
            t,
            input.objectTypes.map((ty) => t(`audit:objectType.${ty}`)),
          ) || '—',
      }),
    )
    for (const e of input.errors) {
      lines.push(
        '  ' + t('audit:cli.inputError', { file: input.name, message: t(e.messageKey, e.params) }),
      )
    }
    for (const w of input.warnings) {
      lines.push(
        '  ' +
          t('audit:cli.inputWarning', { file: input.name, message: t(w.messageKey, w.params) }),
      )
    }
  }
  if (ndrLine) lines.push(ndrLine)
  lines.push(
    '',
    t('audit:cli.objects', {
      inbound: result.objects.InboundConnector.length,
      outbound: result.objects.OutboundConnector.length,
      domains: result.objects.AcceptedDomain.length,
    }),
  )
  for (const type of OBJECT_TYPES) {
    for (const o of result.objects[type])
      lines.push(`  ${labelValue(t, t(`audit:objectType.${type}`), o.identity)}`)
  }
  lines.push('', t('audit:cli.findings', { count: findings.length }))
  if (findings.length === 0) lines.push(t('audit:cli.noFindings'))
  for (const f of findings) {
    lines.push(
      t('audit:cli.finding', {
        severity: t(`audit:severity.${f.severity}`),
        rule: f.rule,
        objectType: t(`audit:objectType.${f.objectType}`),
        object: f.object,
        property: f.property,
        value: f.value === '' ? '—' : f.value,
        message: findingMessage(f, t),
      }),
    )
  }
  return lines.join('\n') + '\n'
}

export const run: CliCommand = async (argv, ctx) => {
  const t: Translate = (key, options) =>
    ctx.t(key, { interpolation: { escapeValue: false }, ...options })
  const args = parseArgs(argv)
  if ('bad' in args) {
    ctx.stderr.write(
      t('audit:cli.badOption', { option: args.bad }) + '\n' + t('audit:cli.usage') + '\n',
    )
    return 2
  }
  if (args.files.length === 0) {
    ctx.stderr.write(t('audit:cli.noFiles') + '\n' + t('audit:cli.usage') + '\n')
    return 2
  }
  let now: number | undefined
  if (args.now !== undefined) {
    now = Date.parse(args.now)
    if (Number.isNaN(now)) {
      ctx.stderr.write(t('audit:cli.badDate', { value: args.now }) + '\n')
      return 2
    }
  }
  let failed = false
  const inputs: ImportInput[] = []
  let newestFile: number | undefined
  for (const file of args.files) {
    const read = await readExport(resolve(ctx.cwd, file))
    if ('error' in read) {
      ctx.stderr.write(
        t('audit:cli.readError', { file, reason: fileErrorReason(t, read.error) }) + '\n',
      )
      failed = true
      continue
    }
    if ('oversized' in read) {
      // Not read: an input one character over the cap makes the import report it like any other.
      inputs.push({ name: basename(file), text: ' '.repeat(LIMITS.maxChars + 1) })
      continue
    }
    newestFile = Math.max(newestFile ?? 0, read.mtime)
    inputs.push({ name: basename(file), text: read.text })
  }
  let ndr: NdrCrossCheck | undefined
  let ndrLine: string | undefined
  if (args.ndr !== undefined) {
    try {
      const bytes = await readFile(resolve(ctx.cwd, args.ndr))
      const input = new Uint8Array(bytes)
      const outcome = parseBounce(
        input,
        await withMsgReader(input, { fileName: basename(args.ndr) }),
      )
      ndr = ndrFrom(outcome)
      if (!outcome.ok) {
        ctx.stderr.write(
          t('audit:cli.ndrUnreadable', {
            file: args.ndr,
            reason: t(`parse:errors.${outcome.error.code}`, outcome.error.params),
          }) + '\n',
        )
        failed = true
      } else if (!ndr) ctx.stderr.write(t('audit:cli.ndrNotBounce', { file: args.ndr }) + '\n')
      else {
        ndrLine = t('audit:cli.ndrRead', {
          file: args.ndr,
          status: ndr.status ?? '—',
          domain: ndr.senderDomain ?? '—',
        })
      }
    } catch (e) {
      ctx.stderr.write(
        t('audit:cli.ndrUnreadable', { file: args.ndr, reason: fileErrorReason(t, e) }) + '\n',
      )
      failed = true
    }
  }
  const result = importExports(inputs)
  if (result.inputs.some((i) => i.errors.length > 0 && i.objectCount === 0)) failed = true
  // Without --now, the files' modification time stands in for the export time (brief §4.1 "now").
  const options: AuditOptions = {
    ...(now !== undefined ? { now } : newestFile !== undefined ? { now: newestFile } : {}),
    knownIps: args.knownIps,
    knownSmartHosts: args.knownHosts,
  }
  const findings = auditTenant(result.objects, ndr, options)
  if (args.csv) {
    await writeOut(ctx, toCsv(findingsToRows(findings, t)))
  } else if (args.json) {
    const json = {
      inputs: result.inputs.map((i) => ({
        ...i,
        errors: i.errors.map((e) => ({ ...e, message: t(e.messageKey, e.params) })),
        warnings: i.warnings.map((w) => ({ ...w, message: t(w.messageKey, w.params) })),
      })),
      objects: result.objects,
      ndr: ndr ?? null,
      findings: findings.map((f) => ({
        rule: f.rule,
        severity: f.severity,
        objectType: f.objectType,
        object: f.object,
        property: f.property,
        value: f.value,
        message: findingMessage(f, t),
        explainsNdr: f.explainsNdr,
        params: f.params,
      })),
    }
    await writeOut(ctx, JSON.stringify(json, null, 2) + '\n')
  } else {
    await writeOut(ctx, textReport(t, result, findings, ndrLine))
  }
  return failed ? 1 : 0
}
