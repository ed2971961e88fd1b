import { spawn } from 'node:child_process'
import { dirname } from 'node:path'
import { parseArgs } from 'node:util'
import { createBackend } from '../../backend/backend'
import { findBuilt } from '../../backend/built-path'
import { osUserName } from '../../backend/os-user'
import { resolveDataDir } from '../../backend/data-dir'
import { systemLocales } from '../../backend/i18n'
import { createJobPool } from '../../backend/job-pool'
import { startServer } from '../../server/http'
import { appVersion } from '../index'
import { describeOpenError } from '../../backend/db/open-error'
import type { CliCommand } from './types'

/**
 * out/renderer. This module is bundled into out/main or one of its chunk folders, so look upward
 * for the sibling folder rather than trusting one relative path.
 */
export function rendererDir(): string {
  const index = findBuilt('../renderer/index.html', import.meta.url)
  if (!index) throw new Error('The app is not built: run `npm run build` first.')
  return dirname(index)
}

export const run: CliCommand = async (argv, ctx) => {
  let values: {
    port?: string | undefined
    'data-dir'?: string | undefined
    open?: boolean | undefined
  }
  try {
    ;({ values } = parseArgs({
      args: [...argv],
      options: {
        port: { type: 'string' },
        'data-dir': { type: 'string' },
        open: { type: 'boolean' },
      },
      strict: true,
    }))
  } catch (e) {
    ctx.stderr.write(ctx.t('common:cli.badArgs', { detail: (e as Error).message }) + '\n')
    return 2
  }
  const port = values.port === undefined ? 0 : Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    ctx.stderr.write(ctx.t('common:cli.badPort', { value: values.port }) + '\n')
    return 2
  }
  const dataDir = resolveDataDir(values['data-dir'], ctx.env)
  const pool = createJobPool()
  let backend
  try {
    backend = createBackend({
      dataDir,
      mode: 'browser',
      version: appVersion(),
      systemLocales: systemLocales(ctx.env),
      jobs: pool,
      osUserName: osUserName(ctx.env),
      backups: true,
    })
  } catch (e) {
    await pool.close()
    ctx.stderr.write(describeOpenError(e, ctx.t, dataDir) + '\n')
    return 1
  }
  if (backend.recovery) {
    const r = backend.recovery
    ctx.stderr.write(
      (r.restoredFrom
        ? ctx.t('common:recovery.restored', {
            movedTo: r.movedTo,
            since: r.backupTakenAt?.toISOString() ?? '',
          })
        : ctx.t('common:recovery.empty', { movedTo: r.movedTo })) + '\n',
    )
  }
  const server = await startServer({ backend, staticDir: rendererDir(), port })
  ctx.stdout.write(ctx.t('common:cli.serving', { url: server.url }) + '\n')
  if (values.open) openInBrowser(server.url)

  await new Promise<void>((resolve) => {
    const stop = () => resolve()
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
  await server.close()
  await pool.close()
  await backend.shutdown()
  return 0
}

/** Hands the URL to the desktop's browser; the token travels in the fragment, never in a request. */
function openInBrowser(url: string): void {
  const [cmd, args] =
    process.platform === 'win32'
      ? ['cmd', ['/c', 'start', '""', url]]
      : process.platform === 'darwin'
        ? ['open', [url]]
        : ['xdg-open', [url]]
  const child = spawn(cmd, args, { stdio: 'ignore', detached: true })
  child.on('error', () => undefined)
  child.unref()
}
