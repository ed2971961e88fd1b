import { describe, expect, test } from 'vitest'
import {
  DEFAULT_BOUNDS,
  sanitizeBounds,
  secureWebPreferences,
} from '../../../main/electron/window-options'

describe('window factory options', () => {
  test('every window is isolated, sandboxed, without Node, without spellchecker', () => {
    const p = secureWebPreferences('/x/preload.cjs')
    expect(p).toMatchObject({
      preload: '/x/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    })
  })

  const display = { x: 0, y: 0, width: 1920, height: 1080 }
  test('saved bounds on a connected display are restored', () => {
    expect(
      sanitizeBounds({ x: 100, y: 80, width: 1000, height: 700, maximized: true }, [display]),
    ).toEqual({
      x: 100,
      y: 80,
      width: 1000,
      height: 700,
      maximized: true,
    })
  })
  test('bounds on a display that is gone keep their size but not their position', () => {
    expect(sanitizeBounds({ x: 4000, y: 80, width: 1000, height: 700 }, [display])).toEqual({
      width: 1000,
      height: 700,
      maximized: false,
    })
  })
  test.each([null, 'x', { width: 'big' }, { width: 10, height: 10 }, { width: 1e9, height: 700 }])(
    'corrupt bounds %j fall back to the default',
    (saved) => {
      expect(sanitizeBounds(saved, [display])).toEqual(DEFAULT_BOUNDS)
    },
  )
})
