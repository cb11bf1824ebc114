// Benchmark input: a deterministic, seeded capture of N packets as seen on a busy relay/server box —
// relayed client sessions (RFC 8415 §18, §19; RFC 6853 preferences), UDP leasequery (RFC 5007) and TCP
// bulk leasequery connections (RFC 5460) — streamed straight to classic pcap, with planted violations.
//
// Usage: node bench/generate.mjs <packets> <out.pcap> [--seed N]   (writes <out>.expected.json beside)
// The library form `generateCapture(options, deps)` takes the DHCPv6 codec as a dependency so the unit
// test can pass the TypeScript sources and the benchmark the built dist/.

import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';

/** mulberry32: small, fast, seedable PRNG returning [0, 1). */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const T0_US = 1732262400 * 1e6;
const CLIENT_MARK = 0x7e7e7e7e; // 32-bit marker for per-client/per-binding fields in templates
const XID_MARK = 0xa5a5a5; // 24-bit marker for transaction ids in templates

// ---------------------------------------------------------------------------------------------
// Addresses

function ip6(text) {
  const out = new Uint8Array(16);
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  h.forEach((g, i) => { const v = parseInt(g, 16); out[i * 2] = v >> 8; out[i * 2 + 1] = v & 0xff; });
  t.forEach((g, i) => { const j = 8 - t.length + i; const v = parseInt(g, 16); out[j * 2] = v >> 8; out[j * 2 + 1] = v & 0xff; });
  return out;
}
const hex32 = (n) => (n >>> 0).toString(16).padStart(8, '0');
const addrText = (prefix, n) => `${prefix}${((n >>> 16) & 0xffff).toString(16)}:${(n & 0xffff).toString(16)}`;
const addrBytes = (prefix, n) => ip6(addrText(prefix, n));

const MULTICAST = ip6('ff02::1:2');
const SERVERS = [1, 2, 3, 4].map((i) => ({
  i, addr: ip6(`2001:db8:ffff::${i}`), duid: `000300010a00000000${i.toString(16).padStart(2, '0')}`,
  mac: [0x02, 0x53, 0, 0, 0, i],
}));
const RELAYS = [1, 2, 3].map((i) => ({
  i, addr: ip6(`2001:db8:${i}::1`), link: `2001:db8:${i}::`, ifid: `65746830${i.toString(16).padStart(2, '0')}`,
  mac: [0x02, 0x52, 0, 0, 0, i],
}));
const REQUESTORS = [1, 2, 3, 4, 5, 6, 7, 8].map((i) => ({
  i, addr: ip6(`2001:db8:aaaa::${i}`), duid: `000300010b00000000${i.toString(16).padStart(2, '0')}`, mac: [0x02, 0x4c, 0, 0, 0, i],
}));
const OTHER_A = ip6('2001:db8:ffff::53');
const clientDuid = (n) => `0003000102ff${hex32(n)}`;
const clientLl = (n) => addrBytes('fe80::', n);

// ---------------------------------------------------------------------------------------------
// Message templates: encoded once with the project's encoder, then copied and patched per use.

class Templates {
  constructor(codec) { this.codec = codec; this.cache = new Map(); }

  /** A template: bytes plus the offsets of the client and xid markers. */
  get(key, build) {
    let t = this.cache.get(key);
    if (t) return t;
    const bytes = this.codec.encodeMessage(build(CLIENT_MARK));
    const client = [];
    const xid = [];
    for (let i = 0; i + 3 < bytes.length + 1; i++) {
      if (i + 4 <= bytes.length && bytes[i] === 0x7e && bytes[i + 1] === 0x7e && bytes[i + 2] === 0x7e && bytes[i + 3] === 0x7e) { client.push(i); i += 3; continue; }
      if (i + 3 <= bytes.length && bytes[i] === 0xa5 && bytes[i + 1] === 0xa5 && bytes[i + 2] === 0xa5) { xid.push(i); i += 2; }
    }
    t = { bytes, client, xid };
    this.cache.set(key, t);
    return t;
  }

  /** Writes a template into `out` at `o` with its markers replaced; returns the length. */
  static put(t, out, o, client, xid) {
    out.set(t.bytes, o);
    for (const p of t.client) { out[o + p] = client >>> 24; out[o + p + 1] = (client >>> 16) & 0xff; out[o + p + 2] = (client >>> 8) & 0xff; out[o + p + 3] = client & 0xff; }
    for (const p of t.xid) { out[o + p] = (xid >>> 16) & 0xff; out[o + p + 1] = (xid >>> 8) & 0xff; out[o + p + 2] = xid & 0xff; }
    return t.bytes.length;
  }
}

// ---------------------------------------------------------------------------------------------
// pcap output: one reusable buffer, flushed synchronously; packets are built in place.

const ETH = 14;
const IP6 = 40;

class PcapOut {
  constructor(path, chunk = 4 << 20) {
    this.fd = openSync(path, 'w');
    this.buf = Buffer.alloc(chunk);
    this.p = 0;
    this.frames = 0;
    this.bytes = 0;
    const dv = new DataView(this.buf.buffer, this.buf.byteOffset);
    dv.setUint32(0, 0xa1b2c3d4, true); dv.setUint16(4, 2, true); dv.setUint16(6, 4, true);
    dv.setUint32(16, 65535, true); dv.setUint32(20, 1, true); // LINKTYPE_ETHERNET
    this.p = 24;
    this.dv = dv;
  }

  flush() {
    if (this.p > 0) writeSync(this.fd, this.buf, 0, this.p);
    this.bytes += this.p;
    this.p = 0;
  }

  /**
   * Writes one Ethernet/IPv6 packet: `l4` is 17 (UDP) or 6 (TCP). `fill(buf, offset)` writes the
   * transport header + payload at `offset` and returns its length. Returns the frame number.
   */
  packet(timeUs, srcMac, dstMac, src, dst, nh, fill, hopLimit = 64) {
    if (this.p + 2048 > this.buf.length) this.flush();
    const b = this.buf;
    const rec = this.p;
    const l2 = rec + 16;
    for (let i = 0; i < 6; i++) { b[l2 + i] = dstMac[i]; b[l2 + 6 + i] = srcMac[i]; }
    b[l2 + 12] = 0x86; b[l2 + 13] = 0xdd;
    const ip = l2 + ETH;
    b[ip] = 0x60; b[ip + 1] = 0; b[ip + 2] = 0; b[ip + 3] = 0;
    b[ip + 6] = nh; b[ip + 7] = hopLimit;
    b.set(src, ip + 8); b.set(dst, ip + 24);
    const l4 = ip + IP6;
    const len = fill(b, l4);
    b[ip + 4] = len >> 8; b[ip + 5] = len & 0xff;
    // Transport checksum over the pseudo-header (RFC 8200 §8.1).
    const ck = nh === 17 ? l4 + 6 : l4 + 16;
    b[ck] = 0; b[ck + 1] = 0;
    let sum = len + nh;
    for (let i = ip + 8; i < ip + 40; i += 2) sum += (b[i] << 8) | b[i + 1];
    const end = l4 + len;
    let i = l4;
    for (; i + 1 < end; i += 2) sum += (b[i] << 8) | b[i + 1];
    if (i < end) sum += b[i] << 8;
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
    let c = ~sum & 0xffff;
    if (c === 0 && nh === 17) c = 0xffff;
    b[ck] = c >> 8; b[ck + 1] = c & 0xff;
    const caplen = ETH + IP6 + len;
    const sec = Math.floor(timeUs / 1e6);
    this.dv.setUint32(rec, sec, true);
    this.dv.setUint32(rec + 4, timeUs - sec * 1e6, true);
    this.dv.setUint32(rec + 8, caplen, true);
    this.dv.setUint32(rec + 12, caplen, true);
    this.p = rec + 16 + caplen;
    return ++this.frames;
  }

  close() { this.flush(); closeSync(this.fd); }
}

function putU16(b, o, v) { b[o] = (v >> 8) & 0xff; b[o + 1] = v & 0xff; }
function putU32(b, o, v) { b[o] = v >>> 24; b[o + 1] = (v >>> 16) & 0xff; b[o + 2] = (v >>> 8) & 0xff; b[o + 3] = v & 0xff; }

// ---------------------------------------------------------------------------------------------
// Scheduler: a binary heap of scenario generators keyed by the time of their next packet.

class Heap {
  constructor() { this.a = []; this.seq = 0; }
  get size() { return this.a.length; }
  less(x, y) { return x.t < y.t || (x.t === y.t && x.s < y.s); }
  push(t, g) {
    const a = this.a; const n = { t, s: this.seq++, g }; a.push(n);
    let i = a.length - 1;
    while (i > 0) { const p = (i - 1) >> 1; if (!this.less(a[i], a[p])) break; [a[i], a[p]] = [a[p], a[i]]; i = p; }
  }
  pop() {
    const a = this.a; const top = a[0]; const last = a.pop();
    if (a.length > 0) {
      a[0] = last; let i = 0;
      for (;;) {
        const l = 2 * i + 1; const r = l + 1; let m = i;
        if (l < a.length && this.less(a[l], a[m])) m = l;
        if (r < a.length && this.less(a[r], a[m])) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m], a[i]]; i = m;
      }
    }
    return top;
  }
}

// ---------------------------------------------------------------------------------------------

/**
 * Writes the capture and returns what it holds: `{packets, bytes, messages: {udp: {type: n}, tcp:
 * {type: n}}, dhcpv6Messages, findings: [{ruleId, frames}], scenarios}`.
 * @param {{packets: number, out: string, seed?: number}} options
 * @param {{createCodec: () => {encodeMessage(json: object): Uint8Array}}} deps
 */
export function generateCapture(options, deps) {
  const N = options.packets;
  const rnd = mulberry32(options.seed ?? 5460);
  const int = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1));
  const T = new Templates(deps.createCodec());
  const out = new PcapOut(options.out);
  const heap = new Heap();
  const counts = { udp: {}, tcp: {} };
  const count = (transport, type) => { counts[transport][type] = (counts[transport][type] ?? 0) + 1; };
  const findings = [];
  const finding = (ruleId, frames) => findings.push({ ruleId, frames: [...new Set(frames)].sort((p, q) => p - q) });
  const scenarios = { sessions: 0, renewals: 0, udpLeasequeries: 0, bulkConnections: 0, bulkQueries: 0, bulkData: 0, other: 0 };
  const scratch = new Uint8Array(4096);
  let now = T0_US;
  let nextClient = 1;
  let nextXid = 1;
  const newXid = () => { nextXid = (nextXid * 1103515245 + 12345) & 0xffffff; return nextXid === XID_MARK ? 1 : nextXid; };

  // ---- UDP packets
  const udp = (srcMac, dstMac, src, dst, sport, dport, payload, plen, hop = 64) => out.packet(now, srcMac, dstMac, src, dst, 17, (b, o) => {
    putU16(b, o, sport); putU16(b, o + 2, dport); putU16(b, o + 4, 8 + plen); b.set(payload.subarray(0, plen), o + 8);
    return 8 + plen;
  }, hop);
  const CLIENT_MAC = [0x02, 0xcc, 0, 0, 0, 0];
  const clientMac = (c) => { CLIENT_MAC[2] = c >>> 24; CLIENT_MAC[3] = (c >>> 16) & 0xff; CLIENT_MAC[4] = (c >>> 8) & 0xff; CLIENT_MAC[5] = c & 0xff; return CLIENT_MAC; };
  const MCAST_MAC = [0x33, 0x33, 0, 1, 0, 2];

  // ---- message templates (JSON form, code points of RFC 8415 / 5007 / 5460)
  const ia = (pool, withAddr) => ({
    code: 3, value: { iaid: 1, t1: 1800, t2: 2880 },
    options: withAddr ? [{ code: 5, value: { address: addrText(`2001:db8:${pool}:1::`, CLIENT_MARK), preferredLifetime: 3600, validLifetime: 7200 } }] : [],
  });
  const cid = { code: 1, hex: clientDuid(CLIENT_MARK) };
  const sid = (s) => ({ code: 2, hex: s.duid });
  // SOL_MAX_RT (82) is required in the ORO of a Solicit and a Request (RFC 8415 §18.2.1, §18.2.2).
  const oro = { code: 6, value: { requestedOptions: [23, 24, 82] } };
  const elapsed = { code: 8, value: { elapsedTime: 0 } };
  const clientMsg = (kind, s, r) => {
    switch (kind) {
      case 'solicit': return { msgType: 1, xid: XID_MARK, options: [cid, elapsed, oro, ia(r.i, false)] };
      case 'request': return { msgType: 3, xid: XID_MARK, options: [cid, sid(s), elapsed, oro, ia(r.i, true)] };
      case 'renew': return { msgType: 5, xid: XID_MARK, options: [cid, sid(s), elapsed, oro, ia(r.i, true)] };
      default: throw new Error(kind);
    }
  };
  const serverMsg = (kind, s, r, pref) => {
    const opts = [sid(s), cid, ia(r.i, true), { code: 23, value: { addresses: ['2001:db8:ffff::53'] } }];
    if (pref !== undefined) opts.push({ code: 7, value: { preference: pref } });
    return { msgType: kind === 'advertise' ? 2 : 7, xid: XID_MARK, options: opts };
  };
  const relayFwd = (r, inner) => ({
    msgType: 12, hopCount: 0, linkAddress: r.link, peerAddress: addrText('fe80::', CLIENT_MARK),
    options: [{ code: 18, hex: r.ifid }, { code: 9, message: inner }],
  });
  const relayRepl = (r, inner) => ({
    msgType: 13, hopCount: 0, linkAddress: r.link, peerAddress: addrText('fe80::', CLIENT_MARK),
    options: [{ code: 18, hex: r.ifid }, { code: 9, message: inner }],
  });

  /** Sends a message from a client on relay r's link to All_DHCP_Relay_Agents_and_Servers. */
  const fromClient = (c, r, t, xid, type) => {
    const n = Templates.put(t, scratch, 0, c, xid);
    count('udp', type);
    return udp(clientMac(c), MCAST_MAC, clientLl(c), MULTICAST, 546, 547, scratch, n, 255);
  };
  const relayToServer = (c, r, s, t, xid) => {
    const n = Templates.put(t, scratch, 0, c, xid);
    count('udp', 12);
    return udp(r.mac, s.mac, r.addr, s.addr, 547, 547, scratch, n);
  };
  const serverToRelay = (c, r, s, t, xid) => {
    const n = Templates.put(t, scratch, 0, c, xid);
    count('udp', 13);
    return udp(s.mac, r.mac, s.addr, r.addr, 547, 547, scratch, n);
  };
  const relayToClient = (c, r, t, xid, type) => {
    const n = Templates.put(t, scratch, 0, c, xid);
    count('udp', type);
    return udp(r.mac, clientMac(c), ip6(`fe80::${r.i}`), clientLl(c), 547, 546, scratch, n, 255);
  };

  const us = (ms) => Math.round(ms * 1000);

  /**
   * A relayed client: Solicit → Advertise from one or two servers → Request → Reply, then a Renew.
   * `plant` = 'lower-pref': after the first RT it requests the server without the 255 Preference.
   */
  function* session(plant) {
    scenarios.sessions++;
    const c = nextClient++;
    const r = RELAYS[int(0, RELAYS.length - 1)];
    const multi = plant ? true : rnd() < 0.6;
    const a = SERVERS[int(0, SERVERS.length - 1)];
    const b = SERVERS[(a.i + int(0, 2)) % SERVERS.length];
    const servers = multi ? [a, b] : [a];
    const x1 = newXid();
    const solicit = T.get(`sol${r.i}`, () => clientMsg('solicit', a, r));
    const solicitFwd = T.get(`solF${r.i}`, () => relayFwd(r, clientMsg('solicit', a, r)));
    const evidence = [fromClient(c, r, solicit, x1, 1)];
    yield now + us(0.2);
    for (const s of servers) evidence.push(relayToServer(c, r, s, solicitFwd, x1));
    // Advertises: with two servers, the first gets Preference 255 and the other none (RFC 6853 §6).
    const delays = servers.map(() => us(1 + rnd() * 4));
    const order = servers.map((s, k) => k).sort((p, q) => delays[p] - delays[q]);
    const base = now;
    let advSeen = 0;
    for (const k of order) {
      const s = servers[k];
      const pref = multi ? (k === 0 ? 255 : undefined) : undefined;
      yield Math.max(now, base + delays[k]);
      const f1 = serverToRelay(c, r, s, T.get(`advR${r.i}.${s.i}.${pref}`, () => relayRepl(r, serverMsg('advertise', s, r, pref))), x1);
      yield now + us(0.15);
      const f2 = relayToClient(c, r, T.get(`adv${r.i}.${s.i}.${pref}`, () => serverMsg('advertise', s, r, pref)), x1, 2);
      if (pref === 255) evidence.push(f1, f2);
      advSeen++;
      if (multi && k === 0 && !plant) break; // the client acts on the 255 at once; the other Advertise follows below
    }
    let chosen;
    if (multi && !plant) {
      chosen = servers[0];
      yield now + us(0.5 + rnd());
      // The other server's Advertise still arrives, after the Request (not a candidate any more).
    } else {
      chosen = plant ? servers[1] : servers[0];
      yield base + us(1020 + rnd() * 60); // waits its first RT (RFC 8415 §18.2.1)
    }
    const x2 = newXid();
    evidence.push(fromClient(c, r, T.get(`req${r.i}.${chosen.i}`, () => clientMsg('request', chosen, r)), x2, 3));
    if (multi && !plant && advSeen < 2) {
      yield now + us(0.3);
      const s = servers[1];
      serverToRelay(c, r, s, T.get(`advR${r.i}.${s.i}.undefined`, () => relayRepl(r, serverMsg('advertise', s, r, undefined))), x1);
      yield now + us(0.15);
      relayToClient(c, r, T.get(`adv${r.i}.${s.i}.undefined`, () => serverMsg('advertise', s, r, undefined)), x1, 2);
    }
    yield now + us(0.2);
    const reqFwd = T.get(`reqF${r.i}.${chosen.i}`, () => relayFwd(r, clientMsg('request', chosen, r)));
    for (const s of servers) evidence.push(relayToServer(c, r, s, reqFwd, x2));
    // Evidence: every sighting of the Solicit, of the pref-255 Advertise and of the Request.
    if (plant) finding(plant.ruleId, evidence);
    yield now + us(1 + rnd() * 3);
    serverToRelay(c, r, chosen, T.get(`repR${r.i}.${chosen.i}`, () => relayRepl(r, serverMsg('reply', chosen, r))), x2);
    yield now + us(0.15);
    relayToClient(c, r, T.get(`rep${r.i}.${chosen.i}`, () => serverMsg('reply', chosen, r)), x2, 7);
    // Renew (RFC 8415 §18.2.4), compressed in time: a few seconds later.
    yield now + us(2000 + rnd() * 4000);
    scenarios.renewals++;
    const x3 = newXid();
    fromClient(c, r, T.get(`ren${r.i}.${chosen.i}`, () => clientMsg('renew', chosen, r)), x3, 5);
    yield now + us(0.2);
    relayToServer(c, r, chosen, T.get(`renF${r.i}.${chosen.i}`, () => relayFwd(r, clientMsg('renew', chosen, r))), x3);
    yield now + us(1 + rnd() * 3);
    serverToRelay(c, r, chosen, T.get(`repR${r.i}.${chosen.i}`, () => relayRepl(r, serverMsg('reply', chosen, r))), x3);
    yield now + us(0.15);
    relayToClient(c, r, T.get(`rep${r.i}.${chosen.i}`, () => serverMsg('reply', chosen, r)), x3, 7);
  }

  // ---- UDP leasequery (RFC 5007 §4.1): query by address, answered with the binding
  const clientData = (pool) => ({
    code: 45, options: [
      cid,
      { code: 5, value: { address: addrText(`2001:db8:${pool}:1::`, CLIENT_MARK), preferredLifetime: 3600, validLifetime: 7200 } },
      { code: 46, value: { cltTime: 600 } },
    ],
  });
  function* udpLeasequery() {
    scenarios.udpLeasequeries++;
    const q = REQUESTORS[int(0, REQUESTORS.length - 1)];
    const s = SERVERS[int(0, SERVERS.length - 1)];
    const pool = int(1, 3);
    const c = int(1, Math.max(1, nextClient - 1));
    const x = newXid();
    const sport = 40000 + int(0, 9999);
    const query = T.get(`lq${q.i}.${pool}`, () => ({
      msgType: 14, xid: XID_MARK, options: [{ code: 1, hex: q.duid },
        { code: 44, value: { queryType: 1, linkAddress: '::' }, options: [{ code: 5, value: { address: addrText(`2001:db8:${pool}:1::`, CLIENT_MARK), preferredLifetime: 0, validLifetime: 0 } }] }],
    }));
    let n = Templates.put(query, scratch, 0, c, x);
    count('udp', 14);
    udp(q.mac, s.mac, q.addr, s.addr, sport, 547, scratch, n);
    yield now + us(0.5 + rnd() * 2);
    const reply = T.get(`lqr${q.i}.${s.i}.${pool}`, () => ({
      msgType: 15, xid: XID_MARK, options: [sid(s), { code: 1, hex: q.duid }, clientData(pool)],
    }));
    n = Templates.put(reply, scratch, 0, c, x);
    count('udp', 15);
    udp(s.mac, q.mac, s.addr, q.addr, 547, sport, scratch, n);
  }

  // ---- TCP bulk leasequery (RFC 5460 §5, §6)
  const busy = new Set();
  const MSS = 1220;
  const seg = new Uint8Array(MSS);
  /**
   * One connection: handshake, `queries` sequential queries each answered with REPLY, DATA*, DONE
   * (or an empty REPLY), packed into full segments that split messages, ACKs, then FIN both ways.
   * `plant`: {kind: 'done-after-empty' | 'wrong-xid' | 'client-link', query: k}.
   */
  function* bulkConnection(plan, plant) {
    scenarios.bulkConnections++;
    const q = REQUESTORS.find((x) => !busy.has(x.i));
    busy.add(q.i);
    const s = SERVERS[int(0, SERVERS.length - 1)];
    const cport = 30000 + int(0, 29999);
    let cseq = (rnd() * 0x100000000) >>> 0;
    let sseq = (rnd() * 0x100000000) >>> 0;
    const tcp = (fromClient, flags, payload, plen, mss) => {
      const [sm, dm, sa, da, sp, dp] = fromClient ? [q.mac, s.mac, q.addr, s.addr, cport, 547] : [s.mac, q.mac, s.addr, q.addr, 547, cport];
      const seq = fromClient ? cseq : sseq;
      const ack = fromClient ? sseq : cseq;
      return out.packet(now, sm, dm, sa, da, 6, (b, o) => {
        putU16(b, o, sp); putU16(b, o + 2, dp); putU32(b, o + 4, seq); putU32(b, o + 8, flags & 0x10 ? ack : 0);
        const hl = mss ? 24 : 20;
        b[o + 12] = (hl / 4) << 4; b[o + 13] = flags; putU16(b, o + 14, 65535); b[o + 18] = 0; b[o + 19] = 0;
        if (mss) { b[o + 20] = 2; b[o + 21] = 4; putU16(b, o + 22, mss); }
        if (plen) b.set(payload.subarray(0, plen), o + hl);
        return hl + plen;
      });
    };
    const SYN = 0x02; const ACK = 0x10; const PSH = 0x08; const FIN = 0x01;
    tcp(true, SYN, null, 0, MSS); cseq = (cseq + 1) >>> 0;
    yield now + us(0.1);
    tcp(false, SYN | ACK, null, 0, MSS); sseq = (sseq + 1) >>> 0;
    yield now + us(0.1);
    tcp(true, ACK, null, 0);
    const requestor = { code: 1, hex: q.duid };
    for (let k = 0; k < plan.length; k++) {
      yield now + us(0.5 + rnd() * 5);
      scenarios.bulkQueries++;
      const bindings = plan[k];
      const x = newXid();
      const byRelay = k % 2 === 0;
      const relay = RELAYS[k % RELAYS.length];
      const query = T.get(`bq${q.i}.${relay.i}.${byRelay}`, () => ({
        msgType: 14, xid: XID_MARK, options: [requestor, byRelay
          ? { code: 44, value: { queryType: 3, linkAddress: '::' }, options: [{ code: 53, hex: `000300010c00000000${relay.i.toString(16).padStart(2, '0')}` }] }
          : { code: 44, value: { queryType: 4, linkAddress: relay.link }, options: [] }],
      }));
      const ql = Templates.put(query, scratch, 2, 0, x);
      putU16(scratch, 0, ql);
      count('tcp', 14);
      tcp(true, ACK | PSH, scratch, ql + 2);
      cseq = (cseq + ql + 2) >>> 0;
      const myPlant = plant && plant.query === k ? plant : undefined;
      const empty = bindings === 0;
      // The server's answer as a sequence of framed messages, produced lazily into full segments.
      const total = empty ? (myPlant?.kind === 'done-after-empty' ? 2 : 1) : bindings + 1;
      const wrongAt = myPlant?.kind === 'wrong-xid' ? Math.max(1, Math.floor(bindings / 2)) : -1;
      const pool = relay.i;
      const base = int(0, 0x00ffffff);
      const msgFrames = [];
      let m = 0; let mOff = 0; let mLen = 0; const mBuf = new Uint8Array(512);
      const loadMessage = () => {
        let t; let xid = x; let type;
        if (m === 0) {
          type = 15;
          const link = myPlant?.kind === 'client-link';
          t = T.get(`brep${q.i}.${s.i}.${pool}.${empty}.${link}`, () => ({
            msgType: 15, xid: XID_MARK,
            options: [sid(s), requestor, ...(empty ? [] : [clientData(pool)]), ...(link ? [{ code: 48, hex: '20010db8000100000000000000000001' }] : [])],
          }));
        } else if (m === total - 1 && (!empty || myPlant?.kind === 'done-after-empty')) {
          type = 16;
          t = T.get('bdone', () => ({ msgType: 16, xid: XID_MARK, options: [] }));
        } else {
          type = 17;
          t = T.get(`bdata${pool}`, () => ({ msgType: 17, xid: XID_MARK, options: [clientData(pool)] }));
          if (m === wrongAt) xid = (x + 1) & 0xffffff;
          scenarios.bulkData++;
        }
        mLen = Templates.put(t, mBuf, 2, (base + m) >>> 0, xid) + 2;
        putU16(mBuf, 0, mLen - 2);
        mOff = 0;
        count('tcp', type);
        return type;
      };
      let type = loadMessage();
      let segs = 0;
      while (m < total) {
        yield now + us(0.02 + rnd() * 0.03);
        let fill = 0;
        const ends = [];
        while (fill < MSS && m < total) {
          const take = Math.min(MSS - fill, mLen - mOff);
          seg.set(mBuf.subarray(mOff, mOff + take), fill);
          fill += take; mOff += take;
          if (mOff === mLen) { ends.push(type); m++; if (m < total) type = loadMessage(); }
        }
        const f = tcp(false, ACK | PSH, seg, fill);
        sseq = (sseq + fill) >>> 0;
        for (const e of ends) msgFrames.push(f);
        if (++segs % 2 === 0) { yield now + us(0.05); tcp(true, ACK, null, 0); }
      }
      if (segs % 2 === 1) { yield now + us(0.05); tcp(true, ACK, null, 0); }
      if (myPlant) {
        if (myPlant.kind === 'done-after-empty') finding('BLQ-NO-DONE-AFTER-EMPTY', [msgFrames[0], msgFrames[1]]);
        if (myPlant.kind === 'wrong-xid') finding('BLQ-XID-DATA', [msgFrames[wrongAt]]);
        if (myPlant.kind === 'client-link') finding('BLQ-NO-CLIENT-LINK', [msgFrames[0]]);
      }
    }
    yield now + us(1);
    tcp(true, FIN | ACK, null, 0); cseq = (cseq + 1) >>> 0;
    yield now + us(0.1);
    tcp(false, FIN | ACK, null, 0); sseq = (sseq + 1) >>> 0;
    yield now + us(0.1);
    tcp(true, ACK, null, 0);
    busy.delete(q.i);
  }

  // ---- other traffic (DNS over UDP): counted as other frames
  const dns = new Uint8Array(48);
  function otherPacket() {
    scenarios.other++;
    for (let i = 0; i < dns.length; i++) dns[i] = (rnd() * 256) | 0;
    udp(RELAYS[0].mac, SERVERS[0].mac, RELAYS[0].addr, OTHER_A, 53000 + (scenarios.other % 1000), 53, dns, dns.length);
  }

  // ---- the spawner: picks scenarios by packet share until the budget is reserved
  const maxBindings = Math.max(20, Math.min(20000, Math.floor(N / 40)));
  const bulkPackets = (plan) => {
    let p = 8;
    for (const b of plan) { const segs = Math.ceil(((b + 1) * 70 + 64) / MSS) + 1; p += 2 + segs + Math.ceil(segs / 2); }
    return p;
  };
  const plants = [
    { at: 0.15, kind: 'bulk', plant: { kind: 'done-after-empty' } },
    { at: 0.3, kind: 'session', plant: { ruleId: 'V6-PREF-255-IMMEDIATE' } },
    { at: 0.45, kind: 'bulk', plant: { kind: 'wrong-xid' } },
    { at: 0.6, kind: 'bulk', plant: { kind: 'client-link' } },
  ];
  let reserved = 0;
  let bulkReserved = 0;
  const BULK_SHARE = 0.06;
  const start = (gen, packets) => {
    reserved += packets;
    let budget = packets;
    heap.push(now, (function* wrap() {
      for (;;) {
        const f0 = out.frames;
        const r = gen.next();
        const emitted = out.frames - f0;
        reserved -= emitted; budget -= emitted;
        if (r.done) break;
        yield r.value;
      }
      reserved -= budget;
    })());
  };
  function* spawner() {
    for (;;) {
      const used = out.frames + reserved;
      const remaining = N - 8 - used;
      const pending = plants.find((p) => !p.done && used >= p.at * N);
      if (remaining < 20 && !pending) return;
      const roll = rnd();
      let packets;
      // Bulk leasequery takes about BULK_SHARE of the packets (each of its packets carries ~20 messages).
      const wantBulk = pending ? pending.kind === 'bulk' : bulkReserved < BULK_SHARE * used && busy.size < 3;
      if (!wantBulk && (pending?.kind === 'session' || roll < 0.88)) {
        packets = 16;
        const pl = pending?.kind === 'session' ? pending.plant : undefined;
        if (pending) pending.done = true;
        start(session(pl), packets);
      } else if (!wantBulk && roll < 0.96) {
        packets = 2;
        start(udpLeasequery(), packets);
      } else if (!wantBulk) {
        packets = 1;
        otherPacket();
      } else {
        if (busy.size >= 3) { yield now + us(5); continue; }
        let plan = [];
        const nq = int(1, 4);
        for (let k = 0; k < nq; k++) plan.push(rnd() < 0.15 ? 0 : int(1, maxBindings));
        while (bulkPackets(plan) > Math.max(remaining, 200) && plan.some((b) => b > 8)) plan = plan.map((b) => b >> 1);
        let plant;
        if (pending?.kind === 'bulk') {
          const k = int(0, nq - 1);
          if (pending.plant.kind === 'done-after-empty') plan[k] = 0;
          else if (plan[k] < 4) plan[k] = 4;
          plant = { ...pending.plant, query: k };
          pending.done = true;
        }
        packets = bulkPackets(plan);
        bulkReserved += packets;
        start(bulkConnection(plan, plant), packets);
      }
      // Client traffic at ~3 300 packets/s (~600 UDP transactions/s, ~6 minutes per million packets),
      // bulk connections at line rate: time advances with the packets just planned.
      yield now + Math.max(1, Math.round(packets * (wantBulk ? 40 : 300) * (0.5 + rnd())));
    }
  }

  heap.push(now, spawner());
  while (heap.size > 0) {
    const top = heap.pop();
    if (top.t > now) now = top.t;
    const r = top.g.next();
    if (!r.done) heap.push(Math.max(r.value, now), top.g);
  }
  // Pad to exactly N frames with other traffic.
  while (out.frames < N) { now += 50; otherPacket(); }
  out.close();
  if (plants.some((p) => !p.done)) throw new Error(`capture too small to plant every violation (${N} packets)`);
  findings.sort((p, q) => p.frames[0] - q.frames[0] || p.ruleId.localeCompare(q.ruleId));
  let dhcpv6Messages = 0;
  for (const tr of ['udp', 'tcp']) for (const v of Object.values(counts[tr])) dhcpv6Messages += v;
  return { seed: options.seed ?? 5460, packets: out.frames, bytes: out.bytes, messages: counts, dhcpv6Messages, findings, scenarios };
}

async function main(argv) {
  const args = argv.slice(2);
  const seedAt = args.indexOf('--seed');
  const seed = seedAt >= 0 ? Number(args.splice(seedAt, 2)[1]) : 5460;
  const [packets, outPath] = args;
  if (!packets || !outPath) {
    process.stderr.write('usage: node bench/generate.mjs <packets> <out.pcap> [--seed N]\n');
    process.exit(2);
  }
  const { createCodec } = await import('../dist/dhcpv6/index.js');
  const t = Date.now();
  const result = generateCapture({ packets: Number(packets), out: outPath, seed }, { createCodec });
  writeFileSync(outPath.replace(/\.pcap$/, '') + '.expected.json', JSON.stringify(result, null, 2) + '\n');
  process.stderr.write(`wrote ${outPath}: ${result.packets} packets, ${(result.bytes / 1048576).toFixed(1)} MiB in ${((Date.now() - t) / 1000).toFixed(1)} s\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main(process.argv);
