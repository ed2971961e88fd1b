/**
 * Normalized model of Exchange Online connector and accepted-domain exports (domain brief §3).
 * Every value keeps what the export can and cannot say: an absent property is not `false`, an empty
 * list is not a list that CSV flattened to its type name, a `...`-cut Format-List list is partial.
 */

export const OBJECT_TYPES = ['InboundConnector', 'OutboundConnector', 'AcceptedDomain'] as const
export type ObjectType = (typeof OBJECT_TYPES)[number]

export const EXPORT_FORMATS = [
  'csv',
  'json',
  'clixml',
  'formatList',
  'formatTable',
  'unknown',
] as const
export type ExportFormat = (typeof EXPORT_FORMATS)[number]

/** Why a value cannot be read: the export lost it (brief §3.7 CSV lists, §3.6 culture dates). */
export type UnknowableReason = 'flattened' | 'ambiguousDate' | 'unparsed'

/** One property value. `absent` is never stored: `getProp` returns it for a property not exported. */
export type PropValue =
  | { readonly kind: 'absent' }
  | { readonly kind: 'null' }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'text'; readonly value: string }
  | { readonly kind: 'date'; readonly ms: number; readonly iso: string }
  /** `truncated`: Format-List cut the list with `...` ($FormatEnumerationLimit): items are partial. */
  | { readonly kind: 'list'; readonly items: readonly string[]; readonly truncated: boolean }
  | { readonly kind: 'unknowable'; readonly reason: UnknowableReason; readonly raw: string }

export interface ObjectSource {
  /** Name of the input (file name or "paste 1"). */
  readonly input: string
  /** Position of the record inside that input, from 0. */
  readonly index: number
  readonly format: ExportFormat
}

export interface TenantObject {
  readonly type: ObjectType
  /** Name, else Identity, DomainName or Guid; `#<n>` when the export has none of them. */
  readonly identity: string
  readonly source: ObjectSource
  /** Every property the export carried, known or not, under its canonical spelling. */
  readonly props: Readonly<Record<string, PropValue>>
  /** Property names the model does not know (kept in `props` as read). */
  readonly unknownProps: readonly string[]
}

export type IssueParams = Readonly<Record<string, string | number>>

/** A localizable import problem: `messageKey` lives in the `audit` namespace. */
export interface ImportIssue {
  readonly code: ImportIssueCode
  readonly messageKey: string
  readonly params: IssueParams
}

export type ImportIssueCode =
  | 'empty'
  | 'unknownFormat'
  | 'formatTable'
  | 'wrongObjectType'
  | 'truncatedFile'
  | 'malformed'
  | 'xmlDoctype'
  | 'tooLarge'
  | 'tooManyObjects'
  | 'tooDeep'
  | 'tooManyElements'
  | 'tooManyReferences'
  | 'tooManyColumns'
  | 'valueTooLong'
  // warnings
  | 'flattenedLists'
  | 'truncatedLists'
  | 'ambiguousDates'
  | 'skippedRecords'
  | 'skippedLines'
  | 'duplicates'
  | 'outboundFilters'
  | 'mixedTypes'

export interface InputReport {
  readonly name: string
  readonly format: ExportFormat
  /** The object type(s) found, most frequent first; empty when none was recognized. */
  readonly objectTypes: readonly ObjectType[]
  readonly objectCount: number
  readonly errors: readonly ImportIssue[]
  readonly warnings: readonly ImportIssue[]
}

export interface TenantObjects {
  readonly InboundConnector: readonly TenantObject[]
  readonly OutboundConnector: readonly TenantObject[]
  readonly AcceptedDomain: readonly TenantObject[]
}

export interface ImportResult {
  readonly inputs: readonly InputReport[]
  readonly objects: TenantObjects
}

export interface ImportInput {
  readonly name: string
  readonly text: string
}

export type Severity = 'high' | 'medium' | 'low' | 'info'
export const SEVERITIES: readonly Severity[] = ['high', 'medium', 'low', 'info']

/** Where a finding points: an imported object, the NDR of the case, or the tenant as a whole. */
export type FindingObjectType = ObjectType | 'Ndr' | 'Tenant'

export type RuleId =
  | 'I1'
  | 'I2'
  | 'I3'
  | 'I4'
  | 'I5'
  | 'I6'
  | 'I7'
  | 'I8'
  | 'I9'
  | 'I10'
  | 'I11'
  | 'I12'
  | 'I13'
  | 'I14'
  | 'I15'
  | 'O1'
  | 'O2'
  | 'O3'
  | 'O4'
  | 'O5'
  | 'O6'
  | 'O7'
  | 'O8'
  | 'O9'
  | 'N1'
  | 'N2'
  | 'N3'
  | 'N4'
  | 'N5'
  | 'N6'
  | 'D1'
  | 'D2'
  | 'D3'
  | 'X1'
  | 'X2'

export interface Finding {
  readonly rule: RuleId
  readonly severity: Severity
  readonly objectType: FindingObjectType
  /** Identity of the object (connector or domain name, or the NDR's code). */
  readonly object: string
  readonly property: string
  /** The evidence, as text (lists joined with ", "). */
  readonly value: string
  readonly titleKey: string
  readonly messageKey: string
  readonly whyKey: string
  readonly fixKey: string
  readonly params: IssueParams
  /**
   * Other objects of the same type the finding is about, in full (its text names only a few):
   * I13's group of connectors sharing a source. Reports count the finding on each of them too.
   */
  readonly related?: readonly string[]
  /** True when the finding helps explain the bounce of the case (ranked first). */
  readonly explainsNdr: boolean
}

/**
 * What the audit needs from a case's NDR. The NDR parser fills what it can; every field is optional
 * and a rule whose input is missing stays silent rather than guessing.
 */
export interface NdrCrossCheck {
  /** Sender domain as the NDR states it (P2 From, else P1). */
  readonly senderDomain?: string
  /** P2 `From:` domain from the returned original headers. */
  readonly fromDomain?: string
  /** P1 domain (Return-Path / smtp.mailfrom=). */
  readonly mailFromDomain?: string
  /** Enhanced status code, e.g. `5.7.750`. */
  readonly status?: string
  readonly diagnostic?: string
  /** A connector named in the NDR (5.7.711 names the blocked inbound connector). */
  readonly connectorName?: string
  readonly recipients?: readonly { readonly status?: string; readonly diagnostic?: string }[]
  /** IP of the first `Received: from` hop into `*.mail.protection.outlook.com` (N3). */
  readonly relayIp?: string
  /** `Generating server` of the NDR (N5). */
  readonly generatingServer?: string
  /** True when the original message entered through an OnPremises inbound connector (N2). */
  readonly viaOnPremisesConnector?: boolean
  /** Trial tenant: 5.7.708 is expected there without compromise (brief §4.5). */
  readonly trialTenant?: boolean
}

export interface AuditOptions {
  /** Time of the export in ms since epoch; the newest timestamp in the objects is the floor. */
  readonly now?: number
  /** Window for "recent" checks (I1, I2, I14, O1, D3), in days. Default 30. */
  readonly recentDays?: number
  /** Admin-confirmed own egress IPs and gateway vendor ranges (I3, I4, I11). */
  readonly knownIps?: readonly string[]
  /** Admin-confirmed smart hosts (O2): host names (suffix match) or IPs. */
  readonly knownSmartHosts?: readonly string[]
}

/** Minimal translator: i18next's `t` fits it. */
export type Translate = (key: string, options?: Readonly<Record<string, unknown>>) => string
