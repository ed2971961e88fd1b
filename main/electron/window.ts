import { BrowserWindow, screen } from 'electron'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { openExternalSafely } from './external'
import { APP_ORIGIN, isAppUrl } from './app-origin'
import { sanitizeBounds, secureWebPreferences, type Bounds } from './window-options'

/** The one window factory: every window of the app is created here, locked down the same way. */
export function createMainWindow(opts: {
  preloadPath: string
  boundsFile: string
  title: string
}): BrowserWindow {
  let saved: unknown
  try {
    saved = JSON.parse(readFileSync(opts.boundsFile, 'utf8'))
  } catch {
    saved = undefined
  }
  const bounds = sanitizeBounds(
    saved,
    screen.getAllDisplays().map((d) => d.workArea),
  )
  // Electronegativity reads the options at this call only (it does not follow secureWebPreferences),
  // so the security-critical ones are restated here as literals, with the same values; its eng-disable
  // comments must sit on the reported line, hence prettier-ignore (test/tools/electronegativity.mjs).
  // prettier-ignore
  const win = new BrowserWindow({ // eng-disable AUXCLICK_JS_CHECK -- middle-click window opens reach the window-open handler below, which denies every one (allow-listed documentation links go to the system browser); the Auxclick Blink flag the check wants no longer exists (electron/electron#10315, #20318)
    ...(bounds.x !== undefined && bounds.y !== undefined ? { x: bounds.x, y: bounds.y } : {}),
    width: bounds.width,
    height: bounds.height,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: opts.title,
    backgroundColor: '#faf9f8',
    webPreferences: {
      ...secureWebPreferences(opts.preloadPath),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      preload: opts.preloadPath, // eng-disable PRELOAD_JS_CHECK -- the preload exposes one function per contract method, no ipcRenderer and no Node (main/electron/preload.ts); main checks the sender and validates every call (main/electron/ipc.ts)
    },
  })
  if (bounds.maximized) win.maximize()
  win.once('ready-to-show', () => win.show())

  // Navigation and new windows are denied: the app is one page. Links to Microsoft's documentation
  // are opened in the system browser by an explicit API call, never by navigation.
  win.webContents.setWindowOpenHandler(({ url }) => {
    // A click on a documentation link: the system browser opens it, never an app window.
    openExternalSafely(url)
    return { action: 'deny' }
  })
  win.webContents.on('will-navigate', (e, url) => {
    if (!isAppUrl(url)) e.preventDefault()
  })
  win.webContents.on('will-redirect', (e, url) => {
    if (!isAppUrl(url)) e.preventDefault()
  })
  win.webContents.on('will-attach-webview', (e) => e.preventDefault())

  const save = () => {
    if (win.isDestroyed()) return
    const b: Bounds = { ...win.getNormalBounds(), maximized: win.isMaximized() }
    try {
      writeFileSync(opts.boundsFile, JSON.stringify(b))
    } catch {
      // Losing the window position is not worth an error dialog.
    }
  }
  win.on('close', save)
  void win.loadURL(`${APP_ORIGIN}/index.html`)
  return win
}

export function boundsFileIn(dataDir: string): string {
  return join(dataDir, 'window-bounds.json')
}
