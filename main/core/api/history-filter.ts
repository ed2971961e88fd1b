import type { Args } from './contract'

/** Narrowing of the history beyond the state tabs: code prefix, sender domain, creation dates. */
export interface HistoryFilter {
  readonly code: string
  readonly senderDomain: string
  readonly from: string
  readonly to: string
}
export const NO_HISTORY_FILTER: HistoryFilter = { code: '', senderDomain: '', from: '', to: '' }

/** The earliest and latest day a date field offers (an ISO timestamp has four-digit years). */
export const FIRST_DAY = '1970-01-01'
export const LAST_DAY = '9999-12-30'

/**
 * The start of a local day as an ISO timestamp, `days` later; undefined for anything else. A date
 * field lets the user type a five- or six-digit year (Chromium goes to 275760), which Date parses
 * as invalid: toISOString threw, and the case list showed "Something went wrong".
 */
function dayStart(day: string, days = 0): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || day < FIRST_DAY || day > LAST_DAY) return undefined
  const t = new Date(`${day}T00:00:00`).getTime() + days * 86_400_000
  return Number.isFinite(t) ? new Date(t).toISOString() : undefined
}

/** The API arguments for a filter; incomplete or impossible values are left out rather than sent. */
export function historyArgs(h: HistoryFilter): Omit<Args<'cases.list'>, 'query'> {
  const out: { code?: string; senderDomain?: string; from?: string; to?: string } = {}
  if (/^[245](\.\d{1,3}){0,2}\.?$/.test(h.code.trim())) out.code = h.code.trim()
  if (h.senderDomain) out.senderDomain = h.senderDomain
  // Dates are the user's local days: from the start of `from` to the end of `to`.
  const from = dayStart(h.from)
  const to = dayStart(h.to, 1)
  if (from !== undefined) out.from = from
  if (to !== undefined) out.to = to
  return out
}
