// Compact map keys built from raw octets (two octets per UTF-16 code unit), cheaper than text forms.

/** Appends `length` octets of `data` from `offset` to `prefix` as a string key. */
export function octetKey(prefix: string, data: Uint8Array, offset: number, length: number): string {
  let s = prefix;
  let i = 0;
  for (; i + 1 < length; i += 2) s += String.fromCharCode((data[offset + i] << 8) | data[offset + i + 1]);
  if (i < length) s += String.fromCharCode(data[offset + i]);
  return s;
}
