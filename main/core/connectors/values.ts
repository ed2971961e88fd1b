import type { PropValue } from './types'

/**
 * A value as a reader found it, before the property schema gives it a meaning. Text formats (CSV,
 * Format-List) only produce `str`; JSON and CLIXML keep booleans, numbers, nulls and lists.
 */
export type RawValue =
  | { readonly t: 'null' }
  | { readonly t: 'str'; readonly v: string }
  | { readonly t: 'bool'; readonly v: boolean }
  | { readonly t: 'num'; readonly v: number }
  | { readonly t: 'date'; readonly ms: number }
  | { readonly t: 'list'; readonly items: readonly RawValue[]; readonly truncated: boolean }

export interface RawRecord {
  readonly props: readonly (readonly [string, RawValue])[]
  /** Type names the export carries (#TYPE line, CLIXML <TN>): a hint only, never a key (§3.7). */
  readonly typeNames: readonly string[]
}

type Kind = 'bool' | 'list' | 'date' | 'text' | 'enum'

// Enum numbers from brief §3.5 (decompiled on-prem builds): a fallback when PowerShell 5.1's
// ConvertTo-Json writes the number instead of the name.
const ENUMS: Readonly<Record<string, Readonly<Record<number, string>>>> = {
  ConnectorType: { 1: 'OnPremises', 2: 'Partner' },
  ConnectorSource: { 0: 'Default', 1: 'Migrated', 2: 'HybridWizard' },
  TlsSettings: { 1: 'EncryptionOnly', 2: 'CertificateValidation', 4: 'DomainValidation' },
  DomainType: { 0: 'Authoritative', 1: 'ExternalRelay', 2: 'InternalRelay' },
  MtaStsMode: {},
  SmtpDaneMode: {},
}

const BOOL_PROPS = [
  'Enabled',
  'RequireTls',
  'RestrictDomainsToIPAddresses',
  'RestrictDomainsToCertificate',
  'CloudServicesMailEnabled',
  'TreatMessagesAsInternal',
  'EFTestMode',
  'EFSkipLastIP',
  'DetectSenderIPBySkippingLastIP',
  'UseMXRecord',
  'IsTransportRuleScoped',
  'RouteAllMessagesViaOnPremises',
  'AllAcceptedDomains',
  'SenderRewritingEnabled',
  'TestMode',
  'IsValidated',
  'Default',
  'MatchSubDomains',
  'InitialDomain',
  'IsCoexistenceDomain',
  'OutboundOnly',
  'SendingFromDomainDisabled',
  'SendingToDomainDisabled',
  'AddressBookEnabled',
  'EmailOnly',
  'ExternallyManaged',
  'PendingRemoval',
  'PendingCompletion',
  'MailFlowPartner',
  'PendingFederatedAccountNamespace',
  'PendingFederatedDomain',
  'PerimeterDuplicateDetected',
  'IsDefaultFederatedDomain',
  'EnableNego2Authentication',
  'IsValid',
  'PSShowComputerName',
]
const LIST_PROPS = [
  'SenderIPAddresses',
  'SenderDomains',
  'TrustedOrganizations',
  'ClientHostNames',
  'AssociatedAcceptedDomains',
  'EFSkipIPs',
  'EFSkipMailGateway',
  'EFUsers',
  'ScanAndDropRecipients',
  'DetectSenderIPBySkippingTheseIPs',
  'DetectSenderIPBySkippingTheseProviders',
  'DetectSenderIPRecipientList',
  'RecipientDomains',
  'SmartHosts',
  'ValidationRecipients',
  'ObjectClass',
]
const DATE_PROPS = [
  'WhenCreatedUTC',
  'WhenChangedUTC',
  'WhenCreated',
  'WhenChanged',
  'LastValidationTimestamp',
]
const TEXT_PROPS = [
  'Name',
  'Identity',
  'Id',
  'Guid',
  'Comment',
  'TlsSenderCertificateName',
  'TlsDomain',
  'DomainName',
  'AuthenticationType',
  'LiveIdInstanceType',
  'CatchAllRecipientID',
  'FederatedOrganizationLink',
  'AdminDisplayName',
  'ExchangeVersion',
  'DistinguishedName',
  'ExchangeObjectId',
  'ObjectCategory',
  'OrganizationId',
  'OrganizationalUnitRoot',
  'OrganizationalUnitRootInternal',
  'NameHashGuid',
  'OriginatingServer',
  'ObjectState',
  'PSComputerName',
  'RunspaceId',
  'LinkForModifiedConnector',
]

const SCHEMA = new Map<string, { readonly name: string; readonly kind: Kind }>()
for (const [names, kind] of [
  [BOOL_PROPS, 'bool'],
  [LIST_PROPS, 'list'],
  [DATE_PROPS, 'date'],
  [TEXT_PROPS, 'text'],
  [Object.keys(ENUMS), 'enum'],
] as const) {
  for (const name of names) SCHEMA.set(name.toLowerCase(), { name, kind })
}

/** Canonical spelling of a property (PowerShell names are case-insensitive) and whether it is known. */
export function canonicalName(name: string): { readonly name: string; readonly known: boolean } {
  const entry = SCHEMA.get(name.toLowerCase())
  return entry ? { name: entry.name, known: true } : { name, known: false }
}

export function isListProperty(name: string): boolean {
  return SCHEMA.get(name.toLowerCase())?.kind === 'list'
}

/**
 * `ToString()` of a deserialized collection, which is what a naive Export-Csv writes for every
 * multi-valued property, empty or not (brief §3.7): the contents are lost.
 */
const FLATTENED =
  /^(?:Deserialized\.)?(?:System\.Collections\.|System\.Object\[\]|Microsoft\.Exchange\.Data\.MultiValuedProperty)/

export function isFlattenedTypeName(text: string): boolean {
  return FLATTENED.test(text.trim())
}

const MAX_TEXT = 100_000

function rawToString(raw: RawValue): string {
  switch (raw.t) {
    case 'null':
      return ''
    case 'str':
      return raw.v
    case 'bool':
      return raw.v ? 'True' : 'False'
    case 'num':
      return String(raw.v)
    case 'date':
      return new Date(raw.ms).toISOString()
    case 'list':
      return raw.items.map(rawToString).join(', ')
  }
}

/**
 * Splits a list that an admin joined into one CSV cell (the brief's recommended `-join` export,
 * §3.7). `;` also separates the cost in an address space (`smtp:*;1`), so a bare number after an
 * address-space item is glued back onto it.
 */
export function splitJoinedList(text: string): string[] {
  const parts = text
    .split(/[;,|\r\n]/)
    .map((s) => s.trim())
    .filter((s) => s !== '')
  const out: string[] = []
  for (const p of parts) {
    const prev = out[out.length - 1]
    if (
      /^\d{1,4}$/.test(p) &&
      prev !== undefined &&
      /^[a-z][a-z0-9]*:/i.test(prev) &&
      !prev.includes(';')
    ) {
      out[out.length - 1] = `${prev};${p}`
    } else out.push(p)
  }
  return out
}

function dateValue(ms: number): PropValue {
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15)
    return { kind: 'unknowable', reason: 'unparsed', raw: String(ms) }
  return { kind: 'date', ms, iso: new Date(ms).toISOString() }
}

const MS_DATE = /^\/Date\((-?\d{1,15})(?:[+-]\d{4})?\)\/$/
const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/
// Culture-formatted dates of Format-List / Export-Csv (brief §3.6: `01.02.2017 19:07:42` vs
// `2/1/2017 7:07:42 PM`), plus the year-first East Asian forms (`2026/05/12 2:03:55`,
// `2026/5/12 下午 02:03:55`).
const CULTURE_DATE =
  /^(\d{1,4})([./-])(\d{1,2})\2(\d{1,4})\.?\s+(?:(AM|PM|午前|午後|上午|下午)\s*)?(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*(AM|PM|午前|午後|上午|下午))?$/i

function utc(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
): number | undefined {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return undefined
  const ms = Date.UTC(y, mo - 1, d, h, mi, s)
  return new Date(ms).getUTCDate() === d ? ms : undefined
}

/** Parses the date encodings of brief §3.5–3.9; an ambiguous day/month order is not guessed. */
export function parseDateText(input: string): PropValue {
  const text = input.trim()
  if (text === '') return { kind: 'null' }
  if (text.length > 64) return { kind: 'unknowable', reason: 'unparsed', raw: text.slice(0, 64) }
  const ms = MS_DATE.exec(text)
  if (ms) return dateValue(Number(ms[1]))
  const iso = ISO_DATE.exec(text)
  if (iso) {
    // An ISO date without a zone is read as UTC: the *UTC properties are UTC by definition and the
    // admin API writes LastValidationTimestamp without `Z` (brief §3.8).
    const zone = iso[8] ?? 'Z'
    const frac = (iso[7] ?? '').slice(0, 3)
    const norm = `${iso[1]}-${iso[2]}-${iso[3]}T${iso[4]}:${iso[5]}:${iso[6] ?? '00'}${frac ? '.' + frac : ''}${zone.length === 5 ? zone.slice(0, 3) + ':' + zone.slice(3) : zone}`
    const parsed = Date.parse(norm)
    return Number.isNaN(parsed)
      ? { kind: 'unknowable', reason: 'unparsed', raw: text }
      : dateValue(parsed)
  }
  const c = CULTURE_DATE.exec(text)
  if (!c) return { kind: 'unknowable', reason: 'unparsed', raw: text }
  const a = Number(c[1])
  const sep = c[2]
  const b = Number(c[3])
  const yearLast = Number(c[4])
  const marker = (c[5] ?? c[9] ?? '').toUpperCase()
  let hour = Number(c[6])
  const minute = Number(c[7])
  const second = Number(c[8] ?? '0')
  if (marker) {
    if (hour > 12) return { kind: 'unknowable', reason: 'unparsed', raw: text }
    const pm = marker === 'PM' || marker === '午後' || marker === '下午'
    hour = (hour % 12) + (pm ? 12 : 0)
  }
  let y: number, mo: number, d: number
  if (c[1]!.length === 4) {
    ;[y, mo, d] = [a, b, yearLast]
  } else if (c[4]!.length === 4) {
    y = yearLast
    if (sep === '.') [d, mo] = [a, b]
    else if (marker === 'AM' || marker === 'PM')
      [mo, d] = [a, b] // en-US
    else if (a > 12) [d, mo] = [a, b]
    else if (b > 12) [mo, d] = [a, b]
    else if (a === b) [d, mo] = [a, b]
    else return { kind: 'unknowable', reason: 'ambiguousDate', raw: text }
  } else return { kind: 'unknowable', reason: 'unparsed', raw: text }
  const out = utc(y, mo, d, hour, minute, second)
  return out === undefined ? { kind: 'unknowable', reason: 'unparsed', raw: text } : dateValue(out)
}

function listValue(raw: RawValue, csv: boolean): PropValue {
  switch (raw.t) {
    case 'null':
      return { kind: 'null' }
    case 'list':
      return {
        kind: 'list',
        items: raw.items.map(rawToString).filter((s) => s !== ''),
        truncated: raw.truncated,
      }
    case 'str': {
      if (isFlattenedTypeName(raw.v))
        return { kind: 'unknowable', reason: 'flattened', raw: raw.v.trim() }
      if (raw.v.trim() === '') return { kind: 'list', items: [], truncated: false }
      return {
        kind: 'list',
        items: csv ? splitJoinedList(raw.v) : [raw.v.trim()],
        truncated: false,
      }
    }
    default:
      return { kind: 'list', items: [rawToString(raw)], truncated: false }
  }
}

function boolValue(raw: RawValue): PropValue {
  switch (raw.t) {
    case 'bool':
      return { kind: 'bool', value: raw.v }
    case 'null':
      return { kind: 'null' }
    case 'num':
      return raw.v === 0 || raw.v === 1
        ? { kind: 'bool', value: raw.v === 1 }
        : { kind: 'number', value: raw.v }
    case 'str': {
      const s = raw.v.trim().toLowerCase()
      if (s === 'true' || s === '$true') return { kind: 'bool', value: true }
      if (s === 'false' || s === '$false') return { kind: 'bool', value: false }
      if (s === '') return { kind: 'null' }
      return { kind: 'text', value: raw.v.slice(0, MAX_TEXT) }
    }
    default:
      return genericValue(raw)
  }
}

function enumValue(name: string, raw: RawValue): PropValue {
  const map = ENUMS[name] ?? {}
  if (raw.t === 'num') return { kind: 'text', value: map[raw.v] ?? String(raw.v) }
  if (raw.t === 'str') {
    const s = raw.v.trim()
    if (s === '') return { kind: 'null' }
    if (/^\d{1,3}$/.test(s)) return { kind: 'text', value: map[Number(s)] ?? s }
    return { kind: 'text', value: s.slice(0, 200) }
  }
  return genericValue(raw)
}

function dateFrom(raw: RawValue): PropValue {
  if (raw.t === 'date') return dateValue(raw.ms)
  if (raw.t === 'str') return parseDateText(raw.v)
  if (raw.t === 'null') return { kind: 'null' }
  return genericValue(raw)
}

function genericValue(raw: RawValue): PropValue {
  switch (raw.t) {
    case 'null':
      return { kind: 'null' }
    case 'bool':
      return { kind: 'bool', value: raw.v }
    case 'num':
      return { kind: 'number', value: raw.v }
    case 'date':
      return dateValue(raw.ms)
    case 'list':
      return listValue(raw, false)
    case 'str':
      return { kind: 'text', value: raw.v.slice(0, MAX_TEXT) }
  }
}

/** Gives a raw value its meaning from the property schema. `csv` enables joined-list splitting. */
export function normalizeValue(name: string, raw: RawValue, csv: boolean): PropValue {
  const entry = SCHEMA.get(name.toLowerCase())
  if (!entry) {
    if (raw.t === 'str' && isFlattenedTypeName(raw.v))
      return { kind: 'unknowable', reason: 'flattened', raw: raw.v.trim() }
    if (raw.t === 'str' && MS_DATE.test(raw.v.trim())) return parseDateText(raw.v)
    return genericValue(raw)
  }
  switch (entry.kind) {
    case 'bool':
      return boolValue(raw)
    case 'list':
      return listValue(raw, csv)
    case 'date':
      return dateFrom(raw)
    case 'enum':
      return enumValue(entry.name, raw)
    case 'text':
      if (raw.t === 'str') return { kind: 'text', value: raw.v.slice(0, MAX_TEXT) }
      if (raw.t === 'list' && raw.items.length > 0) return { kind: 'text', value: rawToString(raw) }
      return genericValue(raw)
  }
}

/** The value of `name` on a property bag, `absent` when the export did not carry it. */
export function getProp(props: Readonly<Record<string, PropValue>>, name: string): PropValue {
  return Object.hasOwn(props, name) ? props[name]! : { kind: 'absent' }
}

/** Renders a value as evidence text. */
export function valueText(v: PropValue): string {
  switch (v.kind) {
    case 'absent':
    case 'null':
      return ''
    case 'bool':
      return v.value ? 'True' : 'False'
    case 'number':
      return String(v.value)
    case 'text':
      return v.value
    case 'date':
      return v.iso
    case 'list':
      return v.items.join(', ') + (v.truncated ? ', ...' : '')
    case 'unknowable':
      return v.raw
  }
}
