// Validation of a percent-encoded UTF-8 sequence. Overlong forms are how IIS once let `%c0%af`
// through as `/` (the "Unicode directory traversal"); surrogates and code points past U+10FFFF are
// not characters at all. Anything but shortest-form UTF-8 is refused.

/** Bytes the sequence that starts with `lead` has in total, or 0 when `lead` cannot start one. */
export function utf8SequenceLength (lead: number): number {
  if (lead >= 0xc2 && lead <= 0xdf) return 2
  if (lead >= 0xe0 && lead <= 0xef) return 3
  if (lead >= 0xf0 && lead <= 0xf4) return 4
  return 0 // 0x80–0xBF stray continuation, 0xC0/0xC1 overlong, 0xF5+ beyond U+10FFFF
}

/** Is `byte` a valid continuation at position `index` (1-based) after `lead`? (RFC 3629 table) */
export function isValidContinuation (lead: number, index: number, byte: number): boolean {
  if (index === 1) {
    if (lead === 0xe0) return byte >= 0xa0 && byte <= 0xbf // overlong 3-byte
    if (lead === 0xed) return byte >= 0x80 && byte <= 0x9f // UTF-16 surrogates
    if (lead === 0xf0) return byte >= 0x90 && byte <= 0xbf // overlong 4-byte
    if (lead === 0xf4) return byte >= 0x80 && byte <= 0x8f // beyond U+10FFFF
  }
  return byte >= 0x80 && byte <= 0xbf
}
