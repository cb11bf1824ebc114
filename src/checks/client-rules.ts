// Registry of client-session (RFC 8415, RFC 6853) and UDP leasequery (RFC 5007, RFC 5460 §3-4 over UDP) checks.
import type { RuleModule } from '../engine/types.js';
import type { Events } from '../correlate/events.js';

export const clientRules: Array<[string, RuleModule<Events>]> = [];
