// Capture stage contracts: what a capture reader hands to the network stage.
// Readers are push parsers: bytes in (any chunking), frames out, synchronously.

/** Container format of one input. */
export type CaptureFormat = 'pcap' | 'pcap-ns' | 'pcapng';

/** One captured record (a pcap record or a pcapng EPB/SPB/OPB). */
export interface Frame {
  /** 1-based frame number within its input, counted as Wireshark counts them. */
  index: number;
  /** Whole seconds of the timestamp since the epoch. */
  tsSec: number;
  /** Nanoseconds within the second (0..999999999), whatever the file's resolution. */
  tsNsec: number;
  /** LINKTYPE_* value of the interface the frame was captured on. */
  linkType: number;
  /** pcapng interface id (0 for classic pcap). */
  interfaceId: number;
  /** Captured bytes. A view into a buffer that is never reused; copy what you keep for long. */
  data: Uint8Array;
  /** Length of the packet on the wire (>= data.length when snaplen-truncated). */
  origLength: number;
  /** Byte offset of the record in the (decompressed) input, for error messages. */
  offset: number;
}

/** Seconds since the epoch as a float (µs precision is kept; ns is not). */
export function frameTime(f: Pick<Frame, 'tsSec' | 'tsNsec'>): number {
  return f.tsSec + f.tsNsec / 1e9;
}

/** A named problem in the capture framing itself (DECODE-CAPTURE). */
export interface CaptureAnomaly {
  /** Dotted lower_snake name, e.g. `capture.truncated`, `pcapng.bad_block_length`. */
  name: string;
  /** One readable sentence. */
  message: string;
  /** Byte offset in the (decompressed) input where the problem was found. */
  offset: number;
  /** The frame the problem belongs to, or the frame number the next record would have had. */
  frame?: number;
}

/** What a capture reader learned about the input's container. */
export interface CaptureInfo {
  format: CaptureFormat;
  /** The input was gzip-compressed. */
  compressed: boolean;
  /** Snaplen (pcap header or first IDB), 0 when unknown. */
  snaplen: number;
}

/** Receives a reader's output, in input order. */
export interface CaptureSink {
  info(info: CaptureInfo): void;
  frame(frame: Frame): void;
  anomaly(anomaly: CaptureAnomaly): void;
}

/** A push parser: feed chunks, then end(). Never throws on bad bytes. */
export interface CaptureParser {
  push(chunk: Uint8Array): void;
  end(): void;
  /** Frames emitted so far. */
  readonly frames: number;
  /** True once the parser gave up on the input (bad magic, unrecoverable corruption). */
  readonly failed: boolean;
}
