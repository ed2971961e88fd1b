/**
 * The one API contract between the renderer and the main process: method name → zod schema of the
 * arguments and the TypeScript type of the result. Both transports (Electron IPC through the preload,
 * loopback HTTP in browser mode) dispatch through the same handlers, which validate every call with
 * these schemas before any work is done. Pure: imported by main and, for its types, by the renderer.
 */
import { z } from 'zod'
import { LANGUAGES } from '../i18n/languages'
import type { Language } from '../i18n/languages'
import type { NotNdrReason, ParseOutcome } from '../parse/types'
import type { RenderedExplanation } from '../kb/types'
import type {
  ExportFormat,
  FindingObjectType,
  ObjectType,
  RuleId,
  Severity,
} from '../connectors/types'
import { METHOD_NAMES, type MethodName } from './methods'
import { FIELD_LIMITS } from './limits'

export { BRIDGE_NAME, IPC_CHANNEL } from './methods'

/** Largest paste or dropped file the app accepts, in characters; checked before any parsing. */
export const MAX_INPUT_CHARS = 25 * 1024 * 1024
/** Connector exports: all files of one import together, and how many files at once. */
export const MAX_EXPORT_CHARS = 10_000_000
export const MAX_EXPORT_FILES = 20
/** The validation message of exports too large together (mapped to 'exports-too-large'). */
export const EXPORTS_TOO_LARGE = 'inputs too large together'

/**
 * Whether exports fit in one import: the schema's check of one call, the renderer's before it sends,
 * and the backend's for an import and the exports added to it.
 */
export function exportsFit(inputs: readonly { readonly text: string }[]): boolean {
  return (
    inputs.length <= MAX_EXPORT_FILES &&
    inputs.reduce((n, i) => n + i.text.length, 0) <= MAX_EXPORT_CHARS
  )
}

/** The error for exports that do not fit, with the limits the sentence names. */
export const EXPORTS_TOO_LARGE_ERROR: ApiError = {
  code: 'exports-too-large',
  message: `At most ${MAX_EXPORT_FILES} exports and ${MAX_EXPORT_CHARS} characters in one import.`,
  params: { files: MAX_EXPORT_FILES, chars: MAX_EXPORT_CHARS },
}

/**
 * The sentence (a locale key) for a case with nothing to explain: what it is when it was read but
 * is not a bounce (CaseExplanation.notBounce), else that nothing could be read as one. Shared by
 * the explanation tab and the report.
 */
export function nothingToExplainKey(notBounce: NotNdrReason | null): string {
  return notBounce && notBounce !== 'unreadable'
    ? `common:case.notBounce.${notBounce}`
    : 'common:case.noExplanation'
}
/** Largest search string; a search box never needs more. */
export const MAX_QUERY_CHARS = 500
export { FIELD_LIMITS } from './limits'

const languageSchema = z.enum(LANGUAGES)
const caseId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER)

export const CASE_STATES = ['open', 'resolved'] as const
export type CaseState = (typeof CASE_STATES)[number]
/** A remediation step: to do, done, skipped on purpose, or not applicable to this tenant. */
export const STEP_STATES = ['todo', 'done', 'skipped', 'na'] as const
export type StepState = (typeof STEP_STATES)[number]
const caseState = z.enum(CASE_STATES)
export const CASE_TABS = ['explanation', 'details', 'connectors'] as const
export type CaseTab = (typeof CASE_TABS)[number]

export const contract = {
  'app.info': { args: z.strictObject({}) },
  'settings.get': { args: z.strictObject({}) },
  'settings.setLanguage': { args: z.strictObject({ language: languageSchema }) },
  'settings.setUserName': {
    args: z.strictObject({ userName: z.string().trim().min(1).max(FIELD_LIMITS.userName) }),
  },
  'settings.setLastView': {
    args: z.strictObject({ caseId: caseId.nullable(), tab: z.enum(CASE_TABS) }),
  },
  'cases.analyze': {
    // Text (a paste, .eml, .mbox) or the bytes of a binary file (Outlook .msg), never both.
    args: z
      .strictObject({
        text: z.string().min(1).max(MAX_INPUT_CHARS).optional(),
        base64: z
          .string()
          .min(4)
          .max(Math.ceil(MAX_INPUT_CHARS / 3) * 4)
          .regex(/^[A-Za-z0-9+/]*={0,2}$/)
          .optional(),
        fileName: z.string().max(255).optional(),
      })
      .refine((a) => (a.text === undefined) !== (a.base64 === undefined), {
        message: 'give either text or base64',
      }),
  },
  'cases.list': {
    args: z.strictObject({
      query: z.string().max(MAX_QUERY_CHARS).optional(),
      limit: z.number().int().min(1).max(500).optional(),
      state: caseState.optional(),
      trash: z.boolean().optional(),
      code: z
        .string()
        .regex(/^[245](\.\d{1,3}){0,2}\.?$/)
        .optional(),
      senderDomain: z.string().max(253).optional(),
      from: z.iso.datetime().optional(),
      to: z.iso.datetime().optional(),
    }),
  },
  'cases.senderDomains': { args: z.strictObject({}) },
  'cases.html': { args: z.strictObject({ id: caseId }) },
  'cases.update': {
    args: z.strictObject({
      id: caseId,
      title: z.string().max(FIELD_LIMITS.title).optional(),
      ticket: z.string().max(FIELD_LIMITS.ticket).optional(),
      tags: z.array(z.string().min(1).max(FIELD_LIMITS.tag)).max(FIELD_LIMITS.tags).optional(),
      state: caseState.optional(),
    }),
  },
  'cases.report': {
    args: z.strictObject({
      id: caseId,
      language: languageSchema,
      format: z.enum(['md', 'html', 'pdf']),
    }),
  },
  'cases.delete': { args: z.strictObject({ id: caseId }) },
  'cases.restore': { args: z.strictObject({ id: caseId }) },
  'cases.steps': { args: z.strictObject({ id: caseId }) },
  'cases.setStep': {
    args: z.strictObject({
      id: caseId,
      key: z.string().min(1).max(200),
      state: z.enum(STEP_STATES),
      note: z.string().max(FIELD_LIMITS.note).optional(),
      by: z.string().min(1).max(100).optional(),
    }),
  },
  'cases.get': { args: z.strictObject({ id: caseId }) },
  'cases.explain': { args: z.strictObject({ id: caseId, language: languageSchema }) },
  'connectors.import': {
    args: z
      .strictObject({
        caseId: caseId.optional(),
        /** A stored import to add these exports to (see extendImport), instead of a new import. */
        addTo: caseId.optional(),
        inputs: z
          .array(
            z.strictObject({
              name: z.string().min(1).max(255),
              text: z.string().max(MAX_EXPORT_CHARS),
            }),
          )
          .min(1)
          .max(MAX_EXPORT_FILES),
        language: languageSchema,
      })
      .refine((a) => exportsFit(a.inputs), { message: EXPORTS_TOO_LARGE }),
  },
  'connectors.list': { args: z.strictObject({ caseId: caseId.optional() }) },
  'data.export': { args: z.strictObject({}) },
  'data.import': { args: z.strictObject({ path: z.string().min(1).max(4096) }) },
  'connectors.get': { args: z.strictObject({ id: caseId, language: languageSchema }) },
  'connectors.delete': { args: z.strictObject({ id: caseId }) },
} as const satisfies Record<MethodName, { args: z.ZodType }>

export type Method = keyof typeof contract
// Both directions: every listed name has a schema (satisfies above) and every schema is listed.
const _allListed: Method extends MethodName ? true : never = true
void _allListed
export const METHODS: readonly Method[] = METHOD_NAMES
export type Args<M extends Method> = z.infer<(typeof contract)[M]['args']>

export interface AppInfo {
  readonly name: string
  readonly version: string
  readonly mode: 'electron' | 'browser'
  readonly dataDir: string
  readonly schemaVersion: number
  /** Set when a damaged store was set aside at start-up: what was restored, what period is lost. */
  readonly recovery: {
    readonly movedTo: string
    readonly restoredFrom: string | null
    readonly backupTakenAt: string | null
    readonly detectedAt: string
  } | null
  /** Set when the store could only be opened for viewing (read-only folder or disk, …). */
  readonly readOnly: { readonly code: StorageCode } | null
}

/** Why the store cannot be written or read as usual; each has `errors:storage.<code>`. */
export const STORAGE_CODES = ['read-only', 'disk-full', 'io-error', 'busy', 'corrupt'] as const
export type StorageCode = (typeof STORAGE_CODES)[number]

export interface Settings {
  /** The user's chosen UI language, or null to follow the OS language. */
  readonly language: Language | null
  /** Who ticks steps: the OS user name unless changed. */
  readonly userName: string
  /** Where the user was: reopening the app returns there. */
  readonly lastView: { readonly caseId: number | null; readonly tab: CaseTab }
  /** The OS (or browser) language the backend detected, mapped to one of the five. */
  readonly systemLanguage: Language
}

export interface CaseSummary {
  readonly id: number
  readonly title: string
  /** The primary enhanced status code (RFC 3463 `class.subject.detail`), or null if none. */
  readonly status: string | null
  readonly createdAt: string
  readonly updatedAt: string
  readonly state: CaseState
  readonly ticket: string
  readonly tags: readonly string[]
  /** Set while the case is in the trash. */
  readonly deletedAt: string | null
}

export interface CaseStep {
  /** `<message>:<recipient>:<step id>` of the explanation it belongs to. */
  readonly key: string
  readonly state: StepState
  readonly note: string
  readonly updatedAt: string
  readonly updatedBy: string
}

export interface CaseDetail extends CaseSummary {
  /** The input as text; empty for a binary file (then `binarySize` is set). */
  readonly text: string
  readonly binarySize: number | null
  readonly fileName: string | null
  /** What the parsing engine read from the input, or null for cases made before it existed. */
  readonly parse: ParseOutcome | null
}

/** One recipient's explanation, rendered in the language asked for. */
export interface ExplainedRecipient {
  readonly messageIndex: number
  readonly recipientIndex: number
  readonly address: string | null
  readonly explanation: RenderedExplanation
}

export interface CaseExplanation {
  readonly language: Language
  readonly items: readonly ExplainedRecipient[]
  /**
   * Why there is nothing to explain, when no message read is a bounce (a spam complaint, an
   * auto-reply, ordinary mail, nothing recognizable); null when something bounced.
   */
  readonly notBounce: NotNdrReason | null
}

export interface ConnectorImportSummary {
  readonly id: number
  readonly caseId: number | null
  readonly createdAt: string
  readonly names: readonly string[]
}

export interface RenderedInputReport {
  readonly name: string
  readonly format: ExportFormat
  readonly objectTypes: readonly ObjectType[]
  readonly objectCount: number
  readonly errors: readonly string[]
  readonly warnings: readonly string[]
}

export interface ConnectorObjectRow {
  readonly type: ObjectType
  readonly identity: string
  readonly input: string
  /** Display text of the columns of its type (`ConnectorReport.columns`); '' when not exported. */
  readonly cells: Readonly<Record<string, string>>
  readonly findings: number
  readonly worst: Severity | null
}

export interface RenderedFinding {
  readonly rule: RuleId
  readonly severity: Severity
  readonly objectType: FindingObjectType
  readonly object: string
  readonly property: string
  readonly value: string
  readonly title: string
  readonly message: string
  readonly why: string
  readonly fix: string
  readonly explainsNdr: boolean
}

/** `id` is 0 when nothing in the inputs could be read: such an import is reported, not stored. */
export interface ConnectorReport extends ConnectorImportSummary {
  readonly language: Language
  /** Inputs of the import that exports added to it replaced (same object types, newer). */
  readonly replaced: readonly string[]
  readonly inputs: readonly RenderedInputReport[]
  readonly columns: Readonly<Record<ObjectType, readonly string[]>>
  readonly objects: readonly ConnectorObjectRow[]
  readonly findings: readonly RenderedFinding[]
  /** Ticket-ready Markdown that reads as plain text. */
  readonly summary: string
  /** The findings as CSV for a spreadsheet, with formula injection neutralized. */
  readonly csv: string
}

export interface Results {
  'app.info': AppInfo
  'settings.get': Settings
  'settings.setLanguage': Settings
  'settings.setUserName': Settings
  'settings.setLastView': Settings
  'cases.analyze': CaseSummary
  'cases.list': readonly CaseSummary[]
  'cases.get': CaseDetail
  'cases.explain': CaseExplanation
  'cases.update': CaseSummary
  'cases.delete': CaseSummary
  'cases.restore': CaseSummary
  'cases.steps': readonly CaseStep[]
  'cases.setStep': CaseStep
  /** The case as a Markdown or HTML report in the language asked for; PDF (Electron only) as base64. */
  'cases.report': string
  'cases.senderDomains': readonly string[]
  /** The bounce's own HTML part, raw (untrusted): the renderer sanitizes it and shows it in a sandboxed frame. */
  'cases.html': { readonly html: string | null }
  'connectors.import': ConnectorReport
  'connectors.list': readonly ConnectorImportSummary[]
  /** All data as one verified SQLite file in the data folder's `exports/`. */
  'data.export': { readonly path: string; readonly bytes: number; readonly cases: number }
  /** Cases of an exported file added to this store. */
  'data.import': { readonly imported: number; readonly skipped: number }
  'connectors.get': ConnectorReport
  /** The import is removed for good (it holds a tenant's configuration); its case is untouched. */
  'connectors.delete': { readonly id: number }
}
export type Result<M extends Method> = Results[M]

/**
 * Error codes a call can fail with. Each maps to `errors:api.<code>` in the locales, so the renderer
 * shows a localized sentence whatever transport carried it.
 */
export const API_ERROR_CODES = [
  'invalid-arguments',
  'unknown-method',
  'not-found',
  'file-not-found',
  'unreadable',
  'not-an-export',
  'unsupported',
  'forbidden',
  'too-large',
  'too-long',
  'too-many',
  'exports-too-large',
  'import-not-found',
  'database-newer',
  'database-error',
  'storage',
  'transport',
  'internal',
] as const
export type ApiErrorCode = (typeof API_ERROR_CODES)[number]

export interface ApiError {
  readonly code: ApiErrorCode
  /** English detail for logs and the CLI; the UI shows `errors:api.<code>` instead. */
  readonly message: string
  readonly params?: Readonly<Record<string, string | number>>
}

export type Envelope<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ApiError }

/** The object the renderer talks to: one async function per method. */
export type NdrApi = { readonly [M in Method]: (args: Args<M>) => Promise<Envelope<Result<M>>> }

export function isMethod(name: unknown): name is Method {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name)
}

/** Header carrying the per-launch token in browser mode. */
export const TOKEN_HEADER = 'x-ndr-token'
