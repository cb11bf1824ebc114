// LQ-CLIENT-DATA-LEASES: expired leases in UDP and bulk answers (info); one client split over several
// CLIENT_DATA of a bulk query that names a link (info, once per query); queries about changes, queries
// without a link and phantom queries left alone; the per-query client limit said once.
import { describe, expect, it } from 'vitest';
import { BulkConversation, O, runRule } from '../../kit/rule-harness.js';
import { duidLL, lq, lqExchange, opt, scenarioEvents } from '../../kit/udp-scenario.js';
import type { Dhcpv6Option } from '../../../src/dhcpv6/types.js';

const ID = 'LQ-CLIENT-DATA-LEASES';
const LINK = O.addr(0); // 2001:db8::
const byLink = (): Dhcpv6Option[] => [O.clientId(), O.lqQuery(4, LINK)];
const zero = (last: number): Dhcpv6Option => O.opt(5, [...O.addr(last), 0, 0, 0, 0, 0, 0, 0, 0]);
/** IAPREFIX 2001:db8:0:<last>::/56, valid lifetime `valid`. */
const prefix = (last: number, valid = 7200): Dhcpv6Option =>
  O.opt(26, [0, 0, 0x0e, 0x10, valid >>> 24, (valid >> 16) & 0xff, (valid >> 8) & 0xff, valid & 0xff, 56, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, last, 0, 0, 0, 0, 0, 0, 0, 0]);
const cd = (client: number, ...leases: Dhcpv6Option[]): Dhcpv6Option =>
  O.opt(45, [], [O.opt(1, [0, 3, 0, 1, 0x00, 0x11, 0x22, 0x33, 0x44, client]), ...leases, O.cltTime()]);
const run = (c: BulkConversation, config?: object) =>
  runRule(ID, c.events, config ? { config: config as never } : {}).map((f) => [f.verdict, f.severity, f.frames, f.xid, f.client?.duid, f.message]);

describe(ID, () => {
  it('notes expired leases in a UDP LEASEQUERY-REPLY, counting them and naming the first', () => {
    const q = lq.query(6, opt.lqQuery(2, '::', opt.clientId(duidLL(0x77))));
    const expired = opt.clientData(opt.clientId(duidLL(0x77)), opt.iaAddr('2001:db8::77', 0), opt.iaAddr('2001:db8::78', 3600), opt.cltTime(60));
    const f = runRule(ID, scenarioEvents(lqExchange(q, lq.reply(6, duidLL(0x101), expired))));
    expect(f.map((x) => [x.verdict, x.severity, x.frames, x.xid, x.server?.duid])).toEqual([['violation', 'info', [2], 6, duidLL(0x101)]]);
    expect(f[0].message).toBe('The answer carries 1 lease(s) with valid lifetime 0 (first 2001:db8::77): RFC 5007 §4.1.2.2 asks for the leases still valid; an expired one tells the requestor nothing it can use.');
    expect(runRule(ID, scenarioEvents(lqExchange(q, lq.reply(6, duidLL(0x101), lq.clientData()))))).toEqual([]);
  });

  it('notes expired leases and prefixes in bulk REPLY and DATA', () => {
    const c = new BulkConversation();
    c.query(1); c.reply(1, [O.serverId(), O.clientId(), cd(0x77, zero(0x77), prefix(0x77, 0))]); c.data(1, [cd(0x78, O.iaaddr(0x78))]); c.done(1);
    const f = run(c);
    expect(f.map((x) => x.slice(0, 4))).toEqual([['violation', 'info', [2], 1]]);
    expect(f[0][5]).toContain('carries 2 lease(s) with valid lifetime 0 (first 2001:db8::77)');
  });

  it('notes a client split over several CLIENT_DATA of a query by link, once, with the frames of both', () => {
    const c = new BulkConversation();
    c.query(3, byLink());
    c.reply(3, [O.serverId(), O.clientId(), cd(0x77, O.iaaddr(0x77))]);
    c.data(3, [cd(0x78, O.iaaddr(0x78))]);
    c.data(3, [cd(0x77, prefix(0x77))]);
    c.data(3, [cd(0x78, prefix(0x78))]);
    c.done(3);
    const f = run(c);
    expect(f.map((x) => x.slice(0, 5))).toEqual([['violation', 'info', [2, 4], 3, '00030001001122334477']]);
    expect(f[0][5]).toBe("This client's data on link 2001:db8:: is split over several OPTION_CLIENT_DATA of one query, where RFC 5007 §4.1.2.2 puts one client's data on one link in one option (some servers send one per lease).");
  });

  it('leaves alone queries without a link, queries about changes and answers with no query seen', () => {
    const c = new BulkConversation();
    c.query(1); c.reply(1, [O.serverId(), O.clientId(), cd(0x77, O.iaaddr(0x77))]); c.data(1, [cd(0x77, prefix(0x77))]); c.done(1);
    // An ACTIVELEASEQUERY's updates, and a bulk query with OPTION_LQ_START_TIME (101): changes, ended leases included.
    c.send(0, 22, 2, [O.clientId()]); c.emptyReply(2); c.data(2, [cd(0x79, zero(0x79))]);
    const d = new BulkConversation({ requestorPort: 40001 });
    d.query(4, [...byLink(), O.opt(101, [0, 0, 0, 1])]); d.reply(4, [O.serverId(), O.clientId(), cd(0x77, zero(0x77))]); d.data(4, [cd(0x77, prefix(0x77))]); d.done(4);
    const e = new BulkConversation({ syn: false, requestorPort: 40002 });
    e.data(5, [cd(0x77, zero(0x77))]);
    expect(run(c)).toEqual([]);
    expect(run(d)).toEqual([]);
    expect(run(e)).toEqual([]);
  });

  it('says once per query, inconclusive, when more clients come than max-clients-per-query', () => {
    const c = new BulkConversation();
    c.query(3, byLink());
    c.reply(3, [O.serverId(), O.clientId(), cd(0x70, O.iaaddr(0x70))]);
    for (let i = 1; i <= 3; i++) c.data(3, [cd(0x70 + i, O.iaaddr(0x70 + i))]);
    c.data(3, [cd(0x70, prefix(0x70))]);
    c.done(3);
    const cfg = { rules: { [ID]: { options: { 'max-clients-per-query': 2 } } } };
    expect(run(c, cfg).map((x) => x.slice(0, 4))).toEqual([['violation', 'info', [2, 6], 3], ['inconclusive', 'info', [4], 3]]);
  });
});
