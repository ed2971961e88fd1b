// Structure check of a Compound File Binary file ([MS-CFB]) before @kenjiuno/msgreader reads it.
//
// msgreader trusts the file: it follows sector chains until ENDOFCHAIN with no loop check (a FAT,
// mini FAT, directory or mini-stream chain that points back to itself grows an array until the heap
// is exhausted: measured, the process aborts), walks the directory's sibling tree with no cycle
// check, and allocates a stream's declared size before reading it (a 0x7FFFFFFF size took 15 s,
// msgreader#36 reports a 2.5 GB allocation; hfig/MAPI#55 is the same chain loop in PHP). This check
// walks the same structures bounded (every chain at most once, every directory entry at most once)
// and refuses anything a conforming writer cannot produce, so the library only ever sees files on
// which its loops terminate. Linear in the file size; pure.

const ENDOFCHAIN = -2
const NOSTREAM = -1
/** [MS-CFB] §2.2: streams below this size live in the mini stream. */
const MINI_CUTOFF = 4096
const MINI_SECTOR = 64
/** Header DIFAT entries ([MS-CFB] §2.2). */
const HEADER_DIFAT = 109
/** Storage nesting: an .msg nests attachments and embedded messages a few levels deep. */
const MAX_STORAGE_DEPTH = 64

/**
 * True when the CFB file's chains all terminate inside the file, its directory tree is acyclic and
 * every stream's declared size fits in the file. Reads the same (little-endian, signed) fields
 * msgreader reads, so what passes here cannot send msgreader into a loop or a huge allocation.
 */
export function cfbIsSound(b: Uint8Array): boolean {
  if (b.length < 512) return false
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength)
  const i32 = (o: number): number => (o + 4 <= b.length ? dv.getInt32(o, true) : ENDOFCHAIN - 1)
  // Sector shift: 9 (version 3, 512-byte sectors) or 12 (version 4, 4096). msgreader reads byte 30.
  if (b[31] !== 0 || (b[30] !== 9 && b[30] !== 12)) return false
  const ss = b[30] === 12 ? 4096 : 512
  const perSector = ss / 4
  const sectors = Math.ceil((b.length - ss) / ss)
  if (sectors <= 0) return false
  const inFile = (s: number): boolean => Number.isInteger(s) && s >= 0 && s < sectors
  const at = (s: number): number => (s + 1) * ss

  // Every chain marks its sectors with its own stamp: a sector seen twice in one chain is a loop.
  const stamp = new Int32Array(sectors)
  let chainId = 0

  // FAT sectors: the header's DIFAT array, then the DIFAT sector chain ([MS-CFB] §2.5).
  const fatCount = i32(0x2c)
  const difatCount = i32(0x48)
  if (fatCount < 0 || fatCount > sectors || difatCount < 0 || difatCount > sectors) return false
  const fat: number[] = []
  for (let i = 0; i < Math.min(fatCount, HEADER_DIFAT); i++) {
    const s = i32(0x4c + i * 4)
    if (!inFile(s)) return false
    fat.push(s)
  }
  chainId++
  let next = i32(0x44)
  let remaining = fatCount - fat.length
  for (let i = 0; i < difatCount; i++) {
    if (next === ENDOFCHAIN || next === NOSTREAM) break
    if (!inFile(next) || stamp[next] === chainId) return false
    stamp[next] = chainId
    for (let j = 0; j < perSector - 1 && remaining > 0; j++, remaining--) {
      const s = i32(at(next) + j * 4)
      if (s === NOSTREAM || s === ENDOFCHAIN) break
      if (!inFile(s)) return false
      fat.push(s)
    }
    next = i32(at(next) + (perSector - 1) * 4)
  }
  const fatNext = (s: number): number => {
    const f = fat[Math.floor(s / perSector)]
    return f === undefined ? ENDOFCHAIN : i32(at(f) + (s % perSector) * 4)
  }

  /** Length of the chain from `start`, or -1 if it leaves the file or loops. */
  const chainLength = (start: number, nextOf: (s: number) => number, limit: number): number => {
    chainId++
    let n = 0
    for (let s = start; s !== ENDOFCHAIN; s = nextOf(s)) {
      if (!inFile(s) || stamp[s] === chainId || ++n > limit) return -1
      stamp[s] = chainId
    }
    return n
  }

  // Directory chain ([MS-CFB] §2.6).
  const dirStart = i32(0x30)
  const dirSectors = chainLength(dirStart, fatNext, sectors)
  if (dirSectors <= 0) return false
  const perDirSector = ss / 128
  const entryOffsets: number[] = []
  for (let s = dirStart, k = 0; k < dirSectors; k++, s = fatNext(s))
    for (let e = 0; e < perDirSector; e++) entryOffsets.push(at(s) + e * 128)
  const count = entryOffsets.length
  const field = (id: number, off: number): number => i32(entryOffsets[id]! + off)
  const type = (id: number): number => b[entryOffsets[id]! + 0x42] ?? 0
  if (type(0) !== 5) return false

  // Mini FAT chain ([MS-CFB] §2.4), read as msgreader reads it: up to its declared sector count.
  const miniFatStart = i32(0x3c)
  const miniFatCount = i32(0x40)
  if (miniFatCount < 0 || miniFatCount > sectors) return false
  const miniFat: number[] = []
  chainId++
  for (let s = miniFatStart, i = 0; i < miniFatCount && s !== 0 && s !== ENDOFCHAIN; i++) {
    if (!inFile(s) || stamp[s] === chainId) return false
    stamp[s] = chainId
    miniFat.push(s)
    s = fatNext(s)
  }
  const miniNext = (m: number): number => {
    const f = miniFat[Math.floor(m / perSector)]
    return f === undefined ? ENDOFCHAIN : i32(at(f) + (m % perSector) * 4)
  }

  // The mini stream is the root entry's stream.
  const rootSize = field(0, 0x78)
  if (rootSize < 0 || rootSize > b.length) return false
  const rootStart = field(0, 0x74)
  if (rootSize > 0 && chainLength(rootStart, fatNext, sectors) < 0) return false
  const miniSectors = Math.ceil(rootSize / MINI_SECTOR)

  // Directory tree: every entry reached at most once ([MS-CFB] §2.6.4 red-black tree per storage).
  const seen = new Uint8Array(count)
  const stack: Array<[id: number, depth: number]> = [[field(0, 0x4c), 1]]
  seen[0] = 1
  while (stack.length > 0) {
    const [id, depth] = stack.pop()!
    if (id === NOSTREAM) continue
    if (id < 0 || id >= count || seen[id] || depth > MAX_STORAGE_DEPTH) return false
    seen[id] = 1
    // msgreader reads siblings only of storages, streams and roots (other entries are unused).
    const t = type(id)
    if (t !== 1 && t !== 2 && t !== 5) continue
    stack.push([field(id, 0x44), depth], [field(id, 0x48), depth])
    if (t === 1) stack.push([field(id, 0x4c), depth + 1])
  }

  // Streams: sizes within the file, chains that stay inside it and never loop, and no more bytes
  // declared in all than the file (or the mini stream) holds: sectors belong to one stream each.
  let bigBytes = 0
  let miniBytes = 0
  for (let id = 1; id < count; id++) {
    if (type(id) !== 2) continue
    const size = field(id, 0x78)
    if (size < 0 || size > b.length) return false
    if (size === 0) continue
    const start = field(id, 0x74)
    if (size < MINI_CUTOFF) {
      miniBytes += size
      if (miniBytes > rootSize) return false
      // At most 64 mini sectors (size < 4096): a longer chain is a loop.
      let n = 0
      for (let m = start; m !== ENDOFCHAIN; m = miniNext(m)) {
        if (m < 0 || m >= miniSectors || ++n > MINI_CUTOFF / MINI_SECTOR) return false
      }
    } else {
      bigBytes += size
      if (bigBytes > b.length) return false
      // msgreader reads exactly ceil(size / ss) sectors and ignores what follows.
      chainId++
      for (let s = start, k = Math.ceil(size / ss); k > 0; k--, s = fatNext(s)) {
        if (!inFile(s) || stamp[s] === chainId) return false
        stamp[s] = chainId
      }
    }
  }
  return true
}
