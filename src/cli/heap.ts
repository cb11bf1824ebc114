// How far the old generation may grow past what a full collection left alive. The analysis keeps
// bounded state (about 15 MB live after a full collection, at 1 M packets as at 10 M), and everything
// a transaction holds for its few seconds is promoted and dies there; V8's default policy on a machine
// with several GiB lets the old space reach about four times the live size before the next full
// collection, which is most of the peak RSS. A growth of 75 % holds peak RSS near 140 MiB at 1 M and
// 10 M packets for about the same wall time: marking runs concurrently on a second core (bench/README.md,
// "Sixth pass" and "Tenth pass"; 100 % reached 148–150 MiB at 10 M once the catalog had 83 rules).

import v8 from 'node:v8';

/** Environment variable: percent the old generation may grow past the live size; 0 keeps V8's policy. */
export const HEAP_GROWTH_ENV = 'DHCP6AUDIT_HEAP_GROWTH';
export const HEAP_GROWTH_DEFAULT = 75;

/** The growth percent the environment asks for, or an error line for a value that is not one. */
export function heapGrowth(env: Record<string, string | undefined>): number | string {
  const text = env[HEAP_GROWTH_ENV];
  if (text === undefined || text.trim() === '') return HEAP_GROWTH_DEFAULT;
  if (!/^\s*\d{1,4}\s*$/.test(text) || Number(text) > 1000) {
    return `${HEAP_GROWTH_ENV} must be a whole percent from 0 to 1000 (0 keeps V8's own policy), not '${text}'`;
  }
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
