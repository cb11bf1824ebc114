// Relayed exchanges (RFC 8415 §9, §19, §21.18): a client on one link, a real relay (isc-dhcp-relay's
// dhcrelay -6 or dibbler-relay), a real server on another link serving the client's; captured inside
// the relay on both links. Also two relays in a chain (dhcrelay below dibbler-relay).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lab, cleanStale, have, skipReason, sleep } from './harness.js';
import { CLIENTS, CLIENT_BIN, SERVERS, SERVER_BIN, dhcrelay, dibblerRelay, type ClientKind, type ServerKind } from './peers.js';
import { collectFirstRtFindings, findingLines, judge, listing, messages, solMaxRtFindings, T, transmissionFrames, type RelayLevel, type Seen, type Verdict } from './observe.js';

const skip = skipReason();
if (skip) console.warn(`interop/relay skipped: ${skip}`);

type RelayKind = 'dhcrelay' | 'dibbler';
const RELAY_BIN: Record<RelayKind, string> = { dhcrelay: 'dhcrelay', dibbler: 'dibbler-relay' };

/** The client's link: the relay's address there is the link-address of every Relay-forward. */
const CLIENT_LINK = '2001:db8:2::';
const POOL: [string, string] = [`${CLIENT_LINK}100`, `${CLIENT_LINK}1ff`];
const SERVER = '2001:db8:1::1';
/** The client's link-local address (fixed MAC 02:00:00:00:02:01): the peer-address of every level-0 relay header. */
const CLIENT_LL = 'fe80::ff:fe00:201';
/** dibbler-relay writes its configured interface-id as a 32-bit number. */
const DIBBLER_IFID = 5555;
const ifidHex = (n: number): string => n.toString(16).padStart(8, '0');
/** Options dibbler-relay can add besides Interface-ID: Remote-ID (37), Relay-ID (53), client link-layer address (79). */
const DIBBLER_OPTIONS = ['option remote-id 5-0x01020304', 'option relay-id 00:03:00:01:02:00:00:00:07:01', 'option link-layer'];

/** Whether an address is one of the pool's (the last group in 0x100-0x1ff). */
const inPool = (a: string): boolean => a.startsWith(CLIENT_LINK) && /^1[0-9a-f]{2}$/.test(a.slice(CLIENT_LINK.length));

interface RelayScenario {
  name: string;
  client: ClientKind;
  relay: RelayKind;
  server: ServerKind;
  /** dibbler-relay: global relay.conf lines. */
  global?: string[];
  /** Top-level option codes of every Relay-forward, and of every Relay-reply, in wire order. */
  fwdCodes: number[];
  replCodes: number[];
  /** The exact findings, built from what was seen. */
  expect: (seen: Seen[]) => Verdict[];
}

const none = (): Verdict[] => [];

const SCENARIOS: RelayScenario[] = [
  {
    name: 'dhclient through dhcrelay -6 -I -s to dhcpd: options added and echoed, no relay finding',
    client: 'dhclient', relay: 'dhcrelay', server: 'dhcpd',
    fwdCodes: [18, 38, 9], replCodes: [18, 9], expect: none,
  },
  {
    name: 'dhcp6c through dhcrelay -6 -I -s to dhcpd: options added and echoed, no relay finding',
    client: 'dhcp6c', relay: 'dhcrelay', server: 'dhcpd',
    fwdCodes: [18, 38, 9], replCodes: [18, 9], expect: none,
  },
  {
    // dnsmasq serves the remote link by the Relay-forward's link-address and copies every relay
    // option it was given into the Relay-reply (RFC 4649 §5 and RFC 8415 §9.2 allow that).
    name: 'dhcpcd through dhcrelay -6 -I -s to dnsmasq: Interface-ID and Subscriber-ID echoed, no relay finding',
    client: 'dhcpcd', relay: 'dhcrelay', server: 'dnsmasq',
    fwdCodes: [18, 38, 9], replCodes: [18, 38, 9], expect: none,
  },
  {
    name: 'dhclient through dibbler-relay (Interface-ID, Remote-ID, Relay-ID, link-layer) to kea: no relay finding',
    client: 'dhclient', relay: 'dibbler', server: 'kea', global: DIBBLER_OPTIONS,
    fwdCodes: [18, 9, 37, 53, 79], replCodes: [18, 9], expect: none,
  },
  {
    // dnsmasq echoes Remote-ID and Relay-ID but not the client link-layer address; dibbler-relay logs
    // the echoed ones as invalid in a Relay-reply and drops them, which is all it needs to do.
    name: 'dhcp6c through dibbler-relay (Interface-ID, Remote-ID, Relay-ID, link-layer) to dnsmasq: no relay finding',
    client: 'dhcp6c', relay: 'dibbler', server: 'dnsmasq', global: DIBBLER_OPTIONS,
    fwdCodes: [18, 9, 37, 53, 79], replCodes: [18, 9, 37, 53], expect: none,
  },
  {
    // A real fault of dibbler-relay 1.0.1: `option echo-request 37` adds, besides the Echo Request
    // option (43), one option of each requested code holding 4 filler octets (ff fe fd fc). For
    // Remote-ID that is an option-len of 4, below RFC 4649 §3's minimum of 5 (enterprise-number plus
    // at least one octet of remote-id): every Relay-forward carries a malformed option (DECODE-DHCPV6).
    // dhcpd echoes only the first, well-formed Remote-ID, so the Relay-replies are clean.
    name: 'dibbler-client through dibbler-relay with echo-request 37 to dhcpd: a malformed Remote-ID in every Relay-forward',
    client: 'dibbler', relay: 'dibbler', server: 'dhcpd', global: ['option remote-id 5-0x01020304', 'option echo-request 37'],
    fwdCodes: [18, 9, 37, 43, 37], replCodes: [18, 9, 37],
    expect: (seen) => seen.filter((m) => m.msgType === T.RELAY_FORW)
      .map((m) => ({ ruleId: 'DECODE-DHCPV6', verdict: 'violation', severity: 'warning', frames: [m.frame] })),
  },
];

const sorted = (v: Verdict[]): Verdict[] => [...v].sort((a, b) => (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : (a.frames[0] ?? 0) - (b.frames[0] ?? 0)));

describe.skipIf(!!skip)('relayed exchanges through real relays', () => {
  beforeAll(() => cleanStale());
  afterAll(() => cleanStale());

  for (const s of SCENARIOS) {
    it(s.name, async (ctx) => {
      const gone = [CLIENT_BIN[s.client], RELAY_BIN[s.relay], SERVER_BIN[s.server]].find((b) => !have(b));
      if (gone) ctx.skip(`${gone} is not installed`);
      const lab = new Lab('relay');
      try {
        const b0 = lab.addBridge('br0');
        const b1 = lab.addBridge('br1');
        lab.attach('c1', b0, { mac: '02:00:00:00:02:01' });
        lab.attach('rl', b0, { ifname: 'rc', addrs: [`${CLIENT_LINK}1/64`], mac: '02:00:00:00:07:01' });
        lab.attach('rl', b1, { ifname: 'rs', addrs: ['2001:db8:1::2/64'], mac: '02:00:00:00:07:02' });
        lab.attach('s1', b1, { addrs: [`${SERVER}/64`], mac: '02:00:00:00:01:01' });
        lab.exec('rl', ['sysctl', '-q', '-w', 'net.ipv6.conf.all.forwarding=1']);
        lab.exec('s1', ['ip', '-6', 'route', 'add', `${CLIENT_LINK}/64`, 'via', '2001:db8:1::2']);
        await lab.linkLocal('rl', 'rc');
        await lab.linkLocal('c1', 'c1');
        // Inside the relay, `-i any` sees both links once each: the client's and the server's.
        const cap = await lab.captureHost('rl');
        // dnsmasq's Preference is 0 or 255 (peers.ts); 255 makes dhcpcd's immediate Request correct.
        const server = SERVERS[s.server](lab, 's1', 's1', { addr: SERVER, subnet: `${CLIENT_LINK}/64`, pool: POOL, preference: s.server === 'dnsmasq' ? 255 : undefined });
        const at = { down: 'rc', up: 'rs', server: SERVER };
        const relay = s.relay === 'dhcrelay'
          ? dhcrelay(lab, 'rl', { ...at, subscriberId: 'sub-0042' })
          : dibblerRelay(lab, 'rl', { ...at, interfaceId: DIBBLER_IFID, global: s.global });
        await sleep(1500);
        for (const p of [server, relay]) if (!p.running) throw new Error(`${p.name} exited early:\n${p.log()}`);
        const c = CLIENTS[s.client](lab, 'c1', 'c1');
        await sleep(5000);
        await c.stop();
        await relay.stop();
        await server.stop();
        const capture = await cap.stop();
        const seen = await messages(capture);
        const { report, verdicts } = await judge(capture);
        const why = `\n${listing(seen)}\n${findingLines(report)}\n${relay.log().slice(-1500)}`;
        const fwd = seen.filter((m) => m.msgType === T.RELAY_FORW);
        const repl = seen.filter((m) => m.msgType === T.RELAY_REPL);
        // What the relay did: one level, hop-count 0, its address on the client's link as link-address,
        // the client as peer-address (RFC 8415 §19.1.1), Interface-ID and the configured options.
        expect(fwd.map((m) => m.inner).slice(0, 2), why).toEqual([T.SOLICIT, T.REQUEST]);
        const ifid = fwd[0].relays?.[0].interfaceId;
        expect(ifid, why).toBeDefined();
        if (s.relay === 'dibbler') expect(ifid, why).toBe(ifidHex(DIBBLER_IFID));
        for (const m of fwd) {
          expect(m.relays, why).toEqual([{ msgType: T.RELAY_FORW, hopCount: 0, linkAddress: `${CLIENT_LINK}1`, peerAddress: CLIENT_LL, interfaceId: ifid, codes: s.fwdCodes }]);
        }
        // What the server did: each Relay-reply copies the header (RFC 8415 §9.2) and the Interface-ID
        // (§18.3.10) of the Relay-forward, and the relay passed the answer down to the client.
        expect(repl.map((m) => m.inner).slice(0, 2), why).toEqual([T.ADVERTISE, T.REPLY]);
        for (const m of repl) {
          expect(m.relays, why).toEqual([{ msgType: T.RELAY_REPL, hopCount: 0, linkAddress: `${CLIENT_LINK}1`, peerAddress: CLIENT_LL, interfaceId: ifid, codes: s.replCodes }]);
        }
        const down = seen.filter((m) => m.msgType === T.REPLY && m.dst === CLIENT_LL && m.iaAddrs.length > 0);
        expect(down.length, why).toBeGreaterThan(0);
        expect(inPool(down[0].iaAddrs[0]), why).toBe(true);
        // Besides the scenario's own: the RFC 3315-era clients' Solicits and Requests lack SOL_MAX_RT, and a
        // client that requested before its first RT was over (dibbler-client, whole-second clock, when the
        // relay was slow) earns V6-PREF-COLLECT-FIRST-RT; both read from the capture (observe.ts).
        expect(verdicts, why).toEqual(sorted([...s.expect(seen), ...solMaxRtFindings(seen), ...collectFirstRtFindings(seen)]));
      } finally {
        await lab.close();
      }
    });
  }

  // Two relays: dhcrelay next to the client, dibbler-relay between it and dnsmasq. Captured inside
  // dibbler-relay, so the client's own link is not seen: RFC 8415 §19.1.2 (hop-count + 1) and the
  // Interface-ID echo at both levels (§18.3.10) are judged, the client's choice cannot be.
  it('dhclient through dhcrelay and then dibbler-relay to dnsmasq: hop-counts 0 and 1, both Interface-IDs echoed', async (ctx) => {
    const gone = ['dhclient', 'dhcrelay', 'dibbler-relay', 'dnsmasq'].find((b) => !have(b));
    if (gone) ctx.skip(`${gone} is not installed`);
    const lab = new Lab('relay2');
    const MID_LINK = '2001:db8:3::';
    try {
      const b0 = lab.addBridge('br0');
      const b1 = lab.addBridge('br1');
      const b2 = lab.addBridge('br2');
      lab.attach('c1', b0, { mac: '02:00:00:00:02:01' });
      lab.attach('r1', b0, { ifname: 'rc', addrs: [`${CLIENT_LINK}1/64`], mac: '02:00:00:00:07:01' });
      lab.attach('r1', b2, { ifname: 'ru', addrs: [`${MID_LINK}1/64`], mac: '02:00:00:00:07:02' });
      lab.attach('r2', b2, { ifname: 'rd', addrs: [`${MID_LINK}2/64`], mac: '02:00:00:00:08:01' });
      lab.attach('r2', b1, { ifname: 'rs', addrs: ['2001:db8:1::2/64'], mac: '02:00:00:00:08:02' });
      lab.attach('s1', b1, { addrs: [`${SERVER}/64`], mac: '02:00:00:00:01:01' });
      await lab.linkLocal('r1', 'ru');
      await lab.linkLocal('r2', 'rd');
      await lab.linkLocal('c1', 'c1');
      const cap = await lab.captureHost('r2');
      const server = SERVERS.dnsmasq(lab, 's1', 's1', { addr: SERVER, subnet: `${CLIENT_LINK}/64`, pool: POOL, preference: 255 });
      const upper = dibblerRelay(lab, 'r2', { down: 'rd', up: 'rs', server: SERVER, interfaceId: 7777, downUnicast: `${MID_LINK}2` });
      const lower = dhcrelay(lab, 'r1', { down: 'rc', up: 'ru', server: `${MID_LINK}2` });
      await sleep(1500);
      for (const p of [server, upper, lower]) if (!p.running) throw new Error(`${p.name} exited early:\n${p.log()}`);
      const c = CLIENTS.dhclient(lab, 'c1', 'c1');
      await sleep(5000);
      await c.stop();
      await lower.stop();
      await upper.stop();
      await server.stop();
      const capture = await cap.stop();
      const seen = await messages(capture);
      const { report, verdicts } = await judge(capture);
      const why = `\n${listing(seen)}\n${findingLines(report)}\n${upper.log().slice(-1500)}`;
      // dhcrelay's level (inner) as it arrives from below, and inside dibbler-relay's (outer) upwards.
      const ifid = seen.find((m) => m.msgType === T.RELAY_FORW)?.relays?.[0].interfaceId;
      expect(ifid, why).toBeDefined();
      const inner = (type: number) => ({ msgType: type, hopCount: 0, linkAddress: `${CLIENT_LINK}1`, peerAddress: CLIENT_LL, interfaceId: ifid });
      const outer = (type: number) => ({ msgType: type, hopCount: 1, linkAddress: `${MID_LINK}2`, peerAddress: `${MID_LINK}1`, interfaceId: ifidHex(7777) });
      const strip = (l: RelayLevel): Omit<RelayLevel, 'codes'> => ({ msgType: l.msgType, hopCount: l.hopCount, linkAddress: l.linkAddress, peerAddress: l.peerAddress, interfaceId: l.interfaceId });
      const fromBelow = seen.filter((m) => m.msgType === T.RELAY_FORW && m.relays?.length === 1);
      const toServer = seen.filter((m) => m.msgType === T.RELAY_FORW && m.relays?.length === 2);
      const fromServer = seen.filter((m) => m.msgType === T.RELAY_REPL && m.relays?.length === 2);
      const toBelow = seen.filter((m) => m.msgType === T.RELAY_REPL && m.relays?.length === 1);
      expect(fromBelow.map((m) => m.inner).slice(0, 2), why).toEqual([T.SOLICIT, T.REQUEST]);
      expect(toServer.map((m) => m.inner), why).toEqual(fromBelow.map((m) => m.inner));
      expect(fromServer.map((m) => m.inner).slice(0, 2), why).toEqual([T.ADVERTISE, T.REPLY]);
      expect(toBelow.map((m) => m.inner), why).toEqual(fromServer.map((m) => m.inner));
      for (const m of fromBelow) expect(m.relays?.map(strip), why).toEqual([inner(T.RELAY_FORW)]);
      for (const m of toServer) expect(m.relays?.map(strip), why).toEqual([outer(T.RELAY_FORW), inner(T.RELAY_FORW)]);
      for (const m of fromServer) expect(m.relays?.map(strip), why).toEqual([outer(T.RELAY_REPL), inner(T.RELAY_REPL)]);
      for (const m of toBelow) expect(m.relays?.map(strip), why).toEqual([inner(T.RELAY_REPL)]);
      expect(fromServer.some((m) => m.inner === T.REPLY && m.iaAddrs.some(inPool)), why).toBe(true);
      // The scenario's finding: dnsmasq's pref-255 Advertise is seen upstream of the client's link only, so
      // whether dhclient's Request came at once cannot be judged (V6-PREF-255-IMMEDIATE's RELAY trap). Its
      // evidence is the first Solicit, the Advertise and the first Request, each with its copy at the other
      // side of dibbler-relay when that relay passed it on within the copy window (on a loaded machine it
      // may not: then that copy is a transmission of its own, not part of the finding).
      const solicitXid = fromBelow[0].innerXid;
      const requestXid = fromBelow.find((m) => m.inner === T.REQUEST)?.innerXid;
      const evidence = [
        ...transmissionFrames(seen, (m) => m.inner === T.SOLICIT && m.innerXid === solicitXid),
        ...transmissionFrames(seen, (m) => m.inner === T.ADVERTISE && m.innerXid === solicitXid),
        ...transmissionFrames(seen, (m) => m.inner === T.REQUEST && m.msgType === T.RELAY_FORW && m.innerXid === requestXid),
      ].sort((a, b) => a - b);
      // Besides, dhclient's Solicit and Request lack SOL_MAX_RT in their ORO (observe.ts, solMaxRtFindings).
      expect(verdicts, why).toEqual(sorted([
        { ruleId: 'V6-PREF-255-IMMEDIATE', verdict: 'inconclusive', severity: 'error', frames: evidence },
        ...solMaxRtFindings(seen),
      ]));
    } finally {
      await lab.close();
    }
  });
});
