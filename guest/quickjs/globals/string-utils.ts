/**
 * Small string helpers shared by the guest globals. Runs inside QuickJS: ECMAScript builtins only.
 */

/** How many code units are handed to one `String.fromCharCode.apply` call (keeps argument lists small). */
export const STRING_CHUNK = 8192

/**
 * Builds a string from UTF-16 code units (or Latin-1 bytes) `codes[start, end)`, in chunks via
 * `String.fromCharCode.apply`: far faster than concatenating one character at a time.
 */
export function codesToString(
  codes: Uint8Array | Uint16Array | readonly number[],
  start = 0,
  end: number = codes.length,
): string {
  const fromCharCode = String.fromCharCode as (...codes: number[]) => string
  const part = (from: number, to: number): string => {
    const slice =
      from === 0 && to === codes.length
        ? codes
        : ArrayBuffer.isView(codes)
          ? codes.subarray(from, to)
          : (codes as readonly number[]).slice(from, to)
    return fromCharCode.apply(null, slice as unknown as number[])
  }
  if (end - start <= STRING_CHUNK) return part(start, end)
  const parts: string[] = []
  for (let i = start; i < end; i += STRING_CHUNK) parts.push(part(i, Math.min(i + STRING_CHUNK, end)))
  return parts.join('')
}
