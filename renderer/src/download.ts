/**
 * Saves content as a file through the browser's (or Electron's) download, without any request: a
 * blob URL and an <a download>. Text gets a UTF-8 BOM when asked, so Excel reads CJK evidence right.
 */
export function saveFile(
  content: string | Uint8Array<ArrayBuffer>,
  name: string,
  type: string,
  opts: { bom?: boolean } = {},
): void {
  const parts: BlobPart[] = opts.bom ? ['\ufeff', content] : [content]
  const url = URL.createObjectURL(
    new Blob(parts, { type: typeof content === 'string' ? `${type};charset=utf-8` : type }),
  )
  const a = document.createElement('a')
  a.href = url
  a.download = name
  a.click()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
