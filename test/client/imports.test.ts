import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../src/client/', import.meta.url));
/** What a browser bundle of hookgraph/client may pull in besides its own files. */
const ALLOWED = new Set(['graphql', 'graphql-ws', '@graphql-typed-document-node/core']);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

describe('hookgraph/client dependencies', () => {
  it('imports only its own files, graphql, graphql-ws and @graphql-typed-document-node/core (it ships to browsers)', () => {
    const files = sources(root);
    expect(files.length).toBeGreaterThan(5);
    const outside: string[] = [];
    for (const file of files) {
      for (const { fileName: specifier } of ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles) {
        const inside = specifier.startsWith('.') && !relative(root, resolve(dirname(file), specifier)).startsWith('..');
        if (!inside && !ALLOWED.has(specifier)) outside.push(`${relative(root, file)} → ${specifier}`);
      }
    }
    expect(outside).toEqual([]);
  });
});
