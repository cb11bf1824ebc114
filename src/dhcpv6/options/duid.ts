// DUID codec (RFC 8415 §11; DUID-UUID RFC 6355): OPTION_CLIENTID, OPTION_SERVERID, OPTION_RELAY_ID.
// Known types are split into their parts; unknown or short types keep their identifier as hex.

import type { OptionCodec, OptionValue } from './types.js';
import { colonHex, fromHex, int, put16, put32, str, toHex, u16, u32 } from './primitives.js';

/** Decodes a DUID occupying all of `d` (at least 2 octets). `hex` is always the whole DUID. */
export function decodeDuid(d: Uint8Array): OptionValue {
  const duidType = u16(d, 0);
  const hex = toHex(d);
  switch (duidType) {
    case 1: // RFC 8415 §11.2: hardware type(2), time(4), link-layer address
      if (d.length >= 8) return { duidType, hwType: u16(d, 2), time: u32(d, 4), linkLayer: colonHex(d, 8), hex };
      break;
    case 2: // RFC 8415 §11.3: enterprise number(4), identifier
      if (d.length >= 6) return { duidType, enterpriseNumber: u32(d, 2), identifier: toHex(d, 6), hex };
      break;
    case 3: // RFC 8415 §11.4: hardware type(2), link-layer address
      if (d.length >= 4) return { duidType, hwType: u16(d, 2), linkLayer: colonHex(d, 4), hex };
      break;
    case 4: // RFC 6355 §4: a 16-octet UUID
      if (d.length === 18) return { duidType, uuid: uuidText(d, 2), hex };
      break;
  }
  return { duidType, identifier: toHex(d, 2), hex };
}

function uuidText(d: Uint8Array, o: number): string {
  const h = toHex(d, o, 16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Encodes a DUID value: from `hex` when given (it is authoritative), else from its parts. */
export function encodeDuid(v: OptionValue | undefined): Uint8Array {
  if (!v) throw new Error('duid: value required');
  if (v.hex !== undefined) return fromHex(v.hex, 'duid.hex');
  const type = int(v.duidType, 16, 'duid.duidType');
  let body: Uint8Array;
  const mac = (x: unknown) => (str(x, 'duid.linkLayer') === '' ? new Uint8Array(0) : fromHex(x, 'duid.linkLayer'));
  if (type === 1 && v.hwType !== undefined) {
    const ll = mac(v.linkLayer);
    body = new Uint8Array(6 + ll.length);
    put16(body, 0, int(v.hwType, 16, 'duid.hwType')); put32(body, 2, int(v.time, 32, 'duid.time')); body.set(ll, 6);
  } else if (type === 2 && v.enterpriseNumber !== undefined) {
    const id = fromHex(v.identifier ?? '', 'duid.identifier');
    body = new Uint8Array(4 + id.length);
    put32(body, 0, int(v.enterpriseNumber, 32, 'duid.enterpriseNumber')); body.set(id, 4);
  } else if (type === 3 && v.hwType !== undefined) {
    const ll = mac(v.linkLayer);
    body = new Uint8Array(2 + ll.length);
    put16(body, 0, int(v.hwType, 16, 'duid.hwType')); body.set(ll, 2);
  } else if (type === 4 && v.uuid !== undefined) {
    body = fromHex(str(v.uuid, 'duid.uuid').replace(/-/g, ''), 'duid.uuid');
    if (body.length !== 16) throw new Error('duid.uuid: expected 16 octets');
  } else {
    body = fromHex(v.identifier ?? '', 'duid.identifier');
  }
  const out = new Uint8Array(2 + body.length);
  put16(out, 0, type); out.set(body, 2);
  return out;
}

/** RFC 8415 §11.1: type(2) + 1..128 octets of identifier. */
export const duidCodec: OptionCodec = {
  kind: 'duid',
  length: { min: 3, max: 130 },
  decode: (d) => decodeDuid(d),
  encode: encodeDuid,
  encodingLength: (v) => encodeDuid(v).length,
};
