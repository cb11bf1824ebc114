// Registry of bulk leasequery (RFC 5460, RFC 7653) and DECODE-* checks: rule id → module.
import type { RuleModule } from '../engine/types.js';
import type { Events } from '../correlate/events.js';
import { check as blqCompletionState } from './rfc5460/blq-completion-state.js';
import { check as blqDataAfterReply } from './rfc5460/blq-data-after-reply.js';
import { check as blqDataHasClientData } from './rfc5460/blq-data-has-client-data.js';
import { check as blqDataNoRedundantOptions } from './rfc5460/blq-data-no-redundant-options.js';
import { check as blqDataOnlyAfterSuccess } from './rfc5460/blq-data-only-after-success.js';
import { check as blqDirection } from './rfc5460/blq-direction.js';
import { check as blqDoneAfterBindings } from './rfc5460/blq-done-after-bindings.js';
import { check as blqDoneContents } from './rfc5460/blq-done-contents.js';
import { check as blqDoneLast } from './rfc5460/blq-done-last.js';
import { check as blqDoneNotAfterErrorReply } from './rfc5460/blq-done-not-after-error-reply.js';
import { check as blqEmptyReplyForm } from './rfc5460/blq-empty-reply-form.js';
import { check as blqErrorAfterReply } from './rfc5460/blq-error-after-reply.js';
import { check as blqErrorBeforeReply } from './rfc5460/blq-error-before-reply.js';
import { check as blqFrameSize } from './rfc5460/blq-frame-size.js';
import { check as blqMsgtypesAllowed } from './rfc5460/blq-msgtypes-allowed.js';
import { check as blqNoClientLink } from './rfc5460/blq-no-client-link.js';
import { check as blqNoDoneAfterEmpty } from './rfc5460/blq-no-done-after-empty.js';
import { check as blqParallel } from './rfc5460/blq-parallel.js';
import { check as blqPortDefault } from './rfc5460/blq-port-default.js';
import { check as blqQtLinkFilterNotconfigured } from './rfc5460/blq-qt-link-filter-notconfigured.js';
import { check as blqQtLinkaddr } from './rfc5460/blq-qt-linkaddr.js';
import { check as blqQtRelayidOption } from './rfc5460/blq-qt-relayid-option.js';
import { check as blqQtRemoteidOption } from './rfc5460/blq-qt-remoteid-option.js';
import { check as blqReplyFirstBinding } from './rfc5460/blq-reply-first-binding.js';
import { check as blqReplyIds } from './rfc5460/blq-reply-ids.js';
import { check as blqReqCloseOnUnknownDone } from './rfc5460/blq-req-close-on-unknown-done.js';
import { check as blqSrvCloseAfterPeerClose } from './rfc5460/blq-srv-close-after-peer-close.js';
import { check as blqReqRetryBackoff } from './rfc5460/blq-req-retry-backoff.js';
import { check as blqSrvCloseOnAbort } from './rfc5460/blq-srv-close-on-abort.js';
import { check as blqSrvMaxConns } from './rfc5460/blq-srv-max-conns.js';
import { check as blqSrvRejectUnpermitted } from './rfc5460/blq-srv-reject-unpermitted.js';
import { check as blqSingleReply } from './rfc5460/blq-single-reply.js';
import { check as blqXidData } from './rfc5460/blq-xid-data.js';
import { check as blqXidDone } from './rfc5460/blq-xid-done.js';
import { check as blqXidReply } from './rfc5460/blq-xid-reply.js';
import { check as blqXidUnique } from './rfc5460/blq-xid-unique.js';
import { check as alqBaseTimeEveryReply } from './rfc7653/alq-base-time-every-reply.js';
import { check as alqDoneTerminates } from './rfc7653/alq-done-terminates.js';
import { check as alqEndTimeForbidden } from './rfc7653/alq-end-time-forbidden.js';
import { check as alqKeepalive } from './rfc7653/alq-keepalive.js';
import { check as alqNotSupported } from './rfc7653/alq-not-supported.js';
import { check as alqOneActivePerConn } from './rfc7653/alq-one-active-per-conn.js';
import { check as alqSingleReplyAndCatchup } from './rfc7653/alq-single-reply-and-catchup.js';
import { check as alqStartTls } from './rfc7653/alq-starttls.js';
import { check as decodeCapture } from './decoder/decode-capture.js';
import { check as decodeDhcpv6 } from './decoder/decode-dhcpv6.js';
import { check as decodeIp } from './decoder/decode-ip.js';
import { check as decodeLimit } from './decoder/decode-limit.js';
import { check as decodeLink } from './decoder/decode-link.js';
import { check as decodeTcp } from './decoder/decode-tcp.js';

export const bulkRules: Array<[string, RuleModule<Events>]> = [
  ['ALQ-BASE-TIME-EVERY-REPLY', alqBaseTimeEveryReply],
  ['ALQ-DONE-TERMINATES', alqDoneTerminates],
  ['ALQ-END-TIME-FORBIDDEN', alqEndTimeForbidden],
  ['ALQ-KEEPALIVE', alqKeepalive],
  ['ALQ-NOT-SUPPORTED', alqNotSupported],
  ['ALQ-ONE-ACTIVE-PER-CONN', alqOneActivePerConn],
  ['ALQ-SINGLE-REPLY-AND-CATCHUP', alqSingleReplyAndCatchup],
  ['ALQ-STARTTLS', alqStartTls],
  ['BLQ-COMPLETION-STATE', blqCompletionState],
  ['BLQ-DATA-AFTER-REPLY', blqDataAfterReply],
  ['BLQ-DATA-HAS-CLIENT-DATA', blqDataHasClientData],
  ['BLQ-DATA-NO-REDUNDANT-OPTIONS', blqDataNoRedundantOptions],
  ['BLQ-DATA-ONLY-AFTER-SUCCESS', blqDataOnlyAfterSuccess],
  ['BLQ-DIRECTION', blqDirection],
  ['BLQ-DONE-AFTER-BINDINGS', blqDoneAfterBindings],
  ['BLQ-DONE-CONTENTS', blqDoneContents],
  ['BLQ-DONE-LAST', blqDoneLast],
  ['BLQ-DONE-NOT-AFTER-ERROR-REPLY', blqDoneNotAfterErrorReply],
  ['BLQ-EMPTY-REPLY-FORM', blqEmptyReplyForm],
  ['BLQ-ERROR-AFTER-REPLY', blqErrorAfterReply],
  ['BLQ-ERROR-BEFORE-REPLY', blqErrorBeforeReply],
  ['BLQ-FRAME-SIZE', blqFrameSize],
  ['BLQ-MSGTYPES-ALLOWED', blqMsgtypesAllowed],
  ['BLQ-NO-CLIENT-LINK', blqNoClientLink],
  ['BLQ-NO-DONE-AFTER-EMPTY', blqNoDoneAfterEmpty],
  ['BLQ-PARALLEL', blqParallel],
  ['BLQ-PORT-DEFAULT', blqPortDefault],
  ['BLQ-QT-LINK-FILTER-NOTCONFIGURED', blqQtLinkFilterNotconfigured],
  ['BLQ-QT-LINKADDR', blqQtLinkaddr],
  ['BLQ-QT-RELAYID-OPTION', blqQtRelayidOption],
  ['BLQ-QT-REMOTEID-OPTION', blqQtRemoteidOption],
  ['BLQ-REPLY-FIRST-BINDING', blqReplyFirstBinding],
  ['BLQ-REPLY-IDS', blqReplyIds],
  ['BLQ-REQ-CLOSE-ON-UNKNOWN-DONE', blqReqCloseOnUnknownDone],
  ['BLQ-REQ-RETRY-BACKOFF', blqReqRetryBackoff],
  ['BLQ-SINGLE-REPLY', blqSingleReply],
  ['BLQ-SRV-CLOSE-AFTER-PEER-CLOSE', blqSrvCloseAfterPeerClose],
  ['BLQ-SRV-CLOSE-ON-ABORT', blqSrvCloseOnAbort],
  ['BLQ-SRV-MAX-CONNS', blqSrvMaxConns],
  ['BLQ-SRV-REJECT-UNPERMITTED', blqSrvRejectUnpermitted],
  ['BLQ-XID-DATA', blqXidData],
  ['BLQ-XID-DONE', blqXidDone],
  ['BLQ-XID-REPLY', blqXidReply],
  ['BLQ-XID-UNIQUE', blqXidUnique],
  ['DECODE-CAPTURE', decodeCapture],
  ['DECODE-DHCPV6', decodeDhcpv6],
  ['DECODE-IP', decodeIp],
  ['DECODE-LIMIT', decodeLimit],
  ['DECODE-LINK', decodeLink],
  ['DECODE-TCP', decodeTcp],
];
