import type { BrowserWindowConstructorOptions } from 'electron'

/**
 * The security-relevant options every window gets (Electron security checklist items 2–4, 6, 13 …).
 * Kept apart from the factory so a unit test can assert them without an Electron binary.
 */
export function secureWebPreferences(
  preloadPath: string,
): NonNullable<BrowserWindowConstructorOptions['webPreferences']> {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    spellcheck: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
  }
}

export interface Bounds {
  x?: number
  y?: number
  width: number
  height: number
  maximized?: boolean
}

export const DEFAULT_BOUNDS: Bounds = { width: 1200, height: 800 }

/** Restores saved bounds only if they are sane and still on a connected display. */
export function sanitizeBounds(
  saved: unknown,
  displays: readonly { x: number; y: number; width: number; height: number }[],
): Bounds {
  if (!saved || typeof saved !== 'object') return DEFAULT_BOUNDS
  const b = saved as Partial<Record<keyof Bounds, unknown>>
  const num = (v: unknown) =>
    typeof v === 'number' && Number.isFinite(v) ? Math.round(v) : undefined
  const width = num(b.width)
  const height = num(b.height)
  if (!width || !height || width < 400 || height < 300 || width > 10000 || height > 10000)
    return DEFAULT_BOUNDS
  const x = num(b.x)
  const y = num(b.y)
  const maximized = b.maximized === true
  if (x === undefined || y === undefined) return { width, height, maximized }
  const visible = displays.some(
    (d) => x + 100 > d.x && y + 50 > d.y && x + 100 < d.x + d.width && y + 50 < d.y + d.height,
  )
  return visible ? { x, y, width, height, maximized } : { width, height, maximized }
}
