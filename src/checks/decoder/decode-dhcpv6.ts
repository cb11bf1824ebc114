// DECODE-DHCPV6: turns the dhcpv6 layer's anomalies into findings (see rules/decoder/decode-dhcpv6.json for grading).
import type { RuleModule } from '../../engine/types.js';
import type { Events } from '../../correlate/events.js';
import { reportAnomaly } from './anomaly.js';

export const check: RuleModule<Events> = {
  create(ctx) {
    return {
      anomaly(a) {
        if (a.layer === 'dhcpv6') reportAnomaly(ctx, a);
      },
    };
  },
};
