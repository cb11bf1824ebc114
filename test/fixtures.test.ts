// Every committed capture under fixtures/ is regenerated from its generator and must match byte for
// byte. Run `npm run fixtures` (UPDATE_FIXTURES=1) to write them after changing a generator.
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { join, dirname, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { FixtureGenerator } from './kit/fixture.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const fixturesDir = join(root, 'fixtures');

function findGenerators(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...findGenerators(p));
    else if (name.endsWith('.gen.ts')) out.push(p);
  }
  return out.sort();
}

const generators = findGenerators(fixturesDir);
const update = process.env.UPDATE_FIXTURES === '1';

describe('fixture captures regenerate byte for byte', () => {
  it('has generators', () => {
    expect(generators.length).toBeGreaterThan(0);
  });
  for (const genPath of generators) {
    it(relative(root, genPath), async () => {
      const mod = (await import(pathToFileURL(genPath).href)) as { default: FixtureGenerator };
      const gen = mod.default;
      expect(gen.file).toMatch(/\.(pcap|pcapng)(\.gz)?$/);
      const target = join(dirname(genPath), gen.file);
      const bytes = gen.generate();
      const again = gen.generate();
      expect(Buffer.from(again).equals(Buffer.from(bytes)), 'generator is deterministic').toBe(true);
      if (update) writeFileSync(target, bytes);
      expect(existsSync(target), `${relative(root, target)} is committed`).toBe(true);
      const index = readFileSync(join(fixturesDir, 'README.md'), 'utf8');
      expect(index.includes(relative(fixturesDir, target)), `${relative(root, target)} is listed in fixtures/README.md`).toBe(true);
      const committed = readFileSync(target);
      expect(committed.equals(Buffer.from(bytes)), `${relative(root, target)} matches its generator`).toBe(true);
    });
  }
});
