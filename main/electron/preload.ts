/**
 * Exposes one small object, `window.ndr`, with one function per contract method. No ipcRenderer,
 * no Node: the renderer can only make the calls the contract lists, and main validates each one.
 */
import { contextBridge, ipcRenderer } from 'electron'
import { BRIDGE_NAME, IPC_CHANNEL, METHOD_NAMES } from '../core/api/methods'

const api: Record<string, (args: unknown) => Promise<unknown>> = {}
for (const m of METHOD_NAMES) api[m] = (args: unknown) => ipcRenderer.invoke(IPC_CHANNEL, m, args)

contextBridge.exposeInMainWorld(BRIDGE_NAME, Object.freeze(api))
