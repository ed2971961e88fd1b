// The hostile-file corpus (issue 7, reliability.md §6 P3): adversarial inputs built in memory from the
// formats they attack (RFC 5322 / RFC 2046 MIME, [MS-CFB] for Outlook .msg, XML 1.0 §4 entities inside
// PowerShell CLIXML, RFC 8259 JSON, RFC 4180 CSV, Format-List text). Shared by the hostile-files test
// and the parser robustness tests; nothing here runs a parser.
import {
  BODY,
  buildMsg,
  corrupt,
  entry,
  ENDOFCHAIN,
  setDirField,
  setFat,
  setMiniFat,
  SUBJECT,
} from '../../support/cfb'

const MB = 1024 * 1024

/** Deterministic pseudo-random bytes (a linear congruential generator: same corpus every run). */
export function randomBytes(length: number, seed = 12345): Uint8Array {
  const b = new Uint8Array(length)
  let x = seed
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff
    b[i] = x >> 16
  }
  return b
}

export const latin1Bytes = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0))

// ---------------------------------------------------------------------------------------------------
// Bounces (RFC 5322 messages, RFC 2046 multiparts)

/** Multiparts nested `depth` deep, each holding the next as its only part (RFC 2046 §5.1.1). */
export function deepMime(depth: number): string {
  let s = 'From: a@b.example\n'
  for (let i = 0; i < depth; i++)
    s += `Content-Type: multipart/mixed; boundary=x${i}x\n\n--x${i}x\n`
  return s
}

/** One multipart with `parts` empty body parts: 9 bytes a part (a boundary line, a blank line, x). */
export function manyParts(parts: number): string {
  return (
    'From: a@b.example\nContent-Type: multipart/mixed; boundary=b\n\n' +
    '--b\n\nx\n'.repeat(parts) +
    '--b--\n'
  )
}

/** A header field longer than any header block a bounce has (RFC 5322 §2.2.3 allows folding). */
export function bigHeader(bytes: number): string {
  return 'From: a@b.example\nX-Big: ' + 'a'.repeat(bytes) + '\n\nbody\n'
}

/** `bytes` of bounce-looking text: status codes on every line, so every line draws the regexes. */
export function bigText(bytes: number): string {
  const line = "lorem ipsum 550 5.7.750 dolor Remote Server returned '550 5.7.1 x'\n"
  return line.repeat(Math.ceil(bytes / line.length))
}

/** One line of `bytes` with enhanced-status look-alikes (the regexes see capped lines only). */
export function longLine(bytes: number): string {
  return 'From: a@b.example\n\n' + '5.5.5.'.repeat(Math.ceil(bytes / 6)) + ' 550 5.1.1 x'
}

/** An mbox (RFC 4155) of `count` tiny messages: breadth at the message level. */
export function manyMessages(count: number): string {
  return 'From x Thu Jan  1 00:00:00 2025\nFrom: a@b.example\n\nx\n\n'.repeat(count)
}

/**
 * A bounce whose HTML part declares an external entity (XML 1.0 §4.2.2). The bounce parser has no
 * XML processor: the entity must come out as text, never as the file's or URL's content.
 */
export function xxeBounce(systemId: string): string {
  return [
    'From: postmaster@contoso.com',
    'To: anna@contoso.com',
    'Subject: Undeliverable: report',
    'Content-Type: multipart/alternative; boundary="b"',
    '',
    '--b',
    'Content-Type: text/plain',
    '',
    'Delivery has failed to these recipients or groups:',
    'u@fabrikam.example',
    "Remote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound'",
    '--b',
    'Content-Type: text/html',
    '',
    `<?xml version="1.0"?><!DOCTYPE html [<!ENTITY xxe SYSTEM "${systemId}">]>`,
    '<html><body><p>&xxe;</p><p>550 5.1.10 RecipientNotFound</p></body></html>',
    '--b--',
    '',
  ].join('\n')
}

// ---------------------------------------------------------------------------------------------------
// Outlook .msg ([MS-CFB] compound files)

const MSG_BODY =
  "Delivery has failed to these recipients or groups:\n\nu@fabrikam.example\nRemote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound'\n"

/** A sound .msg holding a bounce (the control: it must still be read). */
export const soundMsg = (): Uint8Array => buildMsg(MSG_BODY).bytes

export interface HostileMsg {
  readonly label: string
  readonly make: () => Uint8Array
}

export const HOSTILE_MSGS: readonly HostileMsg[] = [
  {
    // [MS-CFB] §2.3: the directory's FAT entry names the directory sector as its own successor.
    label: '.msg: directory chain loops onto itself',
    make: () => corrupt(buildMsg(MSG_BODY), (dv, f) => setFat(dv, f, f.dirStart, f.dirStart)),
  },
  {
    label: '.msg: mini-stream chain loops onto itself',
    make: () => corrupt(buildMsg(MSG_BODY), (dv, f) => setFat(dv, f, f.rootStart, f.rootStart)),
  },
  {
    // [MS-CFB] §2.4: the subject's mini FAT entry points back at the subject's first mini sector.
    label: '.msg: mini FAT chain loops onto itself',
    make: () =>
      corrupt(buildMsg(MSG_BODY), (dv, f) => {
        const s = entry(f, SUBJECT).start
        setMiniFat(dv, f, s, s)
      }),
  },
  {
    label: '.msg: stream chain loops onto itself',
    make: () =>
      corrupt(buildMsg(MSG_BODY), (dv, f) => {
        const s = entry(f, BODY).start
        setFat(dv, f, s, s)
      }),
  },
  {
    // [MS-CFB] §2.6.4: a directory entry that is its own right sibling.
    label: '.msg: directory tree cycle (entry is its own sibling)',
    make: () =>
      corrupt(buildMsg(MSG_BODY), (dv, f) => {
        const id = entry(f, SUBJECT).id
        setDirField(dv, f, id, 0x48, id)
      }),
  },
  {
    // msgreader#36: the declared size drives the allocation before any byte is read.
    label: '.msg: stream size 2^31 (0x80000000)',
    make: () =>
      corrupt(buildMsg(MSG_BODY), (dv, f) => setDirField(dv, f, entry(f, BODY).id, 0x78, 2 ** 31)),
  },
  {
    label: '.msg: stream size 2^31 − 1 with a looping chain',
    make: () =>
      corrupt(buildMsg(MSG_BODY), (dv, f) => {
        const body = entry(f, BODY)
        setDirField(dv, f, body.id, 0x78, 2 ** 31 - 1)
        setFat(dv, f, body.start, body.start)
      }),
  },
  {
    // Header fields ([MS-CFB] §2.2): FAT, mini FAT and DIFAT sector counts of 2^31, the mini FAT
    // and DIFAT chains looping, so a reader that trusts the counts loops 2^31 times.
    label: '.msg: 2^31 FAT / mini FAT / DIFAT sector counts, looping chains',
    make: () =>
      corrupt(buildMsg(MSG_BODY), (dv, f) => {
        dv.setUint32(0x2c, 2 ** 31 - 1, true)
        dv.setUint32(0x40, 2 ** 31, true)
        dv.setUint32(0x44, f.miniFatStart, true)
        dv.setUint32(0x48, 2 ** 31, true)
        setFat(dv, f, f.miniFatStart, f.miniFatStart)
        dv.setUint32((f.miniFatStart + 1) * 512 + 127 * 4, f.miniFatStart, true)
      }),
  },
  {
    label: '.msg: directory starts past the end of the file',
    make: () => corrupt(buildMsg(MSG_BODY), (dv) => dv.setUint32(0x30, 0x7fffffff, true)),
  },
  {
    label: '.msg: truncated to 40 %',
    make: () => {
      const b = buildMsg(MSG_BODY + 'x'.repeat(20_000)).bytes
      return b.slice(0, Math.floor(b.length * 0.4))
    },
  },
  {
    label: '.msg: header only (512 bytes)',
    make: () => buildMsg(MSG_BODY).bytes.slice(0, 512),
  },
  {
    label: '.msg: root storage chain ends at once (ENDOFCHAIN) with a 2 MB size',
    make: () =>
      corrupt(buildMsg(MSG_BODY), (dv, f) => {
        setDirField(dv, f, 0, 0x78, 2 * MB)
        setDirField(dv, f, 0, 0x74, ENDOFCHAIN)
      }),
  },
]

// ---------------------------------------------------------------------------------------------------
// Connector exports

const CLIXML_HEAD =
  '<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04"><Obj RefId="0">' +
  '<TN RefId="0"><T>Deserialized.Microsoft.Exchange.Data.Directory.SystemConfiguration.InboundConnector</T></TN>' +
  '<Props><S N="Name">'
const CLIXML_TAIL =
  '</S><S N="ConnectorType">Partner</S><LST N="SenderIPAddresses"><S>1.2.3.4</S></LST></Props></Obj></Objs>'

/** A CLIXML export whose connector Name is `name` (raw XML: entities are expanded by the parser). */
export function clixml(name: string, doctype = ''): string {
  return doctype + CLIXML_HEAD + name + CLIXML_TAIL
}

/** XML 1.0 §4.2 "billion laughs": ten levels of ten references each (10^9 `lol`s once expanded). */
export function billionLaughs(): string {
  let dtd = '<!DOCTYPE Objs [<!ENTITY lol0 "lol">'
  for (let i = 1; i < 10; i++) dtd += `<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`
  return clixml('&lol9;', dtd + ']>')
}

/** One 9 KB entity referenced 5,000 times: 45 MB once expanded (CVE-2026-26278's shape). */
export function bigEntityRepeated(): string {
  return clixml('&e;'.repeat(5000), `<!DOCTYPE Objs [<!ENTITY e "${'A'.repeat(9 * 1024)}">]>`)
}

/**
 * Numeric character references fill the input (CVE-2026-33036: they bypassed the entity limits):
 * `&#65;` (or `&#x41;`) until the export is just under the 10 MB import cap.
 */
export function numericEntityFlood(hex: boolean): string {
  const ref = hex ? '&#x41;' : '&#65;'
  return clixml(ref.repeat(Math.floor((9_900_000 - CLIXML_HEAD.length) / ref.length)))
}

/** The same flood spread over many properties: no single value is long, the references are many. */
export function numericEntityFloodSpread(): string {
  const prop = (i: number): string => `<S N="p${i}">${'&#65;'.repeat(1000)}</S>`
  const props: string[] = []
  for (let i = 0, size = 0; size < 9_800_000; i++) {
    props.push(prop(i))
    size += prop(i).length
  }
  return clixml('c</S>' + props.join('') + '<S N="Comment">')
}

/** Two DOCTYPEs: the second one reset the limits in fast-xml-parser < 5.10.1 (GHSA-8r6m-32jq-jx6q). */
export function twoDoctypes(): string {
  return clixml(
    '&b;',
    '<!DOCTYPE Objs [<!ENTITY a "x">]><!DOCTYPE Objs [<!ENTITY b "' + 'y'.repeat(9000) + '">]>',
  )
}

/** XML external entity (XML 1.0 §4.2.2) naming `systemId`: a file or an http URL. */
export function xxe(systemId: string): string {
  return clixml(
    '&xxe;',
    `<?xml version="1.0"?><!DOCTYPE Objs [<!ENTITY xxe SYSTEM "${systemId}">]>`,
  )
}

/** An external parameter entity (XML 1.0 §4.4.8): the out-of-band XXE variant. */
export function parameterXxe(systemId: string): string {
  return clixml('x', `<!DOCTYPE Objs [<!ENTITY % p SYSTEM "${systemId}"> %p;]>`)
}

/** A DOCTYPE with no entity at all, in lower case, after the root start: Export-Clixml never writes one. */
export function doctypeInClixml(): string {
  return (
    CLIXML_HEAD.replace('<Obj RefId="0">', '<!doctype Objs><Obj RefId="0">') + 'c' + CLIXML_TAIL
  )
}

/** `depth` nested CLIXML objects (every property value an object holding a list). */
export function deepXml(depth: number): string {
  return (
    '<Objs Version="1.1.0.1"><Obj RefId="0"><Props>' +
    '<Obj N="x"><LST>'.repeat(depth) +
    '</LST></Obj>'.repeat(depth) +
    '</Props></Obj></Objs>'
  )
}

/** An element flood: a million empty elements (2 M tags). */
export function xmlElementFlood(): string {
  return '<Objs Version="1.1.0.1">' + '<a/>'.repeat(2_400_000) + '</Objs>'
}

/** RFC 8259 arrays nested `depth` deep (`[[[…]]]`). */
export function deepJsonArrays(depth: number): string {
  return '['.repeat(depth) + ']'.repeat(depth)
}

/** A connector record whose SmartHosts value is an object nested `depth` deep. */
export function deepJsonInRecord(depth: number): string {
  return '[{"Name":"deep","SmartHosts":' + '{"a":'.repeat(depth) + '1' + '}'.repeat(depth) + '}]'
}

/** A JSON array of distinct connector records, just under the 10 MB import cap. */
export function hugeJsonArray(): string {
  const recs: string[] = []
  for (let i = 0, size = 0; size < 9_800_000; i++) {
    const rec = `{"Name":"c${i}","SenderIPAddresses":["1.2.3.4"],"ConnectorType":"Partner"}`
    recs.push(rec)
    size += rec.length + 1
  }
  return '[' + recs.join(',') + ']'
}

/** A JSON array of distinct accepted domains, just under the 10 MB import cap. */
export function hugeJsonDomains(): string {
  const recs: string[] = []
  for (let i = 0, size = 0; size < 9_800_000; i++) {
    const rec = `{"DomainName":"d${i}.contoso.com","DomainType":"Authoritative","Default":false}`
    recs.push(rec)
    size += rec.length + 1
  }
  return '[' + recs.join(',') + ']'
}

/** A JSON array of 4.9 million numbers: no records at all. */
export function hugeJsonNumbers(): string {
  return '[' + '0,'.repeat(4_900_000) + '0]'
}

/** RFC 4180 CSV with `columns` header fields (≈ 8 MB) and one data row. */
export function csvManyColumns(columns: number): string {
  const names: string[] = ['Name', 'SenderIPAddresses']
  for (let i = 2; i < columns; i++) names.push(`c${i}`)
  return names.join(',') + '\r\n' + 'x,1.2.3.4' + ','.repeat(columns - 2) + '\r\n'
}

/** RFC 4180 CSV whose one quoted field is `bytes` long (quotes doubled inside, §2.7). */
export function csvBigField(bytes: number): string {
  const field = 'ab""'.repeat(Math.floor(bytes / 4))
  return '"Name","SenderIPAddresses"\r\n"' + field + '","1.2.3.4"\r\n'
}

/** Format-List text (brief §3.6) with one `bytes`-long line: a list value that never ends. */
export function formatListLongLine(bytes: number): string {
  return (
    'Name              : c1\nConnectorType     : Partner\nSenderIPAddresses : {' +
    '1.2.3.4, '.repeat(Math.floor(bytes / 9)) +
    '}\n'
  )
}

/** Format-List text with 1.6 million short lines (a property flood), just under the cap. */
export function formatListManyLines(): string {
  return 'Name : c1\nSenderIPAddresses : {1.2.3.4}\n' + 'X : y\n'.repeat(1_600_000)
}
