// Every capture with expected findings committed beside it (<name>.findings.json) is checked with the
// default profile: the report must validate against the schema, account for every frame, and hold
// exactly the expected findings (rule, verdict, severity, evidence frames, xid) in report order.
// fixtures/shared/<file>.findings.json holds the expectations for ../shared/captures/<file>.
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, dirname, relative, basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyze } from '../../src/index.js';
import { assertValidReport } from '../kit/schemas.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const sharedCaptures = join(root, '..', 'shared', 'captures');

interface Expected {
  /** Options for the run (e.g. a profile or bulk ports), when the fixture needs them. */
  options?: { profile?: string; bulkPorts?: number[]; config?: Record<string, unknown> };
  findings: Array<{ ruleId: string; verdict: string; severity: string; frames: number[]; xid?: number }>;
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (name.endsWith('.findings.json')) out.push(p);
  }
  return out.sort();
}

function captureFor(expectPath: string): string {
  const base = basename(expectPath, '.findings.json');
  const dir = dirname(expectPath);
  if (relative(root, dir) === join('fixtures', 'shared')) return join(sharedCaptures, base);
  for (const ext of ['.pcapng', '.pcap', '.pcapng.gz', '.pcap.gz']) {
    if (existsSync(join(dir, base + ext))) return join(dir, base + ext);
  }
  throw new Error(`no capture beside ${relative(root, expectPath)}`);
}

const expectations = walk(join(root, 'fixtures'));

it('has captures with expected findings', () => {
  expect(expectations.length).toBeGreaterThan(0);
});

describe('expected findings on fixture captures', () => {
  for (const path of expectations) {
    it(relative(root, path), async () => {
      const expected = JSON.parse(readFileSync(path, 'utf8')) as Expected;
      const report = await analyze([captureFor(path)], expected.options as never);
      assertValidReport(report);
      const s = report.stats;
      expect(s.dhcpv6Frames + s.otherFrames + s.malformedFrames + s.droppedFrames).toBe(s.frames);
      const got = report.findings.map((f) => {
        const row: Expected['findings'][number] = { ruleId: f.ruleId, verdict: f.verdict, severity: f.severity, frames: f.frames };
        if (f.xid !== undefined) row.xid = f.xid;
        return row;
      });
      expect(got).toEqual(expected.findings.map((f) => {
        const row: Expected['findings'][number] = { ruleId: f.ruleId, verdict: f.verdict, severity: f.severity, frames: f.frames };
        if (f.xid !== undefined) row.xid = f.xid;
        return row;
      }));
    });
  }
});
