import { userInfo } from 'node:os'

/** The OS account name, the default author of checklist ticks; never throws (some sandboxes deny it). */
export function osUserName(
  env: Readonly<Record<string, string | undefined>> = process.env,
): string {
  try {
    const name = userInfo().username
    if (name) return name
  } catch {
    // fall through
  }
  return env.USERNAME || env.USER || 'admin'
}
