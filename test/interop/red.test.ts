// RFC 6853 redundant servers with several real clients: split pools (each server its own range)
// and identical pools; the primary at Preference 255, the secondary lower and 100 ms slower.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lab, cleanStale, have, skipReason } from './harness.js';
import { CLIENT_BIN, PREFIX, SERVER_BIN, type ClientKind } from './peers.js';
import { runSelection, type ServerSpec } from './scenario.js';
import { T, findingLines, listing, solMaxRtFindings, sortedVerdicts } from './observe.js';

const skip = skipReason();
if (skip) console.warn(`interop/red skipped: ${skip}`);

interface RedScenario { name: string; servers: ServerSpec[]; clients: ClientKind[] }

const SCENARIOS: RedScenario[] = [
  {
    name: 'split pools (dhcpd 255, kea 100): four different clients all bind at the primary',
    servers: [{ kind: 'dhcpd', pref: 255 }, { kind: 'kea', pref: 100, delayMs: 100 }],
    clients: ['dhclient', 'dhcp6c', 'dibbler', 'dhcpcd'],
  },
  {
    name: 'identical pools (two dhcpd, 255 and 100): three clients bind at the primary, the secondary stays silent',
    servers: [
      { kind: 'dhcpd', pref: 255, pool: [`${PREFIX}a:0`, `${PREFIX}a:ff`] },
      { kind: 'dhcpd', pref: 100, pool: [`${PREFIX}a:0`, `${PREFIX}a:ff`], delayMs: 100 },
    ],
    clients: ['dhclient', 'dhcp6c', 'dibbler'],
  },
];

describe.skipIf(!!skip)('RFC 6853 redundant servers with several clients', () => {
  beforeAll(() => cleanStale());
  afterAll(() => cleanStale());

  for (const s of SCENARIOS) {
    it(s.name, async (ctx) => {
      const gone = [...s.clients.map((c) => CLIENT_BIN[c]), ...s.servers.map((x) => SERVER_BIN[x.kind])].find((b) => !have(b));
      if (gone) ctx.skip(`${gone} is not installed`);
      const lab = new Lab('red');
      try {
        const r = await runSelection(lab, s.servers, s.clients, { runMs: 6000 });
        const why = `\n${listing(r.seen)}\n${findingLines(r.report)}`;
        const primary = r.seen.find((m) => m.msgType === T.ADVERTISE && m.src === r.serverAddr(0))?.serverId;
        expect(primary, why).toBeDefined();
        for (let i = 0; i < s.clients.length; i++) {
          const mine = r.seen.filter((m) => m.src === r.clientAddr(i) && m.msgType === T.REQUEST);
          expect(mine.length, `client ${s.clients[i]}${why}`).toBeGreaterThan(0);
          for (const m of mine) expect(m.serverId, `client ${s.clients[i]}${why}`).toBe(primary);
          // The primary bound it: a Reply with an address to that client.
          expect(r.seen.some((m) => m.msgType === T.REPLY && m.dst === r.clientAddr(i) && m.src === r.serverAddr(0) && m.iaAddrs.length > 0), `client ${s.clients[i]}${why}`).toBe(true);
        }
        // The secondary hears every Request (multicast) and answers none of them (RFC 6853 §3 / RFC 8415 §16.4).
        expect(r.seen.filter((m) => m.msgType === T.REPLY && m.src === r.serverAddr(1)), why).toEqual([]);
        // The INFO note for Preference options in Replies (both servers put it in every message).
        const infos = r.seen.filter((m) => m.msgType === T.REPLY && m.preference !== undefined)
          .map((m) => ({ ruleId: 'V6-PREF-OPTION-FORMAT', verdict: 'violation', severity: 'info', frames: [m.frame] }));
        // And the RFC 3315-era clients' Solicits and Requests lack SOL_MAX_RT (observe.ts, solMaxRtFindings).
        expect(r.verdicts, why).toEqual(sortedVerdicts([...infos, ...solMaxRtFindings(r.seen)]));
      } finally {
        await lab.close();
      }
    });
  }
});
