// mergedFrames (the frame list of a transmission seen at several hops): two ascending lists without
// repeats merge into one ascending list without repeats, equal to sorting their union.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mergedFrames } from '../../../src/correlate/client.js';

const sortedSet = fc.uniqueArray(fc.integer({ min: 1, max: 60 }), { maxLength: 8 }).map((a) => a.sort((x, y) => x - y));

describe('mergedFrames', () => {
  it('= the sorted union of two ascending frame lists', () => {
    fc.assert(fc.property(sortedSet, sortedSet, (a, b) => {
      const want = [...new Set([...a, ...b])].sort((x, y) => x - y);
      const got = mergedFrames(a, b);
      expect(got).toEqual(want);
      expect(got.length).toBe(want.length);
    }), { numRuns: 2000 });
  });

  it('examples: interleaved, shared and empty lists', () => {
    expect(mergedFrames([1, 4, 9], [2, 4, 10])).toEqual([1, 2, 4, 9, 10]);
    expect(mergedFrames([], [3])).toEqual([3]);
    expect(mergedFrames([5, 6], [])).toEqual([5, 6]);
  });
});
