/** Whether `bytes` holds the ASCII text `ascii` at offset `at` (container signatures, chunk and packet tags). */
export function hasAscii(bytes: Uint8Array, ascii: string, at = 0): boolean {
  if (at < 0 || bytes.length < at + ascii.length) return false;
  for (let i = 0; i < ascii.length; i++) if (bytes[at + i] !== ascii.charCodeAt(i)) return false;
  return true;
}
