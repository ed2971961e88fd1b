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
  ctx.findings.push({
    rule,
    severity,
    objectType: target.type,
    object: target.name,
    property,
    value,
    ...keys(rule, variant),
    params: { object: target.name, property, value, ...params },
    explainsNdr: false,
  })
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

function isUnderAcceptedDomain(ctx: Ctx, domain: string): boolean {
  const d = cleanDomain(domain).replace(/^\*\./, '')
  return ctx.accepted.some((a) => {
    const base = a.domain.replace(/^\*\./, '')
    return d === base || isSubdomainOf(d, base)
  })
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
      days: Math.max(0, Math.floor(ageDays(ctx, created) ?? 0)),
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
      days: Math.max(0, Math.floor(ageDays(ctx, changed) ?? 0)),
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
  const ownDomains = ctx.accepted.filter((a) => !a.domain.endsWith('.onmicrosoft.com')).length
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

function overlapping(ctx: Ctx): void {
  const enabled = ctx.objects.InboundConnector.filter((o) => !isFalse(getProp(o.props, 'Enabled')))
  for (let i = 0; i < enabled.length; i++) {
    for (let j = i + 1; j < enabled.length; j++) {
      const a = enabled[i]!
      const b = enabled[j]!
      const ra = items(getProp(a.props, 'SenderIPAddresses')).map(
        (s) => [s, parseRange(s)] as const,
      )
      const rb = items(getProp(b.props, 'SenderIPAddresses')).map(
        (s) => [s, parseRange(s)] as const,
      )
      const shared = ra
        .filter(([, x]) => x && rb.some(([, y]) => y && overlaps(x, y)))
        .map(([s]) => s)
      if (shared.length > 0) {
        add(ctx, 'I13', 'info', of(a), 'SenderIPAddresses', shared.join(', '), {
          other: b.identity,
        })
        continue
      }
      const ca = getProp(a.props, 'TlsSenderCertificateName')
      const cb = getProp(b.props, 'TlsSenderCertificateName')
      if (
        ca.kind === 'text' &&
        cb.kind === 'text' &&
        ca.value.trim() !== '' &&
        cleanDomain(ca.value) === cleanDomain(cb.value)
      ) {
        add(ctx, 'I13', 'info', of(a), 'TlsSenderCertificateName', ca.value, { other: b.identity })
      }
    }
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
      days: Math.max(0, Math.floor(ageDays(ctx, created) ?? 0)),
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
    if (inb.length === 0) missingExport(ctx, 'Get-InboundConnector', 'O7')
    else {
      const onPrem = inb.filter(
        (c) =>
          textIs(getProp(c.props, 'ConnectorType'), 'OnPremises') &&
          !isFalse(getProp(c.props, 'Enabled')),
      )
      if (onPrem.length === 0)
        add(ctx, 'O7', 'info', of(o), 'RouteAllMessagesViaOnPremises', 'True')
      else if (
        onPrem.every((c) => items(getProp(c.props, 'AssociatedAcceptedDomains')).length > 0)
      ) {
        add(ctx, 'O7', 'info', of(o), 'RouteAllMessagesViaOnPremises', 'True', {
          other: onPrem.map((c) => c.identity).join(', '),
        }, 'scoped') // prettier-ignore
      }
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
  // D3: a domain added recently together with a new connector (correlation heuristic).
  const connectors = [...ctx.objects.InboundConnector, ...ctx.objects.OutboundConnector]
  for (const d of ctx.objects.AcceptedDomain) {
    const created = getProp(d.props, 'WhenCreatedUTC')
    if (created.kind !== 'date' || !isRecent(ctx, created)) continue
    const near = connectors.filter((c) => {
      const cc = getProp(c.props, 'WhenCreatedUTC')
      return cc.kind === 'date' && Math.abs(cc.ms - created.ms) <= ctx.recentDays * DAY
    })
    if (near.length > 0) {
      add(ctx, 'D3', 'medium', of(d), 'WhenCreatedUTC', valueText(created), {
        other: near.map((c) => c.identity).join(', '),
      })
    }
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
  const ctx: Ctx = {
    objects,
    ndr,
    now,
    recentDays:
      options.recentDays !== undefined && options.recentDays > 0 ? options.recentDays : 30,
    knownRanges: known,
    knownHosts: (options.knownSmartHosts ?? []).map(cleanDomain),
    accepted: objects.AcceptedDomain.flatMap((obj) => {
      const d = getProp(obj.props, 'DomainName')
      const domain = d.kind === 'text' && d.value.trim() !== '' ? d.value : obj.identity
      return [
        { domain: cleanDomain(domain), sub: isTrue(getProp(obj.props, 'MatchSubDomains')), obj },
      ]
    }),
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
        (named !== undefined && named !== '' && f.object.toLowerCase() === named)),
  }))
  return ranked.sort(
    (a, b) =>
      Number(b.explainsNdr) - Number(a.explainsNdr) ||
      SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
      RULES.indexOf(a.rule) - RULES.indexOf(b.rule) ||
      a.object.localeCompare(b.object),
  )
}
