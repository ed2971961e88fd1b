import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { createBackend } from '../../backend/backend'
import { openDatabase } from '../../backend/db/connection'
import { getCase, listCases } from '../../backend/db/cases'
import { resolveDataDir } from '../../backend/data-dir'
import { formatDateTime, labelValue, listOf } from '../../core/i18n/format'
import { describeOpenError } from '../../backend/db/open-error'
import type { CliCommand } from './types'

/** `ndr-assistant cases [--json] [--search Q]` and `ndr-assistant case show ID [--json]`. */
export const run: CliCommand = (argv, ctx) => {
  let parsed
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        json: { type: 'boolean' },
        'data-dir': { type: 'string' },
        search: { type: 'string' },
        format: { type: 'string' },
      },
      allowPositionals: true,
      strict: true,
    })
  } catch (e) {
    ctx.stderr.write(ctx.t('common:cli.badArgs', { detail: (e as Error).message }) + '\n')
    return Promise.resolve(2)
  }
  const { values, positionals } = parsed
  let db
  const dataDir = resolveDataDir(values['data-dir'], ctx.env)
  try {
    db = openDatabase(dataDir)
  } catch (e) {
    ctx.stderr.write(describeOpenError(e, ctx.t, dataDir) + '\n')
    return Promise.resolve(1)
  }
  try {
    if (positionals[0] === 'export-all' || positionals[0] === 'import') {
      const file = positionals[1]
      if (positionals[0] === 'import' && !file) {
        ctx.stderr.write(ctx.t('common:cli.badArgs', { detail: 'import FILE' }) + '\n')
        return Promise.resolve(2)
      }
      db.close()
      const backend = createBackend({ dataDir, mode: 'browser', version: '', systemLocales: [] })
      const call =
        positionals[0] === 'import'
          ? backend.call('data.import', { path: resolve(ctx.cwd, file!) })
          : backend.call('data.export', {})
      return call.then((r) => {
        backend.close()
        if (!r.ok) {
          ctx.stderr.write(ctx.t(`errors:api.${r.error.code}`, { ...r.error.params }) + '\n')
          return 1
        }
        ctx.stdout.write(JSON.stringify(r.value) + '\n')
        return 0
      })
    }
    if (positionals[0] === 'export') {
      const id = Number(positionals[1])
      const format = values.format ?? 'md'
      if (!Number.isInteger(id) || id <= 0 || (format !== 'md' && format !== 'html')) {
        ctx.stderr.write(ctx.t('common:cli.badArgs', { detail: positionals.join(' ') }) + '\n')
        return Promise.resolve(2)
      }
      db.close()
      const backend = createBackend({ dataDir, mode: 'browser', version: '', systemLocales: [] })
      return backend.call('cases.report', { id, language: ctx.lang, format }).then((r) => {
        backend.close()
        if (!r.ok) {
          ctx.stderr.write(ctx.t('common:cli.caseNotFound', { id: positionals[1] ?? '' }) + '\n')
          return 1
        }
        ctx.stdout.write(r.value)
        return 0
      })
    }
    if (positionals[0] === 'show') {
      const id = Number(positionals[1])
      const c = Number.isInteger(id) && id > 0 ? getCase(db, id) : undefined
      if (!c) {
        ctx.stderr.write(ctx.t('common:cli.caseNotFound', { id: positionals[1] ?? '' }) + '\n')
        return Promise.resolve(1)
      }
      if (values.json) ctx.stdout.write(JSON.stringify(c) + '\n')
      else {
        const lv = (label: string, value: string): string => labelValue(ctx.t, label, value)
        const head = [
          `#${c.id}  ${c.title}`,
          lv(ctx.t('common:case.status'), c.status ?? ctx.t('common:cases.noCode')),
          lv(ctx.t('common:report.state'), ctx.t(`common:track.caseState.${c.state}`)),
          ...(c.ticket ? [lv(ctx.t('common:track.ticket'), c.ticket)] : []),
          ...(c.tags.length > 0 ? [lv(ctx.t('common:track.tags'), listOf(ctx.t, c.tags))] : []),
          lv(ctx.t('common:case.created'), formatDateTime(c.createdAt, ctx.lang)),
        ]
        // The bounce as it was pasted or dropped; `case export ID` gives the explanation and steps.
        ctx.stdout.write(`${head.join('\n')}\n\n${c.text}\n`)
      }
      return Promise.resolve(0)
    }
    if (positionals.length > 0) {
      ctx.stderr.write(ctx.t('common:cli.badArgs', { detail: positionals.join(' ') }) + '\n')
      return Promise.resolve(2)
    }
    const cases = listCases(db, { query: values.search, limit: 500 })
    if (values.json) {
      for (const c of cases) ctx.stdout.write(JSON.stringify(c) + '\n')
    } else if (cases.length === 0) {
      ctx.stdout.write(ctx.t('common:cli.noCases') + '\n')
    } else {
      // Columns a person reads; --json gives the stored values for scripts.
      for (const c of cases) {
        const state = ctx.t(`common:track.caseState.${c.state}`)
        ctx.stdout.write(
          `#${c.id}\t${c.status ?? '—'}\t${state}\t${formatDateTime(c.createdAt, ctx.lang)}\t${c.title}\n`,
        )
      }
    }
    return Promise.resolve(0)
  } finally {
    if (db.open) db.close()
  }
}
