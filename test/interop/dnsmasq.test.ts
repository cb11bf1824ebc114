// dnsmasq as the DHCPv6 server of a shared link (RFC 8415 §18.3): four different real clients solicit
// at once and each binds its own address from dnsmasq's range. Relayed service is in relay.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lab, cleanStale, have, skipReason } from './harness.js';
import { CLIENT_BIN, PREFIX, type ClientKind } from './peers.js';
import { runSelection } from './scenario.js';
import { T, findingLines, listing, solMaxRtFindings, sortedVerdicts } from './observe.js';

const skip = skipReason() ?? (have('dnsmasq') ? undefined : 'dnsmasq (dnsmasq-base) is not installed');
if (skip) console.warn(`interop/dnsmasq skipped: ${skip}`);

const CLIENTS: ClientKind[] = ['dhclient', 'dhcpcd', 'dhcp6c', 'dibbler'];
/** The range runSelection gives server 1: PREFIX + 1:0 to 1:ff. */
const inRange = (a: string): boolean => a.startsWith(`${PREFIX}1:`) && /^[0-9a-f]{1,2}$/.test(a.slice(PREFIX.length + 2));

describe.skipIf(!!skip)('dnsmasq serving a shared link', () => {
  beforeAll(() => cleanStale());
  afterAll(() => cleanStale());

  it('four clients (dhclient, dhcpcd, dhcp6c, dibbler-client) each bind their own address at dnsmasq; the only findings: the RFC 3315-era clients request no SOL_MAX_RT', async (ctx) => {
    const gone = CLIENTS.map((c) => CLIENT_BIN[c]).find((b) => !have(b));
    if (gone) ctx.skip(`${gone} is not installed`);
    const lab = new Lab('dnsmasq');
    try {
      // --dhcp-authoritative: dnsmasq's Advertises carry Preference 255 (peers.ts), so every client,
      // dhcpcd included, may request at once (RFC 8415 §18.2.1).
      const r = await runSelection(lab, [{ kind: 'dnsmasq', pref: 255 }], CLIENTS, { runMs: 6000 });
      const why = `\n${listing(r.seen)}\n${findingLines(r.report)}`;
      const server = r.serverAddr(0);
      const bound: string[] = [];
      for (let i = 0; i < CLIENTS.length; i++) {
        const me = r.clientAddr(i);
        const who = `client ${CLIENTS[i]}${why}`;
        const solicit = r.seen.find((m) => m.src === me && m.msgType === T.SOLICIT);
        expect(solicit, who).toBeDefined();
        // Solicit → Advertise (same xid, Preference 255, an address from the range) → Request → Reply.
        const adv = r.seen.find((m) => m.src === server && m.dst === me && m.msgType === T.ADVERTISE);
        expect(adv?.xid, who).toBe(solicit?.xid);
        expect(adv?.preference, who).toBe(255);
        expect(adv?.iaAddrs.length, who).toBe(1);
        expect(inRange(adv!.iaAddrs[0]), who).toBe(true);
        const req = r.seen.find((m) => m.src === me && m.msgType === T.REQUEST);
        expect(req?.serverId, who).toBe(adv?.serverId);
        const reply = r.seen.find((m) => m.src === server && m.dst === me && m.msgType === T.REPLY && m.xid === req?.xid);
        expect(reply?.iaAddrs, who).toEqual(adv?.iaAddrs);
        expect(reply?.status, who).toBe(0);
        bound.push(reply!.iaAddrs[0]);
      }
      expect(new Set(bound).size, why).toBe(CLIENTS.length);
      // Unlike dhcpd, kea (always-send) and dibbler-server, dnsmasq keeps Preference out of its Replies.
      expect(r.seen.filter((m) => m.msgType === T.REPLY && m.preference !== undefined), why).toEqual([]);
      // Only what the RFC 3315-era clients (dhclient, dhcp6c, dibbler-client) earn: no SOL_MAX_RT in their
      // Solicits' and Requests' ORO (observe.ts, solMaxRtFindings); dhcpcd earns nothing.
      expect(r.verdicts, why).toEqual(sortedVerdicts(solMaxRtFindings(r.seen)));
    } finally {
      await lab.close();
    }
  });
});
