// `ndr-assistant codes [CODE…] [--lang L] [--json]`: lists the explanation catalogue (issue 4), or
// the entries for the codes given ("5.7.750", or a start such as "5.7.7xx" for a whole family).

import { listOf } from '../../core/i18n/format'
import { CATALOGUE, inRange } from '../../core/kb/index'
import { BARE_CODE, parseArgs, translatorFor } from './explain'
import type { CliCommand } from './types'

/** More codes than anyone types on one line; the rest are refused as usage errors. */
const MAX_QUERIES = 64

type Entry = (typeof CATALOGUE)[number]

/** Entries with a code, or a range bound, that starts with the prefix ("5.7.7" → 5.7.750…). */
function byPrefix(prefix: string, e: Entry): boolean {
  return [...e.codes, ...(e.ranges ?? []).flat()].some((c) => c.startsWith(prefix))
}

/**
 * The entries one query asks for. A whole code ("5.1.1") gives the entries listing it, else the
 * one whose range holds it; a start ("5.7", "5.7.", or Microsoft's own "5.7.7xx") every entry
 * whose code starts with it.
 */
function lookup(query: string): Entry[] {
  if (BARE_CODE.test(query)) {
    const listed = CATALOGUE.filter((e) => e.codes.includes(query))
    return listed.length > 0
      ? listed
      : CATALOGUE.filter((e) => (e.ranges ?? []).some((r) => inRange(query, r)))
  }
  let end = query.length
  while (end > 0 && (query[end - 1] === 'x' || query[end - 1] === '*')) end--
  const prefix = query.slice(0, end)
  return CATALOGUE.filter((e) => byPrefix(prefix, e))
}

/** A code or the start of one: digits and dots as codes are written, "xx" or "*" for the rest. */
const QUERY = /^[245](?:\.\d{0,3}){0,2}(?:x{1,3}|\*)?$/

export const run: CliCommand = (argv, ctx) => {
  const parsed = parseArgs(argv, MAX_QUERIES)
  const bad = parsed.ok ? parsed.opts.args.find((a) => !QUERY.test(a)) : undefined
  if (!parsed.ok || bad !== undefined) {
    if (!parsed.ok && parsed.key) ctx.stderr.write(`${ctx.t(parsed.key, parsed.params ?? {})}\n`)
    if (bad !== undefined) ctx.stderr.write(`${ctx.t('kb:cli.badCode', { code: bad })}\n`)
    ctx.stderr.write(`${ctx.t('kb:cli.codesUsage')}\n`)
    return Promise.resolve(2)
  }
  const t = translatorFor(ctx, parsed.opts.lang)
  const queries = parsed.opts.args
  const found = queries.map(lookup)
  const wanted = new Set(found.flat())
  // In catalogue order, each entry once, whatever order the codes were given in.
  const entries = queries.length === 0 ? CATALOGUE : CATALOGUE.filter((e) => wanted.has(e))
  const missing = queries.filter((_, k) => found[k]!.length === 0)
  const rows = entries.map((e) => ({
    id: e.id,
    codes: [...e.codes, ...(e.ranges ?? []).map(([a, b]) => `${a}–${b}`)],
    title: t(`kb:entry.${e.id}.title`, { code: e.codes[0] ?? '' }),
    whoActs: e.whoActs.map((id) => ({ id, label: t(`kb:whoActs.${id}`) })),
    learnMore: e.learnMore ?? null,
  }))
  if (parsed.opts.json) {
    ctx.stdout.write(`${JSON.stringify(rows)}\n`)
  } else {
    const lines = [t('kb:ui.codesHeading', { count: String(rows.length) })]
    for (const r of rows) {
      lines.push(
        `${r.codes.join(', ').padEnd(28)} ${r.title} — ${listOf(
          t,
          r.whoActs.map((w) => w.label),
        )}`,
      )
    }
    ctx.stdout.write(`${lines.join('\n')}\n`)
  }
  // A code Microsoft does not document still has a meaning (RFC 3463): explain gives it.
  for (const q of missing) ctx.stderr.write(`${t('kb:cli.noEntry', { code: q })}\n`)
  return Promise.resolve(missing.length > 0 ? 1 : 0)
}
