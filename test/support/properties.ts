// Property-based tests of every parser entry point (issue 7, reliability.md §5 invariants 1–4, §6 P1).
// One set of arbitraries and properties, two run counts: the unit suite runs each target 100,000
// times (test/unit/security/properties.test.ts), `npm run fuzz` 1,000,000 times (test/fuzz/fuzz.ts).
// The properties throw plain errors (no vitest `expect`) so that both runners share them.
import fc from 'fast-check'
import { contract, METHODS } from '../../main/core/api/contract'
import { auditTenant, importExports, OBJECT_TYPES } from '../../main/core/connectors/index'
import type { ImportResult } from '../../main/core/connectors/index'
import { EXPORT_FORMATS } from '../../main/core/connectors/types'
import {
  CATEGORIES,
  firstEnhancedStatus,
  MAX_FIELD_CHARS,
  MboxSplitter,
  PARSE_ERROR_CODES,
  parseBounce,
  parseMessage,
  WARNING_CODES,
} from '../../main/core/parse/index'
import type { MsgReaderClass, ParseOutcome } from '../../main/core/parse/index'
import { buildMsg } from './cfb'

/** Runs per target: the unit suite's default; `npm run fuzz` passes 1,000,000. */
export const CI_RUNS = 100_000

function ensure(ok: boolean, what: string): asserts ok {
  if (!ok) throw new Error(what)
}

// ---------------------------------------------------------------------------------------------------
// Invariants

const PROTO_KEYS = Object.getOwnPropertyNames(Object.prototype).length
const ARRAY_PROTO_KEYS = Object.getOwnPropertyNames(Array.prototype).length

/** Invariant 4: nothing was added to Object.prototype or Array.prototype. */
function checkNoPollution(): void {
  ensure(
    Object.getOwnPropertyNames(Object.prototype).length === PROTO_KEYS,
    'Object.prototype changed',
  )
  ensure(
    Object.getOwnPropertyNames(Array.prototype).length === ARRAY_PROTO_KEYS,
    'Array.prototype changed',
  )
  ensure(({} as Record<string, unknown>)['polluted'] === undefined, 'prototype polluted')
}

const ERROR_CODES = new Set<string>(PARSE_ERROR_CODES)
const WARNINGS = new Set<string>(WARNING_CODES)
const CATEGORY_SET = new Set<string>(CATEGORIES)
const KINDS = new Set(['ndr', 'delay', 'not-ndr'])

/** Invariants 1 and 3 for the bounce parser: a typed outcome whose strings respect their cap. */
export function checkParseOutcome(out: ParseOutcome): void {
  ensure(typeof out === 'object' && out !== null, 'outcome is not an object')
  if (!out.ok) {
    ensure(ERROR_CODES.has(out.error.code), `unknown error code ${String(out.error.code)}`)
    return
  }
  ensure(out.messages.length > 0, 'ok outcome without messages')
  for (const m of out.messages) {
    ensure(KINDS.has(m.kind), `unknown kind ${m.kind}`)
    ensure(CATEGORY_SET.has(m.category), `unknown category ${m.category}`)
    ensure(!Object.hasOwn(m, '__proto__'), 'own __proto__ key in a result')
    for (const [k, v] of Object.entries(m)) {
      if (typeof v === 'string') ensure(v.length <= MAX_FIELD_CHARS, `${k} longer than the cap`)
    }
    for (const w of m.warnings) ensure(WARNINGS.has(w.code), `unknown warning ${w.code}`)
    for (const r of m.recipients) {
      ensure(CATEGORY_SET.has(r.category), `unknown recipient category ${r.category}`)
      ensure(Array.isArray(r.otherStatuses), 'otherStatuses is not a list')
      for (const v of Object.values(r)) {
        if (typeof v === 'string') ensure(v.length <= MAX_FIELD_CHARS, 'recipient field too long')
      }
    }
  }
}

const IMPORT_ISSUE_KEY = /^audit:import\.[A-Za-z]+$/
const FORMATS = new Set<string>(EXPORT_FORMATS)

/** Invariants 1 and 3 for the connector import: one report per input, typed issues and objects. */
export function checkImportResult(r: ImportResult, inputs: number): void {
  ensure(r.inputs.length === inputs, `expected ${inputs} reports, got ${r.inputs.length}`)
  let objects = 0
  for (const rep of r.inputs) {
    ensure(FORMATS.has(rep.format), `unknown format ${rep.format}`)
    for (const i of [...rep.errors, ...rep.warnings]) {
      ensure(
        IMPORT_ISSUE_KEY.test(i.messageKey) && i.messageKey.endsWith(`.${i.code}`),
        'issue key',
      )
    }
    ensure(rep.objectCount >= 0, 'negative object count')
    objects += rep.objectCount
  }
  let merged = 0
  for (const type of OBJECT_TYPES) {
    for (const o of r.objects[type]) {
      merged++
      ensure(o.type === type, `object filed under ${type} is a ${o.type}`)
      ensure(typeof o.identity === 'string' && o.identity.length <= 300, 'identity')
      ensure(Object.getPrototypeOf(o.props) === Object.prototype, 'props prototype changed')
      for (const key of Object.keys(o.props)) {
        const v = o.props[key]!
        ensure(typeof v === 'object' && typeof v.kind === 'string', `prop ${key} untyped`)
      }
    }
  }
  // Merging by Guid may drop duplicates, never invent objects.
  ensure(merged <= objects, 'more objects than the reports counted')
}

// ---------------------------------------------------------------------------------------------------
// Arbitraries

/** Fragments of bounces: header lines, MIME structure, DSN fields, Exchange layouts, encoded words. */
const bounceToken = fc.oneof(
  fc.constantFrom(
    'From: a@example.com\n',
    'Subject: =?iso-2022-jp?B?GyRCR1s/LklURz0bKEI=?=\n',
    'Subject: =?utf-8?Q?caf=C3=A9?=\n',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="b"\n',
    'Content-Type: multipart/mixed; boundary=b\n',
    'Content-Type: message/delivery-status\n',
    'Content-Type: message/rfc822\n',
    'Content-Type: text/plain; charset=big5\n',
    'Content-Type: text/html\n',
    'Content-Transfer-Encoding: base64\n',
    'Content-Transfer-Encoding: quoted-printable\n',
    '\n',
    '\r\n',
    '\r',
    '--b\n',
    '--b--\n',
    'Final-Recipient: rfc822;x@example.com\n',
    'Status: 5.1.1\n',
    'Action: failed\n',
    'Diagnostic-Code: smtp;550 5.7.750 blocked\n',
    "Remote Server returned '550 5.7.708 Access denied AS(7230)'\n",
    "Remote Server returned '",
    '#550 4.4.7 QUEUE.Expired; message expired ##\n',
    'Status code: 550 5.1.10\n',
    'Delivery has failed to these recipients or groups:\n',
    'Original message headers:\n',
    '<user@example.com>: host mx[1.2.3.4] said: 550\n    5.2.2 full\n',
    '=3D=\n',
    '=?',
    ' -> ',
    'From MAILER-DAEMON Thu Jan  1 00:00:00 2025\n',
    '<',
    '&#1114112;<br><style>',
    '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>&e;',
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
)

/** Strings made of up to 60 bounce fragments. */
export const emailish = fc.array(bounceToken, { maxLength: 60 }).map((a) => a.join(''))

const latin1 = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff)

export const bounceBytes = fc.oneof(fc.uint8Array({ maxLength: 400 }), emailish.map(latin1))

/**
 * A sound .msg ([MS-CFB]) with up to 8 corruptions: single bytes anywhere, or 32-bit fields
 * (sector numbers, sizes, counts) set to the values that break readers: the chain markers, 2^31,
 * small sector numbers that make chains loop. Optionally truncated.
 */
export function msgMutations(): fc.Arbitrary<Uint8Array> {
  const base = buildMsg(
    "Delivery has failed to these recipients or groups:\n\nu@fabrikam.example\nRemote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound'\n",
  ).bytes
  const offset = fc.oneof(
    fc.integer({ min: 0, max: 511 }), // header
    fc.integer({ min: 0, max: base.length - 1 }),
  )
  const u32 = fc.oneof(
    fc.integer({ min: 0, max: 24 }),
    fc.constantFrom(0x7fffffff, 0x80000000, 0xfffffffc, 0xfffffffd, 0xfffffffe, 0xffffffff),
    fc.nat(),
  )
  const edit = fc.oneof(
    fc.record({ at: offset, byte: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ at: offset, word: u32 }),
  )
  return fc
    .record({
      edits: fc.array(edit, { minLength: 1, maxLength: 8 }),
      cut: fc.option(fc.integer({ min: 8, max: base.length }), { nil: undefined }),
    })
    .map(({ edits, cut }) => {
      const b = base.slice(0, cut ?? base.length)
      const dv = new DataView(b.buffer)
      for (const e of edits) {
        if ('byte' in e) {
          if (e.at >= 8 && e.at < b.length) b[e.at] = e.byte // keep the signature: reach the reader
        } else {
          const at = Math.max(8, e.at - (e.at % 4))
          if (at + 4 <= b.length) dv.setUint32(at, e.word, true)
        }
      }
      return b
    })
}

const CONNECTOR_PROPS = [
  'Name',
  'Identity',
  'Guid',
  'Enabled',
  'ConnectorType',
  'ConnectorSource',
  'Comment',
  'SenderIPAddresses',
  'SenderDomains',
  'RequireTls',
  'RestrictDomainsToIPAddresses',
  'TlsSenderCertificateName',
  'SmartHosts',
  'RecipientDomains',
  'UseMXRecord',
  'TlsSettings',
  'DomainName',
  'DomainType',
  'WhenCreatedUTC',
  'ObjectCategory',
  '__proto__',
  'constructor',
]
const propName = fc.oneof(fc.constantFrom(...CONNECTOR_PROPS), fc.string({ maxLength: 12 }))

/** Cell contents that exercise the CSV and value readers: lists, dates, formulas, quotes. */
const cellText = fc.oneof(
  fc.constantFrom(
    'True',
    'False',
    '1.2.3.4',
    '10.0.0.0/8',
    'smtp:*;1',
    '*.contoso.com',
    'System.Collections.Generic.List`1[System.String]',
    '{a, b, c...}',
    '2026-05-12T02:03:55Z',
    '12/05/2026 02:03:55',
    '/Date(1715479435000)/',
    '=HYPERLINK("x")',
    '<I>CN=Issuer<S>CN=mail.contoso.com',
    'Partner',
    'OnPremises',
    '',
  ),
  fc.string({ maxLength: 20 }),
)

/** RFC 4180 CSV (Export-Csv, both PowerShell editions) with random damage: quotes, delimiters, breaks. */
export const csvText = fc
  .tuple(
    fc.boolean(),
    fc.constantFrom(',', ';', '\t'),
    fc.array(propName, { minLength: 1, maxLength: 8 }),
    fc.array(fc.array(fc.oneof(cellText, fc.constantFrom('"', '""', '\r\n', '\n', ',', ';'))), {
      maxLength: 6,
    }),
  )
  .map(([type, d, header, rows]) => {
    const q = (s: string): string => `"${s.replace(/"/g, '""')}"`
    return (
      (type
        ? '#TYPE Deserialized.Microsoft.Exchange.Data.Directory.SystemConfiguration.X\r\n'
        : '') +
      header.map(q).join(d) +
      '\r\n' +
      rows.map((r) => r.map((c, i) => (i % 2 === 0 ? q(c) : c)).join(d)).join('\r\n')
    )
  })

/** ConvertTo-Json output (an array, one object, or the `{ value: [...] }` wrapper), sometimes cut. */
export const jsonText = fc
  .tuple(
    fc.array(
      fc.dictionary(propName, fc.oneof(fc.jsonValue({ maxDepth: 2 }), cellText), { maxKeys: 6 }),
      { maxLength: 4 },
    ),
    fc.constantFrom('array', 'single', 'wrapper'),
    fc.option(fc.nat(), { nil: undefined }),
  )
  .map(([records, shape, cut]) => {
    const text = JSON.stringify(
      shape === 'array' ? records : shape === 'single' ? (records[0] ?? {}) : { value: records },
    )
    return cut === undefined ? text : text.slice(0, cut % (text.length + 1))
  })

const clixmlToken = fc.oneof(
  fc.constantFrom(
    '<Obj RefId="0">',
    '<Obj RefId="1">',
    '</Obj>',
    '<TN RefId="0"><T>Deserialized.Microsoft.Exchange.Data.Directory.SystemConfiguration.InboundConnector</T><T>System.Object</T></TN>',
    '<TNRef RefId="0" />',
    '<Props>',
    '</Props>',
    '<MS>',
    '</MS>',
    '<S N="Name">',
    '<S N="DomainName">',
    '</S>',
    '<S>',
    '<LST N="SenderIPAddresses">',
    '<LST>',
    '</LST>',
    '<B N="RequireTls">true</B>',
    '<Nil N="Comment" />',
    '<Ref N="Self" RefId="0" />',
    '<DT N="WhenCreatedUTC">2026-05-12T02:03:55Z</DT>',
    '<I32 N="TlsSettings">2</I32>',
    '<Obj N="ConnectorType" RefId="2"><ToString>Partner</ToString><I32>2</I32></Obj>',
    '<DCT><En><S N="Key">a</S><S N="Value">b</S></En></DCT>',
    '_x000D__x000A_',
    '&lt;I&gt;CN=x',
    '&amp;',
    '&#65;',
    '&#x41;',
    '<!-- c -->',
    '<S N="__proto__">x</S>',
    '<![CDATA[x]]>',
    '<!DOCTYPE Objs [<!ENTITY e "x">]>',
  ),
  cellText,
)

/** Export-Clixml output, well-formed or not. */
export const clixmlText = fc
  .tuple(fc.boolean(), fc.array(clixmlToken, { maxLength: 40 }), fc.boolean())
  .map(
    ([decl, body, closed]) =>
      (decl ? '<?xml version="1.0" encoding="utf-16"?>\r\n' : '') +
      '<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">' +
      body.join('') +
      (closed ? '</Objs>' : ''),
  )

const flLine = fc.oneof(
  fc.constantFrom(
    '',
    'Name              : Partner inbound',
    'ConnectorType     : Partner',
    'SenderIPAddresses : {1.2.3.4, 5.6.7.8, 9.9.9.9, 10.0.0.1...}',
    'SenderDomains     : {}',
    'RequireTls        : True',
    'DomainName        : contoso.com',
    'DomainType        : Authoritative',
    'WhenCreated       : 5/12/2026 2:03:55 AM',
    'SmartHosts        : {mail.contoso.com}',
    '                    continued-value',
    'PS C:\\> Get-InboundConnector | fl',
    'Name ConnectorType',
    '---- -------------',
  ),
  fc.tuple(propName, cellText).map(([k, v]) => `${k} : ${v}`),
  fc.string({ maxLength: 30 }),
)

/** Format-List text pasted from a console. */
export const formatListText = fc
  .tuple(fc.array(flLine, { maxLength: 30 }), fc.constantFrom('\n', '\r\n', '\r'))
  .map(([lines, eol]) => lines.join(eol))

// ---------------------------------------------------------------------------------------------------
// Targets

export interface TargetResult {
  readonly id: string
  readonly runs: number
  readonly failed: boolean
  readonly seconds: number
  /** Slowest single call, ms (invariant 2; the fast-check timeout cannot stop synchronous code). */
  readonly worstMs: number
  readonly seed: number
  readonly path: string | undefined
  /** fast-check's report (counterexample, seed, path, error) when the property failed. */
  readonly report: string | undefined
}

export interface RunOptions {
  readonly seed?: number
  /** Stop after this long and count the run as failed (fast-check `failOnInterrupt`). */
  readonly timeLimitMs?: number
}

export interface FuzzTarget {
  readonly id: string
  readonly run: (numRuns: number, opts?: RunOptions) => TargetResult
}

function target<T>(id: string, arb: fc.Arbitrary<T>, predicate: (v: T) => void): FuzzTarget {
  return {
    id,
    run(numRuns, opts = {}) {
      let worst = 0
      let calls = 0
      const prop = fc.property(arb, (v) => {
        calls++
        const t0 = performance.now()
        predicate(v)
        worst = Math.max(worst, performance.now() - t0)
        checkNoPollution()
      })
      // Our own seed, so that it can be printed even when fast-check throws instead of reporting.
      const seed = opts.seed ?? Math.floor(Math.random() * 0x7fffffff)
      const started = performance.now()
      const seconds = (): number => (performance.now() - started) / 1000
      try {
        const details = fc.check(prop, {
          numRuns,
          seed,
          plugins:
            opts.timeLimitMs !== undefined
              ? [fc.interruptAfterTimeLimit(opts.timeLimitMs, { failOnInterrupt: true })]
              : [],
        })
        return {
          id,
          runs: details.numRuns,
          failed: details.failed,
          seconds: seconds(),
          worstMs: worst,
          seed,
          path: details.counterexamplePath ?? undefined,
          report: details.failed ? fc.defaultReportMessage(details) : undefined,
        }
      } catch (e) {
        // With failOnInterrupt, fast-check throws from check() when the time limit stops the run.
        return {
          id,
          runs: calls,
          failed: true,
          seconds: seconds(),
          worstMs: worst,
          seed,
          path: undefined,
          report: e instanceof Error ? e.message : String(e),
        }
      }
    },
  }
}

/** Reuses the audit on what was imported: the importer's output must be usable downstream. */
function importAndAudit(name: string, text: string, status: string | undefined): void {
  const r = importExports([{ name, text }])
  checkImportResult(r, 1)
  const findings = auditTenant(
    r.objects,
    status
      ? { status, senderDomain: text.slice(0, 20), connectorName: text.slice(0, 10) }
      : undefined,
  )
  ensure(Array.isArray(findings), 'audit did not return a list')
}

/** Prefixes that steer random text into each reader, not only into "unknown format". */
const FORMAT_PREFIXES = [
  '',
  '#TYPE Deserialized.X\r\n"Name","SenderIPAddresses","WhenCreatedUTC"\r\n',
  '"DomainName","DomainType"\n',
  '[{"Name":',
  '{"SmartHosts":[',
  '<Objs Version="1.1.0.1"><Obj RefId="0"><Props><S N="DomainName">',
  'Enabled        : True\nSenderIPAddresses : {',
  'Name : x\nConnectorType : ',
]

const ndrStatus = fc.option(fc.constantFrom('5.7.750', '5.7.711', '5.1.8', 'x'), { nil: undefined })

/**
 * Every parser entry point with its arbitrary and its properties. `msgReader` is
 * @kenjiuno/msgreader's class as the app loads it (main/backend/msg-reader.ts).
 */
export function fuzzTargets(msgReader: MsgReaderClass): readonly FuzzTarget[] {
  return [
    target('parseBounce(string)', emailish, (s) => checkParseOutcome(parseBounce(s))),
    target('parseBounce(bytes)', bounceBytes, (b) => checkParseOutcome(parseBounce(b))),
    target('parseMessage(bytes)', bounceBytes, (b) => checkParseOutcome(parseMessage(b))),
    target('parseBounce(.msg bytes)', msgMutations(), (b) => {
      const out = parseBounce(b, { msgReader })
      checkParseOutcome(out)
    }),
    target('firstEnhancedStatus', fc.oneof(emailish, fc.string()), (s) => {
      const v = firstEnhancedStatus(s)
      if (v !== undefined) ensure(/^[245]\.\d{1,3}\.\d{1,3}$/.test(v), `bad status ${v}`)
    }),
    target(
      'MboxSplitter (CLI stream)',
      fc.tuple(emailish, fc.integer({ min: 1, max: 64 })),
      ([s, size]) => {
        // The messages it yields are the input re-cut: never more bytes than went in.
        const bytes = latin1(s)
        const sp = new MboxSplitter()
        let total = 0
        const take = (items: ReturnType<MboxSplitter['push']>): void => {
          for (const it of items) if (it.ok) total += it.message.length
        }
        for (let i = 0; i < bytes.length; i += size) take(sp.push(bytes.subarray(i, i + size)))
        take(sp.end())
        ensure(total <= bytes.length, 'splitter produced more bytes than it was given')
      },
    ),
    target('importExports(CSV)', fc.tuple(csvText, ndrStatus), ([t, st]) =>
      importAndAudit('fuzz.csv', t, st),
    ),
    target('importExports(JSON)', fc.tuple(jsonText, ndrStatus), ([t, st]) =>
      importAndAudit('fuzz.json', t, st),
    ),
    target('importExports(CLIXML)', fc.tuple(clixmlText, ndrStatus), ([t, st]) =>
      importAndAudit('fuzz.clixml', t, st),
    ),
    target('importExports(Format-List)', fc.tuple(formatListText, ndrStatus), ([t, st]) =>
      importAndAudit('fuzz.txt', t, st),
    ),
    target(
      'importExports(any text)',
      fc.tuple(
        fc.constantFrom(...FORMAT_PREFIXES),
        fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 })),
        ndrStatus,
      ),
      ([prefix, body, st]) => importAndAudit('fuzz', prefix + body, st),
    ),
    target(
      'API contract (zod request validation)',
      fc.tuple(
        fc.constantFrom(...METHODS),
        fc.oneof(
          fc.anything({ withNullPrototype: true, withObjectString: true, maxDepth: 3 }),
          fc.dictionary(
            fc.constantFrom('id', 'text', 'base64', 'fileName', 'language', 'inputs', '__proto__'),
            fc.anything({ maxDepth: 2 }),
          ),
        ),
      ),
      ([method, args]) => {
        const r = contract[method].args.safeParse(args)
        ensure(typeof r.success === 'boolean', 'safeParse returned no verdict')
        if (r.success)
          ensure(typeof r.data === 'object' && r.data !== null, 'accepted a non-object')
      },
    ),
  ]
}
