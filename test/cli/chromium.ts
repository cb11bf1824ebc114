// Renders a local HTML file in headless Chromium and returns the DOM after its scripts ran.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** `chromium --headless --dump-dom file://path#hash`; rejects when Chromium fails or is missing. */
export function dumpDom(path: string, hash = ''): Promise<string> {
  const profile = mkdtempSync(join(tmpdir(), 'dhcp6audit-chromium-'));
  const url = pathToFileURL(path).href + (hash ? `#${hash}` : '');
  return new Promise<string>((resolve, reject) => {
    execFile(CHROMIUM, [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', `--user-data-dir=${profile}`, '--dump-dom', url,
    ], { timeout: 60_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      rmSync(profile, { recursive: true, force: true });
      if (err) reject(new Error(`chromium failed (install the Debian package 'chromium'): ${err.message} ${stderr.slice(0, 300)}`));
      else resolve(stdout);
    });
  });
}

/** The ladders of a dumped report: kind, scope, lane names, and each message's frame, type, xid and classes. */
export interface RenderedLadder {
  kind: string;
  scope: string;
  lanes: string[];
  messages: Array<{ frame: number; type: string; xid?: number; classes: string[]; from: number; to: number }>;
}

function attr(tag: string, name: string): string | undefined {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return m?.[1];
}

export function ladders(dom: string): RenderedLadder[] {
  const out: RenderedLadder[] = [];
  const parts = dom.split('<figure ').slice(1);
  for (const part of parts) {
    const head = part.slice(0, part.indexOf('>'));
    if (!/class="ladder"/.test(head)) continue;
    const body = part.slice(0, part.indexOf('</figure>'));
    const lanes = [...body.matchAll(/<g class="lane" data-lane="(\d+)"><title>([^<]*)<\/title>/g)].map((m) => m[2].replace(/&gt;/g, '>'));
    const messages = [...body.matchAll(/<g (class="msg[^"]*"[^>]*)>/g)].map((m) => {
      const tag = ` ${m[1]}`;
      const xid = attr(tag, 'data-xid');
      return {
        frame: Number(attr(tag, 'data-frame')), type: attr(tag, 'data-type')!, xid: xid === undefined ? undefined : Number(xid),
        classes: attr(tag, 'class')!.split(' '), from: Number(attr(tag, 'data-from')), to: Number(attr(tag, 'data-to')),
      };
    });
    out.push({ kind: attr(` ${head}`, 'data-kind')!, scope: attr(` ${head}`, 'data-scope')!.replace(/&gt;/g, '>'), lanes, messages });
  }
  return out;
}
