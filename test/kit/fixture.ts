// The fixture convention: fixtures/<topic>/<name>.gen.ts default-exports a FixtureGenerator that
// deterministically builds the capture committed beside it (test/fixtures.test.ts checks byte equality).

export interface FixtureGenerator {
  /** File name of the capture, beside the generator (e.g. "interleaved-queries.pcapng"). */
  file: string;
  /** One line: what the capture shows and why it exists. */
  description: string;
  /** Builds the capture bytes. Must be deterministic (no clocks, no Math.random). */
  generate(): Uint8Array;
}

export function defineFixture(gen: FixtureGenerator): FixtureGenerator {
  return gen;
}
