import { cleanText, detectFormat } from './detect'
import { issue, LIMITS } from './issues'
import { readClixml } from './readers/clixml'
import type { ReadOutcome } from './readers/common'
import { failed } from './readers/common'
import { readCsv } from './readers/csv'
import { readFormatList } from './readers/formatList'
import { readJson } from './readers/json'
import type {
  ExportFormat,
  ImportInput,
  ImportIssue,
  ImportResult,
  InputReport,
  ObjectType,
  PropValue,
  TenantObject,
} from './types'
import { canonicalName, getProp, normalizeValue, type RawRecord, valueText } from './values'

// Properties only one object type carries (brief §3.1–3.3, and §3.0: inbound and outbound records
// have different property sets). Classification keys on property names, never on type names.
const DISTINCTIVE: Readonly<Record<ObjectType, readonly string[]>> = {
  InboundConnector: [
    'SenderIPAddresses',
    'SenderDomains',
    'RequireTls',
    'RestrictDomainsToIPAddresses',
    'RestrictDomainsToCertificate',
    'TreatMessagesAsInternal',
    'TlsSenderCertificateName',
    'TrustedOrganizations',
    'ClientHostNames',
    'AssociatedAcceptedDomains',
    'EFTestMode',
    'EFSkipLastIP',
    'EFSkipIPs',
    'EFSkipMailGateway',
    'EFUsers',
    'ScanAndDropRecipients',
    'DetectSenderIPBySkippingLastIP',
    'DetectSenderIPBySkippingTheseIPs',
  ],
  OutboundConnector: [
    'UseMXRecord',
    'SmartHosts',
    'RecipientDomains',
    'TlsSettings',
    'TlsDomain',
    'IsTransportRuleScoped',
    'RouteAllMessagesViaOnPremises',
    'AllAcceptedDomains',
    'SenderRewritingEnabled',
    'MtaStsMode',
    'SmtpDaneMode',
    'TestMode',
    'ValidationRecipients',
    'IsValidated',
    'LastValidationTimestamp',
    'LinkForModifiedConnector',
  ],
  AcceptedDomain: [
    'DomainName',
    'DomainType',
    'MatchSubDomains',
    'InitialDomain',
    'IsCoexistenceDomain',
    'OutboundOnly',
    'SendingFromDomainDisabled',
    'SendingToDomainDisabled',
    'AuthenticationType',
    'LiveIdInstanceType',
    'CatchAllRecipientID',
    'PendingRemoval',
    'PendingCompletion',
    'AddressBookEnabled',
  ],
}

const TYPE_HINTS: readonly (readonly [RegExp, ObjectType])[] = [
  [/InboundConnector|ms-Exch-SMTP-Inbound-Connector/i, 'InboundConnector'],
  [/OutboundConnector|ms-Exch-SMTP-Outbound-Connector/i, 'OutboundConnector'],
  [/AcceptedDomain|ms-Exch-Accepted-Domain/i, 'AcceptedDomain'],
]

export function classify(
  props: Readonly<Record<string, PropValue>>,
  typeNames: readonly string[],
): ObjectType | undefined {
  let best: ObjectType | undefined
  let bestScore = 0
  let tie = false
  for (const type of Object.keys(DISTINCTIVE) as ObjectType[]) {
    const score = DISTINCTIVE[type].filter((p) => Object.hasOwn(props, p)).length
    if (score > bestScore) [best, bestScore, tie] = [type, score, false]
    else if (score === bestScore && score > 0) tie = true
  }
  if (best && !tie) return best
  // Fallback only: type names and ObjectCategory (brief §3.0 "don't depend on type names").
  const hints = [...typeNames, valueText(getProp(props, 'ObjectCategory'))]
  for (const [re, type] of TYPE_HINTS) if (hints.some((h) => re.test(h))) return type
  return undefined
}

function identityOf(props: Readonly<Record<string, PropValue>>, index: number): string {
  for (const key of ['Name', 'Identity', 'DomainName', 'Guid']) {
    const v = getProp(props, key)
    if (v.kind === 'text' && v.value.trim() !== '') return v.value.trim().slice(0, 300)
  }
  return `#${index + 1}`
}

function read(format: ExportFormat, text: string): ReadOutcome {
  switch (format) {
    case 'csv':
      return readCsv(text)
    case 'json':
      return readJson(text)
    case 'clixml':
      return readClixml(text)
    case 'formatList':
      return readFormatList(text)
    case 'formatTable':
      return failed(issue('formatTable'))
    case 'unknown':
      return failed(issue('unknownFormat'))
  }
}

interface Collected {
  readonly report: InputReport
  readonly objects: readonly TenantObject[]
}

function importOne(name: string, input: string | undefined): Collected {
  const empty = (format: ExportFormat, error: ImportIssue): Collected => ({
    report: { name, format, objectTypes: [], objectCount: 0, errors: [error], warnings: [] },
    objects: [],
  })
  if (typeof input !== 'string') return empty('unknown', issue('unknownFormat'))
  if (input.length > LIMITS.maxChars)
    return empty('unknown', issue('tooLarge', { limit: LIMITS.maxCharsLabel }))
  const text = cleanText(input)
  if (text.trim() === '') return empty('unknown', issue('empty'))
  const format = detectFormat(text)
  let outcome: ReadOutcome
  try {
    outcome = read(format, text)
  } catch (e) {
    // Readers are written not to throw; this keeps the public entry point total regardless.
    outcome = failed(
      issue('malformed', { detail: (e instanceof Error ? e.message : String(e)).slice(0, 120) }),
    )
  }
  const errors = [...outcome.errors]
  const warnings = [...outcome.warnings]
  const objects: TenantObject[] = []
  const flattened = new Set<string>()
  const truncated = new Set<string>()
  const ambiguous = new Set<string>()
  let unrecognized = 0
  outcome.records.forEach((record: RawRecord, index) => {
    const props: Record<string, PropValue> = {}
    const unknownProps: string[] = []
    for (const [rawName, raw] of record.props) {
      const { name, known } = canonicalName(rawName)
      if (Object.hasOwn(props, name)) continue
      const value = normalizeValue(name, raw, format === 'csv')
      Object.defineProperty(props, name, {
        value,
        enumerable: true,
        writable: false,
        configurable: false,
      })
      if (!known) unknownProps.push(name)
      if (value.kind === 'unknowable' && value.reason === 'flattened') flattened.add(name)
      if (value.kind === 'unknowable' && value.reason === 'ambiguousDate') ambiguous.add(name)
      if (value.kind === 'list' && value.truncated) truncated.add(name)
    }
    const type = classify(props, record.typeNames)
    if (!type) {
      unrecognized++
      return
    }
    objects.push({
      type,
      identity: identityOf(props, index),
      source: { input: name, index, format },
      props,
      unknownProps,
    })
  })
  if (outcome.records.length > 0 && objects.length === 0) {
    errors.push(issue('wrongObjectType', { count: unrecognized }))
  } else if (unrecognized > 0) warnings.push(issue('skippedRecords', { count: unrecognized }))
  if (outcome.records.length === 0 && errors.length === 0) errors.push(issue('empty'))
  const list = (s: Set<string>): string => [...s].sort().join(', ')
  if (flattened.size > 0) warnings.push(issue('flattenedLists', { props: list(flattened) }))
  if (truncated.size > 0) warnings.push(issue('truncatedLists', { props: list(truncated) }))
  if (ambiguous.size > 0) warnings.push(issue('ambiguousDates', { props: list(ambiguous) }))
  const counts = new Map<ObjectType, number>()
  for (const o of objects) counts.set(o.type, (counts.get(o.type) ?? 0) + 1)
  const objectTypes = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([t]) => t)
  // Export-Csv takes its columns from the first object (brief §3.7): other types lost properties.
  if (format === 'csv' && objectTypes.length > 1) warnings.push(issue('mixedTypes'))
  // Export trap (brief §3.2): plain Get-OutboundConnector may omit test-mode and rule-scoped ones.
  if (counts.has('OutboundConnector')) warnings.push(issue('outboundFilters'))
  return {
    report: { name, format, objectTypes, objectCount: objects.length, errors, warnings },
    objects,
  }
}

function mergeKey(o: TenantObject): string {
  const guid = getProp(o.props, 'Guid')
  const id = guid.kind === 'text' && guid.value !== '' ? guid.value : o.identity
  return `${o.type}\u0000${id.toLowerCase()}`
}

/**
 * Reads several exports at once (files or pastes), detects each one's format and object type, and
 * merges the objects by Guid (brief §3.2 recommends merging extra Get-OutboundConnector runs); of
 * two versions of one object, the later input's is kept.
 * Never throws: every problem is an error or warning of its input.
 */
export function importExports(inputs: readonly ImportInput[]): ImportResult {
  const reports: InputReport[] = []
  const byType: Record<ObjectType, TenantObject[]> = {
    InboundConnector: [],
    OutboundConnector: [],
    AcceptedDomain: [],
  }
  // Where each merged object sits in its type's list: a later input's version replaces an earlier
  // one in place, so that an export added to an import (newer) wins over the stored one.
  const seen = new Map<string, number>()
  // Callers cross IPC and the CLI: the shapes are checked, not trusted.
  const list: readonly unknown[] = Array.isArray(inputs) ? (inputs as readonly unknown[]) : []
  list.forEach((input, i) => {
    const rec =
      typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {}
    const rawName = Object.hasOwn(rec, 'name') ? rec.name : undefined
    const rawText = Object.hasOwn(rec, 'text') ? rec.text : undefined
    const name = typeof rawName === 'string' && rawName !== '' ? rawName.slice(0, 300) : `#${i + 1}`
    let collected: Collected
    try {
      collected = importOne(name, typeof rawText === 'string' ? rawText : undefined)
    } catch (e) {
      collected = {
        report: {
          name,
          format: 'unknown',
          objectTypes: [],
          objectCount: 0,
          errors: [
            issue('malformed', {
              detail: (e instanceof Error ? e.message : String(e)).slice(0, 120),
            }),
          ],
          warnings: [],
        },
        objects: [],
      }
    }
    let duplicates = 0
    for (const o of collected.objects) {
      const key = mergeKey(o)
      const at = seen.get(key)
      if (at !== undefined) {
        duplicates++
        byType[o.type][at] = o
        continue
      }
      seen.set(key, byType[o.type].length)
      byType[o.type].push(o)
    }
    reports.push(
      duplicates > 0
        ? {
            ...collected.report,
            warnings: [...collected.report.warnings, issue('duplicates', { count: duplicates })],
          }
        : collected.report,
    )
  })
  return { inputs: reports, objects: byType }
}

/** What adding exports to a stored import gives (see extendImport). */
export interface Extension {
  /** The import's inputs after the addition: the earlier ones still current, then the new ones. */
  readonly inputs: readonly ImportInput[]
  /** The result of reading `inputs`, so the caller need not read them again. */
  readonly imported: ImportResult
  /** Names of earlier inputs the new exports replace. */
  readonly replaced: readonly string[]
  /** Objects the new exports hold; 0 means that nothing new could be read. */
  readonly addedObjects: number
}

/**
 * Adds exports to an import (the Get-AcceptedDomain output that check X2 asks for, after the
 * connectors). An earlier input is replaced when the new exports cover every object type it held:
 * an admin who fixes a connector and pastes a fresh Get-InboundConnector wants the new state
 * audited, not both side by side. A new input named like a kept one gets a numbered name.
 */
export function extendImport(
  base: readonly ImportInput[],
  added: readonly ImportInput[],
): Extension {
  const first = importExports([...base, ...added])
  const newReports = first.inputs.slice(base.length)
  const newTypes = new Set(newReports.flatMap((r) => r.objectTypes))
  const addedObjects = newReports.reduce((n, r) => n + r.objectCount, 0)
  const kept: ImportInput[] = []
  const replaced: string[] = []
  base.forEach((input, i) => {
    const types = first.inputs[i]?.objectTypes ?? []
    if (types.length > 0 && types.every((t) => newTypes.has(t))) replaced.push(input.name)
    else kept.push(input)
  })
  const names = new Set(kept.map((i) => i.name))
  const renamed = added.map((input) => {
    let name = input.name
    for (let n = 2; names.has(name); n++) name = `${input.name} (${n})`
    names.add(name)
    return name === input.name ? input : { ...input, name }
  })
  const inputs = [...kept, ...renamed]
  const unchanged = replaced.length === 0 && renamed.every((r, i) => r === added[i])
  return {
    inputs,
    imported: unchanged ? first : importExports(inputs),
    replaced,
    addedObjects,
  }
}
