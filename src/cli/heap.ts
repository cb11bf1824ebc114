// How far the old generation may grow past what a full collection left alive. The analysis keeps
// bounded state (about 15 MB live after a full collection, at 1 M packets as at 10 M), and everything
// a transaction holds for its few seconds is promoted and dies there; V8's default policy on a machine
// with several GiB lets the old space reach about four times the live size before the next full
// collection, which is most of the old generation's share of peak RSS. A growth of 75 % lets it reach
// 1.75 times the live size for about the same wall time: marking runs concurrently on a second core
// (bench/README.md, "Sixth pass" and "Tenth pass").
//
// The young generation is the other half of the peak. V8 lets each of its two semi-spaces grow to
// 16 MiB under a steady stream of short-lived objects, and both stay committed. At 4 MiB each, peak
// RSS falls by 25–33 MiB (bench/README.md, "Eleventh pass"). V8 takes that size only when it sets a
// heap up, so the CLI runs in a worker thread created with it (thread.ts); a real limit also lets V8
// pretenure what open transactions allocate ("Twelfth pass").

import v8 from 'node:v8';

/** Environment variable: percent the old generation may grow past the live size; 0 keeps V8's policy. */
export const HEAP_GROWTH_ENV = 'DHCP6AUDIT_HEAP_GROWTH';
export const HEAP_GROWTH_DEFAULT = 75;

/** The growth percent the environment asks for, or an error line for a value that is not one. */
export function heapGrowth(env: Record<string, string | undefined>): number | string {
  return wholeFrom(env, HEAP_GROWTH_ENV, HEAP_GROWTH_DEFAULT, 1000, 'a whole percent');
}

/** The semi-space size (MiB) the environment asks for, or an error line for a value that is not one. */
export function semiSpaceSize(env: Record<string, string | undefined>): number | string {
  return wholeFrom(env, SEMI_SPACE_ENV, SEMI_SPACE_DEFAULT, 1024, 'a whole number of MiB');
}

/** Environment variable: MiB of each semi-space of the CLI worker's young generation; 0 runs on the main thread with V8's policy. */
export const SEMI_SPACE_ENV = 'DHCP6AUDIT_SEMI_SPACE';
export const SEMI_SPACE_DEFAULT = 4;

/** Reads a whole number from the environment, or an error line for a value that is not one. */
function wholeFrom(env: Record<string, string | undefined>, name: string, fallback: number, max: number, what: string): number | string {
  const text = env[name];
  if (text === undefined || text.trim() === '') return fallback;
  if (!/^\s*\d{1,4}\s*$/.test(text) || Number(text) > max) return `${name} must be ${what} from 0 to ${max} (0 keeps V8's own policy), not '${text}'`;
  return Number(text);
}

let applied: number | undefined;

/**
 * Sets V8's heap growing factor to 1 + percent/100 (`--heap-growing-percent`, read by V8 each time it
 * sets the next full-collection limit, so it takes effect at run time). 0 leaves V8's own policy.
 */
export function limitHeapGrowth(percent: number): void {
  if (percent === applied) return;
  applied = percent;
  v8.setFlagsFromString(`--heap-growing-percent=${percent}`);
}

/** The new space's size in octets (both semi-spaces). */
export function newSpaceSize(): number {
  for (const s of v8.getHeapSpaceStatistics()) if (s.space_name === 'new_space') return s.space_size;
  return 0;
}
