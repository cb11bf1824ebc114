// Shared judgement of client retransmission timing (RFC 8415 §15, §7.6; RFC 5007 §4.3.2) for
// V6-ELAPSED-TIME, V6-RTX-BACKOFF, V6-RTX-REQUEST-LIMITS and LQ-RETRANSMISSION: which transmissions of a
// transaction are retransmissions in the timing sense, and whether their gaps fit the §15 schedule
// (RT doubling with RAND in ±0.1, capped at MRT ±10 %), allowing for transmissions the capture missed.

import type { RelayHop, Sighting, Transmission, UdpTransaction } from '../correlate/client-events.js';
import { sameMessage } from '../correlate/udp-message.js';
import { bodyHex, messageStatusCode, peekOption, sameBodyHex } from '../dhcpv6/helpers.js';
import type { Events } from '../correlate/events.js';
import type { RuleContext, RuleModule } from '../engine/types.js';
import { framesOf, partyOf, relayTolerance, sideOf, tolerance } from './client-common.js';

/** RFC 8415 §15: RAND is uniform in [-0.1, +0.1]. */
const RAND = 0.1;
/** Elapsed Time saturates at 0xffff (RFC 8415 §21.9). */
export const ELAPSED_MAX = 0xffff;
/** Transmissions missing in a row that a gap may hide before it is no longer told apart. */
const MAX_MISSING = 3;

function sameHop(a: RelayHop, b: RelayHop): boolean {
  return a.linkAddress === b.linkAddress && a.peerAddress === b.peerAddress && a.hopCount === b.hopCount;
}

function samePlace(a: Sighting, b: Sighting): boolean {
  const x = a.relays;
  const y = b.relays;
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (!sameHop(x[i], y[i])) return false;
  return true;
}

/** Whether `b` was seen at a place (relay chain) where `a` was seen too. */
export function seenWhere(a: Transmission, b: Transmission): boolean {
  for (const s of b.sightings) for (const r of a.sightings) if (samePlace(r, s)) return true;
  return false;
}

/**
 * Whether `b`, kept apart from the earlier transmission `a` by the correlator (not identical, or later
 * than `sessions.copy-window`), is still the same transmission seen elsewhere: seen at another place
 * (another relay hop, a capture point with a skewed clock, a relay that altered it), with the same
 * Elapsed Time, or identical and sooner than any retransmission timeout (`minRt`). A retransmission
 * carries a later Elapsed Time (RFC 8415 §15, §21.9), so a message with Elapsed Time that comes back
 * identical that soon is a copy even at the same place: two captures merged with skewed clocks show
 * one datagram twice (trap MULTI). Without Elapsed Time (LEASEQUERY) that would hide a requestor
 * retransmitting too early, so there only another place makes a copy.
 */
export function isCopy(a: Transmission, b: Transmission, minRt: number): boolean {
  if (b.time - a.time < minRt) {
    if (a.elapsed !== undefined && sameMessage(a.message, b.message)) return true;
    // Trap TRUNC: a sighting the snaplen cut (another capture point, merged) differs from the whole one;
    // sooner than any timeout and with no other Elapsed Time where both kept it, it is the same datagram.
    if ((a.damage === 'truncated' || b.damage === 'truncated') && (a.elapsed === undefined || b.elapsed === undefined || a.elapsed === b.elapsed)) return true;
  }
  if (seenWhere(a, b)) return false;
  if (a.elapsed !== undefined) return a.elapsed === b.elapsed;
  return b.elapsed === undefined && b.time - a.time < minRt && sameMessage(a.message, b.message);
}

/** Elapsed Time went back from `a` to `b`: a new exchange under the same xid. */
function restarts(a: Transmission, b: Transmission): boolean {
  return a.elapsed !== undefined && b.elapsed !== undefined && b.elapsed < a.elapsed;
}

const NO_STOPS: readonly number[] = [];

/**
 * Times of the responses after which the client's next transmission under the xid is no longer on the
 * §15 schedule: a Reply or LEASEQUERY-REPLY with a failing top-level status, or a Reply to a Request
 * that offers no lease (NotOnLink or NoAddrsAvail in its IAs), ended the exchange. The client may then
 * resend at once (UseMulticast, RFC 8415 §18.2.10), retry at a rate of its own choosing (UnspecFail,
 * §18.2.10 and §14.1), re-issue the Request without addresses (NotOnLink, §18.2.10.1), or a requestor
 * may ask the next server on its list (RFC 5007 §4.3.2). Empty for almost every transaction.
 */
function stopsOf(tx: UdpTransaction): readonly number[] {
  let out: number[] | undefined;
  for (const r of tx.responses) {
    const type = r.message.msgType;
    if (type !== 7 && type !== 15) continue;
    const code = messageStatusCode(r.message);
    if ((code !== undefined && code !== 0) || (type === 7 && tx.msgType === 3 && !r.offers)) (out ??= []).push(r.time);
  }
  return out ?? NO_STOPS;
}

/**
 * `b` names another server than `a` (Server-ID, RFC 8415 §21.3; RFC 5007 §4.3.1): after a failed
 * exchange a client may turn to another server (RFC 8415 §18.2.2 for a Request, RFC 5007 §4.3.2 for a
 * requestor), and the correlator, which keys transactions without the server, keeps the xid's
 * transmissions together. Unknown (false) when either names none.
 */
function otherServer(a: Transmission, b: Transmission): boolean {
  const x = peekOption(a.message, 2);
  const y = x === undefined ? undefined : peekOption(b.message, 2);
  return x !== undefined && y !== undefined && !sameBodyHex(x, bodyHex(y));
}

/** Both name a server (Server-ID): then which server is known, whatever the destination. */
function bothNamed(a: Transmission, b: Transmission): boolean {
  return peekOption(a.message, 2) !== undefined && peekOption(b.message, 2) !== undefined;
}

/**
 * Where `b` went against `a` (Sighting.to, LEASEQUERY only), compared only where both were seen at one
 * place (a bare sighting's destination is another address than a relayed one's): `bare` when seen bare
 * they went to different destinations and never to the same one — the requestor turned to another
 * server or to multicast, a new exchange (RFC 5007 §4.3.2) with its own §15 schedule; `relayed` when
 * only their Relay-forwards show it (another relay, or the relay sent it to another server: the
 * requestor's choice or the relay's, the capture does not tell); else `same` (or unknown).
 */
export function targetChange(a: Transmission, b: Transmission): 'same' | 'bare' | 'relayed' {
  let bareSame = false;
  let bareOther = false;
  let relayedSame = false;
  let relayedOther = false;
  for (const s of b.sightings) {
    if (s.to === 0) continue;
    for (const r of a.sightings) {
      if (r.to === 0 || !samePlace(r, s)) continue;
      const same = r.to === s.to;
      if (s.relays.length === 0) { if (same) bareSame = true; else bareOther = true; }
      else if (same) relayedSame = true;
      else relayedOther = true;
    }
  }
  if (bareSame) return 'same';
  if (bareOther) return 'bare';
  return relayedOther && !relayedSame ? 'relayed' : 'same';
}

/** A failing status (stopsOf) arrived after `a` and before `b`: `b` starts a new schedule. */
function stoppedBetween(stops: readonly number[], a: Transmission, b: Transmission): boolean {
  for (const t of stops) if (t > a.time && t <= b.time) return true;
  return false;
}

/**
 * Whether `b`, seen bare, went to a destination that a bare sighting of `a` went to (Sighting.to): proof
 * that both went to one server or group, which targetChange's `same` (also "cannot tell") is not.
 */
function sameBareTarget(a: Transmission, b: Transmission): boolean {
  for (const s of b.sightings) {
    if (s.to === 0 || s.relays.length !== 0) continue;
    for (const r of a.sightings) if (r.relays.length === 0 && r.to === s.to) return true;
  }
  return false;
}

/**
 * The retransmission runs of a transaction: its transmissions without copies (isCopy), split where
 * Elapsed Time goes back (the client restarted the exchange under the same xid), after a response
 * with a failing status (stopsOf), where the message names another server (otherServer) and, for a
 * LEASEQUERY naming none, where the requestor sent it to another destination (targetChange). Most
 * transactions have one run: then it is `tx.requests` itself, nothing is copied. `split` false: one
 * run, copies left out.
 *
 * A requestor may query several servers at once, unicast or by multicast (RFC 5007 §4.3.2: it SHOULD
 * send to every server it knows when none is known to hold the answer), each message exchange on its
 * own RFC 8415 §15 schedule, so sends to A and B alternate under one xid. With `resumes`, a LEASEQUERY
 * sent bare back to a destination that an earlier run went to (seen bare) continues that run, when
 * nothing else splits them and `resumes(last, b)` accepts the gap from that run's last transmission
 * (judgeLimits: no longer than one capped timeout, else the requestor came back for a new exchange
 * after another server's); runs are then ordered by their first transmission. Without it (and for
 * every other message type, whose sightings carry no destination) a change of destination ends the run.
 */
export function runsOf(
  tx: UdpTransaction, minRt: number, split = true, resumes?: (a: Transmission, b: Transmission) => boolean,
): Transmission[][] {
  const list = tx.requests;
  const stops = split ? stopsOf(tx) : NO_STOPS;
  const splits = (a: Transmission, b: Transmission): boolean =>
    split && (restarts(a, b) || (stops.length !== 0 && stoppedBetween(stops, a, b)) || otherServer(a, b)
      || (!bothNamed(a, b) && targetChange(a, b) === 'bare'));
  let plain = true;
  for (let i = 1; i < list.length && plain; i++) {
    const a = list[i - 1];
    const b = list[i];
    if (isCopy(a, b, minRt) || splits(a, b)) plain = false;
  }
  if (plain) return [list];
  let run: Transmission[] = [list[0]];
  const runs: Transmission[][] = [run];
  for (let i = 1; i < list.length; i++) {
    const b = list[i];
    // The run holding the last transmission kept: `a` is the one before `b` in time.
    const a = run[run.length - 1];
    if (isCopy(a, b, minRt)) continue;
    if (!splits(a, b)) {
      run.push(b);
      continue;
    }
    const back = resumes && !bothNamed(a, b) && targetChange(a, b) === 'bare' ? resumedRun(runs, run, b) : undefined;
    if (back === undefined) {
      run = [b];
      runs.push(run);
      continue;
    }
    const last = back[back.length - 1];
    if (isCopy(last, b, minRt)) continue;
    if (!splits(last, b) && resumes!(last, b)) {
      back.push(b);
      run = back;
    } else {
      run = [b];
      runs.push(run);
    }
  }
  return runs;
}

/**
 * The latest run other than `current` whose latest transmission seen bare went where `b` went (a
 * transmission seen only relayed, which stays in the run it follows, says nothing about it).
 */
function resumedRun(runs: readonly Transmission[][], current: readonly Transmission[], b: Transmission): Transmission[] | undefined {
  for (let k = runs.length - 1; k >= 0; k--) {
    const r = runs[k];
    if (r === current) continue;
    for (let i = r.length - 1; i >= 0; i--) {
      if (r[i].minDepth !== 0) continue;
      if (sameBareTarget(r[i], b)) return r;
      break;
    }
  }
  return undefined;
}

/**
 * Index i of the first gap of `run` (run[i] → run[i + 1]) across which only the Relay-forwards show a
 * change of destination (targetChange `relayed`, neither naming a server), or -1.
 */
export function relayRetarget(run: readonly Transmission[]): number {
  for (let i = 0; i + 1 < run.length; i++) if (!bothNamed(run[i], run[i + 1]) && targetChange(run[i], run[i + 1]) === 'relayed') return i;
  return -1;
}

/** The §15 parameters of one message type, in seconds; MRT 0 = no cap. MRT may be known only as a range. */
export interface Schedule {
  irt: number;
  mrtLo: number;
  mrtHi: number;
  /** Lower bound of the first RT as a multiple of IRT: 0.9, or 1.0 for a Solicit (RFC 8415 §18.2.1). */
  firstMin: number;
}

/** The outcome of fitting observed gaps to a schedule. */
export interface Fit {
  /** `ok`: fits with no transmission missing; `loss`: fits only if the capture missed some; `violation`: fits neither way. */
  status: 'ok' | 'loss' | 'violation';
  /** Index of the first gap that does not fit without missing transmissions (gap i: runs[i] → runs[i+1]). */
  index: number;
  /** At that gap, whether it was shorter or longer than the schedule allows. */
  kind: 'short' | 'long';
}

/** Smallest next RT after one of `r` (over-approximated where the cap may apply, RFC 8415 §15). */
function lowNext(r: number, s: Schedule): number {
  const x = (2 - RAND) * r;
  return s.mrtHi > 0 ? Math.min(x, (1 - RAND) * s.mrtLo) : x;
}

/** Largest next RT after one of `r`. */
function highNext(r: number, s: Schedule): number {
  const x = (2 + RAND) * r;
  return s.mrtHi > 0 && x > s.mrtLo ? Math.max(Math.min(x, s.mrtHi), (1 + RAND) * s.mrtHi) : x;
}

/** Sum of `m` consecutive RTs starting with `r`, at their smallest (high false) or largest. */
function sumOf(r: number, m: number, s: Schedule, high: boolean): number {
  let sum = 0;
  for (let k = 0; k < m; k++) {
    sum += r;
    r = high ? highNext(r, s) : lowNext(r, s);
  }
  return sum;
}

/** The `m`-th RT (m = 0: r itself) after one of `r`, at its smallest or largest. */
function nth(r: number, m: number, s: Schedule, high: boolean): number {
  for (let k = 0; k < m; k++) r = high ? highNext(r, s) : lowNext(r, s);
  return r;
}

/** Largest timeout considered (s): beyond any MRT a client could be given (OPTION_SOL_MAX_RT ≤ 86400). */
const HORIZON = 1e6;

/**
 * Smallest r in [lo, hi] with f(r) ≥ y (f non-decreasing), or Infinity. Bisection to a microsecond.
 */
function firstAtLeast(f: (r: number) => number, y: number, lo: number, hi: number): number {
  if (f(hi) < y) return Infinity;
  if (f(lo) >= y) return lo;
  while (hi - lo > 1e-6) {
    const mid = (lo + hi) / 2;
    if (f(mid) >= y) hi = mid; else lo = mid;
  }
  return hi;
}

/** Largest r in [lo, hi] with f(r) ≤ y (f non-decreasing), or -Infinity. */
function lastAtMost(f: (r: number) => number, y: number, lo: number, hi: number): number {
  if (f(lo) > y) return -Infinity;
  if (f(hi) <= y) return hi;
  while (hi - lo > 1e-6) {
    const mid = (lo + hi) / 2;
    if (f(mid) <= y) lo = mid; else hi = mid;
  }
  return lo;
}

/**
 * One gap against the RT the client may be running (`lo`..`hi`), hiding up to `missing` transmissions:
 * the range of the RT that follows, or undefined when the gap fits no hypothesis. Every bound is a
 * necessary condition (ranges are widened, never narrowed), so "no fit" is proof.
 */
function step(lo: number, hi: number, gap: number, tol: number, missing: number, s: Schedule): [number, number] | undefined {
  let outLo = Infinity;
  let outHi = -Infinity;
  const gLo = Math.max(0, gap - tol);
  const gHi = gap + tol;
  for (let m = 1; m <= missing + 1; m++) {
    // Starting RTs whose m-part sums can reach the gap.
    const rMin = firstAtLeast((r) => sumOf(r, m, s, true), gLo, lo, hi);
    const rMax = lastAtMost((r) => sumOf(r, m, s, false), gHi, lo, hi);
    if (rMin > rMax) continue;
    // The last of the m RTs: at least its own lower bound and what the gap leaves after the others.
    const lastLo = Math.max(nth(rMin, m - 1, s, false), gLo - (m > 1 ? sumOf(rMax, m - 1, s, true) : 0));
    const lastHi = Math.min(nth(rMax, m - 1, s, true), gHi - (m > 1 ? sumOf(rMin, m - 1, s, false) : 0));
    if (lastLo > lastHi) continue;
    outLo = Math.min(outLo, lowNext(lastLo, s));
    outHi = Math.max(outHi, highNext(lastHi, s));
  }
  // A gap longer than every sum considered may hide more transmissions: the RT after it is unknown.
  if (outLo > outHi && missing > 0 && gHi > sumOf(hi, missing + 1, s, true)) return [lowNext(lo, s), HORIZON];
  return outLo <= outHi ? [outLo, outHi] : undefined;
}

/**
 * Fits the gaps between consecutive transmissions of a run (`times`, ascending) to the schedule.
 * `known`: the first of them is the exchange's first transmission (else its RT is anywhere from IRT
 * to the cap, or anything at all when `free`: a Solicit whose first RT another rule judges).
 * `tol(i)`: the timing tolerance of gap i (capture jitter, trap SIDE).
 */
export function fitSchedule(times: readonly number[], s: Schedule, start: 'known' | 'unknown' | 'free', tol: (i: number) => number): Fit {
  const first = (): [number, number] => {
    if (start === 'known') return [s.firstMin * s.irt, (1 + RAND) * s.irt];
    if (start === 'free') return [0, HORIZON];
    return [(1 - RAND) * s.irt, s.mrtHi > 0 ? Math.max((1 + RAND) * s.mrtHi, (1 + RAND) * s.irt) : HORIZON];
  };
  // Without missing transmissions.
  let [lo, hi] = first();
  let bad = -1;
  let kind: Fit['kind'] = 'short';
  for (let i = 0; i + 1 < times.length; i++) {
    const gap = times[i + 1] - times[i];
    const next = step(lo, hi, gap, tol(i), 0, s);
    if (!next) {
      bad = i;
      kind = gap + tol(i) < lo ? 'short' : 'long';
      break;
    }
    [lo, hi] = next;
  }
  if (bad < 0) return { status: 'ok', index: -1, kind };
  // With up to MAX_MISSING transmissions missing before each one captured.
  [lo, hi] = first();
  for (let i = 0; i + 1 < times.length; i++) {
    const next = step(lo, hi, times[i + 1] - times[i], tol(i), MAX_MISSING, s);
    if (!next) return { status: 'violation', index: i, kind: i === bad ? kind : times[i + 1] - times[i] + tol(i) < lo ? 'short' : 'long' };
    [lo, hi] = next;
  }
  return { status: 'loss', index: bad, kind };
}

/** A profile timer (seconds or count), or its RFC 8415 §7.6 default. */
export function timer(timers: Readonly<Record<string, number>>, name: string, fallback: number): number {
  const v = timers[name];
  return typeof v === 'number' && v >= 0 ? v : fallback;
}

/** Timing tolerance of a gap: looser unless both ends were seen on the client's link (trap SIDE). */
export function gapTolerance(a: Transmission, b: Transmission, base: number, relay: number): number {
  return a.minDepth === 0 && b.minDepth === 0 ? base : Math.max(base, relay);
}

/**
 * Whether the client's Elapsed Time agrees with the capture about the gap from `a` to `b` (within
 * max(0.5 s, 10 %), as V6-ELAPSED-TIME judges it); true when either lacks a usable value. Where they
 * disagree a relay may have held one back, or the client's count is wrong: V6-ELAPSED-TIME reports
 * that, and the timing rules stand aside.
 */
export function elapsedAgrees(a: Transmission, b: Transmission, relay: number): boolean {
  if (a.elapsed === undefined || b.elapsed === undefined || b.elapsed === ELAPSED_MAX || b.elapsed < a.elapsed) return true;
  const gap = b.time - a.time;
  const slack = Math.max(0.5, 0.1 * gap) + (a.minDepth === 0 && b.minDepth === 0 ? 0 : relay);
  return Math.abs((b.elapsed - a.elapsed) / 100 - gap) <= slack;
}

/** Whether Elapsed Time agrees with the capture about gap i of `run` and the gap before it. */
export function gapsAgree(run: readonly Transmission[], i: number, relay: number): boolean {
  return elapsedAgrees(run[i], run[i + 1], relay) && (i === 0 || elapsedAgrees(run[i - 1], run[i], relay));
}

/** Milliseconds, rounded, for messages. */
export function ms(s: number): number {
  return Math.round(s * 1000);
}


/** The limits of one message type that has a retransmission count (RFC 8415 §18.2.2; RFC 5007 §4.3.2). */
export interface Limits {
  event: 'udp:transaction-end' | 'lq:transaction-end';
  msgType: number;
  name: string;
  irt: [string, number];
  mrt: [string, number];
  mrc: [string, number];
}

/**
 * Judges a transaction against IRT, MRT and MRC: the count of transmissions (MRC; one more is tolerated
 * with info, catalog §4 Q14), the first gap and the doubling up to the cap. Gaps that fit only if the
 * capture missed transmissions are inconclusive; a count needs no end of the exchange (more seen is
 * more sent), so a transaction closed early or by the capture's end is judged on what it holds.
 */
export function judgeLimits(ctx: RuleContext, tx: UdpTransaction, l: Limits, baseTol: number, relayTol: number): void {
  if (tx.msgType !== l.msgType) return;
  const timers = ctx.profile.timers;
  const irt = timer(timers, l.irt[0], l.irt[1]);
  const mrt = timer(timers, l.mrt[0], l.mrt[1]);
  const mrc = timer(timers, l.mrc[0], l.mrc[1]);
  // A LEASEQUERY sent to several servers at once is judged per destination (runsOf): one exchange per
  // server or multicast group, each with its own schedule and its own count. MRC counts the
  // transmissions of one message exchange, which the client opens by sending to a server and which has
  // failed once it sent MRC of them (RFC 8415 §15); a requestor may send its LEASEQUERY to one or more
  // servers under that algorithm, and only once an exchange has failed turns to another server or to
  // multicast (RFC 5007 §4.3.2). An exchange is thus with one destination: LQ_MAX_RC bounds the sends
  // to each, not their sum over the servers queried. Across sends elsewhere, a gap back to a destination
  // longer than one capped timeout is a new exchange there: a requestor turns only after an exchange
  // failed, and the other server's exchange outlasts LQ_MAX_RT before it can come back.
  const capped = (a: Transmission, b: Transmission): boolean =>
    mrt === 0 || b.time - a.time <= (1 + RAND) * mrt + gapTolerance(a, b, baseTol, relayTol);
  const runs = runsOf(tx, (1 - RAND) * irt - baseTol, true, capped);
  const base = { xid: tx.xid, client: partyOf(tx.client) };
  let inconclusive = false;
  for (let k = 0; k < runs.length; k++) {
    const run = runs[k];
    const n = run.length;
    // A LEASEQUERY whose Relay-forwards changed destination part way may be two exchanges (RFC 5007
    // §4.3.2) or one the relay spread over servers: what fits no single schedule is inconclusive.
    const retarget = l.msgType === 14 && n > 1 ? relayRetarget(run) : -1;
    // RFC 8415 §15: the exchange fails once the message was transmitted MRC times (catalog §4 Q14).
    if (mrc > 0 && n > mrc) {
      const last = run[n - 1];
      if (retarget >= 0) {
        ctx.report({
          ...base, messageId: 'count-relay-target', verdict: 'inconclusive', data: { type: l.name, count: n, mrc, frame: run[retarget + 1].frame },
          frames: framesOf(run[0], run[retarget], run[retarget + 1], last), time: last.time,
        });
      } else {
        ctx.report({
          ...base, messageId: n > mrc + 1 ? 'count' : 'count-tolerated', data: { type: l.name, count: n, mrc },
          frames: framesOf(run[0], run[mrc], last), time: last.time,
        });
      }
    }
    if (n < 2) continue;
    const times = run.map((t) => t.time);
    const tol = (i: number) => gapTolerance(run[i], run[i + 1], baseTol, relayTol);
    // Elapsed Time 0 says a transmission is the exchange's first (RFC 8415 §21.9). A LEASEQUERY has no
    // such option: its first transmission captured is taken as the first, which a capture that began
    // mid-exchange or lost it disproves only as far as the gaps fit a later start (below).
    const bare = run[0].elapsed === undefined;
    const known = k === 0 && !tx.firstMissed && (bare ? l.msgType === 14 : run[0].elapsed === 0);
    const sched: Schedule = { irt, mrtLo: mrt, mrtHi: mrt, firstMin: 1 - RAND };
    let fit = fitSchedule(times, sched, known ? 'known' : 'unknown', tol);
    let startMissed = false;
    let fromFirst = known;
    if (fit.status === 'violation' && known && bare) {
      // Traps MID, LOSS: the gaps fit if the transmissions captured follow one the capture did not hold;
      // if they do not, the gap to report is the one no start explains.
      const alt = fitSchedule(times, sched, 'unknown', tol);
      if (alt.status !== 'violation') {
        fit = { ...fit, status: 'loss' };
        startMissed = true;
      } else {
        fit = alt;
        fromFirst = false;
      }
    }
    if (fit.status === 'ok' || (fit.status === 'loss' && inconclusive)) continue;
    const i = fit.index;
    if (!gapsAgree(run, i, relayTol)) continue; // V6-ELAPSED-TIME's
    const gap = times[i + 1] - times[i];
    let messageId: string;
    if (fit.status === 'violation' && retarget >= 0) {
      ctx.report({
        ...base, messageId: 'relay-target', verdict: 'inconclusive',
        data: { type: l.name, gap: ms(gap), frame: run[retarget + 1].frame, side: sideOf(tx) },
        frames: framesOf(i > 0 ? run[i - 1] : undefined, run[i], run[i + 1]), time: run[i + 1].time,
      });
      continue;
    }
    if (startMissed) messageId = 'first-missing';
    else if (fit.status === 'loss') messageId = 'missing';
    else if (fromFirst && i === 0) messageId = fit.kind === 'short' ? 'first-short' : 'first-long';
    else if (fit.kind === 'long' && mrt > 0 && gap > (1 + RAND) * mrt + tol(i)) messageId = 'cap';
    else messageId = fit.kind === 'short' ? 'shrink' : 'grow';
    if (fit.status === 'loss') inconclusive = true;
    ctx.report({
      ...base, messageId, verdict: fit.status === 'violation' ? 'violation' : 'inconclusive',
      data: { type: l.name, gap: ms(gap), prev: i > 0 ? ms(times[i] - times[i - 1]) : 0, irt, mrt, side: sideOf(tx) },
      frames: framesOf(i > 0 ? run[i - 1] : undefined, run[i], run[i + 1]), time: run[i + 1].time,
    });
  }
}

/** A rule judging one message type's retransmission limits (judgeLimits). */
export function limitsRule(l: Limits): RuleModule<Events> {
  return {
    create(ctx) {
      const baseTol = tolerance(ctx.options);
      const relayTol = relayTolerance(ctx.options);
      const judge = (tx: UdpTransaction): void => judgeLimits(ctx, tx, l, baseTol, relayTol);
      return l.event === 'lq:transaction-end' ? { 'lq:transaction-end': judge } : { 'udp:transaction-end': judge };
    },
  };
}
