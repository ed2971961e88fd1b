import type {
  ConnectorImportSummary,
  ConnectorObjectRow,
  ConnectorReport,
  RenderedFinding,
} from '../core/api/contract'
import {
  auditTenant,
  crossCheckFromParse,
  extendImport,
  findingMessage,
  findingsToRows,
  toCsv,
  getProp,
  importExports,
  OBJECT_TYPES,
  renderFindingsSummary,
  SEVERITIES,
  valueText,
  type Finding,
  type ImportInput,
  type ImportResult,
  type ObjectType,
  type PropValue,
  type Severity,
  type Translate,
} from '../core/connectors'
import type { Language } from '../core/i18n/languages'
import type { ParseOutcome } from '../core/parse/types'
import { createTranslator } from './i18n'

/** The columns an admin scans first in each table (domain brief §3.1–3.3). */
export const COLUMNS: Readonly<Record<ObjectType, readonly string[]>> = {
  InboundConnector: [
    'Enabled',
    'ConnectorType',
    'ConnectorSource',
    'SenderDomains',
    'SenderIPAddresses',
    'RestrictDomainsToIPAddresses',
    'RequireTls',
    'TlsSenderCertificateName',
    'WhenCreatedUTC',
    'WhenChangedUTC',
  ],
  OutboundConnector: [
    'Enabled',
    'ConnectorType',
    'ConnectorSource',
    'RecipientDomains',
    'SmartHosts',
    'UseMXRecord',
    'IsTransportRuleScoped',
    'AllAcceptedDomains',
    'WhenCreatedUTC',
    'WhenChangedUTC',
  ],
  AcceptedDomain: ['DomainName', 'DomainType', 'Default', 'WhenCreatedUTC', 'WhenChangedUTC'],
}

function cellText(v: PropValue): string {
  if (v.kind === 'list') return v.items.join(', ') + (v.truncated ? ', …' : '')
  if (v.kind === 'unknowable') return v.raw
  return valueText(v)
}

function worst(findings: readonly Finding[]): Severity | null {
  for (const s of SEVERITIES) if (findings.some((f) => f.severity === s)) return s
  return null
}

const objectKey = (type: string, identity: string): string => `${type}\u0000${identity}`

/**
 * The findings of each object, built in one pass: filtering every finding for every object was
 * objects × findings (5,000 connectors × their findings). A finding about a group (I13's
 * `related`) counts on each member, once even if two members share an identity.
 */
function findingsByObject(findings: readonly Finding[]): ReadonlyMap<string, Finding[]> {
  const index = new Map<string, Finding[]>()
  for (const f of findings) {
    for (const identity of new Set([f.object, ...(f.related ?? [])])) {
      const key = objectKey(f.objectType, identity)
      const list = index.get(key)
      if (list) list.push(f)
      else index.set(key, [f])
    }
  }
  return index
}

/**
 * Reads the exports, audits them against the case's NDR and renders everything in one language.
 * Pure but for the translator; runs in the worker thread.
 */
export function buildConnectorReport(
  stored: ConnectorImportSummary & { readonly inputs: readonly ImportInput[] },
  parse: ParseOutcome | null,
  language: Language,
  now: number,
  read?: { readonly imported: ImportResult; readonly replaced: readonly string[] },
): ConnectorReport {
  const tf = createTranslator(language)
  const t: Translate = (key, options) => tf(key, { ...options })
  const imported = read?.imported ?? importExports(stored.inputs)
  const findings = auditTenant(imported.objects, crossCheckFromParse(parse), { now })
  const rendered: RenderedFinding[] = findings.map((f) => {
    const params = { ...f.params, objectType: t(`audit:objectType.${f.objectType}`) }
    return {
      rule: f.rule,
      severity: f.severity,
      objectType: f.objectType,
      object: f.object,
      property: f.property,
      value: f.value,
      explainsNdr: f.explainsNdr,
      title: t(f.titleKey, params),
      message: findingMessage(f, t),
      why: t(f.whyKey, params),
      fix: t(f.fixKey, params),
    }
  })
  const byObject = findingsByObject(findings)
  const objects: ConnectorObjectRow[] = OBJECT_TYPES.flatMap((type) =>
    imported.objects[type].map((o) => {
      const mine = byObject.get(objectKey(type, o.identity)) ?? []
      const cells: Record<string, string> = {}
      for (const c of COLUMNS[type]) cells[c] = cellText(getProp(o.props, c))
      return {
        type,
        identity: o.identity,
        input: o.source.input,
        cells,
        findings: mine.length,
        worst: worst(mine),
      }
    }),
  )
  return {
    id: stored.id,
    caseId: stored.caseId,
    createdAt: stored.createdAt,
    names: stored.names,
    language,
    replaced: read?.replaced ?? [],
    inputs: imported.inputs.map((i) => ({
      name: i.name,
      format: i.format,
      objectTypes: i.objectTypes,
      objectCount: i.objectCount,
      errors: i.errors.map((e) => t(e.messageKey, e.params)),
      warnings: i.warnings.map((w) => t(w.messageKey, w.params)),
    })),
    columns: COLUMNS,
    objects,
    findings: rendered,
    summary: renderFindingsSummary(findings, t),
    csv: toCsv(findingsToRows(findings, t)),
  }
}

/**
 * Exports added to a stored import (`connectors.import` with `addTo`): the report of the whole,
 * and the inputs of the new import that the backend stores beside the old one.
 */
export function extendConnectorReport(
  stored: ConnectorImportSummary & { readonly inputs: readonly ImportInput[] },
  added: readonly ImportInput[],
  parse: ParseOutcome | null,
  language: Language,
  now: number,
): { report: ConnectorReport; inputs: readonly ImportInput[]; addedObjects: number } {
  const ext = extendImport(stored.inputs, added)
  const names = ext.inputs.map((i) => i.name)
  const report = buildConnectorReport(
    { ...stored, names, inputs: ext.inputs },
    parse,
    language,
    now,
    ext,
  )
  return { report, inputs: ext.inputs, addedObjects: ext.addedObjects }
}
