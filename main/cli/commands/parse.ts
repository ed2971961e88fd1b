// `ndr-assistant parse [FILE…|-] [--json]`: reads bounces from files, folders, mboxes or standard
// input and prints one result per message. mboxes are streamed message by message, so memory stays
// flat whatever the mbox size (issue 3, "Speed").

import { createReadStream } from 'node:fs'
import { readdir, stat } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { Readable } from 'node:stream'
import type { BounceResult, ParseOutcome } from '../../core/parse/index'
import { MAX_INPUT_BYTES, MboxSplitter, parseBounce, parseMessage } from '../../core/parse/index'
import type { CliCommand, CliContext } from './types'

const FLUSH_BYTES = 64 * 1024
/** Files in a folder are read one level deep, in name order, up to this many. */
const MAX_DIR_FILES = 100_000

interface Output {
  json: boolean
  buf: string
  failed: number
  messages: number
}

async function flush(ctx: CliContext, out: Output): Promise<void> {
  if (!out.buf) return
  const chunk = out.buf
  out.buf = ''
  if (!ctx.stdout.write(chunk)) {
    await new Promise<void>((res) => {
      ctx.stdout.once('drain', res)
      ctx.stdout.once('error', () => res())
    })
  }
}

function jsonLine(file: string, index: number, r: BounceResult): string {
  return JSON.stringify({
    file,
    index,
    kind: r.kind,
    notNdrReason: r.notNdrReason ?? null,
    system: r.system,
    layout: r.layout,
    language: r.language ?? null,
    category: r.category,
    sender: r.sender ?? null,
    senderDomain: r.senderDomain ?? null,
    reportingMta: r.reportingMta ?? null,
    generatingServer: r.generatingServer ?? null,
    originalSubject: r.originalSubject ?? null,
    originalMessageId: r.originalMessageId ?? null,
    auth: r.auth,
    recipients: r.recipients.map((rc) => ({
      address: rc.address ?? null,
      status: rc.status ?? null,
      replyCode: rc.replyCode ?? null,
      action: rc.action ?? null,
      diagnostic: rc.diagnostic ?? null,
      remoteMta: rc.remoteMta ?? null,
      category: rc.category,
      otherStatuses: rc.otherStatuses,
    })),
    warnings: r.warnings.map((w) => w.code),
  })
}

function summary(ctx: CliContext, file: string, index: number, r: BounceResult): string {
  const t = ctx.t
  const none = t('parse:cli.none')
  const lines = [t('parse:cli.summary', { file, index, kind: t(`parse:kinds.${r.kind}`) })]
  if (r.notNdrReason) lines.push(`  ${t(`parse:notNdrReasons.${r.notNdrReason}`)}`)
  lines.push(`  ${t('parse:fields.system')}: ${t(`parse:systems.${r.system}`)}`)
  if (r.kind !== 'not-ndr')
    lines.push(`  ${t('parse:fields.category')}: ${t(`parse:categories.${r.category}`)}`)
  if (r.sender) lines.push(`  ${t('parse:fields.sender')}: ${r.sender}`)
  for (const rc of r.recipients) {
    lines.push(
      `  ${t('parse:fields.recipient')}: ${rc.address ?? none}  ${rc.status ?? none}  ${rc.replyCode ?? ''}`.trimEnd(),
    )
    if (rc.diagnostic) lines.push(`    ${rc.diagnostic.slice(0, 300)}`)
  }
  for (const w of r.warnings) lines.push(`  ! ${t(`parse:warnings.${w.code}`, w.params ?? {})}`)
  return lines.join('\n') + '\n'
}

async function emitOutcome(
  ctx: CliContext,
  out: Output,
  file: string,
  firstIndex: number,
  outcome: ParseOutcome,
): Promise<number> {
  if (!outcome.ok) {
    out.failed++
    ctx.stderr.write(
      ctx.t('parse:errors.fileUnreadable', {
        file,
        reason: ctx.t(`parse:errors.${outcome.error.code}`, outcome.error.params ?? {}),
      }) + '\n',
    )
    return 0
  }
  let i = firstIndex
  for (const r of outcome.messages) {
    out.buf += out.json ? jsonLine(file, i, r) + '\n' : summary(ctx, file, i, r)
    out.messages++
    i++
    if (out.buf.length >= FLUSH_BYTES) await flush(ctx, out)
  }
  return outcome.messages.length
}

function startsWithFrom(b: Uint8Array): boolean {
  return (
    b.length >= 5 &&
    b[0] === 0x46 &&
    b[1] === 0x72 &&
    b[2] === 0x6f &&
    b[3] === 0x6d &&
    b[4] === 0x20
  )
}

/** Reads one stream: an mbox is split as it arrives; anything else is read whole (capped). */
async function consume(
  ctx: CliContext,
  out: Output,
  stream: Readable,
  file: string,
): Promise<void> {
  let mode: 'undecided' | 'mbox' | 'single' = 'undecided'
  const splitter = new MboxSplitter()
  let pending: Uint8Array[] = []
  let size = 0
  let index = 0
  let tooLarge = false
  const handleItems = async (items: ReturnType<MboxSplitter['push']>): Promise<void> => {
    for (const item of items) {
      if (!item.ok) {
        out.failed++
        ctx.stderr.write(
          ctx.t('parse:errors.messageTooLarge', {
            file,
            index: item.index,
            limit: MAX_INPUT_BYTES,
          }) + '\n',
        )
        index++
        continue
      }
      const outcome = parseMessage(item.message)
      const n = await emitOutcome(ctx, out, file, index, outcome)
      index += Math.max(1, n)
    }
  }
  try {
    for await (const chunk of stream) {
      const u8 = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : (chunk as Uint8Array)
      if (mode === 'undecided') {
        pending.push(u8)
        size += u8.length
        if (size < 5) continue
        const head = concat(pending, size)
        mode = startsWithFrom(head) ? 'mbox' : 'single'
        pending = mode === 'mbox' ? [] : [head]
        if (mode === 'mbox') await handleItems(splitter.push(head))
        continue
      }
      if (mode === 'mbox') {
        await handleItems(splitter.push(u8))
      } else {
        size += u8.length
        if (size > MAX_INPUT_BYTES) {
          tooLarge = true
          stream.destroy()
          break
        }
        pending.push(u8)
      }
    }
  } catch (e) {
    out.failed++
    ctx.stderr.write(ctx.t('parse:errors.fileUnreadable', { file, reason: errText(e) }) + '\n')
    return
  }
  if (mode === 'mbox') {
    await handleItems(splitter.end())
    return
  }
  if (tooLarge) {
    await emitOutcome(ctx, out, file, 0, {
      ok: false,
      error: { code: 'tooLarge', params: { limit: MAX_INPUT_BYTES } },
    })
    return
  }
  await emitOutcome(ctx, out, file, 0, parseBounce(concat(pending, size), { fileName: file }))
}

function concat(parts: readonly Uint8Array[], size: number): Uint8Array {
  if (parts.length === 1) return parts[0]!
  const out = new Uint8Array(size)
  let o = 0
  for (const p of parts) {
    out.set(p, o)
    o += p.length
  }
  return out
}

function errText(e: unknown): string {
  if (e && typeof e === 'object' && 'code' in e && typeof e.code === 'string') return e.code
  return e instanceof Error ? e.message : String(e)
}

async function consumePath(ctx: CliContext, out: Output, arg: string): Promise<void> {
  const full = resolve(ctx.cwd, arg)
  let st
  try {
    st = await stat(full)
  } catch (e) {
    out.failed++
    ctx.stderr.write(ctx.t('parse:errors.fileUnreadable', { file: arg, reason: errText(e) }) + '\n')
    return
  }
  if (st.isDirectory()) {
    let names: string[]
    try {
      names = (await readdir(full)).sort().slice(0, MAX_DIR_FILES)
    } catch (e) {
      out.failed++
      ctx.stderr.write(
        ctx.t('parse:errors.fileUnreadable', { file: arg, reason: errText(e) }) + '\n',
      )
      return
    }
    for (const name of names) {
      if (name.startsWith('.')) continue
      const child = join(full, name)
      try {
        if (!(await stat(child)).isFile()) continue
      } catch {
        continue
      }
      await consume(ctx, out, createReadStream(child), join(arg, name))
    }
    return
  }
  await consume(ctx, out, createReadStream(full), arg)
}

export const run: CliCommand = async (argv, ctx) => {
  const out: Output = { json: false, buf: '', failed: 0, messages: 0 }
  const inputs: string[] = []
  for (const a of argv) {
    if (a === '--json') out.json = true
    else if (a === '--help' || a === '-h') {
      ctx.stdout.write(ctx.t('parse:cli.usage') + '\n')
      return 0
    } else if (a.startsWith('--')) {
      ctx.stderr.write(ctx.t('parse:cli.unknownOption', { option: a }) + '\n')
      ctx.stderr.write(ctx.t('parse:cli.usage') + '\n')
      return 2
    } else inputs.push(a)
  }
  if (inputs.length === 0) inputs.push('-')
  for (const input of inputs) {
    if (input === '-') await consume(ctx, out, ctx.stdin, '-')
    else await consumePath(ctx, out, input)
  }
  await flush(ctx, out)
  if (!out.json) {
    ctx.stderr.write(ctx.t('parse:cli.total', { count: out.messages, failed: out.failed }) + '\n')
  }
  return out.failed > 0 ? 1 : 0
}
