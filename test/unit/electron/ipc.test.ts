import { describe, expect, test, vi } from 'vitest'
import { METHODS } from '../../../main/core/api/contract'
import { IPC_CHANNEL } from '../../../main/core/api/methods'
import { recordFigures } from '../../support/figures'
import { HOSTILE_PAYLOADS, countRows } from '../../support/hostile-payloads'
import { openTestBackend } from '../../support/backend'

// The Electron binary cannot run here (reliability.md, "Facts"): the IPC transport is tested against
// a fake `electron` module that records the handler main/electron/ipc.ts registers, then called with
// forged senders and hostile payloads the way Electron would call it.
type Handler = (e: unknown, method: unknown, args: unknown) => Promise<unknown>
const handlers = new Map<string, Handler>()
vi.mock('electron', () => ({
  ipcMain: { handle: (channel: string, fn: Handler) => handlers.set(channel, fn) },
  net: {},
  protocol: {},
}))

const { registerIpc, trustedSender } = await import('../../../main/electron/ipc')

interface FakeFrame {
  url: string
  parent: FakeFrame | null
}
const top = (url: string): { senderFrame: FakeFrame } => ({ senderFrame: { url, parent: null } })
const sub = (url: string): { senderFrame: FakeFrame } => ({
  senderFrame: { url, parent: { url: 'app://ndr/index.html', parent: null } },
})

const FORGED: ReadonlyArray<readonly [string, unknown]> = [
  ['a remote page', top('https://evil.example/')],
  ['a look-alike host', top('app://ndr.evil/index.html')],
  ['credentials in the URL', top('app://x@ndr/index.html')],
  ['a file: page', top('file:///C:/Users/anna/Downloads/bounce.html')],
  ['the sandboxed NDR frame (srcdoc)', sub('about:srcdoc')],
  ['a subframe of our own origin', sub('app://ndr/index.html')],
  ['a frame already gone', { senderFrame: null }],
  ['no frame at all', {}],
  ['a garbage URL', top('::::')],
]

describe('IPC transport (fake electron)', () => {
  test('only the top frame of app://ndr is trusted', () => {
    expect(trustedSender(top('app://ndr/index.html') as never)).toBe(true)
    for (const [, e] of FORGED) expect(trustedSender(e as never)).toBe(false)
  })

  test('forged senders are refused for every method; hostile payloads get typed errors, no writes', async () => {
    const { backend } = openTestBackend()
    handlers.clear()
    registerIpc(backend)
    const handle = handlers.get(IPC_CHANNEL)
    expect(handle).toBeTypeOf('function')
    const before = countRows(backend)
    let refused = 0
    let typed = 0
    let calls = 0
    for (const method of METHODS) {
      for (const [why, e] of FORGED) {
        const r = (await handle!(e, method, {})) as { ok: boolean; error?: { code: string } }
        expect(r, `${method} from ${why}`).toMatchObject({
          ok: false,
          error: { code: 'forbidden' },
        })
        refused++
      }
      for (const payload of HOSTILE_PAYLOADS) {
        const r = (await handle!(top('app://ndr/index.html'), method, payload)) as {
          ok: boolean
          error?: { code: string }
        }
        calls++
        expect(r.ok, `${method} ${JSON.stringify(payload).slice(0, 60)}`).toBe(false)
        if (!r.ok && typeof r.error?.code === 'string') typed++
      }
    }
    // A method name that is not in the contract, or not a string at all.
    for (const bad of ['cases.drop', '__proto__', 42, null]) {
      const r = (await handle!(top('app://ndr/index.html'), bad, {})) as { ok: boolean }
      expect(r.ok).toBe(false)
    }
    const after = countRows(backend)
    expect(after).toEqual(before)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    const alive = ((await handle!(top('app://ndr/index.html'), 'app.info', {})) as { ok: boolean })
      .ok
    expect(alive).toBe(true)
    recordFigures('api-ipc', 'API over IPC (Electron, fake electron module)', [
      {
        check: `Forged senders (${FORGED.length} kinds) × ${METHODS.length} methods`,
        target: '100 % refused',
        measured: `${refused}/${METHODS.length * FORGED.length} refused`,
        pass: refused === METHODS.length * FORGED.length,
      },
      {
        check: `Hostile payloads × ${METHODS.length} methods`,
        target: 'typed error each, 0 writes, no crash',
        measured: `${typed}/${calls} typed errors, rows ${JSON.stringify(before)} → ${JSON.stringify(after)}`,
        pass: typed === calls && JSON.stringify(before) === JSON.stringify(after) && alive,
      },
    ])
  })
})
