import { spawnSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import { REPO_ROOT, tempDir } from '../../support/tmp'

// The Electronegativity gate (test/tools/electronegativity.mjs, `npm run security:electron`) must be
// able to fail: these run it on small apps in a temp folder and check the verdict, so that a change
// to the script, the tool or its preload cannot turn it into a gate that always passes.
const SCRIPT = join(REPO_ROOT, 'test/tools/electronegativity.mjs')

let cleanups: (() => void)[] = []
afterEach(() => {
  for (const c of cleanups) c()
  cleanups = []
})

function runGate(files: Record<string, string>): { code: number | null; out: string } {
  const { dir, cleanup } = tempDir('ndr-eng-test-')
  cleanups.push(cleanup)
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true })
    writeFileSync(join(dir, rel), text)
  }
  const r = spawnSync(process.execPath, [SCRIPT, '--root', dir], {
    encoding: 'utf8',
    timeout: 60_000,
  })
  return { code: r.status, out: `${r.stdout}${r.stderr}` }
}

/** The table row of one check, e.g. "CONTEXT_ISOLATION_JS_CHECK  HIGH  FIRM  main/x.ts:3  FAIL: …". */
function row(out: string, check: string): string {
  return out.split('\n').find((l) => l.startsWith(`${check} `)) ?? ''
}

const CSP_PAGE = `<!doctype html>
<html>
  <head>
    <meta http-equiv="Content-Security-Policy" content="default-src 'none'" />
  </head>
  <body></body>
</html>
`

/** A window locked down the way Electronegativity can verify, with reviewed per-line findings. */
function secureApp(opts: {
  preloadComment: string
  extra?: string
  permissions?: boolean
}): string {
  return `import { BrowserWindow, session } from 'electron'

export function open(preload: string): BrowserWindow {
  ${opts.permissions === false ? '' : 'session.defaultSession.setPermissionRequestHandler((_wc, _p, cb) => cb(false))'}
  const win = new BrowserWindow({ // eng-disable AUXCLICK_JS_CHECK -- every new window is denied by the open handler below
    webPreferences: {
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      preload, ${opts.preloadComment}
    },
  })
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }))
  win.webContents.on('will-navigate', (e) => e.preventDefault())
  ${opts.extra ?? ''}
  return win
}
`
}
const REVIEWED_PRELOAD =
  '// eng-disable PRELOAD_JS_CHECK -- this preload exposes no function and no Electron API'

describe('Electronegativity gate', () => {
  test('fails on a window with Node integration and no context isolation', () => {
    const { code, out } = runGate({
      'main/electron/bad.ts': `import { BrowserWindow } from 'electron'

export const win = new BrowserWindow({
  webPreferences: { nodeIntegration: true, contextIsolation: false },
})
`,
      'renderer/index.html': CSP_PAGE,
    })
    expect(code).toBe(1)
    // Electronegativity rates an explicit nodeIntegration: true as INFORMATIONAL; the gate, HIGH.
    expect(row(out, 'NODE_INTEGRATION_JS_CHECK')).toMatch(
      /INFORMATIONAL→HIGH\s+FIRM\s+main\/electron\/bad\.ts:4\s+FAIL/,
    )
    expect(row(out, 'CONTEXT_ISOLATION_JS_CHECK')).toMatch(
      /HIGH\s+FIRM\s+main\/electron\/bad\.ts:4\s+FAIL/,
    )
    // No navigation limits and no permission handler anywhere: the global checks fail too.
    expect(row(out, 'LIMIT_NAVIGATION_GLOBAL_CHECK')).toContain('FAIL')
    expect(row(out, 'PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK')).toContain('FAIL')
  })

  test('passes a locked-down window whose remaining findings carry a reason on their line', () => {
    const { code, out } = runGate({
      'main/electron/app.ts': secureApp({ preloadComment: REVIEWED_PRELOAD }),
      'renderer/index.html': CSP_PAGE,
    })
    expect(out).toContain('✔ no open finding')
    expect(code).toBe(0)
    expect(row(out, 'PRELOAD_JS_CHECK')).toContain(
      'reviewed: this preload exposes no function and no Electron API',
    )
    expect(row(out, 'AUXCLICK_JS_CHECK')).toContain('reviewed: every new window is denied')
  })

  test('fails on an eng-disable without a reason, and on one that silences nothing', () => {
    const { code, out } = runGate({
      'main/electron/app.ts': secureApp({
        preloadComment: '// eng-disable PRELOAD_JS_CHECK',
        extra:
          'const unused = 1 // eng-disable SANDBOX_JS_CHECK -- nothing on this line needs it\n  void unused',
      }),
      'renderer/index.html': CSP_PAGE,
    })
    expect(code).toBe(1)
    expect(out).toMatch(/app\.ts:\d+: eng-disable without a reason/)
    expect(out).toMatch(/app\.ts:\d+: eng-disable SANDBOX_JS_CHECK silences no finding/)
  })

  test('a reviewed GLOBAL finding fails once its implementing file no longer has the call', () => {
    const reviewed = (contains: string) =>
      JSON.stringify({
        PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK: {
          at: 'N/A',
          maxSeverity: 'MEDIUM',
          reason: 'permissions are refused by a handler this checker cannot see',
          file: 'main/electron/session.ts',
          contains: [contains],
        },
      })
    const app = {
      'main/electron/app.ts': secureApp({ preloadComment: REVIEWED_PRELOAD, permissions: false }),
      // Called through a variable: Electronegativity does not recognise it, the review does.
      'main/electron/session.ts':
        "import { session } from 'electron'\nconst deny = 'setPermissionRequestHandler' as const\nsession.defaultSession[deny]((_wc, _p, cb) => cb(false))\n",
      'renderer/index.html': CSP_PAGE,
    }
    const kept = runGate({
      ...app,
      'test/tools/electronegativity-reviewed.json': reviewed('[deny]((_wc, _p, cb) => cb(false))'),
    })
    expect(row(kept.out, 'PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK')).toContain('reviewed:')
    expect(kept.code).toBe(0)

    const stale = runGate({
      ...app,
      'test/tools/electronegativity-reviewed.json': reviewed('setPermissionCheckHandler'),
    })
    expect(stale.code).toBe(1)
    expect(stale.out).toContain(
      'main/electron/session.ts no longer contains "setPermissionCheckHandler"',
    )
  })
})
