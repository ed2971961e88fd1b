/**
 * `npm start`: the desktop app where Electron can run, browser mode where it cannot. Electron's
 * binary is downloaded on first use from GitHub; on machines that cannot reach GitHub it is absent,
 * and we say so in one sentence instead of failing.
 */
import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { main } from './index'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

/** The Electron executable if one is installed, without triggering electron's lazy download. */
export function findElectronBinary(): string | undefined {
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const p = join(
      process.env.ELECTRON_OVERRIDE_DIST_PATH,
      process.platform === 'win32' ? 'electron.exe' : 'electron',
    )
    return existsSync(p) ? p : undefined
  }
  try {
    const require = createRequire(import.meta.url)
    const pkgDir = dirname(require.resolve('electron/package.json'))
    const pathFile = join(pkgDir, 'path.txt')
    if (!existsSync(pathFile)) return undefined
    const bin = join(pkgDir, 'dist', readFileSync(pathFile, 'utf8').trim())
    return existsSync(bin) ? bin : undefined
  } catch {
    return undefined
  }
}

async function start(): Promise<number> {
  const extra = process.argv.slice(2)
  const electron = findElectronBinary()
  if (electron) {
    const child = spawn(electron, [root, ...extra], { stdio: 'inherit' })
    const code = await new Promise<number | 'failed'>((resolve) => {
      child.once('error', () => resolve('failed'))
      child.once('exit', (c) => resolve(c ?? 0))
    })
    if (code !== 'failed') return code
    process.stdout.write(
      'Electron could not be started on this machine, so NDR Assistant is starting in browser mode instead.\n',
    )
  } else {
    process.stdout.write(
      'Electron cannot start here because its binary is not installed (it is downloaded from GitHub on first use, which this machine cannot reach), so NDR Assistant is starting in browser mode instead.\n',
    )
  }
  return main(['serve', ...extra])
}

start().then(
  (code) => {
    process.exitCode = code
  },
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`)
    process.exitCode = 1
  },
)
