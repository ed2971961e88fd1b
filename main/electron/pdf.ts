import { BrowserWindow } from 'electron'
import { secureWebPreferences } from './window-options'

/**
 * Renders a report (our own escaped HTML, with its own CSP) to PDF in a hidden window that runs
 * no script at all and has no preload; the window is destroyed whatever happens. Electron only.
 */
export async function htmlToPdf(html: string): Promise<Uint8Array> {
  const { preload: _preload, ...prefs } = secureWebPreferences('')
  // The security-critical options are restated as literals where Electronegativity reads them
  // (see window.ts); prettier-ignore keeps the eng-disable comment on the reported line.
  // prettier-ignore
  const win = new BrowserWindow({ // eng-disable AUXCLICK_JS_CHECK -- the window is never shown and runs no script, so nothing in it can be middle-clicked; window.open is denied below
    show: false,
    webPreferences: {
      ...prefs,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      javascript: false,
    },
  })
  try {
    win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }))
    await win.loadURL(
      `data:text/html;charset=utf-8;base64,${Buffer.from(html, 'utf8').toString('base64')}`,
    )
    const pdf = await win.webContents.printToPDF({ printBackground: true, pageSize: 'A4' })
    return new Uint8Array(pdf)
  } finally {
    win.destroy()
  }
}
