/** IPv4 ranges and domain matching used by the audit rules. IPv6 entries are compared as text. */

export interface IpRange {
  readonly start: number
  readonly end: number
}

export function parseIpv4(text: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text.trim())
  if (!m) return undefined
  let n = 0
  for (let i = 1; i <= 4; i++) {
    const octet = Number(m[i])
    if (octet > 255) return undefined
    n = n * 256 + octet
  }
  return n
}

/** A single IP, `a.b.c.d/nn` or `a.b.c.d-e.f.g.h` (brief §3.5). */
export function parseRange(text: string): IpRange | undefined {
  const t = text.trim()
  const slash = t.indexOf('/')
  if (slash > 0) {
    const base = parseIpv4(t.slice(0, slash))
    const bitsText = t.slice(slash + 1)
    if (base === undefined || !/^\d{1,2}$/.test(bitsText)) return undefined
    const bits = Number(bitsText)
    if (bits > 32) return undefined
    const size = 2 ** (32 - bits)
    const start = Math.floor(base / size) * size
    return { start, end: start + size - 1 }
  }
  const dash = t.indexOf('-')
  if (dash > 0) {
    const a = parseIpv4(t.slice(0, dash))
    const b = parseIpv4(t.slice(dash + 1))
    if (a === undefined || b === undefined) return undefined
    return a <= b ? { start: a, end: b } : { start: b, end: a }
  }
  const ip = parseIpv4(t)
  return ip === undefined ? undefined : { start: ip, end: ip }
}

export function rangeSize(r: IpRange): number {
  return r.end - r.start + 1
}

export function overlaps(a: IpRange, b: IpRange): boolean {
  return a.start <= b.end && b.start <= a.end
}

export function contains(outer: IpRange, inner: IpRange): boolean {
  return outer.start <= inner.start && inner.end <= outer.end
}

const r = (cidr: string): IpRange => parseRange(cidr)!

/** RFC 1918 private ranges: Enhanced Filtering must not skip them (brief §3.1, §4.1 I11). */
export const PRIVATE_RANGES: readonly IpRange[] = [
  r('10.0.0.0/8'),
  r('172.16.0.0/12'),
  r('192.168.0.0/16'),
]

/**
 * Exchange Online Protection's published IPv4 ranges (Microsoft 365 endpoint list, "Exchange
 * Online" service area; not among the brief's sources — verify against the current list).
 */
export const MICROSOFT365_RANGES: readonly IpRange[] = [
  r('40.92.0.0/15'),
  r('40.107.0.0/16'),
  r('52.100.0.0/14'),
  r('104.47.0.0/17'),
]

/** `smtp:*.contoso.com;1` → `*.contoso.com` (brief §3.1: strip the prefix and the cost). */
export function cleanDomain(text: string): string {
  let t = text.trim().toLowerCase()
  if (t.startsWith('smtp:')) t = t.slice(5)
  const semi = t.indexOf(';')
  if (semi >= 0) t = t.slice(0, semi)
  return t.replace(/\.$/, '')
}

export function isSubdomainOf(domain: string, parent: string): boolean {
  return domain.length > parent.length && domain.endsWith('.' + parent)
}

/** Relaxed alignment: equal, or one a subdomain of the other. */
export function sameOrgDomain(a: string, b: string): boolean {
  const x = cleanDomain(a)
  const y = cleanDomain(b)
  return x === y || isSubdomainOf(x, y) || isSubdomainOf(y, x)
}
