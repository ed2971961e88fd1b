import { readFileSync } from 'node:fs'
import { afterAll, describe, expect, test, vi } from 'vitest'
import { isAllowedExternalUrl } from '../../../main/core/api/external-links'
import { isAppUrl } from '../../../main/electron/app-origin'
import { CSP } from '../../../main/server/csp'
import { recordFigures, type FigureRow } from '../../support/figures'
import { REPO_ROOT } from '../../support/tmp'

// Electron's security checklist, checked without an Electron binary (reliability.md "Facts"): the
// window factory, the session and the openExternal wrapper run against a fake `electron` module that
// records the handlers they install; then each handler is called the way Electron would call it.
type Listener = (...args: unknown[]) => unknown
const opened: string[] = []
const windows: FakeWindow[] = []
class FakeWebContents {
  readonly on_ = new Map<string, Listener>()
  openHandler: Listener | undefined
  setWindowOpenHandler(fn: Listener): void {
    this.openHandler = fn
  }
  on(ev: string, fn: Listener): this {
    this.on_.set(ev, fn)
    return this
  }
}
class FakeWindow {
  readonly webContents = new FakeWebContents()
  readonly options: unknown
  loaded = ''
  constructor(options: unknown) {
    this.options = options
    windows.push(this)
  }
  once(): void {}
  on(): void {}
  maximize(): void {}
  loadURL(url: string): Promise<void> {
    this.loaded = url
    return Promise.resolve()
  }
}
vi.mock('electron', () => ({
  BrowserWindow: FakeWindow,
  screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
  shell: { openExternal: (url: string) => (opened.push(url), Promise.resolve()) },
  net: {},
  protocol: {},
}))
const { createMainWindow } = await import('../../../main/electron/window')
const { hardenSession } = await import('../../../main/electron/session')

const figures: FigureRow[] = []
afterAll(() =>
  recordFigures('electron-hardening', 'Electron checklist (static and fake-electron)', figures),
)

/** URLs that must never be navigated to, loaded, or handed to the OS. */
const HOSTILE_URLS = [
  'https://evil.example/',
  'http://127.0.0.1:8080/',
  'http://localhost/',
  'http://[::1]/',
  'http://169.254.169.254/latest/meta-data/',
  'https://learn.microsoft.com.evil.example/x',
  'https://evil.example/?https://learn.microsoft.com',
  'https://evil.example/#https://learn.microsoft.com',
  'https://learn.microsoft.com@evil.example/',
  'https://user:pass@learn.microsoft.com/x',
  'https://learn.microsoft.com:8443/x',
  'http://learn.microsoft.com/x',
  'https://xn--learn-microsoft-com.example/',
  'https://learn.micros0ft.com/x',
  'https://learn.microsoft.co/x',
  'https://microsoft.com.evil.example/',
  'https://evil.example\\@learn.microsoft.com/',
  'https://evil.example%2flearn.microsoft.com/',
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  ' javascript:alert(1)',
  'javascript://learn.microsoft.com/%0aalert(1)',
  'vbscript:msgbox(1)',
  'data:text/html,<script>alert(1)</script>',
  'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
  'blob:https://learn.microsoft.com/0d9e',
  'file:///etc/passwd',
  'file:///C:/Windows/System32/calc.exe',
  'file://attacker.example/share/payload.exe',
  '\\\\attacker.example\\share\\payload.exe',
  '//attacker.example/share',
  'smb://attacker.example/share',
  'ms-msdt:/id PCWDiagnostic /skip force',
  'search-ms:query=invoice&crumb=location:\\\\attacker.example\\share',
  'search:query=invoice',
  'ms-officecmd:{"id":1}',
  'ms-word:ofe|u|https://attacker.example/a.docx',
  'ms-excel:ofv|u|https://attacker.example/a.xlsx',
  'ms-settings:privacy',
  'ms-appinstaller:?source=https://attacker.example/a.appinstaller',
  'mk:@MSITStore:C:\\x.chm::/x.htm',
  'its:C:\\x.chm::/x.htm',
  'hcp://system/x',
  'shell:startup',
  'tel:+15555550100',
  'sms:+15555550100',
  'ftp://attacker.example/x',
  'ws://attacker.example/',
  'wss://attacker.example/',
  'chrome://settings',
  'devtools://devtools/bundled/inspector.html',
  'about:blank',
  'view-source:https://learn.microsoft.com/',
  'app://ndr.evil/index.html',
  'app://x@ndr/index.html',
  'app://ndr:1/index.html',
  'mailto:a@b.c<script>',
  'not a url',
  '',
]

describe('origins and links', () => {
  test(`${HOSTILE_URLS.length} hostile URLs: none is opened outside, none counts as the app`, () => {
    const passed = HOSTILE_URLS.filter((u) => isAllowedExternalUrl(u))
    const asApp = HOSTILE_URLS.filter((u) => isAppUrl(u))
    figures.push({
      check: `openExternal wrapper: ${HOSTILE_URLS.length} hostile URLs`,
      target: '0 pass (https Microsoft docs and mailto: only)',
      measured: `${passed.length} passed${passed.length ? ': ' + passed.join(' ') : ''}`,
      pass: passed.length === 0,
    })
    expect(passed).toEqual([])
    expect(asApp).toEqual([])
    expect(isAppUrl('app://ndr/index.html')).toBe(true)
    expect(isAllowedExternalUrl('mailto:helpdesk@contoso.com')).toBe(true)
  })
})

describe('window factory', () => {
  const win = (() => {
    createMainWindow({
      preloadPath: '/app/preload.cjs',
      boundsFile: '/nonexistent/b.json',
      title: 'NDR',
    })
    return windows[0]!
  })()
  const wc = win.webContents
  const prevented = (ev: string, url: string): boolean => {
    let p = false
    wc.on_.get(ev)!({ preventDefault: () => (p = true) }, url)
    return p
  }

  test('the window loads the app over app://, isolated and sandboxed', () => {
    expect(win.loaded).toBe('app://ndr/index.html')
    const want = {
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    }
    const prefs = (win.options as { webPreferences: Record<string, unknown> }).webPreferences
    const wrong = Object.entries(want)
      .filter(([k, v]) => prefs[k] !== v)
      .map(([k]) => k)
    // Present only to say "off": experimentalFeatures: false is fine, any truthy value is not.
    const risky = ['experimentalFeatures', 'enableBlinkFeatures'].filter((k) => !!prefs[k])
    figures.push({
      check: 'Window factory webPreferences',
      target: 'isolated, sandboxed, no Node, no webview, no spellchecker',
      measured:
        wrong.length || risky.length
          ? `wrong: ${[...wrong, ...risky].join(', ')}`
          : `${Object.keys(want).length}/${Object.keys(want).length} as required`,
      pass: wrong.length === 0 && risky.length === 0,
    })
    expect(wrong).toEqual([])
    expect(risky).toEqual([])
  })

  test('navigation and redirects leave only for the app; webviews never attach', () => {
    const leaks = [
      ...HOSTILE_URLS.filter((u) => !prevented('will-navigate', u)),
      ...HOSTILE_URLS.filter((u) => !prevented('will-redirect', u)),
    ]
    expect(prevented('will-navigate', 'app://ndr/index.html')).toBe(false)
    expect(prevented('will-attach-webview', 'https://evil.example/')).toBe(true)
    figures.push({
      check: `will-navigate / will-redirect: ${HOSTILE_URLS.length} URLs each`,
      target: '100 % prevented; webviews never attach',
      measured: `${HOSTILE_URLS.length * 2 - leaks.length}/${HOSTILE_URLS.length * 2} prevented`,
      pass: leaks.length === 0,
    })
    expect(leaks).toEqual([])
  })

  test('window.open is always denied; only documentation links reach the system browser', () => {
    opened.length = 0
    const denied = [...HOSTILE_URLS, 'https://learn.microsoft.com/exchange/'].filter(
      (url) => (wc.openHandler!({ url }) as { action: string }).action === 'deny',
    )
    expect(denied).toHaveLength(HOSTILE_URLS.length + 1)
    expect(opened).toEqual(['https://learn.microsoft.com/exchange/'])
    figures.push({
      check: 'window.open handler',
      target: 'always deny; OS opens only allowed links',
      measured: `${denied.length}/${HOSTILE_URLS.length + 1} denied; ${opened.length} handed to the OS (the docs link)`,
      pass: denied.length === HOSTILE_URLS.length + 1 && opened.length === 1,
    })
  })
})

describe('session', () => {
  const h: Record<string, Listener> = {}
  let spell: boolean | undefined
  hardenSession({
    setPermissionRequestHandler: (fn: unknown) => (h.request = fn as Listener),
    setPermissionCheckHandler: (fn: unknown) => (h.check = fn as Listener),
    setSpellCheckerEnabled: (on: boolean) => (spell = on),
    webRequest: { onBeforeRequest: (fn: unknown) => (h.before = fn as Listener) },
  } as never)
  const PERMISSIONS = [
    'clipboard-read',
    'clipboard-sanitized-write',
    'display-capture',
    'fullscreen',
    'geolocation',
    'idle-detection',
    'media',
    'mediaKeySystem',
    'midi',
    'midiSysex',
    'notifications',
    'pointerLock',
    'keyboardLock',
    'openExternal',
    'speaker-selection',
    'storage-access',
    'top-level-storage-access',
    'window-management',
    'unknown',
    'fileSystem',
    'hid',
    'serial',
    'usb',
  ]

  test('every permission is refused but clipboard-read for the app page itself; no spellchecker', () => {
    const asks = (p: string, url: string, isMainFrame: boolean): boolean => {
      let answer: unknown
      h.request!({}, p, (v: unknown) => (answer = v), { requestingUrl: url, isMainFrame })
      const checked = h.check!({}, p, url.replace(/\/index\.html$/, ''), { isMainFrame })
      expect(checked).toBe(answer)
      return answer === true
    }
    const app = 'app://ndr/index.html'
    const granted = [
      ...PERMISSIONS.filter((p) => p !== 'clipboard-read' && asks(p, app, true)),
      ...PERMISSIONS.filter((p) => asks(p, 'https://evil.example/', true)),
      ...PERMISSIONS.filter((p) => asks(p, app, false)),
      ...PERMISSIONS.filter((p) => asks(p, 'app://ndr.evil/index.html', true)),
    ]
    // The one grant: the app's own top-level page may read the clipboard (a 10 MB paste is read
    // off the UI thread, see renderer NewAnalysis.tsx); never a frame, never another origin.
    expect(asks('clipboard-read', app, true)).toBe(true)
    expect(granted).toEqual([])
    expect(spell).toBe(false)
    const total = PERMISSIONS.length * 4 - 1
    figures.push({
      check: `Permission request/check handlers: ${PERMISSIONS.length} permissions × 4 requesters`,
      target: 'all refused but clipboard-read for the app page',
      measured: `${total - granted.length}/${total} refused; clipboard-read granted to app://ndr top frame only; spellchecker ${spell === false ? 'off' : 'ON'}`,
      pass: granted.length === 0 && spell === false,
    })
  })

  test('only app:// (and in-memory data:) requests are let through', () => {
    const cancel = (url: string): boolean => {
      let r: { cancel: boolean } | undefined
      h.before!({ url }, (v: { cancel: boolean }) => (r = v))
      return r!.cancel
    }
    const through = HOSTILE_URLS.filter(
      (u) => !u.startsWith('data:') && !u.startsWith('devtools:'),
    ).filter((u) => !cancel(u))
    expect(cancel('app://ndr/assets/index.js')).toBe(false)
    expect(through).toEqual([])
    figures.push({
      check: 'webRequest filter (zero network in Electron)',
      target: 'every non-app:// request cancelled',
      measured: `${through.length} of ${HOSTILE_URLS.length - 3} outside URLs let through`,
      pass: through.length === 0,
    })
  })
})

describe('packaging and page policy', () => {
  test('fuses in electron-builder.yml', () => {
    const yml = readFileSync(`${REPO_ROOT}electron-builder.yml`, 'utf8')
    const block = /^electronFuses:\n((?: {2}\w+: \w+\n)+)/m.exec(yml)?.[1] ?? ''
    const fuses = Object.fromEntries(
      block
        .trim()
        .split('\n')
        .map((l) => l.trim().split(': ') as [string, string]),
    )
    const want = {
      runAsNode: 'false',
      enableNodeOptionsEnvironmentVariable: 'false',
      enableNodeCliInspectArguments: 'false',
      enableEmbeddedAsarIntegrityValidation: 'true',
      onlyLoadAppFromAsar: 'true',
      enableCookieEncryption: 'true',
      grantFileProtocolExtraPrivileges: 'false',
    }
    const ok = Object.entries(want).filter(([k, v]) => fuses[k] === v).length
    figures.push({
      check: 'Fuses (electron-builder.yml)',
      target:
        'RunAsNode, NODE_OPTIONS, inspect off; asar integrity, asar-only, cookie encryption on; file: privileges off',
      measured: `${ok}/${Object.keys(want).length} as required`,
      pass: ok === Object.keys(want).length,
    })
    expect(fuses).toMatchObject(want)
  })

  test('the page CSP allows no inline or remote script and no outside connection', () => {
    const d: Record<string, string> = Object.fromEntries(
      CSP.split('; ').map((p) => [p.split(' ')[0] ?? '', p]),
    )
    const problems = [
      !d['default-src']?.includes("'none'") && 'default-src',
      d['script-src'] !== "script-src 'self'" && 'script-src',
      d['connect-src'] !== "connect-src 'self'" && 'connect-src',
      d['object-src'] !== "object-src 'none'" && 'object-src',
      d['base-uri'] !== "base-uri 'none'" && 'base-uri',
      CSP.includes('unsafe-eval') && 'unsafe-eval',
      /script-src[^;]*unsafe-inline/.test(CSP) && 'inline script',
    ].filter(Boolean)
    figures.push({
      check: 'Content-Security-Policy (app://ndr and browser mode)',
      target: "no inline/eval script; connect-src 'self'; object-src, base-uri 'none'",
      measured: problems.length ? `problems: ${problems.join(', ')}` : 'as required',
      pass: problems.length === 0,
    })
    expect(problems).toEqual([])
  })
})
