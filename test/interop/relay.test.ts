// Relayed exchanges through isc-dhcp-relay (dhcrelay -6 with Interface-ID and Subscriber-ID) to
// dhcpd -6 serving the remote link, captured inside the relay on both its links (RFC 8415 §19-20).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lab, cleanStale, have, skipReason, sleep } from './harness.js';
import { CLIENTS, CLIENT_BIN, dhcpd, type ClientKind } from './peers.js';
import { judge, listing, messages, T } from './observe.js';

const skip = skipReason() ?? (have('dhcrelay') && have('dhcpd') ? undefined : 'isc-dhcp-relay / isc-dhcp-server not installed');
if (skip) console.warn(`interop/relay skipped: ${skip}`);

describe.skipIf(!!skip)('relayed exchanges through dhcrelay -6', () => {
  beforeAll(() => cleanStale());
  afterAll(() => cleanStale());

  for (const client of ['dhclient', 'dhcp6c'] as ClientKind[]) {
    it(`${client} through dhcrelay -6 -I -s: options added and echoed, no finding`, async (ctx) => {
      if (!have(CLIENT_BIN[client])) ctx.skip(`${CLIENT_BIN[client]} is not installed`);
      const lab = new Lab('relay');
      try {
        const b0 = lab.addBridge('br0');
        const b1 = lab.addBridge('br1');
        lab.attach('c1', b0, { mac: '02:00:00:00:02:01' });
        lab.attach('rl', b0, { ifname: 'rc', addrs: ['2001:db8:2::1/64'], mac: '02:00:00:00:07:01' });
        lab.attach('rl', b1, { ifname: 'rs', addrs: ['2001:db8:1::2/64'], mac: '02:00:00:00:07:02' });
        lab.attach('s1', b1, { addrs: ['2001:db8:1::1/64'], mac: '02:00:00:00:01:01' });
        lab.exec('rl', ['sysctl', '-q', '-w', 'net.ipv6.conf.all.forwarding=1']);
        lab.exec('s1', ['ip', '-6', 'route', 'add', '2001:db8:2::/64', 'via', '2001:db8:1::2']);
        // Inside the relay, `-i any` sees both links once each: the client's and the server's.
        const cap = await lab.captureHost('rl');
        const server = dhcpd(lab, 's1', 's1', { addr: '2001:db8:1::1', subnet: '2001:db8:2::/64', pool: ['2001:db8:2::100', '2001:db8:2::1ff'] });
        const relay = lab.spawn('rl', 'dhcrelay', 'dhcrelay', ['-6', '-d', '-I', '-s', 'sub-0042', '--no-pid', '-l', 'rc', '-u', '2001:db8:1::1%rs']);
        await sleep(1500);
        const c = CLIENTS[client](lab, 'c1', 'c1');
        await sleep(5000);
        await c.stop();
        await relay.stop();
        await server.stop();
        const capture = await cap.stop();
        const seen = await messages(capture);
        const why = `\n${listing(seen)}\n${relay.log().slice(-800)}`;
        const fwd = seen.filter((m) => m.msgType === T.RELAY_FORW);
        const repl = seen.filter((m) => m.msgType === T.RELAY_REPL);
        // What dhcrelay did: every Relay-forward carries Interface-ID (18) and Subscriber-ID (38)…
        expect(fwd.map((m) => m.inner).slice(0, 2), why).toEqual([T.SOLICIT, T.REQUEST]);
        for (const m of fwd) expect(m.codes, why).toEqual(expect.arrayContaining([18, 38, 9]));
        // …and dhcpd echoed the Interface-ID in every Relay-reply, which the relay passed down.
        expect(repl.map((m) => m.inner).slice(0, 2), why).toEqual([T.ADVERTISE, T.REPLY]);
        for (const m of repl) expect(m.codes, why).toContain(18);
        const down = seen.filter((m) => m.msgType === T.REPLY && m.iaAddrs.length > 0);
        expect(down.length, why).toBeGreaterThan(0);
        expect(down[0].iaAddrs[0].startsWith('2001:db8:2::'), why).toBe(true);
        const { verdicts } = await judge(capture);
        expect(verdicts, why).toEqual([]);
      } finally {
        await lab.close();
      }
    });
  }
});
