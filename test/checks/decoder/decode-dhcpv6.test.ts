// DECODE-DHCPV6: dhcpv6-layer anomalies become findings (violation, warning); other layers are left to their own rule.
import { describe, expect, it } from 'vitest';
import { judge, type EventTuple } from '../../kit/rule-harness.js';
import type { AnomalyEvent } from '../../../src/correlate/events.js';

const ID = 'DECODE-DHCPV6';
const ev = (a: Partial<AnomalyEvent> & Pick<AnomalyEvent, 'layer' | 'name'>): EventTuple =>
  ['anomaly', { message: 'detail', frames: [7], time: 1, ...a }];

describe(ID, () => {
  it('reports a dhcpv6 anomaly with its name', () => {
    const events = [ev({ layer: 'dhcpv6', name: 'dhcpv6.option.bad_length', connection: 'c1' })];
    expect(judge(ID, { events })).toEqual([[ID, 'violation', 'warning', [7], undefined]]);
  });

  it('ignores anomalies of other layers', () => {
    const events = [ev({ layer: 'ip', name: 'x.y' })];
    expect(judge(ID, { events })).toEqual([]);
  });
});

describe(`${ID} boundaries`, () => {
  it('leaves bulk framing anomalies to BLQ-FRAME-SIZE and keeps the xid', () => {
    const events = [ev({ layer: 'dhcpv6', name: 'dhcpv6.bulk.bad_frame' }), ev({ layer: 'dhcpv6', name: 'dhcpv6.option.overrun', xid: 42, frames: [9] })];
    expect(judge(ID, { events })).toEqual([[ID, 'violation', 'warning', [9], 42]]);
  });
});

import { UdpScenario, lq, lqExchange, opt, sel, SRV_A } from '../../kit/udp-scenario.js';
import type { MessageRecord } from '../../../src/dhcpv6/types.js';

/** A record's `message` event followed by its dhcpv6 anomalies, as the pipeline emits them. */
function asPipeline(r: MessageRecord): EventTuple[] {
  return [['message', r], ...r.message.anomalies.map((a): EventTuple => ['anomaly', { layer: 'dhcpv6', name: a.name, message: a.message, frames: r.frames, time: r.time, xid: r.message.xid }])];
}

describe(`${ID} stands aside for the specific option rules (one defect, one finding)`, () => {
  it('leaves a malformed OPTION_LQ_QUERY of a LEASEQUERY to LQ-QUERY-STRUCTURE', () => {
    const [q] = lqExchange(lq.query(1, opt.raw(44, '0100000000'))).records();
    expect(q.message.anomalies.map((a) => a.name)).toEqual(['dhcpv6.option.bad_length']);
    expect(judge(ID, { events: asPipeline(q) })).toEqual([]);
  });

  it('leaves octets after the last query-option of an OPTION_LQ_QUERY to LQ-QUERY-STRUCTURE, not those of a CLIENT_DATA', () => {
    // Three octets, too few for an option header: the decoder ties them to no option.
    const trailing = `01${'00'.repeat(16)}000500`;
    const [q, r] = lqExchange(lq.query(1, opt.raw(44, trailing)), lq.reply(1, SRV_A, opt.raw(45, '000500'))).records();
    expect(q.message.anomalies.map((a) => a.message)).toEqual(['3 trailing octet(s), too few for an option header']);
    expect(judge(ID, { events: asPipeline(q) })).toEqual([]);
    expect(judge(ID, { events: asPipeline(r) })).toEqual([[ID, 'violation', 'warning', [2], 1]]);
  });

  it('leaves a two-octet Preference in an Advertise to V6-PREF-OPTION-FORMAT, but not one in a Solicit', () => {
    const sc = new UdpScenario();
    sc.answer(0, 'fe80::a', 'fe80::1', sel.advertise(0x10, SRV_A, undefined, true, opt.prefHex('00ff')));
    sc.send(1, 'fe80::1', 'ff02::1:2', sel.solicit(0x11, 0, opt.prefHex('00ff')));
    const [adv, sol] = sc.records();
    expect(judge(ID, { events: asPipeline(adv) })).toEqual([]);
    expect(judge(ID, { events: asPipeline(sol) })).toEqual([[ID, 'violation', 'warning', [2], 0x11]]);
  });

  it('still reports other anomalies of the same message', () => {
    const [q] = lqExchange(lq.query(1, opt.lqQuery(1, '::', opt.iaAddr('2001:db8::77')), opt.raw(8, '00'))).records();
    expect(judge(ID, { events: asPipeline(q) })).toEqual([[ID, 'violation', 'warning', [1], 1]]);
  });
});

describe(`${ID} leaves the snaplen's cut to DECODE-IP`, () => {
  // A Solicit: header 4, Client-ID 4 + 10 = 14 octets (to 18), Elapsed Time 4 + 2 (to 24), ORO 4 + 4 (to 32).
  const solicit = (...extra: ReturnType<typeof opt.raw>[]) => sel.solicit(0x21, 0, ...extra);
  const cutAt = (snap: number, ...extra: ReturnType<typeof opt.raw>[]): MessageRecord => {
    const sc = new UdpScenario();
    sc.send(0, 'fe80::1', 'ff02::1:2', solicit(...extra), { snap });
    return sc.records()[0];
  };

  it('does not report the option the cut runs through, nor 1-3 octets of a header at the cut, nor a cut header', () => {
    for (const snap of [2, 10, 20, 26]) {
      const r = cutAt(snap);
      expect(r.truncated, `snap ${snap}`).toBe(true);
      expect(r.message.anomalies.length, `snap ${snap}: the cut leaves one anomaly`).toBe(1);
      expect(judge(ID, { events: asPipeline(r) }), `snap ${snap}`).toEqual([]);
    }
  });

  it('still reports a defect in the octets the capture holds, before the cut', () => {
    // An Elapsed Time of one octet (48..53, whole), then an unknown option (53..62) that the cut runs through.
    const r = cutAt(58, opt.raw(8, '00'), opt.raw(0x4000, '0102030405'));
    expect(r.message.anomalies.map((a) => a.name)).toEqual(['dhcpv6.option.bad_length', 'dhcpv6.option.overrun']);
    expect(judge(ID, { events: asPipeline(r) })).toEqual([[ID, 'violation', 'warning', [1], 0x21]]);
  });

  it('reports the same overrun in a datagram captured whole: the sender declared more than it sent', () => {
    const cut = cutAt(58, opt.raw(8, '00'), opt.raw(0x4000, '0102030405'));
    const whole: MessageRecord = { ...cut, truncated: undefined };
    expect(judge(ID, { events: asPipeline(whole) })).toEqual([[ID, 'violation', 'warning', [1], 0x21], [ID, 'violation', 'warning', [1], 0x21]]);
  });
});
