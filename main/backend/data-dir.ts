import { homedir } from 'node:os'
import { join } from 'node:path'

export const APP_DIR_NAME = 'NDR Assistant'

/**
 * The platform's usual per-user application-data folder, as Electron's `userData` would be, so the
 * CLI, browser mode and the desktop app share one store: %APPDATA% on Windows,
 * ~/Library/Application Support on macOS, $XDG_CONFIG_HOME (or ~/.config) elsewhere.
 */
export function defaultDataDir(
  env: Readonly<Record<string, string | undefined>> = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  if (platform === 'win32')
    return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), APP_DIR_NAME)
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_DIR_NAME)
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), APP_DIR_NAME)
}

/** `--data-dir` wins, then NDR_ASSISTANT_DATA_DIR, then the platform default. */
export function resolveDataDir(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>> = process.env,
): string {
  return flag || env.NDR_ASSISTANT_DATA_DIR || defaultDataDir(env)
}
