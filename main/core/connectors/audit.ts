import {
  cleanDomain,
  contains,
  isSubdomainOf,
  MICROSOFT365_RANGES,
  overlaps,
  parseIpv4,
  parseRange,
  PRIVATE_RANGES,
  rangeSize,
  sameOrgDomain,
  type IpRange,
} from './net'
import type {
  AuditOptions,
  Finding,
  FindingObjectType,
  IssueParams,
  NdrCrossCheck,
  PropValue,
  RuleId,
  Severity,
  TenantObject,
  TenantObjects,
} from './types'
import { SEVERITIES } from './types'
import { getProp, valueText } from './values'

const DAY = 86_400_000

/** Rule order: inbound, outbound, NDR joins, domain joins (brief §4.1–4.3), then "cannot tell". */
export const RULES: readonly RuleId[] = [
  'I1', 'I2', 'I3', 'I4', 'I5', 'I6', 'I7', 'I8', 'I9', 'I10', 'I11', 'I12', 'I13', 'I14', 'I15',
  'O1', 'O2', 'O3', 'O4', 'O5', 'O6', 'O7', 'O8', 'O9',
  'N1', 'N2', 'N3', 'N4', 'N5', 'N6', 'D1', 'D2', 'D3', 'X1', 'X2',
] // prettier-ignore

/**
 * Gateway vendors whose smart hosts and ranges are legitimate when the admin has a contract
 * (brief §4.5): lowered, never silenced, because only the admin can confirm the contract.
 */
const VENDOR_DOMAINS = [
  'pphosted.com',
  'ppe-hosted.com',
  'mimecast.com',
  'messagelabs.com',
  'mailcontrol.com',
  'iphmx.com',
  'barracudanetworks.com',
  'trendmicro.com',
  'trendmicro.eu',
  'sophos.com',
  'hornetsecurity.com',
]

type Obj = TenantObject

interface Ctx {
  readonly objects: TenantObjects
  readonly ndr: NdrCrossCheck | undefined
  readonly now: number | undefined
  readonly recentDays: number
  readonly knownRanges: readonly IpRange[]
  readonly knownHosts: readonly string[]
  readonly accepted: readonly {
    readonly domain: string
    readonly sub: boolean
    readonly obj: Obj
  }[]
  /** Accepted domains without a leading `*.`, and their lengths (isUnderAcceptedDomain). */
  readonly acceptedBases: ReadonlySet<string>
  readonly acceptedLengths: readonly number[]
  /** Accepted domains other than `*.onmicrosoft.com` (I15). */
  readonly ownDomains: number
  /** Enabled OnPremises inbound connectors (O7). */
  readonly onPremInbound: readonly Obj[]
  readonly findings: Finding[]
  readonly cannotTell: Map<string, { obj: Obj; prop: string; raw: string; rules: Set<RuleId> }>
  readonly missingExports: Map<string, Set<RuleId>>
}

function keys(
  rule: RuleId,
  variant?: string,
): Pick<Finding, 'titleKey' | 'messageKey' | 'whyKey' | 'fixKey'> {
  const base = `audit:rules.${rule}`
  return {
    titleKey: `${base}.title`,
    messageKey: `${base}.${variant ?? 'message'}`,
    whyKey: `${base}.why`,
    fixKey: `${base}.fix`,
  }
}

function finding(
  rule: RuleId,
  severity: Severity,
  target: { type: FindingObjectType; name: string },
  property: string,
  value: string,
  params: IssueParams = {},
  variant?: string,
): Finding {
  return {
    rule,
    severity,
    objectType: target.type,
    object: target.name,
    property,
    value,
    ...keys(rule, variant),
    params: { object: target.name, property, value, ...params },
    explainsNdr: false,
  }
}

function add(
  ctx: Ctx,
  rule: RuleId,
  severity: Severity,
  target: { type: FindingObjectType; name: string },
  property: string,
  value: string,
  params: IssueParams = {},
  variant?: string,
): void {
  ctx.findings.push(finding(rule, severity, target, property, value, params, variant))
}

/**
 * How many other objects a finding names in its text. Exports hold up to `LIMITS.maxObjects`
 * objects per file and twenty files per import: a message listing every one of them would be
 * megabytes, and one finding per pair of them would be millions (I13 once was).
 */
const NAMED = 5

/** `A, B, C, D, E, …`: the first NAMED names, an ellipsis when there are more. */
function nameList(names: readonly string[]): string {
  return names.length > NAMED ? [...names.slice(0, NAMED), '…'].join(', ') : names.join(', ')
}

const of = (o: Obj): { type: FindingObjectType; name: string } => ({
  type: o.type,
  name: o.identity,
})

/** Reads a property a rule needs; a value the export lost is recorded as "cannot tell" (X1). */
function need(ctx: Ctx, o: Obj, prop: string, rule: RuleId): PropValue {
  const v = getProp(o.props, prop)
  if (v.kind === 'unknowable') {
    const key = `${o.type}\u0000${o.identity}\u0000${prop}`
    const entry = ctx.cannotTell.get(key) ?? { obj: o, prop, raw: v.raw, rules: new Set<RuleId>() }
    entry.rules.add(rule)
    ctx.cannotTell.set(key, entry)
  }
  return v
}

function missingExport(ctx: Ctx, cmdlet: string, rule: RuleId): void {
  const set = ctx.missingExports.get(cmdlet) ?? new Set<RuleId>()
  set.add(rule)
  ctx.missingExports.set(cmdlet, set)
}

const isTrue = (v: PropValue): boolean => v.kind === 'bool' && v.value
const isFalse = (v: PropValue): boolean => v.kind === 'bool' && !v.value
const textIs = (v: PropValue, s: string): boolean =>
  v.kind === 'text' && v.value.toLowerCase() === s.toLowerCase()
const items = (v: PropValue): readonly string[] => (v.kind === 'list' ? v.items : [])
const isEmptyText = (v: PropValue): boolean =>
  v.kind === 'null' || (v.kind === 'text' && v.value.trim() === '')

/** Whole days for a message, as `days` and as i18next's plural `count` ("1 day", "3 days"). */
function dayCount(age: number | undefined): { days: number; count: number } {
  const days = Math.max(0, Math.floor(age ?? 0))
  return { days, count: days }
}

function ageDays(ctx: Ctx, v: PropValue): number | undefined {
  if (v.kind !== 'date' || ctx.now === undefined) return undefined
  return (ctx.now - v.ms) / DAY
}

function isRecent(ctx: Ctx, v: PropValue): boolean {
  const age = ageDays(ctx, v)
  return age !== undefined && age >= -1 && age <= ctx.recentDays
}

function isAcceptedDomain(ctx: Ctx, domain: string): boolean {
  const d = cleanDomain(domain)
  return ctx.accepted.some(
    (a) =>
      a.domain === d ||
      (a.domain.startsWith('*.') && isSubdomainOf(d, a.domain.slice(2))) ||
      (a.sub && isSubdomainOf(d, a.domain)),
  )
}

/**
 * Equal to an accepted domain or a subdomain of one. Looked up by suffix instead of scanning the
 * accepted domains: it runs for every connector and smart host, and an import can carry thousands
 * of each. Only suffixes as long as some accepted domain are hashed, so a hostile long value costs
 * one character test per distinct length.
 */
function isUnderAcceptedDomain(ctx: Ctx, domain: string): boolean {
  const d = cleanDomain(domain).replace(/^\*\./, '')
  if (ctx.acceptedBases.has(d)) return true
  return ctx.acceptedLengths.some(
    (n) =>
      n < d.length && d[d.length - n - 1] === '.' && ctx.acceptedBases.has(d.slice(d.length - n)),
  )
}

function isKnownIp(ctx: Ctx, entry: string): boolean {
  const range = parseRange(entry)
  return range !== undefined && ctx.knownRanges.some((k) => contains(k, range))
}

/** HCW-made connector: source HybridWizard (brief §4.5; GUID naming is typical but unverified). */
function isHybridWizard(o: Obj): boolean {
  return textIs(getProp(o.props, 'ConnectorSource'), 'HybridWizard')
}

const HCW_NAME =
  /^(?:Inbound from|Outbound to) [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

function entropy(s: string): number {
  const counts = new Map<string, number>()
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1)
  let h = 0
  for (const n of counts.values()) h -= (n / s.length) * Math.log2(n / s.length)
  return h
}

/**
 * I12 heuristic (no Microsoft source): a 6–16 character alphanumeric name with near-maximal
 * character entropy that mixes digits or inner capitals with letters (`xK9qLm2Tz` in brief §3.7),
 * so vendor words like "Mimecast" or "Office365" stay quiet. HCW names are excluded.
 */
export function looksRandom(name: string): boolean {
  if (HCW_NAME.test(name) || !/^[A-Za-z0-9]{6,16}$/.test(name)) return false
  const mixed = /\d/.test(name) && /[A-Za-z]/.test(name)
  const innerCaps = (name.slice(1).match(/[A-Z]/g) ?? []).length >= 2 && /[a-z]/.test(name)
  if (!mixed && !innerCaps) return false
  return entropy(name) >= Math.min(3.5, 0.95 * Math.log2(name.length))
}

function inbound(ctx: Ctx, o: Obj, fired: Set<RuleId>): void {
  const fire = (
    rule: RuleId,
    ...rest: Parameters<typeof add> extends [Ctx, RuleId, ...infer R] ? R : never
  ): void => {
    fired.add(rule)
    add(ctx, rule, ...rest)
  }
  const type = getProp(o.props, 'ConnectorType')
  const onPrem = textIs(type, 'OnPremises')
  const partner = textIs(type, 'Partner')
  const source = getProp(o.props, 'ConnectorSource')
  const created = need(ctx, o, 'WhenCreatedUTC', 'I1')
  const changed = need(ctx, o, 'WhenChangedUTC', 'I2')
  const hcw = isHybridWizard(o)

  // I1: exactly the object type attackers create (brief §4.0, §4.1).
  if (onPrem && !hcw && isRecent(ctx, created)) {
    fire('I1', 'high', of(o), 'WhenCreatedUTC', valueText(created), {
      ...dayCount(ageDays(ctx, created)),
      source: valueText(source) || '—',
    })
  }
  // I2: changed recently and well after creation. HCW re-runs change connectors legitimately
  // (certificate renewals, brief §4.5), so those are lowered to Info rather than silenced.
  if (
    isRecent(ctx, changed) &&
    created.kind === 'date' &&
    changed.kind === 'date' &&
    changed.ms - created.ms > DAY
  ) {
    fire('I2', hcw ? 'info' : 'medium', of(o), 'WhenChangedUTC', valueText(changed), {
      ...dayCount(ageDays(ctx, changed)),
      created: valueText(created),
    })
  }
  const ipsValue = need(ctx, o, 'SenderIPAddresses', 'I3')
  const ips = items(ipsValue)
  // I3: unknown sender IPs. Without an admin list, only a new or changed connector's IPs are
  // raised (the brief's first triage question, §4.1), so a quiet tenant is not flooded.
  if (ips.length > 0) {
    const recent = fired.has('I1') || fired.has('I2')
    if (ctx.knownRanges.length > 0) {
      const unknown = ips.filter((ip) => !isKnownIp(ctx, ip))
      if (unknown.length > 0)
        fire('I3', recent ? 'high' : 'medium', of(o), 'SenderIPAddresses', unknown.join(', '))
    } else if (recent) {
      fire('I3', 'high', of(o), 'SenderIPAddresses', ips.join(', '), {}, 'unverified')
    }
  }
  // I4: breadth. /24 is the widest mask the cmdlet takes, so breadth shows up as many prefixes
  // (brief §4.1); a vendor gateway needs them (§4.5): admin-confirmed ranges are exempt.
  const ranges = ips
    .filter((ip) => !isKnownIp(ctx, ip))
    .map(parseRange)
    .filter((x) => x !== undefined)
  const addresses = ranges.reduce((n, rg) => n + rangeSize(rg), 0)
  const networks = new Set(ranges.map((rg) => Math.floor(rg.start / 65536))).size
  if (addresses >= 512 || networks >= 3) {
    const ef =
      isTrue(getProp(o.props, 'EFSkipLastIP')) || items(getProp(o.props, 'EFSkipIPs')).length > 0
    fire('I4', partner && ef ? 'low' : 'medium', of(o), 'SenderIPAddresses', ips.join(', '), {
      addresses,
      networks,
      // i18next picks "1 network" or "3 networks" from `count`.
      count: networks,
    })
  }
  const cert = need(ctx, o, 'TlsSenderCertificateName', 'I5')
  // I5: certificate identification is preferred over IP (brief §4.1).
  if (onPrem && isEmptyText(cert) && ips.length > 0)
    fire('I5', 'low', of(o), 'TlsSenderCertificateName', '')
  // I6: certificate domain not owned by the tenant.
  if (cert.kind === 'text' && cert.value.trim() !== '') {
    if (ctx.objects.AcceptedDomain.length === 0) missingExport(ctx, 'Get-AcceptedDomain', 'I6')
    else if (!isUnderAcceptedDomain(ctx, cert.value))
      fire('I6', 'medium', of(o), 'TlsSenderCertificateName', cert.value)
  }
  // I7: Partner connector for every domain that restricts nothing. `smtp:*;1` alone is normal on
  // OnPremises and HCW connectors (brief §4.5), hence the Partner condition.
  const domains = need(ctx, o, 'SenderDomains', 'I7')
  const restrictIp = getProp(o.props, 'RestrictDomainsToIPAddresses')
  const restrictCert = getProp(o.props, 'RestrictDomainsToCertificate')
  if (
    partner &&
    items(domains).some((d) => cleanDomain(d) === '*') &&
    isFalse(restrictIp) &&
    isFalse(restrictCert)
  ) {
    fire('I7', 'medium', of(o), 'SenderDomains', items(domains).join(', '))
  }
  // I8: Partner connector without TLS.
  const tls = getProp(o.props, 'RequireTls')
  if (partner && isFalse(tls)) fire('I8', 'medium', of(o), 'RequireTls', 'False')
  // I9: internal mail skips anti-spam; impossible with CloudServicesMailEnabled or a Partner type.
  const csme = getProp(o.props, 'CloudServicesMailEnabled')
  if (isTrue(getProp(o.props, 'TreatMessagesAsInternal'))) {
    const impossible = isTrue(csme) || partner
    fire(
      'I9',
      'high',
      of(o),
      'TreatMessagesAsInternal',
      'True',
      {},
      impossible ? 'impossible' : undefined,
    )
  }
  // I10: set by hand instead of by the HCW; lowered when the connector is old (brief §4.1 note).
  if (isTrue(csme) && !hcw) {
    const age = ageDays(ctx, created)
    fire(
      'I10',
      age !== undefined && age > 365 ? 'low' : 'medium',
      of(o),
      'CloudServicesMailEnabled',
      'True',
      {
        source: valueText(source) || '—',
      },
    )
  }
  // I11: Enhanced Filtering skip list (brief §3.1 constraints).
  for (const prop of ['EFSkipIPs', 'DetectSenderIPBySkippingTheseIPs']) {
    const bad: string[] = []
    for (const entry of items(need(ctx, o, prop, 'I11'))) {
      const rg = parseRange(entry)
      if (!rg) continue
      if (
        rangeSize(rg) > 256 ||
        PRIVATE_RANGES.some((p) => overlaps(p, rg)) ||
        MICROSOFT365_RANGES.some((m) => overlaps(m, rg))
      ) {
        bad.push(entry)
      }
    }
    if (bad.length > 0) fire('I11', 'medium', of(o), prop, bad.join(', '))
  }
  if (
    isTrue(getProp(o.props, 'EFSkipLastIP')) &&
    ctx.knownRanges.length > 0 &&
    ips.some((ip) => !isKnownIp(ctx, ip))
  ) {
    fire('I11', 'medium', of(o), 'EFSkipLastIP', 'True', {}, 'skipLastIp')
  }
  // I15: hardening hint, only when the tenant has several real domains.
  const assoc = need(ctx, o, 'AssociatedAcceptedDomains', 'I15')
  const ownDomains = ctx.ownDomains
  if (
    onPrem &&
    assoc.kind === 'list' &&
    assoc.items.length === 0 &&
    !assoc.truncated &&
    ownDomains >= 3
  ) {
    fire('I15', 'info', of(o), 'AssociatedAcceptedDomains', '', { domains: ownDomains })
  }
}

function common(ctx: Ctx, o: Obj): void {
  // I12: random-looking name with no meaningful comment.
  const name = getProp(o.props, 'Name')
  const comment = getProp(o.props, 'Comment')
  const commentText = comment.kind === 'text' ? comment.value.trim() : ''
  if (name.kind === 'text' && looksRandom(name.value) && !/\s/.test(commentText)) {
    add(ctx, 'I12', 'low', of(o), 'Name', name.value, { comment: commentText || '—' })
  }
  // I14: disabled but changed recently (toggling to evade review).
  const changed = getProp(o.props, 'WhenChangedUTC')
  if (isFalse(getProp(o.props, 'Enabled')) && isRecent(ctx, changed)) {
    add(ctx, 'I14', 'info', of(o), 'Enabled', 'False', { changed: valueText(changed) })
  }
}

/** One sender IP entry of an enabled inbound connector, parsed once (I13). */
interface IpEntry {
  /** Index of the connector in the enabled list (import order). */
  readonly conn: number
  readonly text: string
  readonly start: number
  readonly end: number
}

/** A running best value of the I13 sweeps, with the connector it came from. */
interface Best {
  readonly conn: number
  readonly at: number
}

type Top = readonly [Best | undefined, Best | undefined]

/**
 * The best two values from two different connectors: whatever the current entry's connector, one
 * of them comes from another connector, which is all the overlap test needs.
 */
function keepTwo(top: Top, next: Best, better: (x: number, y: number) => boolean): Top {
  const [a, b] = top
  if (!a) return [next, b]
  if (a.conn === next.conn) return [better(next.at, a.at) ? next : a, b]
  if (better(next.at, a.at)) return [next, a]
  if (!b || better(next.at, b.at)) return [a, next]
  return [a, b]
}

/**
 * For each entry of a cluster sorted by start: does it overlap an entry of another connector?
 * An earlier entry (start ≤ this start) overlaps when it ends at or after this start; a later one
 * when it starts at or before this end. Two sweeps, keeping the best two other-connector values.
 */
function touchesOther(cluster: readonly IpEntry[]): boolean[] {
  const out = cluster.map(() => false)
  let top: Top = [undefined, undefined]
  for (let i = 0; i < cluster.length; i++) {
    const e = cluster[i]!
    const other = top[0]?.conn !== e.conn ? top[0] : top[1]
    if (other && other.at >= e.start) out[i] = true
    top = keepTwo(top, { conn: e.conn, at: e.end }, (x, y) => x > y)
  }
  top = [undefined, undefined]
  for (let i = cluster.length - 1; i >= 0; i--) {
    const e = cluster[i]!
    const other = top[0]?.conn !== e.conn ? top[0] : top[1]
    if (other && other.at <= e.end) out[i] = true
    top = keepTwo(top, { conn: e.conn, at: e.start }, (x, y) => x < y)
  }
  return out
}

/** Most entries an I13 finding quotes as evidence. */
const EVIDENCE = 10

interface OverlapGroup {
  readonly members: readonly number[]
  readonly values: string[]
  readonly seen: Set<string>
  more: boolean
}

/**
 * I13: one finding per group of enabled inbound connectors that share a source, on the group's
 * first connector (import order), naming a few of the others with the group's size, and listing
 * all of them in `related` so the report marks every member. One finding per pair made n²/2
 * findings for n connectors sharing an address (124,750 for 500, past the worker's 30 s).
 */
function overlapping(ctx: Ctx): void {
  const enabled = ctx.objects.InboundConnector.filter((o) => !isFalse(getProp(o.props, 'Enabled')))
  const emit = (members: readonly Obj[], property: string, value: string): void => {
    const [first, ...others] = members
    if (!first || others.length === 0) return
    const names = others.map((o) => o.identity)
    ctx.findings.push({
      ...finding('I13', 'info', of(first), property, value, {
        others: nameList(names),
        count: members.length,
      }),
      related: names,
    })
  }

  // Sender IP ranges: each connector's entries parsed once, sorted by start and swept into
  // clusters of overlapping entries; connectors whose entries meet in a cluster share a source.
  // A chain (A's range meets B's, B's meets C's) is one group: one block of addresses that more
  // than one connector claims.
  const entries: IpEntry[] = []
  enabled.forEach((o, conn) => {
    for (const text of items(getProp(o.props, 'SenderIPAddresses'))) {
      const rg = parseRange(text)
      if (rg) entries.push({ conn, text: text.trim(), start: rg.start, end: rg.end })
    }
  })
  entries.sort((a, b) => a.start - b.start || a.end - b.end || a.conn - b.conn)
  // Clusters with the same connectors make one group: two connectors listing the same ten
  // addresses are one finding with ten entries of evidence, as the pair used to be.
  const groups = new Map<string, OverlapGroup>()
  let from = 0
  while (from < entries.length) {
    let to = from + 1
    let reach = entries[from]!.end
    while (to < entries.length && entries[to]!.start <= reach) {
      reach = Math.max(reach, entries[to]!.end)
      to++
    }
    const cluster = entries.slice(from, to)
    from = to
    const members = [...new Set(cluster.map((e) => e.conn))].sort((a, b) => a - b)
    if (members.length < 2) continue
    const key = members.join(',')
    const group = groups.get(key) ?? { members, values: [], seen: new Set<string>(), more: false }
    groups.set(key, group)
    // Evidence: the entries that meet another connector's (not one overlapping only its own).
    const shared = touchesOther(cluster)
    cluster.forEach((e, i) => {
      if (!shared[i] || group.seen.has(e.text)) return
      if (group.values.length < EVIDENCE) {
        group.seen.add(e.text)
        group.values.push(e.text)
      } else group.more = true
    })
  }
  for (const g of groups.values()) {
    emit(
      g.members.map((i) => enabled[i]!),
      'SenderIPAddresses',
      [...g.values, ...(g.more ? ['…'] : [])].join(', '),
    )
  }

  // Certificates: connectors grouped by the cleaned certificate name.
  const byCert = new Map<string, Obj[]>()
  for (const o of enabled) {
    const cert = getProp(o.props, 'TlsSenderCertificateName')
    if (cert.kind !== 'text' || cert.value.trim() === '') continue
    const key = cleanDomain(cert.value)
    if (key === '') continue
    const list = byCert.get(key)
    if (list) list.push(o)
    else byCert.set(key, [o])
  }
  for (const members of byCert.values()) {
    const cert = getProp(members[0]!.props, 'TlsSenderCertificateName')
    emit(members, 'TlsSenderCertificateName', cert.kind === 'text' ? cert.value : '')
  }
}

function hostIsVendor(host: string): boolean {
  const h = cleanDomain(host)
  return VENDOR_DOMAINS.some((v) => h === v || isSubdomainOf(h, v))
}

function hostIsKnown(ctx: Ctx, host: string): boolean {
  const h = cleanDomain(host)
  if (parseIpv4(h) !== undefined || h.includes('/')) {
    const rg = parseRange(h)
    return (
      (rg !== undefined && ctx.knownRanges.some((k) => contains(k, rg))) ||
      ctx.knownHosts.includes(h)
    )
  }
  return ctx.knownHosts.some((k) => h === k || isSubdomainOf(h, k)) || isUnderAcceptedDomain(ctx, h)
}

function outbound(ctx: Ctx, o: Obj): void {
  const created = need(ctx, o, 'WhenCreatedUTC', 'O1')
  // O1: a new outbound connector is what connector monitoring alerts on (brief §4.2).
  if (isRecent(ctx, created)) {
    add(ctx, 'O1', 'high', of(o), 'WhenCreatedUTC', valueText(created), {
      ...dayCount(ageDays(ctx, created)),
    })
  }
  const useMx = getProp(o.props, 'UseMXRecord')
  const smart = isFalse(useMx)
  let divertedTo: string[] = []
  if (smart) {
    const hosts = items(need(ctx, o, 'SmartHosts', 'O2')).filter((h) => !hostIsKnown(ctx, h))
    const vendor = hosts.filter(hostIsVendor)
    divertedTo = hosts.filter((h) => !hostIsVendor(h))
    // O2: mail diverted to a host nobody vouched for; a known gateway vendor is lowered (§4.5).
    if (divertedTo.length > 0) add(ctx, 'O2', 'high', of(o), 'SmartHosts', divertedTo.join(', '))
    else if (vendor.length > 0)
      add(ctx, 'O2', 'low', of(o), 'SmartHosts', vendor.join(', '), {}, 'vendor')
    // O3: everything outbound goes to that host.
    const recipients = need(ctx, o, 'RecipientDomains', 'O3')
    const all = isTrue(getProp(o.props, 'AllAcceptedDomains'))
    const star = items(recipients).some((d) => cleanDomain(d) === '*')
    if (divertedTo.length > 0 && (star || all)) {
      add(
        ctx,
        'O3',
        'high',
        of(o),
        star ? 'RecipientDomains' : 'AllAcceptedDomains',
        star ? '*' : 'True',
        {
          hosts: divertedTo.join(', '),
        },
      )
    }
    // O5: only CertificateValidation/DomainValidation authenticate the smart host.
    const tls = getProp(o.props, 'TlsSettings')
    if (tls.kind === 'null' || isEmptyText(tls) || textIs(tls, 'EncryptionOnly')) {
      add(ctx, 'O5', 'medium', of(o), 'TlsSettings', valueText(tls))
    }
  }
  // O4: used only through a mail flow rule: selective diversion.
  if (isTrue(getProp(o.props, 'IsTransportRuleScoped')))
    add(ctx, 'O4', 'medium', of(o), 'IsTransportRuleScoped', 'True')
  // O6: downgrade protection off.
  for (const prop of ['MtaStsMode', 'SmtpDaneMode']) {
    const v = getProp(o.props, prop)
    if (textIs(v, 'None')) add(ctx, 'O6', 'medium', of(o), prop, 'None')
  }
  // O7: centralized transport without a way back in (5.4.14 loops).
  if (isTrue(getProp(o.props, 'RouteAllMessagesViaOnPremises'))) {
    const inb = ctx.objects.InboundConnector
    const onPrem = ctx.onPremInbound
    if (inb.length === 0) missingExport(ctx, 'Get-InboundConnector', 'O7')
    else if (onPrem.length === 0)
      add(ctx, 'O7', 'info', of(o), 'RouteAllMessagesViaOnPremises', 'True')
    else if (onPrem.every((c) => items(getProp(c.props, 'AssociatedAcceptedDomains')).length > 0)) {
      add(ctx, 'O7', 'info', of(o), 'RouteAllMessagesViaOnPremises', 'True', {
        other: nameList(onPrem.map((c) => c.identity)),
      }, 'scoped') // prettier-ignore
    }
  }
  // O8: enabled but never validated.
  if (!isFalse(getProp(o.props, 'Enabled')) && isFalse(getProp(o.props, 'IsValidated'))) {
    add(ctx, 'O8', 'info', of(o), 'IsValidated', 'False', {
      validated: valueText(getProp(o.props, 'LastValidationTimestamp')) || '—',
    })
  }
  // O9: test mode (may be hidden from default listings, brief §3.2).
  if (isTrue(getProp(o.props, 'TestMode'))) add(ctx, 'O9', 'info', of(o), 'TestMode', 'True')
}

function domains(ctx: Ctx): void {
  // D1: Internal Relay needs a connector to your own servers (and turns off DBEB).
  const outboundOnPrem = ctx.objects.OutboundConnector.filter((c) =>
    textIs(getProp(c.props, 'ConnectorType'), 'OnPremises'),
  )
  for (const d of ctx.objects.AcceptedDomain) {
    if (!textIs(getProp(d.props, 'DomainType'), 'InternalRelay')) continue
    if (ctx.objects.OutboundConnector.length === 0)
      missingExport(ctx, 'Get-OutboundConnector', 'D1')
    else if (outboundOnPrem.length === 0)
      add(ctx, 'D1', 'medium', of(d), 'DomainType', 'InternalRelay')
  }
  // D3: a domain added recently together with a new connector (correlation heuristic). The
  // connectors' creation times are read and sorted once; each new domain finds its window by
  // binary search and names the connectors created closest to it (a few, not all of them).
  const byTime = [...ctx.objects.InboundConnector, ...ctx.objects.OutboundConnector]
    .flatMap((c) => {
      const v = getProp(c.props, 'WhenCreatedUTC')
      return v.kind === 'date' ? [{ ms: v.ms, name: c.identity }] : []
    })
    .sort((a, b) => a.ms - b.ms)
  /** Index of the first connector created after `ms` (or at it, unless `after`). */
  const firstFrom = (ms: number, after = false): number => {
    let lo = 0
    let hi = byTime.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (byTime[mid]!.ms < ms || (after && byTime[mid]!.ms === ms)) lo = mid + 1
      else hi = mid
    }
    return lo
  }
  const window = ctx.recentDays * DAY
  for (const d of ctx.objects.AcceptedDomain) {
    const created = getProp(d.props, 'WhenCreatedUTC')
    if (created.kind !== 'date' || !isRecent(ctx, created)) continue
    const lo = firstFrom(created.ms - window)
    // Both ends inclusive, as `|Δ| <= window`.
    const end = firstFrom(created.ms + window, true)
    if (end <= lo) continue
    // The NAMED closest in time, walking out from the domain's own instant; listed in time order.
    let left = firstFrom(created.ms) - 1
    let right = left + 1
    while (right - left - 1 < Math.min(NAMED, end - lo)) {
      const takeLeft =
        left >= lo &&
        (right >= end || created.ms - byTime[left]!.ms <= byTime[right]!.ms - created.ms)
      if (takeLeft) left--
      else right++
    }
    const near = byTime.slice(left + 1, right).map((c) => c.name)
    add(ctx, 'D3', 'medium', of(d), 'WhenCreatedUTC', valueText(created), {
      other: end - lo > near.length ? `${near.join(', ')}, …` : near.join(', '),
    })
  }
}

/** Every enhanced status code the NDR carries (status fields first, then diagnostic text). */
export function ndrCodes(ndr: NdrCrossCheck): string[] {
  const out: string[] = []
  const push = (s: string | undefined): void => {
    if (!s) return
    for (const m of s.slice(0, 2000).matchAll(/\b([245]\.\d{1,3}\.\d{1,3})\b/g))
      if (!out.includes(m[1]!)) out.push(m[1]!)
  }
  push(ndr.status)
  for (const r of ndr.recipients ?? []) push(r.status)
  push(ndr.diagnostic)
  for (const r of ndr.recipients ?? []) push(r.diagnostic)
  return out
}

function ndrText(ndr: NdrCrossCheck): string {
  return [ndr.diagnostic ?? '', ...(ndr.recipients ?? []).map((r) => r.diagnostic ?? '')]
    .join('\n')
    .slice(0, 10_000)
}

const COMPROMISE_CODES = ['5.1.8', '5.1.90', '5.7.705', '5.7.711', '5.7.750', '5.7.708']

function ndrRules(ctx: Ctx, ndr: NdrCrossCheck): void {
  const codes = ndrCodes(ndr)
  const code = codes[0] ?? ''
  const target = { type: 'Ndr' as const, name: code || 'NDR' }
  const quota = /submission quota/i.test(ndrText(ndr))
  // N4: compromise-class code (brief §1.2, §1.8, §1.9); 5.7.708 on a trial tenant is expected (§4.5).
  const hit = codes.find(
    (c) => COMPROMISE_CODES.includes(c) && !(c === '5.7.708' && ndr.trialTenant === true),
  )
  if (hit) add(ctx, 'N4', 'high', { ...target, name: hit }, 'status', hit, { code: hit })
  else if (quota)
    add(ctx, 'N4', 'high', target, 'diagnostic', 'submission quota', { code: code || '—' })

  // N1: the 5.7.750 story: sender domains (P1 and P2) against the accepted domains.
  const senderDomains = [ndr.fromDomain, ndr.mailFromDomain, ndr.senderDomain]
    .filter((d): d is string => typeof d === 'string' && d.trim() !== '')
    .map(cleanDomain)
    .filter((d, i, a) => a.indexOf(d) === i)
  if (senderDomains.length > 0) {
    if (ctx.objects.AcceptedDomain.length === 0) missingExport(ctx, 'Get-AcceptedDomain', 'N1')
    else if (!senderDomains.some((d) => isAcceptedDomain(ctx, d))) {
      const strong = codes.some((c) => c === '5.7.750' || c === '5.7.23' || c === '5.7.367')
      add(ctx, 'N1', strong ? 'high' : 'medium', target, 'senderDomain', senderDomains.join(', '), {
        code: code || '—',
      })
    }
  }
  // N2: P1/P2 mismatch on mail that entered through an OnPremises connector.
  const named = ndr.connectorName ? findConnector(ctx, ndr.connectorName) : undefined
  const viaOnPrem =
    ndr.viaOnPremisesConnector === true ||
    (named !== undefined &&
      named.type === 'InboundConnector' &&
      textIs(getProp(named.props, 'ConnectorType'), 'OnPremises'))
  if (
    ndr.fromDomain &&
    ndr.mailFromDomain &&
    viaOnPrem &&
    !sameOrgDomain(ndr.fromDomain, ndr.mailFromDomain)
  ) {
    add(
      ctx,
      'N2',
      'medium',
      target,
      'From / MAIL FROM',
      `${cleanDomain(ndr.fromDomain)} / ${cleanDomain(ndr.mailFromDomain)}`,
    )
  }
  // N3: relay source matched by no connector.
  if (ndr.relayIp && parseIpv4(ndr.relayIp) !== undefined) {
    const inb = ctx.objects.InboundConnector
    if (inb.length === 0) missingExport(ctx, 'Get-InboundConnector', 'N3')
    else {
      const ip = parseRange(ndr.relayIp)!
      const matched = inb.some((c) => {
        const list = need(ctx, c, 'SenderIPAddresses', 'N3')
        return items(list).some((s) => {
          const rg = parseRange(s)
          return rg !== undefined && contains(rg, ip)
        })
      })
      const certConnector = inb.some((c) => {
        const v = getProp(c.props, 'TlsSenderCertificateName')
        return v.kind === 'text' && v.value.trim() !== ''
      })
      const unknowable = inb.some(
        (c) => getProp(c.props, 'SenderIPAddresses').kind === 'unknowable',
      )
      if (!matched && !certConnector && !unknowable)
        add(ctx, 'N3', 'medium', target, 'relayIp', ndr.relayIp.trim())
    }
  }
  // N5: the sender's own tenant generated the block although the text blames the recipient.
  const ownBlock = codes.find((c) => /^5\.7\.7\d\d$/.test(c) || c === '5.1.8')
  if (ownBlock && ndr.generatingServer && /\.outlook\.com\.?$/i.test(ndr.generatingServer.trim())) {
    add(
      ctx,
      'N5',
      'info',
      { ...target, name: ownBlock },
      'generatingServer',
      ndr.generatingServer.trim(),
      {
        code: ownBlock,
      },
    )
  }
  // N6: the connector the NDR names is not in the exports (hidden by the default filters of
  // Get-OutboundConnector, brief §3.2, or deleted since).
  if (ndr.connectorName && ndr.connectorName.trim() !== '' && !named) {
    const any = ctx.objects.InboundConnector.length + ctx.objects.OutboundConnector.length
    if (any === 0) missingExport(ctx, 'Get-InboundConnector', 'N6')
    else add(ctx, 'N6', 'medium', target, 'connectorName', ndr.connectorName.trim().slice(0, 300))
  }
  // D2: production mail from the initial *.onmicrosoft.com domain.
  const initial = senderDomains.find(
    (d) =>
      d.endsWith('.onmicrosoft.com') ||
      ctx.accepted.some((a) => a.domain === d && isTrue(getProp(a.obj.props, 'InitialDomain'))),
  )
  if (initial) add(ctx, 'D2', 'low', target, 'senderDomain', initial)
}

function findConnector(ctx: Ctx, name: string): Obj | undefined {
  const n = name.trim().toLowerCase()
  return [...ctx.objects.InboundConnector, ...ctx.objects.OutboundConnector].find((c) =>
    [c.identity, valueText(getProp(c.props, 'Identity')), valueText(getProp(c.props, 'Guid'))].some(
      (x) => x.trim().toLowerCase() === n,
    ),
  )
}

/** Rules that explain a bounce, by code family (brief §1.8, §4.3 and the articles cited there). */
function relevantRules(codes: readonly string[]): Set<RuleId> {
  const set = new Set<RuleId>(['N1', 'N2', 'N3', 'N4', 'N5', 'N6', 'D2', 'X2'])
  for (const c of codes) {
    if (/^5\.7\.7\d\d$/.test(c) || c === '5.1.8' || c === '5.1.90' || c === '5.2.2') {
      for (const r of [
        'I1',
        'I2',
        'I3',
        'I4',
        'I7',
        'I9',
        'I12',
        'I14',
        'O1',
        'O2',
        'O3',
        'O4',
        'D3',
      ] as const)
        set.add(r)
    }
    if (c === '5.7.750' || c === '5.7.23' || c === '5.7.367')
      for (const r of ['I6', 'D3'] as const) set.add(r)
    if (c === '5.7.64' || c === '4.7.500' || /^4\.7\.[5-6]\d\d$/.test(c)) {
      for (const r of ['I3', 'I5', 'I6', 'I13'] as const) set.add(r)
    }
    if (/^5\.4\.([6-9]|1\d|20)$/.test(c)) for (const r of ['O7', 'D1'] as const) set.add(r)
  }
  return set
}

function latestTimestamp(objects: TenantObjects): number | undefined {
  let max: number | undefined
  for (const list of [
    objects.InboundConnector,
    objects.OutboundConnector,
    objects.AcceptedDomain,
  ]) {
    for (const o of list) {
      for (const p of ['WhenChangedUTC', 'WhenCreatedUTC']) {
        const v = getProp(o.props, p)
        if (v.kind === 'date' && (max === undefined || v.ms > max)) max = v.ms
      }
    }
  }
  return max
}

function safeObjects(objects: TenantObjects | undefined): TenantObjects {
  const arr = (v: unknown): readonly TenantObject[] =>
    Array.isArray(v) ? (v as TenantObject[]) : []
  return {
    InboundConnector: arr(objects?.InboundConnector),
    OutboundConnector: arr(objects?.OutboundConnector),
    AcceptedDomain: arr(objects?.AcceptedDomain),
  }
}

/**
 * Runs every red-flag check of brief §4.1–4.3 with the guards of §4.5 and ranks the findings:
 * those that explain the case's NDR first, then by severity. "Now" is `options.now`, floored by
 * the newest timestamp in the exports (brief §4.1). Never throws.
 */
export function auditTenant(
  objectsIn: TenantObjects,
  ndr?: NdrCrossCheck,
  options: AuditOptions = {},
): readonly Finding[] {
  const objects = safeObjects(objectsIn)
  const latest = latestTimestamp(objects)
  const now =
    options.now !== undefined && Number.isFinite(options.now)
      ? Math.max(options.now, latest ?? options.now)
      : latest
  const known = (options.knownIps ?? []).map(parseRange).filter((x) => x !== undefined)
  const accepted = objects.AcceptedDomain.map((obj) => {
    const d = getProp(obj.props, 'DomainName')
    const domain = d.kind === 'text' && d.value.trim() !== '' ? d.value : obj.identity
    return { domain: cleanDomain(domain), sub: isTrue(getProp(obj.props, 'MatchSubDomains')), obj }
  })
  const bases = new Set(accepted.map((a) => a.domain.replace(/^\*\./, '')))
  const ctx: Ctx = {
    objects,
    ndr,
    now,
    recentDays:
      options.recentDays !== undefined && options.recentDays > 0 ? options.recentDays : 30,
    knownRanges: known,
    knownHosts: (options.knownSmartHosts ?? []).map(cleanDomain),
    accepted,
    acceptedBases: bases,
    acceptedLengths: [...new Set([...bases].map((b) => b.length))],
    ownDomains: accepted.filter((a) => !a.domain.endsWith('.onmicrosoft.com')).length,
    onPremInbound: objects.InboundConnector.filter(
      (c) =>
        textIs(getProp(c.props, 'ConnectorType'), 'OnPremises') &&
        !isFalse(getProp(c.props, 'Enabled')),
    ),
    findings: [],
    cannotTell: new Map(),
    missingExports: new Map(),
  }
  try {
    for (const o of objects.InboundConnector) {
      inbound(ctx, o, new Set())
      common(ctx, o)
    }
    overlapping(ctx)
    for (const o of objects.OutboundConnector) {
      outbound(ctx, o)
      common(ctx, o)
    }
    domains(ctx)
    if (ndr) ndrRules(ctx, ndr)
  } catch {
    // The rules are written not to throw; a bug must not take the import view down with it.
  }
  for (const e of ctx.cannotTell.values()) {
    add(ctx, 'X1', 'info', of(e.obj), e.prop, e.raw, { rules: [...e.rules].join(', ') })
  }
  for (const [cmdlet, rules] of ctx.missingExports) {
    add(ctx, 'X2', 'info', { type: 'Tenant', name: cmdlet }, 'export', cmdlet, {
      cmdlet,
      rules: [...rules].join(', '),
    })
  }
  const codes = ndr ? ndrCodes(ndr) : []
  const relevant = relevantRules(codes)
  const named = ndr?.connectorName?.trim().toLowerCase()
  const ranked = ctx.findings.map((f) => ({
    ...f,
    explainsNdr:
      ndr !== undefined &&
      (relevant.has(f.rule) ||
        (named !== undefined &&
          named !== '' &&
          [f.object, ...(f.related ?? [])].some((x) => x.toLowerCase() === named))),
  }))
  return ranked.sort(
    (a, b) =>
      Number(b.explainsNdr) - Number(a.explainsNdr) ||
      SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
      RULES.indexOf(a.rule) - RULES.indexOf(b.rule) ||
      a.object.localeCompare(b.object),
  )
}
