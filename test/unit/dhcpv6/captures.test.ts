// Sanity check on the real captures in ../shared/captures: every DHCPv6 UDP payload tshark finds
// decodes without anomalies where tshark reports no error, and with one where tshark calls it malformed.
// DHCPv6 quoted inside ICMPv6 errors (cut short by design) is left out.
// (The field-by-field tshark oracle comes with the capture and network stages.)

import { describe, expect, test } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { defaultCodec } from '../../../src/dhcpv6/codec.js';
import { innermostMessage } from '../../../src/dhcpv6/helpers.js';

const DIR = new URL('../../../../shared/captures/', import.meta.url).pathname;
const files = existsSync(DIR) ? readdirSync(DIR).filter((f) => /\.pcap(ng)?$/.test(f)).sort() : [];
const ERROR = 0x800000; // tshark's expert severity "error"

interface Row { frame: number; payload: string; malformed: boolean; error: boolean; msgType: number }

function tsharkRows(file: string): Row[] {
  const out = execFileSync('tshark', ['-r', DIR + file, '-Y', 'dhcpv6 && !icmpv6', '-T', 'fields', '-E', 'separator=\t',
    '-e', 'frame.number', '-e', 'udp.payload', '-e', '_ws.malformed', '-e', '_ws.expert.severity', '-e', 'dhcpv6.msgtype'],
  { encoding: 'utf8', maxBuffer: 256 << 20 });
  return out.split('\n').filter(Boolean).map((l) => {
    const [frame, payload, malformed, severity, msgType] = l.split('\t');
    return {
      frame: Number(frame), payload, malformed: malformed !== '',
      error: severity.split(',').some((s) => Number(s) >= ERROR), msgType: Number(msgType.split(',')[0]),
    };
  });
}

describe.runIf(files.length > 0)('real captures', () => {
  test('the shared captures are present', () => {
    expect(files.length).toBe(12);
  });
  for (const file of files) {
    test(file, () => {
      const rows = tsharkRows(file);
      expect(rows.length).toBeGreaterThan(0);
      let checked = 0;
      for (const r of rows) {
        const m = defaultCodec.decodeMessage(Uint8Array.from(Buffer.from(r.payload, 'hex')));
        expect(m.msgType, `frame ${r.frame}`).toBe(r.msgType);
        if (r.malformed) {
          expect(m.anomalies.length, `frame ${r.frame}: tshark says malformed`).toBeGreaterThan(0);
          checked++;
        } else if (!r.error) {
          expect(m.anomalies, `frame ${r.frame}`).toEqual([]);
          checked++;
        }
        defaultCodec.toJson(m);
        innermostMessage(m);
      }
      expect(checked).toBeGreaterThan(0);
    });
  }
});
