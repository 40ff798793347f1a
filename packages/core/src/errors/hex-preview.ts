/** How many bytes of an offending frame an error message shows. */
export const HEX_PREVIEW_BYTES = 64;

/**
 * Renders the start of `bytes` as hex (`"0a 1b ..."`), truncated to `limit` bytes with a note of the
 * full length, so an error can show the frame that caused it without flooding a log.
 */
export function hexPreview(bytes: Uint8Array, limit: number = HEX_PREVIEW_BYTES): string {
  const shown = Math.min(bytes.length, limit);
  let text = '';
  for (let i = 0; i < shown; i++) {
    text += (i === 0 ? '' : ' ') + (bytes[i] < 16 ? '0' : '') + bytes[i].toString(16);
  }
  return shown < bytes.length ? `${text} ... (${bytes.length} bytes)` : text;
}
