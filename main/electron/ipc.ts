import { ipcMain, type IpcMainInvokeEvent } from 'electron'
import type { Backend } from '../backend/backend'
import { IPC_CHANNEL } from '../core/api/methods'
import { APP_ORIGIN } from './protocol'

/** Only our own page, loaded from app://ndr, may call the backend (sender check, checklist item 17). */
function trustedSender(e: IpcMainInvokeEvent): boolean {
  const url = e.senderFrame?.url ?? ''
  return url.startsWith(`${APP_ORIGIN}/`)
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
