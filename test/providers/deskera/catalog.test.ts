import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { deskeraEventTypes } from '../../../src/providers/deskera/catalog.js';

describe('Deskera catalogue', () => {
  it("holds exactly the seed's 22 event types, each with a unified type", () => {
    const seed = readFileSync(new URL('../../fixtures/seeds/deskera-webhook.md', import.meta.url), 'utf8');
    const names = [...seed.matchAll(/^\| ([A-Z_]+) \| Triggers/gm)].map((m) => m[1]);
    expect(deskeraEventTypes.map((e) => e.name)).toEqual(names);
    expect(names).toHaveLength(22);
    for (const e of deskeraEventTypes) expect(e.unifiedType).toMatch(/^[a-z0-9_]+(\.[a-z0-9_]+)+$/);
    expect(new Set(deskeraEventTypes.map((e) => e.unifiedType)).size).toBe(22);
  });
});
