// Result types of the NDR parsing engine (issue 3 "Output"). Everything is readonly: results are
// produced once by the pure engine and then only displayed, stored or serialised.

import type { MsgReaderClass } from './msg'

/** Why a message that was read is not a bounce. */
export type NotNdrReason = 'auto-reply' | 'spam-complaint' | 'ordinary' | 'unreadable'

export type BounceKind = 'ndr' | 'delay' | 'not-ndr'

/** The software or service that wrote the bounce, as far as its own markers tell. */
export type BounceSystem =
  | 'exchange-online'
  | 'exchange-server'
  | 'outlook-com'
  | 'gmail'
  | 'yahoo'
  | 'postfix'
  | 'exim'
  | 'sendmail'
  | 'qmail'
  | 'amazon-ses'
  | 'rfc3464'
  | 'unknown'

/** How the facts were laid out (domain brief §2.2 layouts A/B/C, RFC 3464, or a partial paste). */
export type BounceLayout =
  | 'exchange-classic'
  | 'exchange-rejected'
  | 'exchange-enhanced'
  | 'dsn'
  | 'plain-text'
  | 'fragment'
  | 'none'

/**
 * Bounce-reason vocabulary of sisimai (v5 names: `emailtoolarge` rather than `mesgtoobig`), so that
 * results can be compared with the best-known open classifier.
 */
export const CATEGORIES = [
  'userunknown',
  'hostunknown',
  'mailboxfull',
  'emailtoolarge',
  'exceedlimit',
  'expired',
  'networkerror',
  'blocked',
  'badreputation',
  'ratelimited',
  'spamdetected',
  'virusdetected',
  'policyviolation',
  'securityerror',
  'authfailure',
  'requireptr',
  'norelaying',
  'rejected',
  'hasmoved',
  'suspend',
  'contenterror',
  'notcompliantrfc',
  'syntaxerror',
  'systemerror',
  'systemfull',
  'toomanyconn',
  'failedstarttls',
  'mailererror',
  'filtered',
  'notaccept',
  'feedback',
  'vacation',
  'undefined',
] as const
export type Category = (typeof CATEGORIES)[number]

/** Warning codes; each has a `parse:warnings.<code>` key in every locale. */
export const WARNING_CODES = [
  'truncated',
  'statusReplyMismatch',
  'severalCodes',
  'noStatus',
  'noRecipient',
  'partsCapped',
  'textCapped',
  'charsetUnknown',
  'forwarded',
  'statusFromDiagnostic',
] as const
export type WarningCode = (typeof WARNING_CODES)[number]

export interface ParseWarning {
  readonly code: WarningCode
  readonly params?: Readonly<Record<string, string | number>>
}

export type Verdict =
  | 'pass'
  | 'fail'
  | 'softfail'
  | 'neutral'
  | 'none'
  | 'temperror'
  | 'permerror'
  | 'bestguesspass'
  | 'policy'

/** Authentication verdicts read from Authentication-Results / Received-SPF of the returned headers. */
export interface AuthVerdicts {
  readonly spf?: Verdict
  readonly dkim?: Verdict
  readonly dmarc?: Verdict
  /** Microsoft's composite authentication (`compauth=`). */
  readonly compauth?: Verdict
}

export interface RecipientResult {
  readonly address?: string
  /** Enhanced status code (RFC 3463), e.g. `5.7.750`. */
  readonly status?: string
  /** SMTP reply code (RFC 5321), e.g. `550`. */
  readonly replyCode?: string
  /** RFC 3464 action: failed, delayed, delivered, relayed, expanded. */
  readonly action?: string
  /** The server's response text, as written (never localized by Exchange). */
  readonly diagnostic?: string
  /** The server that rejected the message, when another server than the reporter did. */
  readonly remoteMta?: string
  /** Other enhanced codes seen for this recipient: earlier attempts, the remote half of `A -> B`. */
  readonly otherStatuses: readonly string[]
  /** Exchange component token such as `RESOLVER.ADR.RecipientNotFound` (domain brief §2.6). */
  readonly component?: string
  /** EOP anti-spam tag such as `AS(2204)` (domain brief §1.0). */
  readonly asTag?: string
  readonly category: Category
}

export interface BounceResult {
  readonly kind: BounceKind
  /** Set when kind is `not-ndr`. */
  readonly notNdrReason?: NotNdrReason
  readonly system: BounceSystem
  readonly layout: BounceLayout
  /** BCP 47 tag of the human-readable part (`en`, `ja`, `zh-TW`, `fr`, `it`, …) when it can be told. */
  readonly language?: string
  readonly recipients: readonly RecipientResult[]
  /** The first recipient's status: what a one-line summary shows. */
  readonly primaryStatus?: string
  readonly primaryReplyCode?: string
  /** Category of the first recipient (or `feedback` / `vacation` / `undefined` for non-bounces). */
  readonly category: Category
  /** Sender of the original message (the person who got the bounce). */
  readonly sender?: string
  readonly senderDomain?: string
  /** Domain of the original message's header From (P2), from its returned headers. */
  readonly fromDomain?: string
  /** Domain of the original envelope sender (P1): Return-Path, else `smtp.mailfrom=`. */
  readonly mailFromDomain?: string
  /**
   * IP of the server that handed the original message to Exchange Online Protection: the earliest
   * `Received:` hop whose `by` is `*.mail.protection.outlook.com` (domain brief §4.3 N3).
   */
  readonly relayIp?: string
  readonly reportingMta?: string
  readonly generatingServer?: string
  readonly receivedFromMta?: string
  readonly arrivalDate?: string
  readonly originalSubject?: string
  readonly originalDate?: string
  readonly originalMessageId?: string
  /** Subject, date, From and Message-ID of the bounce itself. */
  readonly subject?: string
  readonly date?: string
  readonly from?: string
  readonly messageId?: string
  readonly auth: AuthVerdicts
  readonly warnings: readonly ParseWarning[]
}

/** Typed errors; each maps to the `parse:errors.<code>` key in every locale. */
export const PARSE_ERROR_CODES = [
  'empty',
  'tooLarge',
  'headerTooLarge',
  'tooManyParts',
  'tooDeep',
  'tooManyMessages',
  'msgUnreadable',
  'binary',
  'internal',
] as const
export type ParseErrorCode = (typeof PARSE_ERROR_CODES)[number]

export interface ParseError {
  readonly code: ParseErrorCode
  readonly params?: Readonly<Record<string, string | number>>
}

export type ParseOutcome =
  | { readonly ok: true; readonly messages: readonly BounceResult[] }
  | { readonly ok: false; readonly error: ParseError }

export interface ParseOptions {
  /** Name of the dropped file: `.msg`/`.mbox` extensions are hints, the content decides. */
  readonly fileName?: string
  /**
   * The .msg reader (@kenjiuno/msgreader's default export), needed only for Outlook .msg input
   * (isCfb). Without it a .msg is refused as `msgUnreadable`. Loaded on demand by the callers.
   */
  readonly msgReader?: MsgReaderClass
}
