// Shared judgement of client sessions and UDP transactions for the V6-*, RED-* and LQ-* checks: one
// analysis of server selection (RFC 8415 §18.2.1, §18.2.9; RFC 6853 §5.3) so that every rule draws
// the same boundaries and each defect is reported once, under its most specific rule.

import type { ClientSession, ServerResponse, Transmission, UdpTransaction } from '../correlate/client-events.js';
import type { Party, Verdict } from '../engine/types.js';
import { duidHex, hasOption, optionBodyLength, optionU16, scratchOption, transientOption } from '../dhcpv6/helpers.js';
import type { Dhcpv6Message } from '../dhcpv6/types.js';
import { toHex } from '../dhcpv6/options/primitives.js';
import { sameMessage } from '../correlate/udp-message.js';
import { fingerprintJoined } from '../correlate/seen.js';

/** RFC 8415 §7.6: SOL_TIMEOUT; the first RT of a Solicit lies in (IRT, 1.1·IRT] (§18.2.1). */
export const FIRST_RT_MIN = 1.0;
export const FIRST_RT_MAX = 1.1;
/**
 * RFC 8415 §7.6, §15: REQ_TIMEOUT 1 s with RAND ≥ -0.1, so a Request's first retransmission comes at
 * least 0.9 s after the first transmission.
 */
export const REQ_RT_MIN = 0.9;

export function partyOf(p: Party | undefined): Party | undefined {
  if (!p) return undefined;
  const out: Party = {};
  if (p.duid !== undefined) out.duid = p.duid;
  if (p.address !== undefined) out.address = p.address;
  return out;
}

/**
 * One client interface (V6-RTX-RATE-LIMIT counts per interface, RFC 8415 §14.1; V6-XID-RANDOM follows
 * each one's xids): the DUID, the address the client sends from (innermost peer-address when relayed)
 * and, when first seen relayed, the link-address of the relay next to it. Cloned machines sharing a
 * DUID, and one machine's several interfaces, differ in address or link.
 * Written to `out` as the fingerprint of those three texts joined (no key text is built per transmission).
 */
export function interfaceKey(tx: { readonly client: Party }, t: Transmission, out: Int32Array): void {
  const relays = t.sightings[0].relays;
  const link = relays.length !== 0 ? relays[relays.length - 1].linkAddress : '';
  fingerprintJoined(tx.client.duid ?? '', tx.client.address ?? '', link, out);
}

/** The frames of transmissions (or sightings), ascending, without repeats. */
export function framesOf(...ts: Array<{ readonly frames: readonly number[] } | undefined>): number[] {
  const out: number[] = [];
  for (let i = 0; i < ts.length; i++) {
    const t = ts[i];
    if (t) for (let j = 0; j < t.frames.length; j++) out.push(t.frames[j]);
  }
  out.sort((a, b) => a - b);
  let n = 0;
  for (let i = 0; i < out.length; i++) if (n === 0 || out[i] !== out[n - 1]) out[n++] = out[i];
  out.length = n;
  return out;
}

export function lastTime(...ts: Array<Transmission | undefined>): number {
  let t = 0;
  for (const x of ts) if (x && x.time > t) t = x.time;
  return t;
}

const SIDE_CLIENT = "the client's link";
const SIDE_RELAY = 'a relay or server link (client timing shifted by the path)';

/** Which side the capture saw the client from (for timing messages, trap SIDE). */
export function sideOf(tx: UdpTransaction): string {
  for (const r of tx.requests) if (r.minDepth === 0) return SIDE_CLIENT;
  return SIDE_RELAY;
}

/** serverIdOf's scratch option (transientOption): the DUID's hex is read out at once. */
const serverIdScratch = scratchOption();

/** The DUID (hex) named by a message's Server-ID option (read without the option tree). */
export function serverIdText(m: Dhcpv6Message): string | undefined {
  return duidHex(transientOption(m, 2, serverIdScratch));
}

/** serverIdText of a transmission's message. */
export function serverIdOf(t: Transmission): string | undefined {
  return serverIdText(t.message);
}

/** Whether the client message carried any IA option (IA_NA, IA_TA, IA_PD). */
export function hasIa(t: Transmission): boolean {
  const m = t.message;
  return hasOption(m, 3) || hasOption(m, 4) || hasOption(m, 25);
}

/** Offered leases: the IAADDR addresses and IAPREFIX prefixes of a response, as hex bodies. */
export function leasesOf(r: Transmission): string[] {
  const out: string[] = [];
  for (const ia of r.message.options) {
    if ((ia.code !== 3 && ia.code !== 4 && ia.code !== 25) || !ia.options) continue;
    for (const o of ia.options) {
      if (o.code === 5) out.push(toHex(o.data.subarray(0, 16)));
      if (o.code === 26) out.push(toHex(o.data.subarray(8, 25)));
    }
  }
  return out;
}

/** What a check reports: a message id, a verdict and the evidence. */
export interface Judgement {
  messageId: string;
  verdict: Verdict;
  frames: number[];
  time: number;
  data?: Record<string, string | number>;
  server?: Party;
}

/** The facts of a server-selection session that every preference rule works from. */
export interface SessionView {
  session: ClientSession;
  solicit: UdpTransaction;
  /** Time of the first Solicit transmission captured. */
  t0: number;
  /** The first Solicit captured had Elapsed Time > 0 (trap MID/LOSS): t0 is not the real start. */
  firstMissed: boolean;
  /** The Solicit was seen on the client's own link (so Advertises not seen there may not have reached it). */
  clientLinkSeen: boolean;
  side: string;
  /** First transmission of the Request, and its time (Infinity when none). */
  req?: Transmission;
  /**
   * The first Request captured had Elapsed Time > 0 (trap LOSS): it may be a retransmission whose first
   * transmission the capture missed, up to a Request timeout earlier.
   */
  reqFirstMissed: boolean;
  treq: number;
  /** Server-ID DUID the Request names. */
  chosen?: string;
  advertises: ServerResponse[];
  /** When each of `advertises` reached the client (arrivalOf), worked out once per session. */
  arrivals: Map<ServerResponse, Arrival>;
  /**
   * Valid (RFC 8415 §16.3) Advertises that offer leases and that the client held when it sent the
   * Request: arrived on its link by then (arrivalOf), or never seen there but seen upstream by then.
   */
  usable: ServerResponse[];
  /**
   * Valid Advertises offering leases seen upstream by the Request but on the client's link only after it
   * (a relay's late delivery): not held as far as that link shows, yet perhaps held by a path the capture
   * missed (a second relay; a capture inside a relay sees no other relay's deliveries). Such an Advertise
   * may spare the client a verdict but never proves one: where its absence would make a violation, the
   * verdict is inconclusive.
   */
  late: ServerResponse[];
  /**
   * A valid Rapid Commit Reply the client held when it sent the Request: arrived on its link by then
   * (arrivalOf's rule, a relay's delivery rather than the Relay-reply upstream), or never seen there but
   * seen upstream by then.
   */
  rapidReply?: ServerResponse;
  /**
   * A valid Rapid Commit Reply seen upstream before the Request but on the client's link only after it
   * (a relay's late delivery), when none was held: like SessionView.late, it may have come by a path the
   * capture missed, so it spares the client a verdict but never proves one.
   */
  lateRapid?: ServerResponse;
}

/** The latest session's view: the preference rules all judge the same session:end, one after the other. */
let lastSession: ClientSession | undefined;
let lastView: SessionView | undefined;

/** The facts of a session, computed once per session:end and shared by every rule that asks. */
export function viewOf(session: ClientSession): SessionView {
  if (session === lastSession && lastView !== undefined) return lastView;
  const v = buildView(session);
  lastSession = session;
  lastView = v;
  return v;
}

function buildView(session: ClientSession): SessionView {
  const solicit = session.solicit;
  const req = session.request?.requests[0];
  const treq = req ? req.time : Infinity;
  const advertises: ServerResponse[] = [];
  let replies: ServerResponse[] | undefined;
  for (const r of solicit.responses) {
    const type = r.message.msgType;
    if (type === 2) advertises.push(r);
    else if (type === 7 && r.rapidCommit) (replies ??= []).push(r);
  }
  // RFC 8415 §18.2.1: a Rapid Commit Reply ends the wait once it reaches the client. Timed, as an
  // Advertise is, from its arrival on the client's link (a relay's delivery), not the Relay-reply upstream.
  let rapidReply: ServerResponse | undefined;
  let lateRapid: ServerResponse | undefined;
  if (replies) {
    for (const r of replies) {
      if (!r.valid || r.time > treq) continue;
      if (arrive(replies, r).time <= treq) { rapidReply = r; break; }
      lateRapid ??= r;
    }
  }
  let clientLinkSeen = false;
  for (const r of solicit.requests) if (r.minDepth === 0) { clientLinkSeen = true; break; }
  const arrivals = new Map<ServerResponse, Arrival>();
  const usable: ServerResponse[] = [];
  const late: ServerResponse[] = [];
  for (const a of advertises) {
    const got = arrive(advertises, a);
    arrivals.set(a, got);
    if (!a.valid || !a.offers || a.time > treq) continue;
    // Seen by the Request; held then unless the client's link saw it arrive only afterwards.
    if (got.time <= treq) usable.push(a);
    else late.push(a);
  }
  const v: SessionView = {
    session, solicit, t0: solicit.requests[0].time, firstMissed: solicit.firstMissed,
    clientLinkSeen, side: clientLinkSeen ? SIDE_CLIENT : SIDE_RELAY,
    treq, reqFirstMissed: session.request?.firstMissed ?? false, advertises, arrivals, usable, late,
  };
  if (req) {
    v.req = req;
    const c = serverIdOf(req);
    if (c !== undefined) v.chosen = c;
  }
  if (rapidReply) v.rapidReply = rapidReply;
  else if (lateRapid) v.lateRapid = lateRapid;
  return v;
}

/** Where and when the client got an Advertise (arrivalOf). */
export interface Arrival {
  time: number;
  /** Seen on the client's link; false: seen only upstream of it, `time` its first sighting there. */
  seen: boolean;
  /** The later response that showed the delivery, when it is not the Advertise's own sighting. */
  via?: ServerResponse;
}

/**
 * When the client got the Advertise `a`, as far as the capture shows; the time the client's reaction to
 * it counts from (RFC 8415 §18.2.1). Its arrival on the client's link: its own earliest sighting there,
 * which for a relayed Advertise is the relay's delivery, not the Relay-reply seen upstream before it. A
 * relay that delivers later than the copy window leaves its delivery a response of its own: then the
 * first later Advertise from the same server, byte for byte the same, seen on the client's link (`via`),
 * whether before the Request or after it (then the client did not hold it then: SessionView.late).
 * Never seen there (`seen` false): its first sighting, upstream; it may not have reached the client
 * (traps SIDE, LOSS, RELAY), and where only that side was captured its timing is as seen from there.
 */
export function arrivalOf(v: SessionView, a: ServerResponse): Arrival {
  return v.arrivals.get(a) ?? arrive(v.advertises, a);
}

/** arrivalOf for `a` among `same`, the responses of its kind to the Solicit (Advertises, Rapid Commit Replies). */
function arrive(same: readonly ServerResponse[], a: ServerResponse): Arrival {
  const own = linkTime(a);
  if (own !== undefined) return { time: own, seen: true };
  for (const b of same) {
    if (b === a || b.time < a.time || b.server.duid !== a.server.duid) continue;
    const t = linkTime(b);
    if (t !== undefined && sameMessage(a.message, b.message)) return { time: t, seen: true, via: b };
  }
  return { time: a.time, seen: false };
}

/** The earliest sighting of a response on the client's link (no relay level), if any. */
function linkTime(r: ServerResponse): number | undefined {
  if (r.minDepth !== 0) return undefined;
  let t = Infinity;
  for (const s of r.sightings) if (s.relays.length === 0 && s.time < t) t = s.time;
  return t;
}

/**
 * The pref-255 Advertise V6-PREF-255-IMMEDIATE is about: the first usable one to reach the client
 * (arrivalOf: on its link, a relay's delivery rather than the Relay-reply upstream), when it arrived
 * inside the collection period (first RT), or was the first usable Advertise to arrive at all (then the
 * client had to act on it either way). A late Advertise (SessionView.late) may have come another way as
 * early as it was seen upstream: then that one may have been the first. Undefined when no such Advertise.
 */
export function immediate255(v: SessionView, tol: number): ServerResponse | undefined {
  let h: ServerResponse | undefined;
  let th = Infinity;
  let first = Infinity;
  for (const a of v.usable) {
    const t = arrivalOf(v, a).time;
    if (t < first) first = t;
    if (a.preference === 255 && t < th) { h = a; th = t; }
  }
  if (!h) return undefined;
  for (const a of v.late) if (a.time < first) first = a.time;
  if (th <= first) return h;
  if (!v.firstMissed && th < v.t0 + FIRST_RT_MIN - tol) return h; // RFC 8415 §18.2.1: still collecting
  return undefined;
}

export function party(r: ServerResponse): Party {
  return partyOf(r.server)!;
}

/**
 * Whether the Solicit transmission `r` repeats an earlier one byte for byte (Elapsed Time included) and
 * was seen at another capture point (relay depth): the same datagram from a second capture whose clock
 * is off (merged captures), beyond the copy window, rather than a retransmission, which would carry a
 * later Elapsed Time (RFC 8415 §15, §21.9). Run only on a Solicit about to be reported.
 */
export function mayBeCopy(v: SessionView, r: Transmission): boolean {
  for (const p of v.solicit.requests) {
    if (p === r) break;
    if (p.minDepth !== r.minDepth && sameMessage(p.message, r.message)) return true;
  }
  return false;
}

/** V6-PREF-255-IMMEDIATE. */
export function judge255(v: SessionView, tol: number, prompt: number): Judgement | undefined {
  const h = immediate255(v, tol);
  if (!h) return undefined;
  const base = { server: party(h), data: { pref: 255, side: v.side } as Record<string, string | number> };
  const got = arrivalOf(v, h);
  const frames = (...more: Array<Transmission | undefined>) => framesOf(v.solicit.requests[0], h, got.via, ...more);
  if (!got.seen) {
    return { ...base, messageId: 'not-delivered', verdict: 'inconclusive', frames: frames(v.req), time: lastTime(h, v.req) };
  }
  // The client's reaction counts from the Advertise's arrival on its link, not from the Relay-reply.
  const at = got.time;
  // Several servers at 255: a Request to any of them that the client had received is acceptable, though
  // the first one received is expected; its promptness is still judged from the first.
  // A pref-255 Advertise from the chosen server that reached the client's link only after the Request
  // (SessionView.late) may have come another way: it spares the client.
  const chosen255 = (a: ServerResponse) => a.preference === 255 && a.server.duid === v.chosen;
  if (v.req && v.chosen !== undefined && v.chosen !== h.server.duid && !v.usable.some(chosen255) && !v.late.some(chosen255)) {
    if (v.treq - at <= tol) {
      return { ...base, messageId: 'race', verdict: 'inconclusive', frames: frames(v.req), time: v.treq };
    }
    return { ...base, messageId: 'other-server', verdict: 'violation', frames: frames(v.req), time: v.treq };
  }
  let copy: Transmission | undefined;
  for (const r of v.solicit.requests) {
    if (r.time <= at + tol || r.time >= v.treq) continue;
    if (!mayBeCopy(v, r)) return { ...base, messageId: 'retransmitted', verdict: 'violation', frames: frames(r), time: r.time };
    copy ??= r;
  }
  if (copy) return { ...base, messageId: 'copy-unsure', verdict: 'inconclusive', frames: frames(copy), time: copy.time };
  if (v.req) {
    const d = v.treq - at;
    if (d > prompt + tol) {
      const slow = { ...base, data: { ...base.data, delay: Math.round(d * 1000) }, frames: frames(v.req), time: v.treq };
      if (requestMayBeRetransmission(v, d, tol)) return { ...slow, messageId: 'request-missed', verdict: 'inconclusive' };
      return { ...slow, messageId: 'slow', verdict: 'violation' };
    }
    return undefined;
  }
  if (v.session.end !== 'capture-end' || v.session.endTime - at > prompt + tol) {
    return { ...base, messageId: 'no-request', verdict: 'inconclusive', frames: frames(), time: at };
  }
  return undefined;
}

/**
 * Whether the first Request captured, `d` seconds after the Advertise it acted on, may be a retransmission
 * of one the capture missed: its Elapsed Time is above 0 and a Request timeout fits in `d` (trap LOSS).
 */
function requestMayBeRetransmission(v: SessionView, d: number, tol: number): boolean {
  return v.reqFirstMissed && d >= REQ_RT_MIN - tol;
}

/** V6-PREF-COLLECT-FIRST-RT. */
export function judgeCollect(v: SessionView, tol: number, relayTol = tol): Judgement | undefined {
  if (!v.req || v.rapidReply) return undefined;
  if (v.usable.some((a) => a.preference === 255)) return undefined; // the 255 exit (or V6-PREF-255-IMMEDIATE)
  // What the client had by its Request: the Advertises that reached its link by then (a relay's delivery,
  // not the Relay-reply upstream), or that were never seen there but were seen upstream by then.
  const before = v.advertises.filter((a) => arrivalOf(v, a).time <= v.treq);
  if (before.length === 0) return undefined; // the Request was not based on this Solicit's Advertises
  const d = v.treq - v.t0;
  if (d >= FIRST_RT_MIN - (v.clientLinkSeen ? tol : Math.max(tol, relayTol))) return undefined;
  const data = { delay: Math.round(d * 1000), side: v.side };
  // A pref-255 Advertise seen upstream before the Request but on the client's link only after it
  // (SessionView.late) may have reached the client another way: then the early Request was its 255 exit.
  const late255 = v.late.filter((a) => a.preference === 255);
  const frames = framesOf(v.solicit.requests[0], ...withVia(v, before), ...withVia(v, late255), v.req);
  if (v.firstMissed) return { messageId: 'first-missed', verdict: 'inconclusive', frames, time: v.treq, data };
  if (late255.length !== 0) return { messageId: 'late-255', verdict: 'inconclusive', frames, time: v.treq, data, server: party(late255[0]) };
  if (v.lateRapid) {
    // Likewise a Rapid Commit Reply that reached the client's link only after the Request (RFC 8415 §18.2.1).
    const rapid = framesOf(v.solicit.requests[0], ...withVia(v, before), v.lateRapid, rapidVia(v), v.req);
    return { messageId: 'late-rapid', verdict: 'inconclusive', frames: rapid, time: v.treq, data, server: party(v.lateRapid) };
  }
  return { messageId: 'early', verdict: 'violation', frames, time: v.treq, data };
}

/** The later Reply that showed the late Rapid Commit Reply's delivery on the client's link, if another. */
function rapidVia(v: SessionView): ServerResponse | undefined {
  if (!v.lateRapid) return undefined;
  return arrive(v.solicit.responses.filter((r) => r.message.msgType === 7 && r.rapidCommit), v.lateRapid).via;
}

/** Advertises with the later responses that showed their delivery on the client's link (arrivalOf). */
function withVia(v: SessionView, as: readonly ServerResponse[]): Array<ServerResponse | undefined> {
  const out: Array<ServerResponse | undefined> = [];
  for (const a of as) out.push(a, arrivalOf(v, a).via);
  return out;
}

/** V6-PREF-AFTER-FIRST-RT. */
export function judgeAfterFirstRt(v: SessionView, tol: number, prompt: number): Judgement | undefined {
  // Whether the client held an Advertise when it did something counts from the Advertise's arrival on
  // its link (a relay's delivery, perhaps late), not from the Relay-reply seen upstream before it.
  const arrived = v.usable.map((a) => arrivalOf(v, a));
  // What the client did after the pref-255 Advertise V6-PREF-255-IMMEDIATE judges is that rule's; a
  // pref-255 Advertise that rule leaves alone (one that arrived after the collection period, another
  // Advertise in hand) is one more Advertise held here.
  const h255 = immediate255(v, tol);
  const t255 = h255 ? arrivalOf(v, h255).time : Infinity;
  let unsure: Judgement | undefined;
  for (const r of v.solicit.requests.slice(1)) {
    if (r.time >= v.treq) break;
    if (t255 < r.time) return unsure; // V6-PREF-255-IMMEDIATE
    // The first usable Advertise the client's link saw before this retransmission; else the first one
    // seen before it only upstream, never on that link.
    let i = arrived.findIndex((g) => g.seen && g.time + tol < r.time);
    if (i < 0) i = arrived.findIndex((g, j) => !g.seen && v.usable[j].time + tol < r.time);
    if (i < 0) continue;
    const held = v.usable[i];
    const data = { side: v.side };
    if (!arrived[i].seen) {
      return { messageId: 'not-delivered', verdict: 'inconclusive', frames: framesOf(held, r), time: r.time, data, server: party(held) };
    }
    const frames = framesOf(v.solicit.requests[0], held, arrived[i].via, r);
    if (mayBeCopy(v, r)) { // perhaps no retransmission at all: a later one may still prove it
      unsure ??= { messageId: 'copy-unsure', verdict: 'inconclusive', frames, time: r.time, data, server: party(held) };
      continue;
    }
    return { messageId: 'retransmitted', verdict: 'violation', frames, time: r.time, data, server: party(held) };
  }
  if (unsure) return unsure;
  if (!v.req || v.firstMissed || v.usable.length === 0) return undefined;
  // The first usable Advertise to reach the client (RFC 8415 §18.2.1: acted on when it arrives after the first RT).
  let i1 = 0;
  for (let j = 1; j < arrived.length; j++) if (arrived[j].time < arrived[i1].time) i1 = j;
  // Seen only upstream although the client's link was captured: its delivery, unseen, may have come
  // later (a loaded relay, a lost frame), and the Request right after it.
  if (v.clientLinkSeen && !arrived[i1].seen) return undefined;
  const a1 = v.usable[i1];
  const t1 = arrived[i1].time;
  if (t1 < v.t0 + FIRST_RT_MAX + tol) return undefined; // collected during the first RT
  const d = v.treq - t1;
  if (d > prompt + tol) {
    const missed = requestMayBeRetransmission(v, d, tol);
    return {
      messageId: missed ? 'request-missed' : 'slow', verdict: missed ? 'inconclusive' : 'violation', frames: framesOf(a1, arrived[i1].via, v.req), time: v.treq,
      data: { delay: Math.round(d * 1000), side: v.side }, server: party(a1),
    };
  }
  return undefined;
}

/** Which rule owns the client's choice of server, and its judgement. */
export interface ChoiceJudgement extends Judgement {
  rule: 'V6-PREF-IGNORE-EMPTY' | 'V6-PREF-HIGHEST' | 'V6-PREF-ABSENT-IS-ZERO';
}

/**
 * The choice of server: V6-PREF-IGNORE-EMPTY, then (unless a 255 applies) V6-PREF-ABSENT-IS-ZERO /
 * V6-PREF-HIGHEST. The ranking is judged over the Advertises collected in the first RT, so when the
 * client requested before the first RT ended (V6-PREF-COLLECT-FIRST-RT) there was no complete
 * collection to rank: the early Request is the one defect and the ranking stands aside. An empty
 * Advertise chosen is wrong whenever it happens, so V6-PREF-IGNORE-EMPTY does not.
 */
export function judgeChoice(v: SessionView, tol: number, relayTol = tol): ChoiceJudgement | undefined {
  // Four rules ask about the same session in turn (the three choice rules and RED-CLIENT-PREFERENCE).
  if (v === choiceView && tol === choiceTol && relayTol === choiceRelayTol) return choiceMemo;
  const j = judgeChoiceOnce(v, tol, relayTol);
  choiceView = v;
  choiceTol = tol;
  choiceRelayTol = relayTol;
  choiceMemo = j;
  return j;
}

let choiceView: SessionView | undefined;
let choiceTol = NaN;
let choiceRelayTol = NaN;
let choiceMemo: ChoiceJudgement | undefined;

function judgeChoiceOnce(v: SessionView, tol: number, relayTol: number): ChoiceJudgement | undefined {
  if (!v.req || v.chosen === undefined) return undefined;
  // The chosen server's Advertises seen by the Request. Held: those that reached the client's link by
  // then (a relay's delivery, not the Relay-reply upstream), or were never seen there. One seen there
  // only after the Request (SessionView.late) may have come another way: it can spare the client a
  // verdict but never prove one (chosen-late, inconclusive).
  const fromChosen = v.advertises.filter((a) => a.server.duid === v.chosen && a.time <= v.treq);
  if (fromChosen.length === 0) return undefined; // RED-CLIENT-PREFERENCE (unadvertised server)
  const held = (a: ServerResponse) => arrivalOf(v, a).time <= v.treq;
  const usableChosen = fromChosen.filter((a) => a.valid && a.offers);
  const heldUsable = usableChosen.filter(held);
  const heldValid = fromChosen.some((a) => a.valid && held(a));
  if (heldUsable.length === 0 && (usableChosen.length === 0 || heldValid)) {
    // RFC 8415 §18.2.9: an Advertise offering nothing takes no part in the choice.
    if (!fromChosen.some((a) => a.valid)) return undefined; // chose a server whose Advertise was invalid for it: not a preference matter
    const e = fromChosen[fromChosen.length - 1];
    const frames = framesOf(v.solicit.requests[0], ...withVia(v, fromChosen), v.req);
    const base = { rule: 'V6-PREF-IGNORE-EMPTY' as const, frames, time: v.treq, server: party(e) };
    if (!hasIa(v.solicit.requests[0])) return { ...base, messageId: 'no-ia', verdict: 'inconclusive' };
    if (usableChosen.length === 0 && heldValid) return { ...base, messageId: 'empty-chosen', verdict: 'violation' };
    return { ...base, messageId: 'chosen-late', verdict: 'inconclusive' }; // what it held from that server is unknown
  }
  if (immediate255(v, tol)) return undefined; // V6-PREF-255-IMMEDIATE owns the choice
  if (judgeCollect(v, tol, relayTol)) return undefined; // no complete collection to rank (RFC 8415 §18.2.1)
  const chosenAdv = heldUsable.length !== 0 ? heldUsable[heldUsable.length - 1] : usableChosen[usableChosen.length - 1];
  const window = v.firstMissed ? v.treq : Math.min(v.treq, v.t0 + FIRST_RT_MIN - tol);
  // Collected in the first RT: arrived on the client's link by then (a relay's delivery, not the
  // Relay-reply upstream; a delivery seen after the Request too, which was no candidate either), or
  // seen by then only upstream, never on that link (then it may or may not have arrived: not-delivered).
  const candidates = v.usable.filter((a) => arrivalOf(v, a).time <= window);
  if (!v.firstMissed && candidates.length === 0) return undefined; // nothing collected in the first RT: V6-PREF-AFTER-FIRST-RT
  const maxPref = Math.max(chosenAdv.preference, ...candidates.map((a) => a.preference));
  if (chosenAdv.preference >= maxPref) return undefined;
  const best = candidates.find((a) => a.preference === maxPref)!;
  // The chosen Advertise reached the client's link only after the Request, or one that did so would
  // rank with the best: what the client held from that server is unknown.
  const lateRanked = usableChosen.filter((a) => !held(a) && a.preference >= maxPref);
  const chosenLate = heldUsable.length === 0 || lateRanked.length !== 0;
  const frames = framesOf(v.solicit.requests[0], best, arrivalOf(v, best).via, ...withVia(v, [chosenAdv, ...lateRanked]), v.req);
  const absent = chosenAdv.preferenceState === 'absent' && best.preferenceState === 'ok';
  const rule = absent ? 'V6-PREF-ABSENT-IS-ZERO' : 'V6-PREF-HIGHEST';
  const data = { chosen: chosenAdv.preference, best: maxPref, bestServer: best.server.duid ?? best.server.address ?? '?' };
  if (v.firstMissed || !arrivalOf(v, best).seen || chosenLate) {
    const messageId = v.firstMissed ? 'first-missed' : !arrivalOf(v, best).seen ? 'not-delivered' : 'chosen-late';
    return { rule, messageId, verdict: 'inconclusive', frames, time: v.treq, data, server: party(chosenAdv) };
  }
  let messageId = 'lower';
  if (!absent) {
    const mine = leasesOf(chosenAdv);
    const theirs = new Set(leasesOf(best));
    if (mine.length < theirs.size) messageId = 'lower-subset';
  }
  return { rule, messageId, verdict: 'violation', frames, time: v.treq, data, server: party(chosenAdv) };
}

/**
 * RED-CLIENT-PREFERENCE: only when none of the V6-PREF-* judgements above has anything to say, about a
 * Request to a server the client held no valid Advertise from (RFC 6853 §5.3; RFC 8415 §18.2.1,
 * §18.2.9): one that never advertised; one whose Advertises all came after the Request; one whose
 * Advertises before it were all invalid for the client, which discards them (RFC 8415 §16.3). A valid
 * Advertise from the chosen server seen by the Request makes the choice judgeChoice's (or a late
 * delivery's, undecidable): then this rule stands aside.
 */
export function judgeRedClient(v: SessionView, tol: number, prompt: number, relayTol = tol): Judgement | undefined {
  if (judge255(v, tol, prompt) || judgeCollect(v, tol, relayTol) || judgeAfterFirstRt(v, tol, prompt) || judgeChoice(v, tol, relayTol)) return undefined;
  if (!v.req || v.chosen === undefined) return undefined;
  const fromChosen = v.advertises.filter((a) => a.server.duid === v.chosen);
  const before = fromChosen.filter((a) => a.time <= v.treq);
  if (before.some((a) => a.valid)) return undefined;
  const servers = new Map<string, ServerResponse>();
  for (const a of v.usable) if (a.server.duid !== undefined && !servers.has(a.server.duid)) servers.set(a.server.duid, a);
  if (servers.size < 2 || new Set([...servers.values()].map((a) => a.preference)).size < 2) return undefined;
  const best = Math.max(...[...servers.values()].map((a) => a.preference));
  const data: Record<string, string | number> = { servers: servers.size, best };
  // The chosen server's Advertises that make the case: the invalid ones before the Request, else the
  // first one after it.
  const shown = before.length !== 0 ? before : fromChosen.slice(0, 1);
  const frames = framesOf(v.solicit.requests[0], ...servers.values(), ...shown, v.req);
  // Trap SIDE / LOSS: every Advertise that ranks must have been seen on the client's link. So must an
  // invalid one of the chosen server (its octets as the client got them); one first seen anywhere only
  // after the Request reached the client later still, wherever it was seen. Trap TRUNC: an Advertise
  // without a Client-ID that the snaplen cut (or that was malformed) may have carried one in the octets
  // lost; a Client-ID captured and naming another client decides.
  const unsure = !v.clientLinkSeen || [...servers.values()].some((a) => a.minDepth > 0)
    || (before.length !== 0 && before.some((a) => a.minDepth > 0 || (a.damage !== undefined && a.clientId !== 'mismatch')));
  // No `server` on these findings: what the Request did is judged the same whether or not the capture
  // goes on to show the chosen server advertising after it (a prefix of the capture decides as much).
  if (fromChosen.length === 0) {
    return { messageId: unsure ? 'unadvertised-unsure' : 'unadvertised', verdict: unsure ? 'inconclusive' : 'violation', frames, time: v.treq, data };
  }
  if (before.length === 0) data.after = Math.round((shown[0].time - v.treq) * 1000);
  const messageId = before.length !== 0 ? 'invalid-advertise' : 'advertised-after';
  if (unsure) return { messageId: before.length !== 0 ? 'chosen-unsure' : 'unadvertised-unsure', verdict: 'inconclusive', frames, time: v.treq, data };
  return { messageId, verdict: 'violation', frames, time: v.treq, data };
}

/** Tolerance (s) from a rule's options. */
export function tolerance(options: Readonly<Record<string, unknown>>): number {
  const t = options.tolerance;
  return typeof t === 'number' && t >= 0 ? t : 0.05;
}

/**
 * Tolerance (s) for timing seen only upstream of the client (trap SIDE: the relay's first forward may
 * wait for neighbour discovery, so relay-side gaps are looser): option `relayTolerance`.
 */
export function relayTolerance(options: Readonly<Record<string, unknown>>): number {
  const t = options.relayTolerance;
  return typeof t === 'number' && t >= 0 ? t : 0.25;
}

export function promptness(options: Readonly<Record<string, unknown>>): number {
  const t = options.promptness;
  return typeof t === 'number' && t >= 0 ? t : 0.2;
}

/** Reports a judgement for a client (scope: the client's DUID or address). */
export function reportJudgement(
  ctx: { report(d: import('../engine/types.js').ReportDescriptor): void },
  j: Judgement, client: Party | undefined, xid: number | undefined,
): void {
  const d: import('../engine/types.js').ReportDescriptor = { messageId: j.messageId, verdict: j.verdict, frames: j.frames, time: j.time };
  if (j.data) d.data = j.data;
  if (xid !== undefined) d.xid = xid;
  const c = partyOf(client);
  if (c) d.client = c;
  if (j.server) d.server = partyOf(j.server);
  ctx.report(d);
}

/**
 * A check for one of the rules that judgeChoice assigns a defective server choice to (IGNORE-EMPTY,
 * ABSENT-IS-ZERO, HIGHEST): the choice is judged once per session and reported only by its owner.
 */
export function choiceRule(id: ChoiceJudgement['rule']): import('../engine/types.js').RuleModule<import('../correlate/events.js').Events> {
  return {
    create(ctx) {
      const tol = tolerance(ctx.options);
      const relayTol = relayTolerance(ctx.options); // the same boundary as V6-PREF-COLLECT-FIRST-RT's default
      return {
        'session:end': (s) => {
          const j = judgeChoice(viewOf(s), tol, relayTol); // RFC 8415 §18.2.9
          if (j && j.rule === id) reportJudgement(ctx, j, s.client, s.solicit.xid);
        },
      };
    },
  };
}

/**
 * Why a server must discard this Solicit (RFC 8415 §16.2), judged on its first transmission: it
 * lacks a Client-ID, or it names a server. Undefined for a valid Solicit and for other message types.
 * V6-VAL-SOLICIT reports answers to such Solicits; the rules about a response's contents stand aside.
 */
export function solicitDefect(tx: UdpTransaction): 'no-client-id' | 'server-id' | undefined {
  if (tx.msgType !== 1) return undefined;
  const m = tx.requests[0].message;
  if (!hasOption(m, 1)) return 'no-client-id';
  if (hasOption(m, 2)) return 'server-id';
  return undefined;
}

/** Top-level options a status-only answer may carry besides its Status Code: Client-ID, Server-ID. */
const STATUS_ONLY_EXTRA: ReadonlySet<number> = new Set([1, 2]);

/**
 * Whether a response is a bare status answer: its first top-level Status Code is `code` and it carries
 * nothing but that, a Server-ID and a Client-ID (the UnspecFail answer RFC 8415 §16 allows for an
 * invalid message; the UseMulticast answer of §18.4).
 */
function statusOnly(r: Transmission, code: number): boolean {
  let status: number | undefined;
  for (const o of r.message.options) {
    if (o.code === 13) {
      if (status === undefined) status = o.data.length >= 2 && !o.anomalies?.length ? (o.data[0] << 8) | o.data[1] : -1;
    } else if (!STATUS_ONLY_EXTRA.has(o.code)) {
      return false;
    }
  }
  return status === code;
}

/** What the capture shows of a response being a bare status answer (statusOnlyAsSeen). */
export type StatusOnlySeen = 'yes' | 'no' | 'unknown';

/**
 * statusOnly as far as the capture shows it. A whole response answers `yes` or `no`. One the snaplen
 * cut (trap TRUNC) answers `no` when its captured part already rules a bare status answer out: an
 * option besides Client-ID, Server-ID and Status Code, or a first Status Code whose code octets were
 * captured and are not `code`. Otherwise `unknown`: the options lost may be all it lacks, or what
 * makes it more. (A malformed but whole response is judged as it is: the server sent those octets.)
 */
export function statusOnlyAsSeen(r: Transmission, code: number): StatusOnlySeen {
  if (r.damage !== 'truncated') return statusOnly(r, code) ? 'yes' : 'no';
  let first = true;
  for (const o of r.message.options) {
    if (o.code === 13) {
      if (!first) continue;
      first = false;
      const seen = optionBodyLength(o);
      if (seen >= 2 && o.length >= 2 && optionU16(o, 0) !== code) return 'no';
      if (seen === o.length && o.length < 2) return 'no'; // whole and too short: the server's own defect
    } else if (!STATUS_ONLY_EXTRA.has(o.code)) {
      return 'no'; // its header was captured: the server sent it
    }
  }
  return 'unknown';
}

/** A response's server as one text (DUID, else address), to report each server once per transaction. */
export function serverKey(r: ServerResponse): string {
  return r.server.duid ?? r.server.address ?? '';
}

/**
 * The answer to judge from each server of a transaction, in the order the servers first answered: its
 * first answer that `decides` (e.g. one the snaplen did not cut), else (and without `decides`) its
 * first. A server's later answers repeat its first (retransmissions: the same defect), so one answer a
 * server is judged on.
 */
export function answerPerServer(responses: readonly ServerResponse[], decides?: (r: ServerResponse) => boolean): ServerResponse[] {
  const keys: string[] = [];
  const out: ServerResponse[] = [];
  for (const r of responses) {
    const key = serverKey(r);
    const i = keys.indexOf(key);
    if (i < 0) { keys.push(key); out.push(r); } else if (decides !== undefined && !decides(out[i]) && decides(r)) out[i] = r;
  }
  return out;
}
