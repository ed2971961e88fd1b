/**
 * Category-based explanations for bounces that are not Exchange Online's (Postfix, Gmail, Exim …) or
 * that carry no usable code. The names are sisimai's reason vocabulary (domain brief §0 `SIS`, and
 * the `reason` column of shared/corpus/expected.json). Words: `kb:category.<id>.{title,summary,why}`.
 */
import type { CatalogueStep, CategoryEntry, WhoActs } from './types'

const s = (id: string): CatalogueStep => ({ id })
const c = (
  id: string,
  whoActs: readonly WhoActs[],
  steps: readonly string[],
  endUser: string,
): CategoryEntry => ({ id, whoActs, steps: steps.map(s), endUser })

export const CATEGORIES: readonly CategoryEntry[] = [
  c(
    'userunknown',
    ['sender'],
    ['checkSpelling', 'removeAutoComplete', 'askRecipientConfirmAddress'],
    'checkAddressResend',
  ),
  c(
    'hasmoved',
    ['sender'],
    ['askRecipientConfirmAddress', 'removeAutoComplete'],
    'checkAddressResend',
  ),
  c(
    'hostunknown',
    ['sender', 'recipientAdmin'],
    ['checkSpelling', 'checkDomainDns'],
    'checkAddressResend',
  ),
  c('mailboxfull', ['recipient'], ['askRecipientFreeSpace', 'retryLater'], 'mailboxFull'),
  c(
    'suspend',
    ['recipient', 'recipientAdmin'],
    ['askRecipientConfirmAddress', 'useOtherChannel'],
    'recipientSideProblem',
  ),
  c(
    'systemfull',
    ['recipientAdmin'],
    ['retryLater', 'contactRecipientAdmin'],
    'recipientSideProblem',
  ),
  c('emailtoolarge', ['sender'], ['shareLinkInstead', 'askResend'], 'resendSmaller'),
  c('exceedlimit', ['sender'], ['shareLinkInstead', 'askResend'], 'resendSmaller'),
  c(
    'blocked',
    ['senderAdmin'],
    ['checkIpClean', 'checkBlocklists', 'contactRecipientAdmin'],
    'ipBlocked',
  ),
  c(
    'badreputation',
    ['senderAdmin'],
    ['checkIpClean', 'checkBlocklists', 'fixSpfDkimAlignment'],
    'ipBlocked',
  ),
  c('requireptr', ['senderAdmin'], ['publishPtr'], 'adminFixing'),
  c(
    'spamdetected',
    ['sender', 'senderAdmin'],
    ['reviewContent', 'fixSpfDkimAlignment'],
    'contentRejected',
  ),
  c('virusdetected', ['sender', 'senderAdmin'], ['scanAttachment', 'askResend'], 'contentRejected'),
  c('contenterror', ['sender'], ['reviewContent', 'resendFromOwa'], 'resendOtherClient'),
  c(
    'filtered',
    ['recipient', 'recipientAdmin'],
    ['askRecipientUnblock', 'contactRecipientAdmin'],
    'recipientBlocked',
  ),
  c(
    'policyviolation',
    ['senderAdmin', 'recipientAdmin'],
    ['readDiagnostic', 'contactRecipientAdmin'],
    'ruleRejected',
  ),
  c(
    'rejected',
    ['senderAdmin'],
    ['readDiagnostic', 'checkSpfAllSources', 'contactRecipientAdmin'],
    'recipientBlocked',
  ),
  c('securityerror', ['senderAdmin'], ['checkCredentials', 'readDiagnostic'], 'adminFixing'),
  c('authfailure', ['senderAdmin'], ['fixSpfDkimAlignment', 'readDiagnostic'], 'adminFixing'),
  c('norelaying', ['senderAdmin'], ['checkSingleMx', 'checkRelayAuth'], 'adminFixing'),
  c(
    'notaccept',
    ['recipientAdmin'],
    ['checkDomainDns', 'contactRecipientAdmin'],
    'recipientSideProblem',
  ),
  c('notcompliantrfc', ['senderAdmin'], ['fixAppFromHeader', 'readDiagnostic'], 'adminFixing'),
  c('syntaxerror', ['senderAdmin'], ['readDiagnostic', 'checkMailerConfig'], 'adminFixing'),
  c(
    'failedstarttls',
    ['senderAdmin', 'recipientAdmin'],
    ['readDiagnostic', 'fixCertificate'],
    'recipientSideProblem',
  ),
  c(
    'expired',
    ['recipientAdmin', 'senderAdmin'],
    ['checkDestinationAvailable', 'sendRemoteErrorToRecipient'],
    'recipientSideProblem',
  ),
  c(
    'networkerror',
    ['recipientAdmin', 'senderAdmin'],
    ['checkDomainDns', 'checkDestinationAvailable'],
    'recipientSideProblem',
  ),
  c('toomanyconn', ['senderAdmin'], ['lowerSendRate', 'retryLater'], 'retryingLater'),
  c('ratelimited', ['senderAdmin'], ['lowerSendRate', 'retryLater'], 'slowDown'),
  c(
    'systemerror',
    ['recipientAdmin'],
    ['retryLater', 'contactRecipientAdmin'],
    'recipientSideProblem',
  ),
  c(
    'mailererror',
    ['senderAdmin', 'recipientAdmin'],
    ['readDiagnostic', 'checkMailerConfig'],
    'recipientSideProblem',
  ),
  c('onhold', ['senderAdmin'], ['readDiagnostic', 'waitRetry'], 'waitAndSee'),
  c('vacation', ['nobody'], ['readAutoReply'], 'autoReply'),
  c('feedback', ['senderAdmin'], ['reviewComplaint'], 'complaint'),
  c('delivered', ['nobody'], ['deliveredNothing'], 'delivered'),
  c(
    'undefined',
    ['senderAdmin'],
    ['readDiagnostic', 'sendRemoteErrorToRecipient', 'contactRecipientAdmin'],
    'unknownProblem',
  ),
]

/** Other spellings of the same reasons (sisimai renamed some between versions, corpus README). */
export const CATEGORY_ALIASES: Readonly<Record<string, string>> = {
  mesgtoobig: 'emailtoolarge',
  speeding: 'ratelimited',
  toomanyconnections: 'toomanyconn',
  unknown: 'undefined',
}

export function findCategory(name: string | null | undefined): CategoryEntry | undefined {
  if (!name) return undefined
  const key = name.toLowerCase().replace(/[^a-z]/g, '')
  const id = CATEGORY_ALIASES[key] ?? key
  return CATEGORIES.find((c) => c.id === id)
}
