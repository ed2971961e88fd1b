// Reason category in sisimai's vocabulary. The diagnostic text decides first (domain brief §1.0: one
// code, several meanings, e.g. 5.2.2 quota vs mailbox full), then the enhanced status code.

import { NeedleGroups } from './needles'
import type { Category } from './types'

/** Lower-case substrings of a diagnostic text and the category they indicate; first match wins. */
const TEXT_RULES: ReadonlyArray<readonly [Category, readonly string[]]> = [
  [
    'norelaying',
    [
      'relay access denied',
      'relaying denied',
      'not permitted to relay',
      'relay not permitted',
      'relaying not allowed',
      'unable to relay',
      'we do not relay',
    ],
  ],
  [
    'expired',
    [
      'queue.expired',
      'message expired',
      'too long in the queue',
      'retry timeout exceeded',
      'been in the queue too long',
      'delivery time expired',
    ],
  ],
  [
    'mailboxfull',
    [
      'mailbox full',
      'mailbox is full',
      'quota exceeded',
      'over quota',
      'overquota',
      'exceeded storage',
      'insufficient storage',
      'mailbox size limit',
      'user is over',
      'maxobjsexceeded',
      'full mailbox',
      'quotaexceeded',
    ],
  ],
  [
    'emailtoolarge',
    [
      'message too large',
      'message size exceeds',
      'recipsizelimit',
      'size limit',
      'message is too big',
      'exceeds the maximum size',
      'too large for',
      'message size exceed',
    ],
  ],
  [
    'authfailure',
    [
      'dmarc',
      'spf',
      'dkim',
      'not allowed to send from',
      'not authorized to send on behalf',
      'sender id',
      'authentication failed for sender',
    ],
  ],
  [
    'requireptr',
    [
      'mismatches client ip',
      'no ptr',
      'reverse dns',
      'rdns',
      'ptr record',
      'cannot find your hostname',
      'cannot resolve your',
    ],
  ],
  [
    'badreputation',
    [
      'rate limited due to ip reputation',
      'ip reputation',
      'bad reputation',
      'poor reputation',
      'low reputation',
      'temporarily rate limited due to',
    ],
  ],
  [
    'blocked',
    [
      'banned sending ip',
      'blocked using',
      'blacklist',
      'blocklist',
      'block list',
      'listed at',
      'listed in',
      'client host rejected',
      'use the smtp server of your isp',
      'your ip',
      'ip address is blocked',
      'access denied, banned',
      'rejected due to ip',
      'spamhaus',
      'dnsbl',
    ],
  ],
  [
    'ratelimited',
    [
      'rate limit',
      'too many messages',
      'try again later',
      'throttl',
      'exceeded the rate',
      'sending limit',
    ],
  ],
  ['spamdetected', ['spam', 'junk mail', 'bulk mail', 'unsolicited']],
  ['virusdetected', ['virus', 'malware', 'infected']],
  [
    'securityerror',
    [
      'not authenticated',
      'authentication required',
      'authentication unsuccessful',
      'smtpclientauthentication',
      'starttls',
      'tls required',
      'must issue a starttls',
      'access denied (state 13)',
    ],
  ],
  ['hasmoved', ['no longer on server', 'has moved', 'user has moved', 'address has changed']],
  [
    'suspend',
    [
      'mailbox disabled',
      'account disabled',
      'account is disabled',
      'mailbox has been disabled',
      'suspended',
      'inactive account',
      'account has been disabled',
    ],
  ],
  [
    'hostunknown',
    [
      'host unknown',
      'unknown host',
      'domain not found',
      'domain is not reachable',
      'no mx',
      'host not found',
      'domain does not exist',
      'name or service not known',
      'unrouteable',
      'domain not exist',
      'no such domain',
    ],
  ],
  [
    'userunknown',
    [
      'user unknown',
      'unknown user',
      'recipient name is not recognized',
      'recipnotfound',
      'recipientnotfound',
      'recipient not found',
      'no such user',
      'does not exist',
      "doesn't exist",
      'mailbox unavailable',
      'address rejected',
      'invalid recipient',
      'unknown recipient',
      'recipient address rejected',
      'not found by smtp address lookup',
      'no mailbox',
      'mailbox not found',
      'unknown mailbox',
      'not a valid recipient',
      'user not found',
      'no such recipient',
      'unknown address',
      'invalid mailbox',
      'recipient rejected',
      'does not like recipient',
      'unrouteable address',
      'account does not exist',
      "wasn't found at",
    ],
  ],
  [
    'rejected',
    [
      'sender address rejected',
      'bad outbound sender',
      'sender rejected',
      'sender denied',
      'domain of sender address',
      'sender verify failed',
      'unregistered domain',
      'sending from unregistered',
    ],
  ],
  [
    'networkerror',
    [
      'hop count exceeded',
      'mail loop',
      'routing loop',
      'loop detected',
      'too many hops',
      'connection refused',
      'connection timed out',
      'timed out',
      'failed to connect',
      'no route to host',
      'network is unreachable',
      'lost connection',
      'connection reset',
    ],
  ],
  ['toomanyconn', ['too many connections', 'connection limit']],
  [
    'policyviolation',
    ['policy', 'not permitted', 'prohibited', 'restricted', 'not allowed', 'access denied'],
  ],
  [
    'contenterror',
    ['header error', 'content rejected', 'message content', 'invalid header', 'malformed'],
  ],
  [
    'systemerror',
    ['system error', 'internal error', 'local error', 'transaction failed', 'service unavailable'],
  ],
]

/** Enhanced status code → category, most specific key first (`class.subject.detail`, then prefix). */
const STATUS_RULES: Readonly<Record<string, Category>> = {
  'x.1.0': 'userunknown',
  'x.1.1': 'userunknown',
  'x.1.2': 'hostunknown',
  'x.1.3': 'syntaxerror',
  'x.1.4': 'userunknown',
  'x.1.5': 'userunknown',
  'x.1.6': 'hasmoved',
  'x.1.7': 'rejected',
  'x.1.8': 'rejected',
  'x.1.10': 'userunknown',
  'x.1.351': 'userunknown',
  'x.2.0': 'mailboxfull',
  'x.2.1': 'suspend',
  'x.2.2': 'mailboxfull',
  'x.2.3': 'emailtoolarge',
  'x.2.4': 'mailererror',
  'x.3.0': 'systemerror',
  'x.3.1': 'systemfull',
  'x.3.4': 'emailtoolarge',
  'x.3.5': 'systemerror',
  'x.4.1': 'expired',
  'x.4.2': 'networkerror',
  'x.4.3': 'systemerror',
  'x.4.4': 'hostunknown',
  'x.4.6': 'networkerror',
  'x.4.7': 'expired',
  'x.4.14': 'networkerror',
  'x.4.316': 'networkerror',
  'x.4.317': 'failedstarttls',
  'x.5.3': 'exceedlimit',
  'x.6.0': 'contenterror',
  'x.7.0': 'securityerror',
  'x.7.1': 'securityerror',
  'x.7.5': 'failedstarttls',
  'x.7.7': 'securityerror',
  'x.7.8': 'securityerror',
  'x.7.9': 'securityerror',
  'x.7.23': 'authfailure',
  'x.7.25': 'requireptr',
  'x.7.26': 'authfailure',
  'x.7.57': 'securityerror',
  'x.7.60': 'securityerror',
  'x.7.64': 'securityerror',
  'x.7.124': 'rejected',
  'x.7.133': 'rejected',
  'x.7.134': 'rejected',
  'x.7.193': 'rejected',
  'x.7.367': 'norelaying',
  'x.7.509': 'authfailure',
  'x.7.510': 'securityerror',
  'x.7.650': 'badreputation',
  'x.7.708': 'blocked',
  'x.7.711': 'blocked',
  'x.7.750': 'rejected',
}

const AMBIGUOUS_STATUS = /^[45]\.(?:2\.[012]|4\.1|6\.0|7\.[01]|7\.129|1\.0)$/

/** The rules' needles in one scan (up to 22 otherwise). */
const TEXT_RULE_NEEDLES = new NeedleGroups(TEXT_RULES.map(([, needles]) => needles))

/** The first rule (in TEXT_RULES order) with a needle in the lower-cased text. */
function textCategory(text: string): Category | undefined {
  return TEXT_RULES[TEXT_RULE_NEEDLES.first(text)]?.[0]
}

function statusCategory(status: string): Category | undefined {
  const [cls, subj, detail] = status.split('.')
  if (!cls || !subj || !detail) return undefined
  const key = `x.${subj}.${detail}`
  const exact = STATUS_RULES[key]
  if (exact) return exact
  const d = Number(detail)
  if (subj === '7') {
    if (d >= 321 && d <= 325) return 'failedstarttls'
    if (d >= 500 && d <= 599) return cls === '4' ? 'ratelimited' : 'blocked'
    if (d >= 600 && d <= 699) return 'blocked'
    if (d >= 700 && d <= 799) return 'policyviolation'
    if (d >= 850 && d <= 899) return 'blocked'
    if (d >= 900) return 'policyviolation'
    return 'securityerror'
  }
  switch (subj) {
    case '1':
      return 'userunknown'
    case '2':
      return 'mailboxfull'
    case '3':
      return 'systemerror'
    case '4':
      return 'networkerror'
    case '5':
      return 'syntaxerror'
    case '6':
      return 'contenterror'
    default:
      return undefined
  }
}

/**
 * Category of one recipient's failure. A generic status (x.0.0, x.5.0) defers to the text; a specific
 * status wins over a generic-looking text, except where Microsoft reuses one code for several causes.
 */
export function categorize(status: string | undefined, diagnostic: string | undefined): Category {
  const text = diagnostic ? diagnostic.slice(0, 2000).toLowerCase() : ''
  const fromText = text ? textCategory(text) : undefined
  const fromStatus = status ? statusCategory(status) : undefined
  const generic =
    !status || status.endsWith('.0.0') || status.endsWith('.5.0') || status.endsWith('.0.350')
  if (generic || !fromStatus) return fromText ?? fromStatus ?? (status ? 'undefined' : 'undefined')
  // Codes whose meaning depends on the text (domain brief §1.0).
  const ambiguous = AMBIGUOUS_STATUS.test(status)
  if (ambiguous && fromText && fromText !== 'policyviolation' && fromText !== 'systemerror')
    return fromText
  if (fromText === 'norelaying' || fromText === 'mailboxfull' || fromText === 'expired') {
    if (fromStatus === 'securityerror' || fromStatus === 'systemerror') return fromText
  }
  return fromStatus
}
