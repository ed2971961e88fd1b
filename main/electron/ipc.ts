import { ipcMain, type IpcMainInvokeEvent } from 'electron'
import type { Backend } from '../backend/backend'
import { IPC_CHANNEL } from '../core/api/methods'
import { isAppUrl } from './app-origin'

/**
 * Only our own page may call the backend (sender check, Electron checklist item 17): the top frame
 * (not the sandboxed NDR iframe, nor any other subframe) of a document loaded from app://ndr.
 */
export function trustedSender(e: Pick<IpcMainInvokeEvent, 'senderFrame'>): boolean {
  const frame = e.senderFrame
  return !!frame && frame.parent === null && isAppUrl(frame.url)
}

/** The IPC transport: one channel, the same envelope and validation as the HTTP transport. */
export function registerIpc(backend: Backend): void {
  ipcMain.handle(IPC_CHANNEL, async (e, method: unknown, args: unknown) => {
    if (!trustedSender(e)) {
      return { ok: false, error: { code: 'forbidden', message: 'Untrusted sender.' } }
    }
    return backend.call(typeof method === 'string' ? method : '', args)
  })
}
