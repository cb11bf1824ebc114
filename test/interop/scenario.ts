// Runs one server-selection scenario: servers (optionally delayed with netem) and one or more
// clients on one bridge, captured on the bridge; returns what was seen and what the checker says.
import { Lab, sleep, type Proc } from './harness.js';
import { CLIENTS, SERVERS, PREFIX, type ClientKind, type ServerKind } from './peers.js';
import { judge, messages, type Seen, type Verdict } from './observe.js';
import type { Report } from '../../src/index.js';
import { fileURLToPath } from 'node:url';

const PROXY = fileURLToPath(new URL('./delay-proxy.mjs', import.meta.url));

async function waitFor(cond: () => boolean, what: string, ms = 5000): Promise<void> {
  for (let t = 0; t < ms; t += 50) { if (cond()) return; await sleep(50); }
  throw new Error(`timed out waiting: ${what}`);
}

export interface ServerSpec { kind: ServerKind; pref?: number; delayMs?: number; /** Pool override (identical pools for RFC 6853 tests). */ pool?: [string, string] }

export interface SelectionRun {
  seen: Seen[];
  verdicts: Verdict[];
  report: Report;
  capture: string;
  /** The link-local address of server i (0-based), as its MAC is fixed. */
  serverAddr: (i: number) => string;
  clientAddr: (i: number) => string;
}

/** Fixed MACs, so addresses and DUIDs derived from them are known in advance. */
export const serverMac = (i: number): string => `02:00:00:00:01:${(i + 1).toString(16).padStart(2, '0')}`;
export const clientMac = (i: number): string => `02:00:00:00:02:${(i + 1).toString(16).padStart(2, '0')}`;
const linkLocal = (mac: string): string => {
  const b = mac.split(':');
  return `fe80::ff:fe00:${parseInt(b[4] + b[5], 16).toString(16)}`;
};

export async function runSelection(
  lab: Lab,
  servers: ServerSpec[],
  clients: ClientKind[],
  opts: { runMs?: number; onCapture?: (path: string) => void } = {},
): Promise<SelectionRun> {
  const br = lab.addBridge();
  const proxies: Proc[] = [];
  for (const [i, s] of servers.entries()) {
    if (!s.delayMs) {
      lab.attach(`s${i + 1}`, br, { addrs: [`${PREFIX}${i + 1}/64`], mac: serverMac(i) });
      continue;
    }
    // A delayed server sits on a link of its own behind a userspace forwarder that takes its place
    // (and its MAC) on the shared link: netem is not available in every kernel.
    const back = lab.addBridge(`bs${i + 1}`);
    lab.attach(`p${i + 1}`, br, { mac: serverMac(i) });
    lab.attach(`p${i + 1}`, back, { ifname: 'ps', mac: `02:00:00:00:03:${(i + 1).toString(16).padStart(2, '0')}` });
    lab.attach(`s${i + 1}`, back, { addrs: [`${PREFIX}${i + 1}/64`], mac: `02:00:00:00:04:${(i + 1).toString(16).padStart(2, '0')}` });
    await lab.linkLocal(`p${i + 1}`, 'ps');
    proxies.push(lab.spawn(`p${i + 1}`, `p${i + 1}-proxy`, process.execPath, [PROXY, `p${i + 1}`, 'ps', String(s.delayMs), '60']));
  }
  for (const p of proxies) await waitFor(() => /listening/.test(p.log()), `${p.name}: ${p.log()}`);
  clients.forEach((_, i) => lab.attach(`c${i + 1}`, br, { mac: clientMac(i) }));
  for (let i = 0; i < servers.length; i++) await lab.linkLocal(`s${i + 1}`, `s${i + 1}`);
  for (let i = 0; i < clients.length; i++) await lab.linkLocal(`c${i + 1}`, `c${i + 1}`);
  const cap = await lab.capture(br);
  const procs = servers.map((s, i) => SERVERS[s.kind](lab, `s${i + 1}`, `s${i + 1}`, {
    preference: s.pref, addr: `${PREFIX}${i + 1}`, pool: s.pool ?? [`${PREFIX}${i + 1}:0`, `${PREFIX}${i + 1}:ff`],
  }));
  await sleep(2000); // servers bind their sockets
  for (const p of procs) if (!p.running) throw new Error(`${p.name} exited early:\n${p.log()}`);
  const cl = clients.map((c, i) => CLIENTS[c](lab, `c${i + 1}`, `c${i + 1}`));
  await sleep(opts.runMs ?? 5000);
  for (const c of cl) await c.stop();
  for (const p of [...procs, ...proxies]) await p.stop();
  const capture = await cap.stop();
  opts.onCapture?.(capture);
  const seen = await messages(capture);
  const { report, verdicts } = await judge(capture);
  return {
    seen, verdicts, report, capture,
    serverAddr: (i) => linkLocal(serverMac(i)),
    clientAddr: (i) => linkLocal(clientMac(i)),
  };
}
