/**
 * Launches the real app for end-to-end specs: Electron through Playwright's `_electron.launch` where
 * an Electron binary exists, otherwise browser mode (`ndr-assistant serve`, the real backend and a real
 * SQLite file in a temp folder) in Debian's Chromium. With neither, it fails and says why: the specs
 * never skip silently.
 */
import { spawn, type ChildProcess, type ChildProcessByStdio } from 'node:child_process'
import type { Readable } from 'node:stream'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { createInterface } from 'node:readline'
import {
  _electron,
  chromium,
  type Browser,
  type BrowserContext,
  type ElectronApplication,
  type Locator,
  type Page,
} from 'playwright-core'
import { expect } from 'vitest'
import { findElectronBinary } from '../../../main/cli/start'
import { recordFigures } from '../../support/figures'

export const REPO_ROOT = new URL('../../../', import.meta.url).pathname
const CLI = join(REPO_ROOT, 'main', 'cli', 'bin.cjs')
const BUILT = join(REPO_ROOT, 'out', 'main', 'cli.js')

export function chromiumPath(): string | undefined {
  const candidates = [
    process.env.CHROMIUM_PATH,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
  ].filter((p): p is string => !!p)
  return candidates.find((p) => existsSync(p))
}

/** Flags for a locked-down, quiet Chromium (toolchain.md §7): nothing phones home. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-extensions',
  '--metrics-recording-only',
  '--no-default-browser-check',
  '--disable-features=Translate,OptimizationHints,MediaRouter,AutofillServerCommunication',
]

export interface AppHandle {
  readonly kind: 'electron' | 'browser'
  page: Page
  readonly dataDir: string
  /** Every URL the page requested, across restarts. */
  readonly requests: string[]
  /** Origins the app itself is served from (loopback in browser mode, app:// in Electron). */
  readonly ownOrigins: Set<string>
  /**
   * Stops the backend (and the window) and starts them again on the same data folder; `between`
   * runs while nothing is running (to damage the store, say).
   */
  restart(between?: () => void | Promise<void>): Promise<void>
  close(): Promise<void>
}

export interface LaunchOptions {
  /** Browser/OS locale, e.g. 'ja-JP'. */
  readonly locale?: string
  readonly dataDir?: string
}

export async function launchApp(opts: LaunchOptions = {}): Promise<AppHandle> {
  if (!existsSync(BUILT))
    throw new Error(`The app is not built (${BUILT} is missing): run \`npm run build\` first.`)
  const ownsDir = !opts.dataDir
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'ndr-e2e-'))
  const electron = findElectronBinary()
  if (electron) return launchElectron(electron, dataDir, ownsDir, opts)
  const browserPath = chromiumPath()
  if (!browserPath) {
    throw new Error(
      'End-to-end tests need Electron or Chromium: there is no Electron binary (it cannot be downloaded here) and no Chromium at /usr/bin/chromium. Install it with `apt-get install chromium`, or set CHROMIUM_PATH.',
    )
  }
  return launchBrowserMode(browserPath, dataDir, ownsDir, opts)
}

async function startServe(
  dataDir: string,
  locale: string | undefined,
): Promise<{ child: ChildProcessByStdio<null, Readable, Readable>; url: string }> {
  const lang = locale ? `${locale.replace('-', '_')}.UTF-8` : 'en_US.UTF-8'
  const child = spawn(process.execPath, [CLI, 'serve', '--data-dir', dataDir, '--lang', 'en'], {
    env: { ...process.env, LANG: lang, LC_ALL: lang, NDR_ASSISTANT_DATA_DIR: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const url = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout })
    const timer = setTimeout(
      () => reject(new Error(`serve printed no URL in 20 s. stderr: ${stderr}`)),
      20_000,
    )
    rl.on('line', (line) => {
      const m = /(http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+)/.exec(line)
      if (m?.[1]) {
        clearTimeout(timer)
        resolve(m[1])
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`serve exited with ${code}: ${stderr}`))
    })
  })
  return { child, url }
}

async function stopServe(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.kill('SIGTERM')
  await exited
}

async function launchBrowserMode(
  executablePath: string,
  dataDir: string,
  ownsDir: boolean,
  opts: LaunchOptions,
): Promise<AppHandle> {
  const browser: Browser = await chromium.launch({
    executablePath,
    headless: true,
    args: [...CHROMIUM_ARGS, ...(opts.locale ? [`--lang=${opts.locale}`] : [])],
  })
  let context: BrowserContext = await browser.newContext({
    locale: opts.locale ?? 'en-US',
    viewport: { width: 1280, height: 800 },
  })
  let serve = await startServe(dataDir, opts.locale)
  const requests: string[] = []
  const ownOrigins = new Set<string>([new URL(serve.url).origin])
  const track = (c: BrowserContext) => c.on('request', (r) => requests.push(r.url()))
  track(context)
  let page = await context.newPage()
  await page.goto(serve.url)

  const handle: AppHandle = {
    kind: 'browser',
    page,
    dataDir,
    requests,
    ownOrigins,
    async restart(between) {
      await context.close()
      await stopServe(serve.child)
      await between?.()
      serve = await startServe(dataDir, opts.locale)
      ownOrigins.add(new URL(serve.url).origin)
      context = await browser.newContext({
        locale: opts.locale ?? 'en-US',
        viewport: { width: 1280, height: 800 },
      })
      track(context)
      page = await context.newPage()
      handle.page = page
      await page.goto(serve.url)
    },
    async close() {
      recordNetwork(handle)
      await browser.close()
      await stopServe(serve.child)
      if (ownsDir) rmSync(dataDir, { recursive: true, force: true })
    },
  }
  return handle
}

async function launchElectron(
  executablePath: string,
  dataDir: string,
  ownsDir: boolean,
  opts: LaunchOptions,
): Promise<AppHandle> {
  const start = () =>
    _electron.launch({
      executablePath,
      args: [REPO_ROOT, ...(opts.locale ? [`--lang=${opts.locale}`] : [])],
      env: { ...process.env, NDR_ASSISTANT_DATA_DIR: dataDir },
    })
  let app: ElectronApplication = await start()
  const requests: string[] = []
  const ownOrigins = new Set<string>(['app://ndr'])
  let page = await app.firstWindow()
  page.on('request', (r) => requests.push(r.url()))
  const handle: AppHandle = {
    kind: 'electron',
    page,
    dataDir,
    requests,
    ownOrigins,
    async restart(between) {
      await app.close()
      await between?.()
      app = await start()
      page = await app.firstWindow()
      page.on('request', (r) => requests.push(r.url()))
      handle.page = page
    },
    async close() {
      recordNetwork(handle)
      await app.close()
      if (ownsDir) rmSync(dataDir, { recursive: true, force: true })
    },
  }
  return handle
}

/** Requests that went anywhere but the app itself (data: URLs are in-page, not network). */
let launched = 0
/**
 * Zero network over the whole end-to-end suite (issue 7): every app handle, when closed, records how
 * many requests it saw and how many left the app; `npm run security` sums them over all specs.
 */
function recordNetwork(app: AppHandle): void {
  const spec = basename(expect.getState().testPath ?? 'unknown').replace(/\.e2e\.test\.ts$/, '')
  const foreign = foreignRequests(app)
  recordFigures(`network-${spec}-${process.pid}-${launched++}`, 'Zero network (end-to-end)', [
    {
      check: `requests outside the app (${spec}, ${app.kind})`,
      target: '0',
      measured: `${foreign.length} of ${app.requests.length}${foreign.length ? ': ' + foreign.slice(0, 3).join(' ') : ''}`,
      pass: foreign.length === 0,
    },
  ])
}

export function foreignRequests(app: AppHandle): string[] {
  return app.requests.filter((u) => {
    if (u.startsWith('data:') || u.startsWith('blob:')) return false
    try {
      return !app.ownOrigins.has(new URL(u).origin)
    } catch {
      return true
    }
  })
}

/** What a user does first: pastes a bounce, presses Analyze, and waits for the case to show. */
export async function pasteAndAnalyze(page: Page, text: string): Promise<void> {
  await page.getByTestId('paste-area').fill(text)
  await page.getByTestId('analyze').click()
  await page.getByTestId('case-view').waitFor()
}

/** The same, then the first recipient's explanation card once it is shown. */
export async function pasteAndExplain(page: Page, text: string): Promise<Locator> {
  await page.getByTestId('paste-area').fill(text)
  await page.getByTestId('analyze').click()
  const card = page.getByTestId('explained-recipient').first()
  await card.waitFor()
  return card
}
