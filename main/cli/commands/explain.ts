// `ndr-assistant explain [FILE|-] [--lang en|ja|zh-TW|it|fr] [--json]`: parses a bounce and explains
// every bounced recipient from the knowledge base (issue 4). The explanation language is independent
// of the NDR's language: a Japanese NDR can be explained in French.

import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { Readable } from 'node:stream'
import { createTranslator } from '../../backend/i18n'
import { labelValue } from '../../core/i18n/format'
import { isLanguage } from '../../core/i18n/languages'
import type { Language } from '../../core/i18n/languages'
import { explain, renderExplanation } from '../../core/kb/index'
import type { ExplainInput, RenderedExplanation, Translate } from '../../core/kb/index'
import { parseBounce } from '../../core/parse/index'
import { withMsgReader } from '../../backend/msg-reader'
import type { BounceResult } from '../../core/parse/index'
import { fileErrorReason } from '../fs-reason'
import type { CliCommand, CliContext } from './types'

export interface ExplainOptions {
  /** The positionals: at most one for explain (a file or `-`), any number for codes (codes). */
  readonly args: readonly string[]
  readonly json: boolean
  readonly lang: Language | undefined
}

type Parsed =
  { ok: true; opts: ExplainOptions } | { ok: false; key: string; params?: Record<string, string> }

/** Shared by explain and codes: `--json`, `--lang L` / `--lang=L` and up to `maxArgs` positionals. */
export function parseArgs(argv: readonly string[], maxArgs: number): Parsed {
  const args: string[] = []
  let json = false
  let lang: Language | undefined
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!
    if (a === '--json') json = true
    else if (a === '--lang' || a.startsWith('--lang=')) {
      const v = a === '--lang' ? argv[++i] : a.slice('--lang='.length)
      if (!isLanguage(v)) return { ok: false, key: 'kb:cli.badLanguage', params: { lang: v ?? '' } }
      lang = v
    } else if (a === '-h' || a === '--help') return { ok: false, key: '' }
    else if (a !== '-' && a.startsWith('-'))
      return { ok: false, key: 'kb:cli.unknownOption', params: { option: a } }
    else if (args.length < maxArgs) args.push(a)
    else return { ok: false, key: 'kb:cli.unknownOption', params: { option: a } }
  }
  return { ok: true, opts: { args, json, lang } }
}

/** A bare enhanced status code (RFC 3463: class.subject.detail), as users type it. */
export const BARE_CODE = /^[245]\.\d{1,3}\.\d{1,3}$/
/** Anything shaped like one, whatever its class. */
const CODE_SHAPE = /^\d{1,3}\.\d{1,3}\.\d{1,3}$/

/** A translator for `lang`, or the context's own when no --lang was given on this command's line. */
export function translatorFor(ctx: CliContext, lang: Language | undefined): Translate {
  if (!lang || lang === ctx.lang) return (key, params) => ctx.t(key, params ?? {})
  const t = createTranslator(lang)
  return (key, params) => t(key, params ?? {})
}

async function readAll(stream: Readable): Promise<Uint8Array> {
  const chunks: Buffer[] = []
  for await (const chunk of stream)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer))
  return new Uint8Array(Buffer.concat(chunks))
}

/** One explanation per bounced recipient; a message without recipients still gets one. */
export function explainMessage(
  msg: BounceResult,
): readonly { recipient: BounceResult['recipients'][number] | undefined; input: ExplainInput }[] {
  const base = { system: msg.system, sender: msg.sender, senderDomain: msg.senderDomain }
  if (msg.recipients.length === 0) {
    return [
      {
        recipient: undefined,
        input: {
          ...base,
          status: msg.primaryStatus,
          replyCode: msg.primaryReplyCode,
          category: msg.category,
        },
      },
    ]
  }
  return msg.recipients.map((r) => ({
    recipient: r,
    input: {
      ...base,
      status: r.status,
      replyCode: r.replyCode,
      diagnostic: r.diagnostic,
      category: r.category,
      recipient: r.address,
    },
  }))
}

function textBlock(t: Translate, e: RenderedExplanation, address: string | undefined): string {
  const lv = (label: string, value: string): string => labelValue(t, label, value)
  const lines: string[] = []
  if (address) lines.push(t('kb:ui.recipient', { recipient: address }))
  lines.push(`${e.code ? `[${e.code}] ` : ''}${e.title}`)
  lines.push(`  ${t(`kb:ui.source.${e.source}`)}`)
  lines.push(`  ${lv(t('kb:ui.whoActs'), e.whoActs.map((w) => w.label).join(' → '))}`)
  lines.push(`  ${lv(t('kb:ui.summary'), e.summary)}`)
  lines.push(`  ${lv(t('kb:ui.why'), e.why)}`)
  lines.push(`  ${lv(t('kb:ui.steps'), '').trimEnd()}`)
  e.steps.forEach((s, i) => {
    lines.push(`    ${i + 1}. ${s.text}`)
    if (s.detail) lines.push(`       ${lv(t(`kb:ui.detail.${s.detail.kind}`), s.detail.value)}`)
  })
  lines.push(`  ${lv(t('kb:ui.endUser'), e.endUserMessage)}`)
  if (e.learnMore) lines.push(`  ${lv(t('kb:ui.learnMore'), e.learnMore)}`)
  return lines.join('\n')
}

export const run: CliCommand = async (argv, ctx) => {
  const parsed = parseArgs(argv, 1)
  if (!parsed.ok) {
    if (parsed.key) ctx.stderr.write(`${ctx.t(parsed.key, parsed.params ?? {})}\n`)
    ctx.stderr.write(`${ctx.t('kb:cli.explainUsage')}\n`)
    return 2
  }
  const { json, lang } = parsed.opts
  const file = parsed.opts.args[0]
  const t = translatorFor(ctx, lang)
  const name = file && file !== '-' ? file : '-'
  let bytes: Uint8Array
  try {
    bytes =
      name === '-'
        ? await readAll(ctx.stdin)
        : new Uint8Array(await readFile(resolve(ctx.cwd, name)))
  } catch (err) {
    if (CODE_SHAPE.test(name) && !BARE_CODE.test(name)) {
      // `explain 9.9.9` or `explain 3.1.1`: meant as a code, not a file name.
      ctx.stderr.write(`${t('kb:cli.notACode', { code: name })}\n`)
      return 2
    }
    if (!BARE_CODE.test(name)) {
      const reason = fileErrorReason(t, err)
      ctx.stderr.write(`${t('kb:cli.readError', { file: name, reason })}\n`)
      return 1
    }
    // `ndr-assistant explain 5.7.750`: a code typed on the command line rather than a file name (a
    // file of that name, when there is one, is read as usual). Explained like a pasted bare code.
    bytes = new TextEncoder().encode(name)
  }
  const outcome = parseBounce(
    bytes,
    await withMsgReader(bytes, name === '-' ? {} : { fileName: name }),
  )
  if (!outcome.ok) {
    const reason = t(
      `parse:errors.${outcome.error.code}`,
      Object.fromEntries(
        Object.entries(outcome.error.params ?? {}).map(([k, v]) => [k, String(v)]),
      ),
    )
    ctx.stderr.write(`${t('kb:cli.notABounce', { reason })}\n`)
    return 1
  }
  const out: string[] = []
  let unreadable = 0
  const head = (msg: BounceResult, index: number) => ({
    file: name,
    index,
    kind: msg.kind,
    system: msg.system,
    category: msg.category,
    sender: msg.sender ?? null,
  })
  outcome.messages.forEach((msg, index) => {
    // An auto-reply, a complaint or ordinary mail is not a failed delivery: explaining it as one
    // ("delivery failed for an unclear reason") would send the helpdesk after a problem that does
    // not exist. The app gives such messages no explanation either (backend/explain.ts).
    if (msg.kind === 'not-ndr') {
      const why = msg.notNdrReason ?? 'unreadable'
      if (why === 'unreadable') unreadable++
      if (json) {
        out.push(JSON.stringify({ ...head(msg, index), notNdrReason: why, recipients: [] }))
      } else {
        const line = t('kb:cli.notABounce', { reason: t(`parse:notNdrReasons.${why}`) })
        // Unreadable is a failure: its reason goes to standard error, as every command's does.
        if (why === 'unreadable') ctx.stderr.write(`${line}\n`)
        else out.push(line, '')
      }
      return
    }
    const items = explainMessage(msg).map(({ recipient, input }) => ({
      recipient,
      explanation: renderExplanation(explain(input), t),
    }))
    if (json) {
      out.push(
        JSON.stringify({
          ...head(msg, index),
          recipients: items.map(({ recipient, explanation }) => ({
            address: recipient?.address ?? null,
            status: recipient?.status ?? msg.primaryStatus ?? null,
            replyCode: recipient?.replyCode ?? msg.primaryReplyCode ?? null,
            action: recipient?.action ?? null,
            diagnostic: recipient?.diagnostic ?? null,
            remoteMta: recipient?.remoteMta ?? null,
            explanation,
          })),
        }),
      )
    } else {
      if (msg.recipients.length === 0) out.push(t('kb:ui.noRecipients'))
      for (const { recipient, explanation } of items)
        out.push(textBlock(t, explanation, recipient?.address), '')
    }
  })
  if (out.length > 0) ctx.stdout.write(`${out.join('\n')}\n`)
  // Nothing in the input could be read as a bounce: a failure, as for `parse`.
  return unreadable === outcome.messages.length ? 1 : 0
}
