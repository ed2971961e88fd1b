import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { expect, test } from 'vitest'
import { findElectronBinary } from '../../main/cli/start'
import { REPO_ROOT } from './support/app'

// `npm start` is `npm run build && node out/main/start.js`; the build is already done for the suite.
test.runIf(!findElectronBinary())(
  'without an Electron binary, start says why in one sentence and serves browser mode',
  async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ndr-start-'))
    const child = spawn(
      process.execPath,
      [join(REPO_ROOT, 'out', 'main', 'start.js'), '--data-dir', dataDir],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, LANG: 'en_US.UTF-8' },
      },
    )
    try {
      const lines: string[] = []
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no URL; got: ${lines.join('\n')}`)),
          20_000,
        )
        createInterface({ input: child.stdout }).on('line', (l) => {
          lines.push(l)
          const m = /(http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+)/.exec(l)
          if (m?.[1]) {
            clearTimeout(timer)
            resolve(m[1])
          }
        })
      })
      expect(lines[0]).toMatch(
        /^Electron cannot start here because .+, so NDR Assistant is starting in browser mode instead\.$/,
      )
      const res = await fetch(url.replace(/#.*/, ''))
      expect(res.status).toBe(200)
      expect(await res.text()).toContain('<div id="root">')
    } finally {
      // serve takes a backup on SIGTERM: let it finish before the folder goes.
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve))
        child.kill('SIGTERM')
        await exited
      }
      rmSync(dataDir, { recursive: true, force: true })
    }
  },
)
