// The decoder checked against tshark, the oracle (DESIGN.md "Fixtures and real peers"): every capture in
// ../shared/captures and every fixture capture is decoded by both, and each DHCPv6 message is compared
// field by field — message type, xid, option codes in order and nesting, and the values of preference,
// status code, query type, link address, CLT_TIME, IAADDR/IAPREFIX, DUID bytes and relay header fields.
// Allowed differences are named (ALLOWED below); each is counted and printed with the agreement figure.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decode } from '../../src/index.js';
import { parseIpv6, toHex } from '../../src/net/address.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const shared = join(root, '..', 'shared', 'captures');

/** The differences DESIGN.md allows, by name. */
const ALLOWED = {
  /** tshark splits the 24-bit bulk xid into reserved(8) + trans_id(16): we recombine before comparing. */
  bulkXidSplit: 'tshark bulk xid shown as reserved×65536 + trans_id',
  /** tshark calls an option-less LEASEQUERY-DONE malformed; it is the normal form (RFC 5460 §5.2.2). */
  emptyDoneMalformed: 'tshark marks an empty LEASEQUERY-DONE malformed',
  /** tshark shows the relay message inside OPTION_LQ_RELAY_DATA as a string, so its inside is not compared. */
  relayDataString: 'tshark does not decode the message inside OPTION_LQ_RELAY_DATA',
  /** Our decoder marked the message undecodable (an anomaly): only its header is compared. */
  undecodable: 'message we mark undecodable: only type and xid compared',
  /** A frame both decoders call malformed, where neither yields a usable message. */
  bothMalformed: 'frame both call malformed',
  /** A duplicate frame from a second capture point (DESIGN.md "Duplicates"): decoded once, at the original. */
  duplicate: 'duplicate frame compared with its original',
  /** After a TCP gap we resynchronize the RFC 5460 framing; tshark stops decoding that stream. */
  afterGap: 'message after a TCP gap that tshark does not resynchronize to',
  /** After a corrupt record our reader resynchronizes (issue 2); tshark stops reading the file there. */
  afterCaptureResync: 'frame after a capture corruption that tshark stops at',
} as const;

type Json = Record<string, unknown>;

interface OurOption { code: number; value?: Json; options?: OurOption[]; message?: OurMessage; hex?: string }
interface OurMessage { msgType: number; xid?: number; hopCount?: number; linkAddress?: string; peerAddress?: string; options: OurOption[]; anomalies?: unknown[] }

interface Tally {
  fields: number;
  agreed: number;
  messages: number;
  allowed: Record<keyof typeof ALLOWED, number>;
  mismatches: string[];
}

const asList = (v: unknown): Json[] => (v === undefined ? [] : Array.isArray(v) ? (v as Json[]) : [v as Json]);
const num = (v: unknown): number | undefined => (v === undefined ? undefined : Number(String(v).startsWith('0x') ? parseInt(String(v), 16) : v));
const addr = (v: unknown): string | undefined => {
  if (v === undefined) return undefined;
  const b = parseIpv6(String(v));
  return b ? toHex(b) : String(v);
};
const hexOf = (v: unknown): string | undefined => (v === undefined ? undefined : String(v).replace(/:/g, '').toLowerCase());

/** The top-level DHCPv6 messages tshark shows for one packet (not those quoted inside ICMPv6 errors). */
function tsharkMessages(layers: Json): Json[] {
  // UDP messages are layer `dhcpv6`; RFC 5460 PDUs are layer `dhcpv6.bulk_leasequery` (a list when a
  // frame completes several). A packet quoted in an ICMPv6 error or Redirect is not a transmission.
  if ('icmpv6' in layers) return [];
  return [...asList(layers.dhcpv6), ...asList(layers['dhcpv6.bulk_leasequery'])];
}

function tsharkOptions(node: Json): Json[] {
  const holder = (node['DHCPv6 Options'] as Json | undefined) ?? node; // bulk PDUs nest their options once more
  return asList(holder['dhcpv6.option.type_str_tree']).filter((o) => typeof o === 'object' && o !== null && 'dhcpv6.option.type' in o);
}

function compareMessage(where: string, ours: OurMessage, theirs: Json, t: Tally): void {
  const check = (what: string, a: unknown, b: unknown): void => {
    if (b === undefined) return; // tshark did not show this field: nothing to compare
    t.fields++;
    if (a === b) t.agreed++;
    else t.mismatches.push(`${where}: ${what}: ours ${JSON.stringify(a)} tshark ${JSON.stringify(b)}`);
  };
  t.messages++;
  const bulkType = num(theirs['dhcpv6.bulk_leasequery.msgtype']);
  check('msgType', ours.msgType, num(theirs['dhcpv6.msgtype']) ?? bulkType);
  if (bulkType !== undefined) {
    const reserved = num(theirs['dhcpv6.bulk_leasequery.reserved']);
    const id = num(theirs['dhcpv6.bulk_leasequery.trans_id']);
    if (reserved !== undefined && id !== undefined) {
      t.allowed.bulkXidSplit++;
      check('xid', ours.xid, reserved * 65536 + id);
    }
  } else {
    check('xid', ours.xid, num(theirs['dhcpv6.xid']));
  }
  check('hopCount', ours.hopCount, num(theirs['dhcpv6.hopcount']));
  check('linkAddress', addr(ours.linkAddress), addr(theirs['dhcpv6.linkaddr']));
  check('peerAddress', addr(ours.peerAddress), addr(theirs['dhcpv6.peeraddr']));
  if (ours.anomalies && ours.anomalies.length > 0) {
    t.allowed.undecodable++;
    return;
  }
  compareOptions(where, ours.options, tsharkOptions(theirs), t, check);
}

function compareOptions(
  where: string, ours: OurOption[], theirs: Json[], t: Tally, check: (what: string, a: unknown, b: unknown) => void,
): void {
  check('option codes', ours.map((o) => o.code).join(','), theirs.map((o) => num(o['dhcpv6.option.type'])).join(','));
  const n = Math.min(ours.length, theirs.length);
  for (let i = 0; i < n; i++) {
    const o = ours[i];
    const w = theirs[i];
    const v = o.value ?? {};
    const at = `${where} option ${o.code}#${i}`;
    switch (o.code) {
      case 1: case 2: case 53: check(`${at} duid`, v.hex, hexOf(w['dhcpv6.duid.bytes'])); break;
      case 7: check(`${at} preference`, v.preference, num(w['dhcpv6.option_preference'])); break;
      case 13: check(`${at} status`, v.statusCode, num(w['dhcpv6.status_code'])); break;
      case 44:
        check(`${at} query type`, v.queryType, num(w['dhcpv6.lq_query']));
        check(`${at} link address`, addr(v.linkAddress), addr(w['dhcpv6.lq_query_link_address']));
        break;
      case 46: check(`${at} clt time`, v.cltTime, num(w['dhcpv6.clt_time'])); break;
      case 47:
        check(`${at} peer address`, addr(v.peerAddress), addr(w['dhcpv6.lq_relay_data_peer_addr']));
        t.allowed.relayDataString++;
        continue; // tshark shows the relay message as a string
      case 5:
        check(`${at} iaaddr`, addr(v.address), addr(w['dhcpv6.iaaddr.ip']));
        check(`${at} iaaddr preferred`, v.preferredLifetime, num(w['dhcpv6.iaaddr.pref_lifetime']));
        check(`${at} iaaddr valid`, v.validLifetime, num(w['dhcpv6.iaaddr.valid_lifetime']));
        break;
      case 26:
        check(`${at} iaprefix`, addr(v.prefix), addr(w['dhcpv6.iaprefix.pref_addr']));
        check(`${at} iaprefix length`, v.prefixLength, num(w['dhcpv6.iaprefix.pref_len']));
        check(`${at} iaprefix preferred`, v.preferredLifetime, num(w['dhcpv6.iaprefix.pref_lifetime']));
        check(`${at} iaprefix valid`, v.validLifetime, num(w['dhcpv6.iaprefix.valid_lifetime']));
        break;
      default: break;
    }
    if (o.code === 9 && o.message && w.dhcpv6) {
      compareMessage(`${at} relayed`, o.message, asList(w.dhcpv6)[0], t);
      t.messages--; // the inner message is part of the outer one
    } else if (tsharkOptions(w).length > 0) {
      compareOptions(at, o.options ?? [], tsharkOptions(w), t, check);
    }
  }
}

function captures(): Array<{ file: string; bulkPorts: number[] }> {
  const list: Array<{ file: string; bulkPorts: number[] }> = [];
  for (const name of readdirSync(shared).sort()) {
    if (/\.pcap(ng)?$/.test(name)) list.push({ file: join(shared, name), bulkPorts: [] });
  }
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) { walk(p); continue; }
      if (!/\.pcap(ng)?(\.gz)?$/.test(name) || name.endsWith('.gz')) continue;
      const expectPath = join(dir, `${name.replace(/\.pcap(ng)?$/, '')}.findings.json`);
      const options = existsSync(expectPath)
        ? (JSON.parse(readFileSync(expectPath, 'utf8')) as { options?: { profile?: string; bulkPorts?: number[] } }).options
        : undefined;
      if (options?.profile === 'draft-01') continue; // allowed: tshark does not know draft-01 code points
      list.push({ file: p, bulkPorts: options?.bulkPorts ?? [] });
    }
  };
  walk(join(root, 'fixtures'));
  return list;
}

const all = captures();
const total: Tally & { gaps: number } = {
  fields: 0, agreed: 0, messages: 0, mismatches: [],
  gaps: 0,
  allowed: { bulkXidSplit: 0, emptyDoneMalformed: 0, relayDataString: 0, undecodable: 0, bothMalformed: 0, duplicate: 0, afterGap: 0, afterCaptureResync: 0 },
};

describe('decoder agrees with tshark field by field', () => {
  for (const { file, bulkPorts } of all) {
    it(relative(join(root, '..'), file), async () => {
      // tshark exits non-zero on a cut-short capture but still prints every packet it read.
      const decodeAs = bulkPorts.flatMap((port) => ['-d', `tcp.port==${port},dhcpv6.bulk_leasequery`]);
      const run = spawnSync('tshark', [
        '-r', file, '-T', 'json', '--no-duplicate-keys', '-o', 'tcp.reassemble_out_of_order:TRUE', ...decodeAs,
      ], { maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe'] });
      expect(run.error).toBeUndefined();
      const packets = JSON.parse(run.stdout.toString('utf8') || '[]') as Array<{ _source: { layers: Json } }>;
      const theirs = new Map<number, { messages: Json[]; malformed: boolean }>();
      /** Frames tshark marks "previous segment not captured" or "ACKed unseen segment" on a connection we follow. */
      const tsharkLoss = new Set<number>();
      const ports = new Set([547, ...bulkPorts]);
      // tshark never runs its "previous segment not captured" analysis on an RST, so an RST whose
      // sequence number lies beyond tshark's own next sequence number for that side counts too.
      const nextSeq = new Map<string, number>();
      for (const p of packets) {
        const layers = p._source.layers;
        const frame = num((layers.frame as Json)['frame.number'])!;
        const tcp = layers.tcp as Json | undefined;
        const analysis = tcp?.['tcp.analysis'] as Json | undefined;
        const flags = analysis ? JSON.stringify(analysis) : '';
        const bulk = tcp !== undefined && (ports.has(num(tcp['tcp.srcport'])!) || ports.has(num(tcp['tcp.dstport'])!));
        if ((flags.includes('"tcp.analysis.lost_segment"') || flags.includes('"tcp.analysis.ack_lost_segment"')) && bulk) tsharkLoss.add(frame);
        if (bulk) {
          const side = `${String(tcp['tcp.stream'])}|${String(tcp['tcp.srcport'])}`;
          const seq = num(tcp['tcp.seq'])!;
          const reset = (num(tcp['tcp.flags']) ?? 0) & 0x04;
          const seen = nextSeq.get(side);
          if (reset && seen !== undefined && seq > seen) tsharkLoss.add(frame);
          if (!reset) nextSeq.set(side, Math.max(seen ?? 0, num(tcp['tcp.nxtseq'] ?? tcp['tcp.seq'])!));
        }
        const messages = tsharkMessages(layers);
        const malformed = '_ws.malformed' in layers || '_ws.short' in layers || JSON.stringify(layers).includes('"_ws.malformed"');
        if (messages.length) theirs.set(frame, { messages, malformed });
      }
      const ours = new Map<number, OurMessage[]>();
      const connectionOf = new Map<number, string>();
      const duplicates = new Map<number, number>();
      const anomalyFrames = new Set<number>();
      const gapFrame = new Map<string, number>();
      const gapEvidence: number[][] = [];
      let captureResyncFrame = Infinity;
      const { inputs } = await decode([file], (record, codec) => {
        const list = ours.get(record.frame) ?? [];
        list.push(codec.toJson(record.message) as unknown as OurMessage);
        ours.set(record.frame, list);
        if (record.connection) connectionOf.set(record.frame, record.connection.label);
      }, {
        onDuplicate: (_i, frame, original) => duplicates.set(frame, original),
        onAnomaly: (_i, a) => {
          for (const f of a.frames) anomalyFrames.add(f);
          if (a.layer === 'capture' && a.frames.length) captureResyncFrame = Math.min(captureResyncFrame, ...a.frames);
          if (a.name === 'tcp.gap' && a.connection && !gapFrame.has(a.connection)) gapFrame.set(a.connection, Math.min(...a.frames));
          if (a.name === 'tcp.gap') gapEvidence.push(a.frames);
        },
      });
      expect(inputs[0].error).toBeUndefined();
      const t: Tally = { fields: 0, agreed: 0, messages: 0, mismatches: [], allowed: { ...total.allowed } };
      for (const k of Object.keys(t.allowed) as Array<keyof typeof ALLOWED>) t.allowed[k] = 0;
      const frames = new Set([...theirs.keys(), ...ours.keys()]);
      for (const frame of [...frames].sort((a, b) => a - b)) {
        const original = duplicates.get(frame);
        if (original !== undefined && theirs.has(frame)) t.allowed.duplicate++;
        const mine = ours.get(original ?? frame) ?? [];
        const their = theirs.get(frame);
        if (!their) {
          const conn = connectionOf.get(frame);
          const gap = conn !== undefined ? gapFrame.get(conn) : undefined;
          if (gap !== undefined && gap <= frame) { t.allowed.afterGap += mine.length; continue; }
          if (frame >= captureResyncFrame && frame > packets.length) { t.allowed.afterCaptureResync++; continue; }
          t.mismatches.push(`frame ${frame}: we decode ${mine.length} message(s), tshark none`);
          continue;
        }
        if (mine.length === 0) {
          if (their.malformed && anomalyFrames.has(frame)) { t.allowed.bothMalformed++; continue; }
          t.mismatches.push(`frame ${frame}: tshark decodes ${their.messages.length} message(s), we none`);
          continue;
        }
        if (mine.length !== their.messages.length) {
          t.mismatches.push(`frame ${frame}: ${mine.length} message(s) here, ${their.messages.length} in tshark`);
        }
        for (let i = 0; i < Math.min(mine.length, their.messages.length); i++) {
          const m = mine[i];
          if (their.malformed && m.msgType === 16 && m.options.length === 0) t.allowed.emptyDoneMalformed++;
          compareMessage(`frame ${frame} message ${i}`, m, their.messages[i], t);
        }
      }
      total.fields += t.fields; total.agreed += t.agreed; total.messages += t.messages;
      for (const k of Object.keys(t.allowed) as Array<keyof typeof ALLOWED>) total.allowed[k] += t.allowed[k];
      total.mismatches.push(...t.mismatches.map((m) => `${basename(file)}: ${m}`));
      expect(t.mismatches).toEqual([]);
      expect(t.fields + t.allowed.bothMalformed).toBeGreaterThan(0);
      // Each gap we report names a frame where tshark also sees the loss: the segment after the hole
      // ("previous segment not captured") or the ACK of octets never seen ("ACKed unseen segment").
      expect(gapEvidence.filter((frames) => !frames.some((f) => tsharkLoss.has(f))), 'TCP gaps tshark sees nowhere in their evidence').toEqual([]);
      total.gaps += gapEvidence.length;
    });
  }

  it('reports the agreement', () => {
    const pct = total.fields ? ((100 * total.agreed) / total.fields).toFixed(2) : '0';
    const allowed = (Object.keys(ALLOWED) as Array<keyof typeof ALLOWED>)
      .filter((k) => total.allowed[k] > 0).map((k) => `${ALLOWED[k]}: ${total.allowed[k]}`).join('; ');
    console.log(`tshark agreement: ${total.agreed}/${total.fields} fields (${pct}%) over ${total.messages} messages in ` +
      `${all.length} captures${allowed ? `; allowed differences — ${allowed}` : ''}`);
    console.log(`TCP gaps whose evidence names a frame where tshark sees the loss too: ${total.gaps}`);
    expect(total.agreed).toBe(total.fields);
    expect(total.gaps).toBeGreaterThan(5);
    expect(total.messages).toBeGreaterThan(10000);
  });
});
