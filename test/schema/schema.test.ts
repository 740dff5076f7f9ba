import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { printedSchema } from '../../scripts/print-schema.js';

describe('schema.graphql', () => {
  const sdl = printedSchema();

  it('is the current printed schema (run `npm run schema` after changing src/schema)', () => {
    expect(readFileSync(new URL('../../schema.graphql', import.meta.url), 'utf8')).toBe(sdl);
  });

  it('keeps the names DESIGN.md fixes', () => {
    for (const name of [
      'enum ProviderKey',
      'type Provider implements Node',
      'type ProviderEventType',
      'type Webhook implements Node',
      'enum WebhookStatus',
      'type Event implements Node',
      'input EventFilter',
      'interface Error',
      'type ProviderError implements Error',
      'type NotFoundError implements Error',
      'type ValidationError implements Error',
      'type NotConnectedError implements Error',
      'type UnsupportedError implements Error',
      'type CreateWebhookSuccess',
      'input ProviderCredentialsInput @oneOf',
    ]) {
      expect(sdl, name).toContain(name);
    }
    for (const field of [
      'connectProvider',
      'disconnectProvider',
      'createWebhook',
      'updateWebhook',
      'deleteWebhook',
      'syncWebhooks',
      'sendTestEvent',
      'triggerSandboxEvent',
    ]) {
      expect(sdl).toMatch(new RegExp(`\\n  ${field}\\(`));
    }
  });
});

describe('codegen output', () => {
  it('is current (run `npm run codegen` after changing schema.graphql, test/documents or src/client/documents)', async () => {
    const { generate } = await import('@graphql-codegen/cli');
    const { default: config } = await import('../../codegen.js');
    // Every output (the tests' documents, hookgraph/client's documents and possibleTypes), in whatever order codegen
    // finishes them.
    const files = (await generate({ ...config, silent: true }, false)) as Array<{ filename: string; content: string }>;
    expect(files.map((f) => f.filename).sort()).toEqual(Object.keys(config.generates).sort());
    for (const file of files)
      expect(readFileSync(new URL(`../../${file.filename}`, import.meta.url), 'utf8'), file.filename).toBe(file.content);
  }, 30_000);
});
