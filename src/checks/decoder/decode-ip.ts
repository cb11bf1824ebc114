// DECODE-IP: turns the ip layer's anomalies into findings (see rules/decoder/decode-ip.json for grading).
import type { RuleModule } from '../../engine/types.js';
import type { Events } from '../../correlate/events.js';
import { reportAnomaly } from './anomaly.js';

export const check: RuleModule<Events> = {
  create(ctx) {
    return {
      anomaly(a) {
        if (a.layer === 'ip') reportAnomaly(ctx, a);
      },
    };
  },
};
