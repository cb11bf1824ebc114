// Registry of bulk leasequery (RFC 5460) and DECODE-* checks: rule id → module.
import type { RuleModule } from '../engine/types.js';
import type { Events } from '../correlate/events.js';

export const bulkRules: Array<[string, RuleModule<Events>]> = [];
