// Bulk leasequery events (RFC 5460): what the bulk correlator (bulk.ts) tells the rules about each
// TCP connection, each query (RFC 5460 §6.3.1 state machine) and each server message placed by xid.
import type { MessageRecord, Dhcpv6Anomaly } from '../dhcpv6/types.js';
import type { TcpCloseReason, TcpConnection } from '../net/types.js';

/** Which end of a bulk connection: the requestor opened it (SYN sender), the server accepted it. */
export type BulkRole = 'requestor' | 'server';

/**
 * Where a query stands (RFC 5460 §6.3.1): `open` (asked, no REPLY yet), `streaming` (successful
 * REPLY with OPTION_CLIENT_DATA, DONE expected; or a REPLY to an RFC 7653 ACTIVELEASEQUERY that is
 * successful or says DataMissing, whose updates run until a DONE or a close, §8.4, §8.4.1, §9.3), then final:
 * `complete-empty` (REPLY without CLIENT_DATA, success or error), `complete-done`, `complete-by-close`
 * (the connection closed first; a streaming active query ends at either end's first FIN or RST),
 * `incomplete` (the capture ended, or a timeout/limit/reuse of the 4-tuple stopped the following).
 */
export type QueryState = 'open' | 'streaming' | 'complete-empty' | 'complete-done' | 'complete-by-close' | 'incomplete';

/** How a connection stopped being followed, and by whom. */
export interface BulkClose {
  reason: TcpCloseReason;
  /** The end that closed first (first FIN or the RST); absent for capture-end, timeout, limit, reused. */
  by?: BulkRole;
  /** An RST ended it, sent by this end. */
  rstBy?: BulkRole;
  frame: number;
  time: number;
  /** Octets of an unfinished message left per direction (0 requestor→server, 1 server→requestor). */
  pending: [number, number];
}

/** One followed bulk leasequery connection. Mutable: it is the correlator's own state, read-only to rules. */
export interface BulkConnection {
  readonly tcp: TcpConnection;
  /** `[requestor]:port > [server]:port`. */
  readonly label: string;
  /** Index of the input capture. */
  input: number;
  /** The connection's start was not captured (no SYN, or data before any SYN): earlier queries may be unseen. */
  readonly startUnseen: boolean;
  /** The roles come from the SYN (true) or were inferred (port 547, first message types). */
  readonly rolesKnown: boolean;
  /** Gaps and desyncs seen so far per direction [requestor→server, server→requestor]. */
  losses: [number, number];
  /** Frame of the last gap/desync per direction (0 = none). */
  lastLossFrame: [number, number];
  /** Frame of the FIN per direction (0 = none). */
  fin: [number, number];
  /** Frame of a FIN that came inside a message, per direction (0 = none; see `bulk:loss` kind `cut`). */
  cut: [number, number];
  /** The xid of the message that FIN cut short, per direction (-1: none, or fewer than 6 of its octets came). */
  cutXid: [number, number];
  /** Frame of the RST per direction (0 = none). */
  rst: [number, number];
  /** Set once the connection is closed. */
  closed?: BulkClose;
  /** Queries (LEASEQUERY messages) seen on the connection. */
  queries: number;
  /** Server messages so far (REPLY, DATA, DONE or other). */
  serverMessages: number;
  /** Queries the server has brought to a final state (final REPLY or DONE) so far. */
  serverCompletions: number;
  /**
   * Queries seen on the connection (not phantoms) that are still waiting for the server (`open` or
   * `streaming`); a query the open-query limit kept from being followed is not counted.
   */
  outstanding: number;
  /** A state limit (bulk.max-open-queries) dropped a query, or completed ones were forgotten: unmatched xids are not proof. */
  limited: boolean;
}

/** One query: a LEASEQUERY and its answer, keyed by (connection, xid). */
export interface BulkQuery {
  readonly xid: number;
  readonly conn: BulkConnection;
  /** Order of the query on its connection, from 1 (phantoms: 0). */
  readonly seq: number;
  /**
   * No LEASEQUERY was seen for this xid: created from a server message (mid-stream start, loss, or a
   * server xid error). Sequencing rules stand aside for phantoms.
   */
  readonly phantom: boolean;
  /** The LEASEQUERY (absent for phantoms). */
  readonly query?: MessageRecord;
  /** msg-type of the request: 14 LEASEQUERY (22 ACTIVELEASEQUERY under RFC 7653). */
  readonly requestType?: number;
  /** OPTION_LQ_QUERY query-type, when the query has one. */
  readonly queryType?: number;
  /** Later LEASEQUERY frames with the same xid while this one was outstanding (BLQ-XID-UNIQUE). */
  duplicateFrames: number[];
  /** The first LEASEQUERY-REPLY. */
  reply?: MessageRecord;
  /** How many REPLYs arrived for it (more than one breaks BLQ-SINGLE-REPLY). */
  replies: number;
  /** Top-level status of the first REPLY (0 when absent: RFC 5007 §4.3.3). */
  status?: number;
  /** The first REPLY carried OPTION_CLIENT_DATA. */
  replyHasClientData: boolean;
  /** LEASEQUERY-DATA count and frames of the first and last. */
  data: number;
  firstDataFrame: number;
  lastDataFrame: number;
  /** The DONE that ended it. */
  done?: MessageRecord;
  /** DONEs received (more than one breaks BLQ-DONE-AFTER-BINDINGS). */
  dones: number;
  /** A DONE came before the REPLY. */
  prematureDone: boolean;
  state: QueryState;
  /** Frame and time of the query's last message (query or answer). */
  lastFrame: number;
  lastTime: number;
  /** conn.serverCompletions when this query last heard from the server. */
  completionsAtLast: number;
  /** conn.losses (both directions summed) when the query record was made: later losses make evidence uncertain. */
  readonly lossesAtStart: number;
}

/** Where a server message falls in its query's sequence. */
export type Placement =
  | 'valid'          // where the RFC puts it
  | 'before-reply'   // DATA/DONE before the query's REPLY
  | 'after-empty'    // after a successful REPLY without CLIENT_DATA (never for an active query)
  | 'after-error'    // after a REPLY with an error status
  | 'after-done'     // after the query's DONE
  | 'second';        // a second REPLY (before DONE), or a second DONE

interface BulkBase {
  conn: BulkConnection;
  frame: number;
  time: number;
}

/** A server message matched to a query by xid. */
export interface BulkAnswerEvent extends BulkBase {
  query: BulkQuery;
  record: MessageRecord;
  placement: Placement;
  /** The capture may miss evidence (loss in either direction since the query was made). */
  certain: boolean;
}

export interface BulkEvents {
  /** A connection starts being followed as bulk leasequery; always before its first `bulk:message`. */
  'bulk:open': BulkBase;
  /** Every DHCPv6 message on a bulk connection (after the core `message` event), with its sender's role. */
  'bulk:message': BulkBase & {
    record: MessageRecord;
    role: BulkRole;
    /** The message is the first after a resync of its direction (framing found again heuristically). */
    afterResync: boolean;
  };
  /** A LEASEQUERY (or ACTIVELEASEQUERY) from the requestor. */
  'bulk:query': BulkBase & {
    query: BulkQuery;
    record: MessageRecord;
    /** The xid was used before on this connection: by a query still outstanding, or by a completed one. */
    reuse?: { previous: BulkQuery; outstanding: boolean; certain: boolean };
    /** False when the open-query limit kept it from being tracked. */
    tracked: boolean;
  };
  /** A LEASEQUERY-REPLY for a known xid (placement: valid, second, after-done). */
  'bulk:reply': BulkAnswerEvent;
  /** A LEASEQUERY-DATA for a known xid. */
  'bulk:data': BulkAnswerEvent;
  /** A LEASEQUERY-DONE for a known xid. */
  'bulk:done': BulkAnswerEvent;
  /**
   * A server REPLY/DATA/DONE whose xid no query on the connection has (the BLQ-XID-* trigger). A
   * phantom query is made for it, so later messages with that xid are not reported again.
   */
  'bulk:unmatched': BulkBase & {
    record: MessageRecord;
    kind: 'reply' | 'data' | 'done';
    query: BulkQuery;
    /** False when the query may simply be unseen: start not captured, requestor-side loss, state limit. */
    certain: boolean;
  };
  /** A query reached a final state. */
  'bulk:query-end': BulkBase & {
    query: BulkQuery;
    state: Exclude<QueryState, 'open' | 'streaming'>;
    /**
     * For complete-by-close and incomplete: how the connection ended (absent for a streaming active
     * query ended by a FIN or RST: the connection's end is still to come).
     */
    close?: BulkClose;
    /** False when the capture may miss the evidence (loss since the query, or server bytes pending at the end). */
    certain: boolean;
  };
  /** Bytes lost (gap), framing lost (desync) or found again (resync) in one direction. */
  'bulk:loss': BulkBase & {
    dir: 0 | 1;
    /**
     * gap: octets missing from the capture; desync: framing lost; resync: framing found again; cut:
     * the sender's FIN came inside a message (nothing is missing: the sender stopped mid-message).
     */
    kind: 'gap' | 'desync' | 'resync' | 'cut';
    /** gap: octets missing; resync: octets skipped. */
    size?: number;
    /** desync, cut: the framing problem. */
    anomaly?: Dhcpv6Anomaly;
    /** cut: the frames that carried the part-message, then the FIN's. */
    frames?: number[];
    /** The direction had a gap (or the connection started mid-stream with no message yet) before this desync. */
    afterLoss: boolean;
  };
  'bulk:fin': BulkBase & {
    by: BulkRole;
    /**
     * `conn.outstanding` when the FIN came: the queries the server still owes answers to (streaming
     * active queries, which this FIN ends, are no longer counted).
     */
    outstanding: number;
  };
  'bulk:rst': BulkBase & { by: BulkRole };
  /** The connection is finished; query-end events for its open queries come just before. */
  'bulk:close': BulkBase & { close: BulkClose };
}
