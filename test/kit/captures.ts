// The captures tests run over: every fixture capture, and the real captures in ../shared/captures
// when they are there, with the run options their expected findings ask for (fixtures/README.md).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AnalyzeOptions } from '../../src/index.js';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const FIXTURES_DIR = join(REPO_ROOT, 'fixtures');
export const SHARED_CAPTURES_DIR = join(REPO_ROOT, '..', 'shared', 'captures');

/** Capture files (pcap, pcapng, gzipped or not) under `dir`, recursively, sorted; none when `dir` is missing. */
export function captureFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...captureFiles(p));
    else if (/\.pcap(ng)?(\.gz)?$/.test(name)) out.push(p);
  }
  return out.sort();
}

/** The options a run needs (a profile, bulk ports, code points) as the capture's expected findings give them. */
export type RunOptions = Pick<AnalyzeOptions, 'profile' | 'bulkPorts' | 'config'>;

/**
 * The `options` of a capture's expected findings: beside a fixture (`name.findings.json`), or in
 * fixtures/shared (`file.findings.json`) for a shared capture. None when there is no such file.
 */
export function runOptionsFor(path: string): RunOptions {
  const findings = path.startsWith(SHARED_CAPTURES_DIR)
    ? join(FIXTURES_DIR, 'shared', `${basename(path)}.findings.json`)
    : path.replace(/\.pcap(ng)?(\.gz)?$/, '.findings.json');
  if (!existsSync(findings)) return {};
  return (JSON.parse(readFileSync(findings, 'utf8')) as { options?: RunOptions }).options ?? {};
}
