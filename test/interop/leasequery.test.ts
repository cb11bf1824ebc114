// RFC 5007 Leasequery over UDP to a real dhcpd -6 (`allow leasequery;`): by address, by client-id,
// bulk-only query types over UDP (RFC 5460 §4), no Client-ID, right and wrong Server-ID.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Lab, cleanStale, have, skipReason, sleep } from './harness.js';
import { dhcpd, dhclient, PREFIX } from './peers.js';
import { judge, listing, messages, solMaxRtFindings, sortedVerdicts, T } from './observe.js';

const skip = skipReason() ?? (have('dhcpd') && have('dhclient') ? undefined : 'isc-dhcp-server / isc-dhcp-client not installed');
if (skip) console.warn(`interop/leasequery skipped: ${skip}`);

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SENDER = fileURLToPath(new URL('./lq-send.mjs', import.meta.url));
const REQUESTOR_DUID = '0003000102000000aa01';

/** IPv6 text → 16 octets in hex. */
function hex16(a: string): string {
  const [head, tail = ''] = a.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = a.includes('::') ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h;
  return groups.map((g) => g.padStart(4, '0')).join('');
}

const query = (xid: number, type: number, sub: object[], extra: object[] = [], withClientId = true, link = '::') => ({
  msgType: T.LEASEQUERY, xid,
  options: [...(withClientId ? [{ code: 1, hex: REQUESTOR_DUID }] : []), ...extra, { code: 44, value: { queryType: type, linkAddress: link }, options: sub }],
});

describe.skipIf(!!skip)('UDP leasequery to dhcpd -6', () => {
  beforeAll(() => {
    cleanStale();
    spawnSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: ROOT, encoding: 'utf8' });
  });
  afterAll(() => cleanStale());

  it('answers by address with the binding, refuses bulk-only types over UDP with the wrong status, drops queries without Client-ID or with a Server-ID', async () => {
    const lab = new Lab('lq');
    try {
      const br = lab.addBridge();
      lab.attach('srv', br, { addrs: [`${PREFIX}1/64`], mac: '02:00:00:00:01:01' });
      lab.attach('c1', br, { mac: '02:00:00:00:02:01' });
      lab.attach('rq', br, { addrs: [`${PREFIX}9/64`], mac: '02:00:00:00:06:01' });
      const cap = await lab.capture(br);
      const server = dhcpd(lab, 'srv', 'srv', { addr: `${PREFIX}1`, pool: [`${PREFIX}1:0`, `${PREFIX}1:ff`], leasequery: true });
      await sleep(1500);
      const client = dhclient(lab, 'c1', 'c1');
      let lease: { addr: string; clientId: string; serverId: string } | undefined;
      for (let i = 0; i < 40 && !lease; i++) {
        await sleep(250);
        const r = (await messages(cap.path)).find((m) => m.msgType === T.REPLY && m.iaAddrs.length > 0);
        if (r) lease = { addr: r.iaAddrs[0], clientId: r.clientId!, serverId: r.serverId! };
      }
      expect(lease, client.log()).toBeDefined();
      const iaaddr = { code: 5, hex: `${hex16(lease!.addr)}0000000000000000` };
      const plan = {
        dist: `${ROOT}dist`, server: `${PREFIX}1`,
        messages: [
          query(1, 1, [iaaddr]), // by address: the binding
          query(2, 2, [{ code: 1, hex: lease!.clientId }]), // by client-id
          query(3, 3, [{ code: 53, hex: REQUESTOR_DUID }]), // QUERY_BY_RELAY_ID: bulk only
          query(4, 4, [], [], true, `${PREFIX}`), // QUERY_BY_LINK_ADDRESS: bulk only
          query(5, 1, [iaaddr], [], false), // no Client-ID: to be discarded
          query(6, 1, [iaaddr], [{ code: 2, hex: '00030001020000000bad' }]), // another server's ID: discarded
          query(7, 1, [iaaddr], [{ code: 2, hex: lease!.serverId }]), // this server's own ID
        ],
      };
      const rq = lab.spawn('rq', 'requestor', process.execPath, [SENDER, lab.file('lq.json', JSON.stringify(plan))]);
      await Promise.race([rq.exited, sleep(20_000)]);
      await client.stop();
      await server.stop();
      const capture = await cap.stop();
      const seen = (await messages(capture)).filter((m) => m.msgType === T.LEASEQUERY || m.msgType === T.LEASEQUERY_REPLY);
      const why = `\n${listing(seen)}\n${rq.log()}`;
      const q = (xid: number) => seen.find((m) => m.msgType === T.LEASEQUERY && m.xid === xid)!.frame;
      const a = (xid: number) => seen.filter((m) => m.msgType === T.LEASEQUERY_REPLY && m.xid === xid);
      // What dhcpd did, read from the capture:
      expect(a(1).map((m) => [m.status, m.codes.includes(45)]), why).toEqual([[undefined, true]]); // OPTION_CLIENT_DATA
      expect(a(2).map((m) => m.status), why).toEqual([7]); // UnknownQueryType: by client-id not implemented
      expect(a(3).map((m) => m.status), why).toEqual([7]); // UnknownQueryType, not NotAllowed
      expect(a(4).map((m) => m.status), why).toEqual([8]); // MalformedQuery, not NotAllowed
      expect(a(5), why).toEqual([]);
      expect(a(6), why).toEqual([]);
      // dhcpd 4.4.3 drops a leasequery that names it in a Server-ID as well (RFC 5007 §4.2.1 would answer it).
      expect(a(7), `${why}\n${server.log().split('\n').filter((l) => /ease|query/i.test(l)).join('\n')}`).toEqual([]);
      const { verdicts } = await judge(capture);
      expect(verdicts, why).toEqual(sortedVerdicts([
        // Our requestor leaves out its Client-ID on purpose (RFC 5007 §4.3.1)…
        { ruleId: 'LQ-REQ-CONTENTS', verdict: 'violation', severity: 'error', frames: [q(5)] },
        // …and dhclient, whose lease is asked about, does not request SOL_MAX_RT (observe.ts, solMaxRtFindings)…
        ...solMaxRtFindings(await messages(capture)),
        // …it sends bulk-only types over UDP on purpose (RFC 5460 §4, requestor side)…
        { ruleId: 'BLQ-QT-NOT-OVER-UDP-REQUESTOR', verdict: 'violation', severity: 'error', frames: [q(3)] },
        { ruleId: 'BLQ-QT-NOT-OVER-UDP-REQUESTOR', verdict: 'violation', severity: 'error', frames: [q(4)] },
        // …and dhcpd, which does not serve bulk leasequery, answers them with 7 / 8 instead of NotAllowed (graded INFO).
        { ruleId: 'BLQ-QT-NOT-OVER-UDP-SERVER', verdict: 'violation', severity: 'info', frames: [q(3), a(3)[0].frame] },
        { ruleId: 'BLQ-QT-NOT-OVER-UDP-SERVER', verdict: 'violation', severity: 'info', frames: [q(4), a(4)[0].frame] },
      ]));
    } finally {
      await lab.close();
    }
  });
});
