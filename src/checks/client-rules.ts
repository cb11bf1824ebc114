// Registry of client-session (RFC 8415, RFC 6853) and UDP leasequery (RFC 5007, RFC 5460 §3-4 over UDP) checks.
import type { RuleModule } from '../engine/types.js';
import type { Events } from '../correlate/events.js';
import { v6Pref255Immediate } from './rfc8415/v6-pref-255-immediate.js';
import { v6PrefAbsentIsZero } from './rfc8415/v6-pref-absent-is-zero.js';
import { v6PrefAfterFirstRt } from './rfc8415/v6-pref-after-first-rt.js';
import { v6PrefCollectFirstRt } from './rfc8415/v6-pref-collect-first-rt.js';
import { v6PrefHighest } from './rfc8415/v6-pref-highest.js';
import { v6PrefIgnoreEmpty } from './rfc8415/v6-pref-ignore-empty.js';
import { v6PrefOptionFormat } from './rfc8415/v6-pref-option-format.js';
import { v6RelayHopcount } from './rfc8415/v6-relay-hopcount.js';
import { v6RelayIfidEcho } from './rfc8415/v6-relay-ifid-echo.js';
import { v6RelayLinkaddrIfid } from './rfc8415/v6-relay-linkaddr-ifid.js';
import { v6RelayDestinations } from './rfc8415/v6-relay-destinations.js';
import { v6ElapsedTime } from './rfc8415/v6-elapsed-time.js';
import { v6RtxBackoff } from './rfc8415/v6-rtx-backoff.js';
import { v6RtxRateLimit } from './rfc8415/v6-rtx-rate-limit.js';
import { v6RtxRequestLimits } from './rfc8415/v6-rtx-request-limits.js';
import { v6RtxT1t2Zero } from './rfc8415/v6-rtx-t1t2-zero.js';
import { v6RelayNoModify } from './rfc8415/v6-relay-no-modify.js';
import { v6RelayStructure } from './rfc8415/v6-relay-structure.js';
import { v6RtxFirstRtSolicit } from './rfc8415/v6-rtx-first-rt-solicit.js';
import { v6RequestContents } from './rfc8415/v6-request-contents.js';
import { v6SolicitContents } from './rfc8415/v6-solicit-contents.js';
import { v6SrvAdvertiseIaStatus } from './rfc8415/v6-srv-advertise-ia-status.js';
import { v6ValInforeqNoIa } from './rfc8415/v6-val-inforeq-no-ia.js';
import { v6ValRequestServerid } from './rfc8415/v6-val-request-serverid.js';
import { v6ValResponseIds } from './rfc8415/v6-val-response-ids.js';
import { v6ValSolicit } from './rfc8415/v6-val-solicit.js';
import { v6ValUnknownMsgtype } from './rfc8415/v6-val-unknown-msgtype.js';
import { v6ValMulticastOnlyTypes } from './rfc8415/v6-val-multicast-only-types.js';
import { v6SrvT1t2Consistent } from './rfc8415/v6-srv-t1t2-consistent.js';
import { v6SrvNoCachedReplies } from './rfc8415/v6-srv-no-cached-replies.js';
import { lqSrvDiscardInvalid } from './rfc5007/lq-srv-discard-invalid.js';
import { v6XidAdvertise } from './rfc8415/v6-xid-advertise.js';
import { v6XidReply } from './rfc8415/v6-xid-reply.js';
import { v6XidReconfigure } from './rfc8415/v6-xid-reconfigure.js';
import { v6XidRetransmitSame } from './rfc8415/v6-xid-retransmit-same.js';
import { v6XidRandom } from './rfc8415/v6-xid-random.js';
import { redClientPreference } from './rfc6853/red-client-preference.js';
import { redNonselectedDiscard } from './rfc6853/red-nonselected-discard.js';
import { redRelayMultiDest } from './rfc6853/red-relay-multi-dest.js';
import { redServerPreferenceSupport } from './rfc6853/red-server-preference-support.js';
import { redStatefulClient } from './rfc6853/red-stateful-client.js';
import { lqClientDataLeases } from './rfc5007/lq-client-data-leases.js';
import { lqClientDataMinimum } from './rfc5007/lq-client-data-minimum.js';
import { lqClientLinkMulti } from './rfc5007/lq-client-link-multi.js';
import { lqQtAddressOption } from './rfc5007/lq-qt-address-option.js';
import { lqQtClientidOption } from './rfc5007/lq-qt-clientid-option.js';
import { lqQueryStructure } from './rfc5007/lq-query-structure.js';
import { lqRelayDataFormat } from './rfc5007/lq-relay-data-format.js';
import { lqReqContents } from './rfc5007/lq-req-contents.js';
import { lqReplyValidation } from './rfc5007/lq-reply-validation.js';
import { lqRetransmission } from './rfc5007/lq-retransmission.js';
import { lqSrvMalformedQuery } from './rfc5007/lq-srv-malformed-query.js';
import { lqSrvUnknownQueryType } from './rfc5007/lq-srv-unknown-query-type.js';
import { lqTrustedRequestors } from './rfc5007/lq-trusted-requestors.js';
import { blqNoRelaying } from './rfc5460/blq-no-relaying.js';
import { blqQtNotOverUdpRequestor } from './rfc5460/blq-qt-not-over-udp-requestor.js';
import { blqQtNotOverUdpServer } from './rfc5460/blq-qt-not-over-udp-server.js';
import { blqRelayidInRelayforw } from './rfc5460/blq-relayid-in-relayforw.js';

export const clientRules: Array<[string, RuleModule<Events>]> = [
  ['V6-PREF-255-IMMEDIATE', v6Pref255Immediate],
  ['V6-PREF-ABSENT-IS-ZERO', v6PrefAbsentIsZero],
  ['V6-PREF-AFTER-FIRST-RT', v6PrefAfterFirstRt],
  ['V6-PREF-COLLECT-FIRST-RT', v6PrefCollectFirstRt],
  ['V6-PREF-HIGHEST', v6PrefHighest],
  ['V6-PREF-IGNORE-EMPTY', v6PrefIgnoreEmpty],
  ['V6-PREF-OPTION-FORMAT', v6PrefOptionFormat],
  ['V6-RELAY-HOPCOUNT', v6RelayHopcount],
  ['V6-RELAY-IFID-ECHO', v6RelayIfidEcho],
  ['V6-RELAY-LINKADDR-IFID', v6RelayLinkaddrIfid],
  ['V6-RELAY-DESTINATIONS', v6RelayDestinations],
  ['V6-ELAPSED-TIME', v6ElapsedTime],
  ['V6-RTX-BACKOFF', v6RtxBackoff],
  ['V6-RELAY-NO-MODIFY', v6RelayNoModify],
  ['V6-RELAY-STRUCTURE', v6RelayStructure],
  ['V6-RTX-FIRST-RT-SOLICIT', v6RtxFirstRtSolicit],
  ['V6-RTX-RATE-LIMIT', v6RtxRateLimit],
  ['V6-RTX-REQUEST-LIMITS', v6RtxRequestLimits],
  ['V6-RTX-T1T2-ZERO', v6RtxT1t2Zero],
  ['V6-REQUEST-CONTENTS', v6RequestContents],
  ['V6-SOLICIT-CONTENTS', v6SolicitContents],
  ['V6-SRV-ADVERTISE-IA-STATUS', v6SrvAdvertiseIaStatus],
  ['V6-SRV-NO-CACHED-REPLIES', v6SrvNoCachedReplies],
  ['V6-SRV-T1T2-CONSISTENT', v6SrvT1t2Consistent],
  ['V6-VAL-INFOREQ-NO-IA', v6ValInforeqNoIa],
  ['V6-VAL-REQUEST-SERVERID', v6ValRequestServerid],
  ['V6-VAL-RESPONSE-IDS', v6ValResponseIds],
  ['V6-VAL-SOLICIT', v6ValSolicit],
  ['V6-VAL-UNKNOWN-MSGTYPE', v6ValUnknownMsgtype],
  ['V6-VAL-MULTICAST-ONLY-TYPES', v6ValMulticastOnlyTypes],
  ['V6-XID-ADVERTISE', v6XidAdvertise],
  ['V6-XID-REPLY', v6XidReply],
  ['V6-XID-RECONFIGURE', v6XidReconfigure],
  ['V6-XID-RETRANSMIT-SAME', v6XidRetransmitSame],
  ['V6-XID-RANDOM', v6XidRandom],
  ['RED-CLIENT-PREFERENCE', redClientPreference],
  ['RED-NONSELECTED-DISCARD', redNonselectedDiscard],
  ['RED-RELAY-MULTI-DEST', redRelayMultiDest],
  ['RED-SERVER-PREFERENCE-SUPPORT', redServerPreferenceSupport],
  ['RED-STATEFUL-CLIENT', redStatefulClient],
  ['LQ-CLIENT-DATA-LEASES', lqClientDataLeases],
  ['LQ-CLIENT-DATA-MINIMUM', lqClientDataMinimum],
  ['LQ-CLIENT-LINK-MULTI', lqClientLinkMulti],
  ['LQ-QT-ADDRESS-OPTION', lqQtAddressOption],
  ['LQ-QT-CLIENTID-OPTION', lqQtClientidOption],
  ['LQ-QUERY-STRUCTURE', lqQueryStructure],
  ['LQ-RELAY-DATA-FORMAT', lqRelayDataFormat],
  ['LQ-REPLY-VALIDATION', lqReplyValidation],
  ['LQ-SRV-DISCARD-INVALID', lqSrvDiscardInvalid],
  ['LQ-RETRANSMISSION', lqRetransmission],
  ['LQ-REQ-CONTENTS', lqReqContents],
  ['LQ-SRV-MALFORMED-QUERY', lqSrvMalformedQuery],
  ['LQ-SRV-UNKNOWN-QUERY-TYPE', lqSrvUnknownQueryType],
  ['LQ-TRUSTED-REQUESTORS', lqTrustedRequestors],
  ['BLQ-NO-RELAYING', blqNoRelaying],
  ['BLQ-QT-NOT-OVER-UDP-REQUESTOR', blqQtNotOverUdpRequestor],
  ['BLQ-QT-NOT-OVER-UDP-SERVER', blqQtNotOverUdpServer],
  ['BLQ-RELAYID-IN-RELAYFORW', blqRelayidInRelayforw],
];
