// A small writer of Compound File Binary files ([MS-CFB], version 3: 512-byte sectors) and the
// byte-level corruptions the hostile-file corpus needs. Outlook .msg files are CFB files whose streams
// are MAPI properties ([MS-OXMSG] §2.1: `__substg1.0_<tag><type>`); the writer is just enough of both
// to make a .msg that @kenjiuno/msgreader reads, so each corruption below is the only thing wrong.
//
// Layout written (sector numbers): FAT | directory | mini FAT | mini stream | regular streams.

const SECTOR = 512
const MINI = 64
/** Streams shorter than this live in the mini stream ([MS-CFB] §2.2 "Mini Stream Cutoff Size"). */
const CUTOFF = 4096
export const ENDOFCHAIN = 0xfffffffe
export const FREESECT = 0xffffffff
const FATSECT = 0xfffffffd
export const NOSTREAM = 0xffffffff

export interface CfbStream {
  readonly name: string
  readonly data: Uint8Array
}

export interface CfbEntry {
  /** Directory entry number (0 is the root). */
  readonly id: number
  readonly name: string
  readonly mini: boolean
  /** First sector (regular) or first mini sector (mini) of the stream. */
  readonly start: number
  readonly size: number
}

export interface CfbFile {
  readonly bytes: Uint8Array
  readonly fatSectors: readonly number[]
  readonly dirStart: number
  readonly miniFatStart: number
  /** First sector of the mini stream (the root entry's stream). */
  readonly rootStart: number
  readonly entries: readonly CfbEntry[]
}

/** [MS-CFB] §2.6.4: shorter names first, then code units compared upper-cased. */
function compareNames(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length
  const ua = a.toUpperCase()
  const ub = b.toUpperCase()
  return ua < ub ? -1 : ua > ub ? 1 : 0
}

export function buildCfb(streams: readonly CfbStream[]): CfbFile {
  const sectorsOf = (n: number): number => Math.ceil(n / SECTOR)
  // Mini streams are packed in 64-byte mini sectors, regular ones in whole sectors.
  let miniSectors = 0
  let bigSectors = 0
  const placed = streams.map((s) => {
    const mini = s.data.length < CUTOFF
    const count = mini ? Math.ceil(s.data.length / MINI) : sectorsOf(s.data.length)
    const start = mini ? miniSectors : bigSectors
    if (mini) miniSectors += count
    else bigSectors += count
    return { ...s, mini, count, start }
  })
  const dirSectors = sectorsOf((streams.length + 1) * 128)
  const miniFatSectors = sectorsOf(miniSectors * 4)
  const miniStreamSectors = sectorsOf(miniSectors * MINI)
  const others = dirSectors + miniFatSectors + miniStreamSectors + bigSectors
  let fatCount = 1
  while ((others + fatCount) * 4 > fatCount * SECTOR) fatCount++
  if (fatCount > 109) throw new Error('buildCfb: file too large for a header-only DIFAT')
  const dirStart = fatCount
  const miniFatStart = dirStart + dirSectors
  const rootStart = miniFatStart + miniFatSectors
  const bigStart = rootStart + miniStreamSectors
  const total = bigStart + bigSectors
  const bytes = new Uint8Array((total + 1) * SECTOR)
  const dv = new DataView(bytes.buffer)
  const at = (sector: number): number => (sector + 1) * SECTOR

  // Header ([MS-CFB] §2.2).
  bytes.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])
  dv.setUint16(0x18, 0x003e, true) // minor version
  dv.setUint16(0x1a, 0x0003, true) // major version 3
  dv.setUint16(0x1c, 0xfffe, true) // byte order
  dv.setUint16(0x1e, 9, true) // sector shift: 512
  dv.setUint16(0x20, 6, true) // mini sector shift: 64
  dv.setUint32(0x2c, fatCount, true)
  dv.setUint32(0x30, dirStart, true)
  dv.setUint32(0x38, CUTOFF, true)
  dv.setUint32(0x3c, miniFatSectors > 0 ? miniFatStart : ENDOFCHAIN, true)
  dv.setUint32(0x40, miniFatSectors, true)
  dv.setUint32(0x44, ENDOFCHAIN, true) // no DIFAT sectors
  dv.setUint32(0x48, 0, true)
  for (let i = 0; i < 109; i++) dv.setUint32(0x4c + i * 4, i < fatCount ? i : FREESECT, true)

  // FAT ([MS-CFB] §2.3): each region is one contiguous chain.
  const fat = new Uint32Array(fatCount * (SECTOR / 4)).fill(FREESECT)
  for (let i = 0; i < fatCount; i++) fat[i] = FATSECT
  const chain = (start: number, count: number): void => {
    for (let i = 0; i < count; i++) fat[start + i] = i === count - 1 ? ENDOFCHAIN : start + i + 1
  }
  chain(dirStart, dirSectors)
  chain(miniFatStart, miniFatSectors)
  chain(rootStart, miniStreamSectors)
  for (const p of placed) if (!p.mini) chain(bigStart + p.start, p.count)
  for (let i = 0; i < fat.length; i++) dv.setUint32(at(0) + i * 4, fat[i]!, true)

  // Mini FAT ([MS-CFB] §2.4) and the streams' bytes.
  const miniFat = new Uint32Array(miniFatSectors * (SECTOR / 4)).fill(FREESECT)
  for (const p of placed) {
    if (p.mini) {
      for (let i = 0; i < p.count; i++)
        miniFat[p.start + i] = i === p.count - 1 ? ENDOFCHAIN : p.start + i + 1
      bytes.set(p.data, at(rootStart) + p.start * MINI)
    } else bytes.set(p.data, at(bigStart + p.start))
  }
  for (let i = 0; i < miniFat.length; i++) dv.setUint32(at(miniFatStart) + i * 4, miniFat[i]!, true)

  // Directory ([MS-CFB] §2.6): the root's children as a balanced binary tree, all black.
  const entryAt = (id: number): number => at(dirStart) + id * 128
  const writeEntry = (
    id: number,
    name: string,
    type: number,
    start: number,
    size: number,
    child = NOSTREAM,
  ): void => {
    const o = entryAt(id)
    for (let i = 0; i < name.length; i++) dv.setUint16(o + i * 2, name.charCodeAt(i), true)
    dv.setUint16(o + 0x40, (name.length + 1) * 2, true)
    bytes[o + 0x42] = type
    bytes[o + 0x43] = 1 // black
    dv.setUint32(o + 0x44, NOSTREAM, true)
    dv.setUint32(o + 0x48, NOSTREAM, true)
    dv.setUint32(o + 0x4c, child, true)
    dv.setUint32(o + 0x74, start, true)
    dv.setUint32(o + 0x78, size, true)
  }
  const ids = placed
    .map((_, i) => i + 1)
    .sort((a, b) => compareNames(placed[a - 1]!.name, placed[b - 1]!.name))
  const tree = (lo: number, hi: number): number => {
    if (lo > hi) return NOSTREAM
    const mid = (lo + hi) >> 1
    const id = ids[mid]!
    dv.setUint32(entryAt(id) + 0x44, tree(lo, mid - 1), true)
    dv.setUint32(entryAt(id) + 0x48, tree(mid + 1, hi), true)
    return id
  }
  const entries: CfbEntry[] = []
  placed.forEach((p, i) => {
    const start = p.data.length === 0 ? ENDOFCHAIN : p.mini ? p.start : bigStart + p.start
    writeEntry(i + 1, p.name, 2, start, p.data.length)
    entries.push({ id: i + 1, name: p.name, mini: p.mini, start, size: p.data.length })
  })
  writeEntry(0, 'Root Entry', 5, miniStreamSectors > 0 ? rootStart : ENDOFCHAIN, miniSectors * MINI)
  dv.setUint32(entryAt(0) + 0x4c, tree(0, ids.length - 1), true)
  // Unused entries of the last directory sector: empty names, no siblings (§2.6.3).
  for (let id = streams.length + 1; id < dirSectors * 4; id++) {
    dv.setUint32(entryAt(id) + 0x44, NOSTREAM, true)
    dv.setUint32(entryAt(id) + 0x48, NOSTREAM, true)
    dv.setUint32(entryAt(id) + 0x4c, NOSTREAM, true)
  }
  const fatSectors = Array.from({ length: fatCount }, (_, i) => i)
  return { bytes, fatSectors, dirStart, miniFatStart, rootStart, entries }
}

function utf16le(s: string): Uint8Array {
  const out = new Uint8Array(s.length * 2)
  for (let i = 0; i < s.length; i++) {
    out[i * 2] = s.charCodeAt(i) & 0xff
    out[i * 2 + 1] = s.charCodeAt(i) >> 8
  }
  return out
}

/**
 * An Outlook .msg holding a bounce: subject (PidTagSubject 0x0037), transport headers
 * (PidTagTransportMessageHeaders 0x007D) and plain-text body (PidTagBody 0x1000), all PT_UNICODE.
 * The body is padded past the mini-stream cutoff so it lives in regular sectors.
 */
export function buildMsg(body: string, subject = 'Undeliverable: quarterly report'): CfbFile {
  const padded = body.length * 2 < CUTOFF ? body + '\n'.repeat(CUTOFF / 2 - body.length + 8) : body
  return buildCfb([
    { name: '__substg1.0_0037001F', data: utf16le(subject) },
    {
      name: '__substg1.0_007D001F',
      data: utf16le('From: postmaster@contoso.com\r\nSubject: ' + subject + '\r\n\r\n'),
    },
    { name: '__substg1.0_1000001F', data: utf16le(padded) },
  ])
}

/** Offset of FAT entry `sector` (through the header's DIFAT array). */
function fatEntryOffset(f: CfbFile, sector: number): number {
  const perSector = SECTOR / 4
  const fatSector = f.fatSectors[Math.floor(sector / perSector)]
  if (fatSector === undefined) throw new Error(`no FAT sector for ${sector}`)
  return (fatSector + 1) * SECTOR + (sector % perSector) * 4
}

/** A copy of the file with `edit` applied through a little-endian view. */
export function corrupt(f: CfbFile, edit: (dv: DataView, f: CfbFile) => void): Uint8Array {
  const bytes = f.bytes.slice()
  edit(new DataView(bytes.buffer), f)
  return bytes
}

export function setFat(dv: DataView, f: CfbFile, sector: number, next: number): void {
  dv.setUint32(fatEntryOffset(f, sector), next, true)
}

export function setMiniFat(dv: DataView, f: CfbFile, miniSector: number, next: number): void {
  // The mini FAT is one contiguous chain in files from buildCfb.
  dv.setUint32((f.miniFatStart + 1) * SECTOR + miniSector * 4, next, true)
}

/** Field at `offset` of directory entry `id` (0x44 left, 0x48 right, 0x4C child, 0x78 size). */
export function setDirField(dv: DataView, f: CfbFile, id: number, offset: number, v: number): void {
  dv.setUint32((f.dirStart + 1) * SECTOR + id * 128 + offset, v, true)
}

export function entry(f: CfbFile, name: string): CfbEntry {
  const e = f.entries.find((x) => x.name === name)
  if (!e) throw new Error(`no entry ${name}`)
  return e
}

export const BODY = '__substg1.0_1000001F'
export const SUBJECT = '__substg1.0_0037001F'
