// The DHCPv6 stage's public surface: codec instances, names, helpers, the JSON form and the
// RFC 5460 stream decoder. Other stages import from here.

export type * from './types.js';
export { createCodec, defaultCodec, Dhcpv6Codec, type CodecOptions, DEFAULT_MAX_RELAY_DEPTH, DEFAULT_MAX_OPTION_DEPTH } from './codec.js';
export {
  NameRegistry, RFC5460_CODES, resolveCodePoints, MESSAGE_NAMES, OPTION_NAMES, STATUS_NAMES, QUERY_TYPE_NAMES,
  DUID_TYPE_NAMES, type CodePoints,
} from './names.js';
export { OPTION_CODECS, codecFor, opaqueCodec } from './codec-table.js';
export type { OptionCodec, OptionValue, LengthRule, BodyLayout } from './options/types.js';
export { messageFormat, HEADER_LENGTH } from './message.js';
export type { MessageJson, OptionInput } from './encode.js';
export type { MessageBodyJson, OptionJson } from './json.js';
export {
  findOption, findOptions, optionOf, hasOption, walkOptions, statusOf, topStatusCode, isSuccess, duidHex, preferenceOf,
  innermostMessage, optionValue, optionBodyLength, optionU8, optionU16, optionU32,
  sameBody, sameBodyHex, bodyHex,
} from './helpers.js';
export { BulkStreamDecoder, looksLikeBulkLeasequery, BULK_DEFAULTS } from './bulk-stream.js';
