// Declarative option codecs: a codec is a list of typed fields (fixed-size fields, at most one
// variable-size "rest" field, an IPv6 prefix sized by a length field), from which decode, encode,
// encodingLength, the length rule and the sub-option prefix follow (STYLE.md habit 3).

import type { NameRegistry } from '../names.js';
import type { BodyLayout, LengthRule, OptionCodec, OptionValue } from './types.js';
import {
  checkNameList, colonHex, concat, fromHex, int, ipv4Bytes, ipv4Text, ipv6Bytes, ipv6Text, isUtf8, nameLength,
  prefix6Text, put16, put24, put32, readName, readNameList, str, toHex, u16, u24, u32, utf8Bytes, utf8Text, writeName,
} from './primitives.js';

/** Fixed-size field types and their sizes. */
const FIXED = { u8: 1, u16: 2, u24: 3, u32: 4, ipv4: 4, ipv6: 16 } as const;
type FixedType = keyof typeof FIXED;

/** Field types that take the rest of the body (only as the last field, and only without sub-options). */
type RestType =
  | 'hex' // opaque octets as hex
  | 'utf8' // UTF-8 text (an invalid sequence makes the option undecodable)
  | 'mac' // colon-hex (link-layer addresses)
  | 'name' // one DNS wire-format name (RFC 8415 §10)
  | 'names' // list of DNS wire-format names
  | 'u16[]' // list of 2-octet codes
  | 'ipv6[]' // list of IPv6 addresses
  | 'opaque[]'; // list of {len(2) data} items, as hex strings

export type Field =
  | readonly [key: string, type: FixedType]
  | readonly [key: string, type: 'bytes', size: number] // fixed number of octets as hex
  | readonly [key: string, type: 'prefix6', bitsKey: string] // IPv6 prefix in ceil(bits/8) octets (RFC 7598 §4.1)
  | readonly [key: string, type: RestType];

export interface StructOptions {
  /** The body continues with DHCPv6 options or a DHCPv6 message after the fields. */
  body?: 'options' | 'message';
  /** Extra length limits (e.g. max) merged with the ones the fields imply. */
  length?: LengthRule;
  /** Adds display-only fields (names of codes); they are ignored by encode. */
  derive?(value: OptionValue, names: NameRegistry): void;
}

/** A codec built by `struct`: its declaration stays readable, so a body can be read field by field in place. */
export interface StructCodec extends OptionCodec {
  readonly fields: readonly Field[];
  /** `decode` adds display-only fields after the declared ones (StructOptions.derive). */
  readonly derives: boolean;
}

/** Whether a codec was built by `struct`. */
export function isStructCodec(codec: OptionCodec): codec is StructCodec {
  return (codec as Partial<StructCodec>).fields !== undefined;
}

/** Builds a codec from its fields. */
export function struct(kind: string, fields: readonly Field[], opts: StructOptions = {}): StructCodec {
  let fixedSize = 0;
  let dynamic = false;
  let rest: RestType | undefined;
  fields.forEach((f, i) => {
    const t = f[1];
    if (t in FIXED) fixedSize += FIXED[t as FixedType];
    else if (t === 'bytes') fixedSize += f[2] as number;
    else if (t === 'prefix6') dynamic = true;
    else {
      if (i !== fields.length - 1 || opts.body) throw new Error(`${kind}: rest field must be last, without a body`);
      rest = t as RestType;
    }
  });

  /** Octets the fields occupy in `data`, or undefined when they do not fit / a prefix length is > 128. */
  const fieldsEnd = (data: Uint8Array): number | undefined => {
    if (!dynamic) return fixedSize <= data.length ? fixedSize : undefined;
    let o = 0;
    const bits: Record<string, number> = {};
    for (const f of fields) {
      const t = f[1];
      if (t === 'prefix6') {
        const n = bits[f[2] as string];
        if (n === undefined || n > 128) return undefined;
        o += Math.ceil(n / 8);
      } else if (t === 'bytes') o += f[2] as number;
      else if (t in FIXED) {
        if (t === 'u8' && o < data.length) bits[f[0]] = data[o];
        o += FIXED[t as FixedType];
      }
      if (o > data.length) return undefined;
    }
    return o;
  };

  const length: LengthRule = { min: fixedSize, ...opts.length };
  if (!rest && !opts.body && !dynamic) length.fixed = fixedSize;
  if (rest === 'ipv6[]') length.multipleOf = 16;
  if (rest === 'u16[]') length.multipleOf = 2;
  if (length.fixed !== undefined) { delete length.min; }

  const body: BodyLayout | undefined = opts.body
    ? { kind: opts.body, prefix: dynamic ? fieldsEnd : fixedSize }
    : undefined;

  const check = (data: Uint8Array): string | undefined => {
    const end = fieldsEnd(data);
    if (end === undefined) return 'fields do not fit in the option (or a prefix length exceeds 128)';
    if (!rest) return dynamic && !opts.body && end !== data.length ? 'octets after the last field' : undefined;
    if (rest === 'utf8') return isUtf8(data, end) ? undefined : 'text is not valid UTF-8';
    const r = data.subarray(end);
    switch (rest) {
      case 'name': {
        if (r.length === 0) return 'empty domain name';
        const n = readName(r, 0, r.length);
        if (typeof n === 'string') return n;
        if (!n.fqdn) return 'domain name not terminated by the root label';
        return n.next === r.length ? undefined : 'octets after the domain name';
      }
      case 'names': return checkNameList(r);
      case 'opaque[]': {
        let o = 0;
        while (o < r.length) {
          if (o + 2 > r.length) return 'item length field cut short';
          o += 2 + u16(r, o);
          if (o > r.length) return 'item runs past the end of the option';
        }
        return undefined;
      }
      default: return undefined;
    }
  };
  const needsCheck = dynamic || rest === 'utf8' || rest === 'name' || rest === 'names' || rest === 'opaque[]';

  const decode = (data: Uint8Array, names: NameRegistry): OptionValue | undefined => {
    if (fields.length === 0) return undefined;
    const v: OptionValue = {};
    let o = 0;
    for (const f of fields) {
      const [key, t] = f;
      switch (t) {
        case 'u8': v[key] = data[o]; o += 1; break;
        case 'u16': v[key] = u16(data, o); o += 2; break;
        case 'u24': v[key] = u24(data, o); o += 3; break;
        case 'u32': v[key] = u32(data, o); o += 4; break;
        case 'ipv4': v[key] = ipv4Text(data, o); o += 4; break;
        case 'ipv6': v[key] = ipv6Text(data, o); o += 16; break;
        case 'bytes': v[key] = toHex(data, o, f[2] as number); o += f[2] as number; break;
        case 'prefix6': {
          const bits = v[f[2] as string] as number;
          v[key] = prefix6Text(data, o, bits);
          o += Math.ceil(bits / 8);
          break;
        }
        default: v[key] = decodeRest(t as RestType, data.subarray(o)); o = data.length;
      }
    }
    opts.derive?.(v, names);
    return v;
  };

  const encodingLength = (value: OptionValue | undefined): number => {
    let n = 0;
    for (const f of fields) {
      const [key, t] = f;
      if (t in FIXED) n += FIXED[t as FixedType];
      else if (t === 'bytes') n += f[2] as number;
      else if (t === 'prefix6') n += Math.ceil(int(value?.[f[2] as string], 8, `${kind}.${f[2]}`) / 8);
      else n += restLength(t as RestType, value?.[key], `${kind}.${key}`);
    }
    return n;
  };

  const encode = (value: OptionValue | undefined): Uint8Array => {
    const out = new Uint8Array(encodingLength(value));
    let o = 0;
    for (const f of fields) {
      const [key, t] = f;
      const x = value?.[key];
      const what = `${kind}.${key}`;
      switch (t) {
        case 'u8': out[o] = int(x, 8, what); o += 1; break;
        case 'u16': put16(out, o, int(x, 16, what)); o += 2; break;
        case 'u24': put24(out, o, int(x, 24, what)); o += 3; break;
        case 'u32': put32(out, o, int(x, 32, what)); o += 4; break;
        case 'ipv4': out.set(ipv4Bytes(x, what), o); o += 4; break;
        case 'ipv6': out.set(ipv6Bytes(x, what), o); o += 16; break;
        case 'bytes': {
          const b = fromHex(x, what);
          if (b.length !== f[2]) throw new Error(`${what}: expected ${f[2]} octets`);
          out.set(b, o); o += b.length; break;
        }
        case 'prefix6': {
          const n = Math.ceil(int(value?.[f[2] as string], 8, what) / 8);
          out.set(ipv6Bytes(x, what).subarray(0, n), o); o += n; break;
        }
        default: o = encodeRest(t as RestType, x, out, o, what);
      }
    }
    return out;
  };

  return {
    kind, length, body, check: needsCheck ? check : undefined, decode, encode, encodingLength, fields, derives: opts.derive !== undefined,
  };
}

function decodeRest(t: RestType, r: Uint8Array): unknown {
  switch (t) {
    case 'hex': return toHex(r);
    case 'utf8': return utf8Text(r);
    case 'mac': return colonHex(r);
    case 'name': { const n = readName(r, 0, r.length); return typeof n === 'string' ? '' : n.name; }
    case 'names': return readNameList(r);
    case 'u16[]': { const a: number[] = []; for (let o = 0; o + 1 < r.length; o += 2) a.push(u16(r, o)); return a; }
    case 'ipv6[]': { const a: string[] = []; for (let o = 0; o + 15 < r.length; o += 16) a.push(ipv6Text(r, o)); return a; }
    case 'opaque[]': {
      const a: string[] = [];
      for (let o = 0; o + 2 <= r.length;) { const n = u16(r, o); a.push(toHex(r, o + 2, n)); o += 2 + n; }
      return a;
    }
  }
}

function list(x: unknown, what: string): unknown[] {
  if (!Array.isArray(x)) throw new Error(`${what}: expected an array`);
  return x;
}

function restLength(t: RestType, x: unknown, what: string): number {
  switch (t) {
    case 'hex': return fromHex(x, what).length;
    case 'utf8': return utf8Bytes(x, what).length;
    case 'mac': return str(x, what) === '' ? 0 : fromHex(x, what).length;
    case 'name': return nameLength(x, true, what);
    case 'names': return list(x, what).reduce((n: number, s) => n + nameLength(s, true, what), 0);
    case 'u16[]': return 2 * list(x, what).length;
    case 'ipv6[]': return 16 * list(x, what).length;
    case 'opaque[]': return list(x, what).reduce((n: number, s) => n + 2 + fromHex(s, what).length, 0);
  }
}

function encodeRest(t: RestType, x: unknown, out: Uint8Array, o: number, what: string): number {
  switch (t) {
    case 'hex': case 'mac': { const b = str(x, what) === '' ? new Uint8Array(0) : fromHex(x, what); out.set(b, o); return o + b.length; }
    case 'utf8': { const b = utf8Bytes(x, what); out.set(b, o); return o + b.length; }
    case 'name': return writeName(out, o, x, true, what);
    case 'names': for (const s of list(x, what)) o = writeName(out, o, s, true, what); return o;
    case 'u16[]': for (const c of list(x, what)) { put16(out, o, int(c, 16, what)); o += 2; } return o;
    case 'ipv6[]': for (const a of list(x, what)) { out.set(ipv6Bytes(a, what), o); o += 16; } return o;
    case 'opaque[]': {
      const b = concat(list(x, what).map((s) => { const d = fromHex(s, what); const h = new Uint8Array(2 + d.length); put16(h, 0, d.length); h.set(d, 2); return h; }));
      out.set(b, o); return o + b.length;
    }
  }
}
