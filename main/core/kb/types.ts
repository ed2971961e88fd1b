/**
 * Types of the explanation knowledge base (issue 4). Knowledge is data (catalogue.ts, categories.ts),
 * words are locale keys in locales/<lng>/kb.json, and the engine (engine.ts) only matches and ranks.
 */

/** Who must act, in the order of the fix-owner banner (domain brief §1.0 "Who acts" key, §1.13). */
export const WHO_ACTS = [
  'sender',
  'senderAdmin',
  'recipient',
  'recipientAdmin',
  'microsoftSupport',
  'nobody',
] as const
export type WhoActs = (typeof WHO_ACTS)[number]

/** What a step's copyable detail is: a PowerShell line, an admin-center page (URL) or a setting name. */
export type StepDetailKind = 'cmdlet' | 'admin-center' | 'setting'

export interface StepDetail {
  readonly kind: StepDetailKind
  /** Language-independent: a cmdlet line, an https URL of a Microsoft admin page, or a setting name. */
  readonly value: string
}

/** A step of an entry's checklist: its text is `kb:step.<id>`, shared by every entry that uses it. */
export interface CatalogueStep {
  readonly id: string
  readonly detail?: StepDetail
}

/** An inclusive range of enhanced status codes that share class and subject, e.g. 4.7.500–4.7.699. */
export type CodeRange = readonly [from: string, to: string]

/**
 * One catalogue entry. Its words live under `kb:entry.<id>.{title,summary,why}`; the end-user message
 * is `kb:endUser.<endUser>` (a small shared pool: what to tell the user is often the same).
 */
export interface CatalogueEntry {
  /** Stable id, also the locale key segment: dashes only (i18next splits keys on dots). */
  readonly id: string
  /** Codes this entry explains exactly. */
  readonly codes: readonly string[]
  /** Code ranges this entry explains when no exact entry claims the code. */
  readonly ranges?: readonly CodeRange[]
  /**
   * Code families where the diagnostic text, not the number, decides: the entry is chosen for a code
   * in these ranges only when one of `text` matches (e.g. 5.7.7xx: "unregistered domain" is 5.7.750's
   * cause whatever number the NDR printed, domain brief §5 item 3).
   */
  readonly family?: readonly CodeRange[]
  /** Discriminators on the diagnostic text (case-insensitive regexes). */
  readonly text?: readonly RegExp[]
  /** Among entries sharing a code, the one chosen when no entry's text matches. */
  readonly isDefault?: boolean
  /** Allow matching on `text` alone when the input carries no code at all (domain brief §1.9). */
  readonly codeless?: boolean
  readonly whoActs: readonly WhoActs[]
  readonly steps: readonly CatalogueStep[]
  /** Shared end-user message id: `kb:endUser.<endUser>`. */
  readonly endUser: string
  /** Microsoft's article: https://learn.microsoft.com/… only. */
  readonly learnMore?: string
}

/** Category-based explanation for non-Microsoft bounces (sisimai reason vocabulary). */
export interface CategoryEntry {
  readonly id: string
  readonly whoActs: readonly WhoActs[]
  /** Step ids from the shared pool `kb:step.<id>`. */
  readonly steps: readonly CatalogueStep[]
  readonly endUser: string
}

export interface ExplainInput {
  /** Enhanced status code (RFC 3463), e.g. `5.7.750`. */
  readonly status?: string | null | undefined
  /** Three-digit SMTP reply, e.g. `550`. */
  readonly replyCode?: string | number | null | undefined
  /** The diagnostic text (Diagnostic-Code, "Remote Server returned '…'", pasted session error). */
  readonly diagnostic?: string | null | undefined
  /** Reason category (sisimai vocabulary, e.g. `userunknown`). */
  readonly category?: string | null | undefined
  /** The reporting system, e.g. `exchange-online`, `postfix`. */
  readonly system?: string | null | undefined
  readonly sender?: string | null | undefined
  readonly senderDomain?: string | null | undefined
  readonly recipient?: string | null | undefined
  readonly recipientDomain?: string | null | undefined
}

export interface ExplanationStep {
  readonly id: string
  /** Full key, `kb:step.<id>`. */
  readonly textKey: string
  readonly detail?: StepDetail
}

export interface Explanation {
  /** The enhanced code explained (normalised), or '' when the input had none. */
  readonly code: string
  readonly source: 'catalogue' | 'fallback'
  /** Catalogue entry id, or `rfc3463:<code>`, `category:<name>` for the fallbacks. */
  readonly entryId: string
  readonly titleKey: string
  readonly summaryKey: string
  readonly whyKey: string
  readonly whoActs: readonly WhoActs[]
  readonly steps: readonly ExplanationStep[]
  readonly endUserKey: string
  readonly learnMore?: string
  /** Interpolation values: code, sender, senderDomain, recipient, recipientDomain, reply. */
  readonly params: Readonly<Record<string, string>>
  /**
   * Interpolation values that are themselves locale keys (the RFC 3463 pieces of a fallback): the
   * renderer translates each and passes the result as the param of that name.
   */
  readonly paramKeys: Readonly<Record<string, string>>
}

/** The subset of i18next's TFunction the renderer needs; any `(key, params) => string` works. */
export type Translate = (key: string, params?: Record<string, string>) => string

export interface RenderedStep {
  readonly id: string
  readonly text: string
  readonly detail: StepDetail | null
}

export interface RenderedExplanation {
  readonly code: string
  readonly source: 'catalogue' | 'fallback'
  readonly entryId: string
  readonly title: string
  readonly whoActs: readonly { readonly id: WhoActs; readonly label: string }[]
  readonly summary: string
  readonly why: string
  readonly steps: readonly RenderedStep[]
  readonly endUserMessage: string
  readonly learnMore: string | null
}
