// The option codec contract: declared length rules, body layout, and decode/encode/encodingLength
// of the structured value (STYLE.md habits 2 and 3; option format RFC 8415 §21.1).

import type { NameRegistry } from '../names.js';

/** A decoded option value: a plain JSON-able object (camelCase keys, addresses as text). */
export type OptionValue = { [key: string]: unknown };

/** Length rules on the option body (option-len), enforced by the one walker (`walk.ts`). */
export interface LengthRule {
  fixed?: number;
  min?: number;
  max?: number;
  /** (length - min) must be a multiple of this (min defaults to 0). */
  multipleOf?: number;
}

/**
 * What follows the codec's own fields in the body: DHCPv6 options (IA_NA, IAADDR, CLIENT_DATA,
 * LQ_QUERY…) or one DHCPv6 message (RELAY_MSG, LQ_RELAY_DATA). `prefix` is the octet count of the
 * codec's own fields before them: a number, or computed from the body (variable-length prefixes);
 * undefined from the function means the prefix cannot be read (reported as bad length).
 */
export interface BodyLayout {
  kind: 'options' | 'message';
  prefix: number | ((data: Uint8Array) => number | undefined);
}

/** One option codec. Codecs do not know their own code: the table (codec-table.ts) keys them. */
export interface OptionCodec<V extends OptionValue = OptionValue> {
  /** Short codec id used in docs and tests, e.g. `duid`, `ia-na`, `address-list`. */
  readonly kind: string;
  readonly length: LengthRule;
  readonly body?: BodyLayout;
  /**
   * Checks structure the length rules cannot express (domain-name labels, inner length fields).
   * Returns a problem description, or undefined when the body is decodable. Run by the walker.
   */
  check?(data: Uint8Array): string | undefined;
  /**
   * Decodes the codec's own fields (for containers: the prefix only). Called only on bodies that
   * passed the length rules and `check`. Returns undefined when the option has no fields.
   */
  decode(data: Uint8Array, names: NameRegistry): V | undefined;
  /** Encodes the codec's own fields (for containers: the prefix only). Throws on a malformed value (misuse). */
  encode(value: V | undefined): Uint8Array;
  /** Octets `encode(value)` writes. */
  encodingLength(value: V | undefined): number;
}
