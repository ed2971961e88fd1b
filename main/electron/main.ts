/**
 * Electron main process: lifecycle only. Opens the store, registers the IPC transport, builds the
 * localized menu and creates the one window.
 */
import { app, dialog, Menu, session } from 'electron'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createBackend, type Backend } from '../backend/backend'
import { createTranslator } from '../backend/i18n'
import { osUserName } from '../backend/os-user'
import { createJobPool } from '../backend/job-pool'
import { getSetting } from '../backend/db/settings'
import { describeOpenError } from '../backend/db/open-error'
import { isLanguage, pickLanguage } from '../core/i18n/languages'
import { registerIpc } from './ipc'
import { htmlToPdf } from './pdf'
import { buildMenu } from './menu'
import { isAppUrl } from './app-origin'
import { registerAppScheme, serveRenderer } from './protocol'
import { hardenSession } from './session'
import { boundsFileIn, createMainWindow } from './window'

const here = fileURLToPath(new URL('.', import.meta.url))

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  registerAppScheme()
  app.enableSandbox()
  let backend: Backend | undefined
  let mainWindow: Electron.BrowserWindow | undefined
  const pool = createJobPool()

  app.on('second-instance', () => {
    if (!mainWindow) return
    if (mainWindow.isMinimized()) mainWindow.restore()
    mainWindow.focus()
  })

  app.on('web-contents-created', (_e, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }))
    contents.on('will-navigate', (e, url) => {
      if (!isAppUrl(url)) e.preventDefault()
    })
  })

  void app.whenReady().then(() => {
    const dataDir = process.env.NDR_ASSISTANT_DATA_DIR || app.getPath('userData')
    const systemLocales = app.getPreferredSystemLanguages()
    try {
      backend = createBackend({
        dataDir,
        mode: 'electron',
        version: app.getVersion(),
        systemLocales,
        jobs: pool,
        osUserName: osUserName(),
        backups: true,
        renderPdf: htmlToPdf,
        onLanguageChanged: (language) => {
          Menu.setApplicationMenu(buildMenu(createTranslator(language), app.getVersion()))
        },
      })
    } catch (e) {
      const t = createTranslator(pickLanguage(systemLocales))
      dialog.showErrorBox(t('errors:startup.title'), describeOpenError(e, t, dataDir))
      app.exit(1)
      return
    }
    hardenSession(session.defaultSession)
    serveRenderer(join(here, '..', 'renderer'))
    registerIpc(backend)

    const stored = getSetting(backend.db, 'language')
    const lng = isLanguage(stored) ? stored : pickLanguage(systemLocales)
    const t = createTranslator(lng)
    Menu.setApplicationMenu(buildMenu(t, app.getVersion()))
    mainWindow = createMainWindow({
      preloadPath: join(here, '..', 'preload', 'preload.cjs'),
      boundsFile: boundsFileIn(dataDir),
      title: t('common:app.title'),
    })
    mainWindow.on('closed', () => (mainWindow = undefined))
  })

  app.on('window-all-closed', () => app.quit())
  // Quit waits once for the backup on quit (a verified copy), then really quits.
  let quitting = false
  app.on('before-quit', (e) => {
    if (quitting || !backend) return
    e.preventDefault()
    quitting = true
    void Promise.all([pool.close(), backend.shutdown()]).finally(() => app.quit())
  })
}
