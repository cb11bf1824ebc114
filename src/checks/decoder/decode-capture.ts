// DECODE-CAPTURE: turns the capture layer's anomalies into findings (see rules/decoder/decode-capture.json for grading).
import type { RuleModule } from '../../engine/types.js';
import type { Events } from '../../correlate/events.js';
import { reportAnomaly } from './anomaly.js';

export const check: RuleModule<Events> = {
  create(ctx) {
    return {
      anomaly(a) {
        if (a.layer === 'capture') reportAnomaly(ctx, a);
      },
    };
  },
};
