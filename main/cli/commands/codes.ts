// `ndr-assistant codes [--lang L] [--json]`: lists the explanation catalogue (issue 4).

import { CATALOGUE } from '../../core/kb/index'
import { parseArgs, translatorFor } from './explain'
import type { CliCommand } from './types'

export const run: CliCommand = (argv, ctx) => {
  const parsed = parseArgs(argv, false)
  if (!parsed.ok) {
    if (parsed.key) ctx.stderr.write(`${ctx.t(parsed.key, parsed.params ?? {})}\n`)
    ctx.stderr.write(`${ctx.t('kb:cli.codesUsage')}\n`)
    return Promise.resolve(2)
  }
  const t = translatorFor(ctx, parsed.opts.lang)
  const rows = CATALOGUE.map((e) => ({
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
        `${r.codes.join(', ').padEnd(28)} ${r.title} — ${r.whoActs.map((w) => w.label).join(', ')}`,
      )
    }
    ctx.stdout.write(`${lines.join('\n')}\n`)
  }
  return Promise.resolve(0)
}
