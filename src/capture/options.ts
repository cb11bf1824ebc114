// Named limits of the capture readers (config keys `capture.*`) and the byte helpers they share.
// Every limit has a default; hitting one is reported as an anomaly, never a silent drop.

/** Limits and tolerances of the pcap / pcapng readers. */
export interface CaptureParserOptions {
  /** The input was gzip-compressed (reported in CaptureInfo only). */
  compressed?: boolean;
  /**
   * `capture.max-record-length`: hard ceiling on one pcap record's captured length, whatever the
   * header's snaplen says. A record above max(snaplen, 262144) capped by this is corrupt. Default 16 MiB.
   */
  maxRecordLength?: number;
  /** `capture.max-block-length`: largest pcapng block accepted. Default 16 MiB. */
  maxBlockLength?: number;
  /**
   * `capture.resync-window`: after corruption, a candidate record's timestamp must lie within this
   * many seconds of the previous record's. Default 86400.
   */
  resyncWindow?: number;
}

/** Config keys (dotted kebab-case) of the options above, for `limits` maps. */
export const CAPTURE_LIMIT_KEYS = {
  maxRecordLength: 'capture.max-record-length',
  maxBlockLength: 'capture.max-block-length',
  resyncWindow: 'capture.resync-window',
} as const;

export const DEFAULT_MAX_RECORD_LENGTH = 16 * 1024 * 1024;
export const DEFAULT_MAX_BLOCK_LENGTH = 16 * 1024 * 1024;
export const DEFAULT_RESYNC_WINDOW = 86400;
/** Records up to this length are always plausible (libpcap's and Wireshark's usual maximum). */
export const STANDARD_MAX_PACKET = 262144;

/** Reads parser options out of a dotted-key limits map (unknown keys ignored). */
export function optionsFromLimits(limits: Record<string, number> | undefined, base: CaptureParserOptions = {}): CaptureParserOptions {
  const out: CaptureParserOptions = { ...base };
  if (!limits) return out;
  for (const [field, key] of Object.entries(CAPTURE_LIMIT_KEYS) as Array<[keyof typeof CAPTURE_LIMIT_KEYS, string]>) {
    const v = limits[key];
    if (typeof v === 'number' && Number.isFinite(v) && v > 0) out[field] = v;
  }
  return out;
}

export function rd16(b: Uint8Array, p: number, le: boolean): number {
  return le ? b[p] | (b[p + 1] << 8) : (b[p] << 8) | b[p + 1];
}

export function rd32(b: Uint8Array, p: number, le: boolean): number {
  return le
    ? (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0
    : ((b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3]) >>> 0;
}
