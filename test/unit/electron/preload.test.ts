import { expect, test, vi } from 'vitest'
import { BRIDGE_NAME, IPC_CHANNEL, METHOD_NAMES } from '../../../main/core/api/methods'

// Electron checklist item 20 ("do not expose Electron APIs to untrusted web content"): the preload
// exposes one frozen object of named functions, one per contract method, and nothing generic.
const exposed = new Map<string, unknown>()
const invoke = vi.fn((..._args: unknown[]) => Promise.resolve({ ok: true }))
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (k: string, v: unknown) => exposed.set(k, v) },
  ipcRenderer: { invoke },
}))
await import('../../../main/electron/preload')

test('window.ndr holds exactly one function per contract method, frozen, with no IPC object', async () => {
  expect([...exposed.keys()]).toEqual([BRIDGE_NAME])
  const api = exposed.get(BRIDGE_NAME) as Record<string, unknown>
  expect(Object.isFrozen(api)).toBe(true)
  expect(Object.keys(api).sort()).toEqual([...METHOD_NAMES].sort())
  for (const k of Object.keys(api)) expect(typeof api[k]).toBe('function')
  for (const generic of ['invoke', 'send', 'on', 'ipcRenderer', 'require', 'process'])
    expect(api[generic]).toBeUndefined()
  // A call goes to the one channel with the method's own name: the renderer cannot pick another.
  await (api['cases.get'] as (a: unknown) => Promise<unknown>)({ id: 1 })
  expect(invoke).toHaveBeenCalledWith(IPC_CHANNEL, 'cases.get', { id: 1 })
})
