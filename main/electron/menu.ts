import { app, dialog, Menu, type MenuItemConstructorOptions } from 'electron'
import type { TFunction } from 'i18next'

/** The application menu in the UI language; rebuilt when the user switches language. */
export function buildMenu(t: TFunction, version: string): Menu {
  const isMac = process.platform === 'darwin'
  const about = () =>
    void dialog.showMessageBox({
      type: 'info',
      title: t('menu:about.title'),
      message: t('menu:about.message', { version }),
      detail: t('menu:about.detail', {
        electron: process.versions.electron ?? '',
        chrome: process.versions.chrome ?? '',
        node: process.versions.node,
      }),
      buttons: [t('menu:about.ok')],
    })
  const template: MenuItemConstructorOptions[] = [
    ...(isMac
      ? [
          {
            label: app.name,
            submenu: [
              { label: t('menu:app.about'), click: about },
              { type: 'separator' as const },
              { role: 'hide' as const, label: t('menu:app.hide') },
              { role: 'quit' as const, label: t('menu:app.quit') },
            ],
          },
        ]
      : []),
    {
      label: t('menu:file.label'),
      submenu: [
        isMac
          ? { role: 'close', label: t('menu:file.close') }
          : { role: 'quit', label: t('menu:app.quit') },
      ],
    },
    {
      label: t('menu:edit.label'),
      submenu: [
        { role: 'undo', label: t('menu:edit.undo') },
        { role: 'redo', label: t('menu:edit.redo') },
        { type: 'separator' },
        { role: 'cut', label: t('menu:edit.cut') },
        { role: 'copy', label: t('menu:edit.copy') },
        { role: 'paste', label: t('menu:edit.paste') },
        { role: 'selectAll', label: t('menu:edit.selectAll') },
      ],
    },
    {
      label: t('menu:view.label'),
      submenu: [
        { role: 'resetZoom', label: t('menu:view.resetZoom') },
        { role: 'zoomIn', label: t('menu:view.zoomIn') },
        { role: 'zoomOut', label: t('menu:view.zoomOut') },
        { type: 'separator' },
        { role: 'togglefullscreen', label: t('menu:view.fullscreen') },
      ],
    },
    {
      label: t('menu:help.label'),
      role: 'help',
      submenu: isMac ? [] : [{ label: t('menu:app.about'), click: about }],
    },
  ]
  return Menu.buildFromTemplate(template)
}
