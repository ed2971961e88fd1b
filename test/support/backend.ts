/** Unwraps an API envelope in tests, failing with the typed error when the call was refused. */
export async function ok<T>(
  p: Promise<{ ok: boolean; value?: unknown; error?: unknown }>,
): Promise<T> {
  const r = await p
  if (!r.ok) throw new Error(JSON.stringify(r.error))
  return r.value as T
}
