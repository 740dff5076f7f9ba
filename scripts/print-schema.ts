import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { printSchema } from 'graphql';
import { schema } from '../src/schema/index.js';

/** Reprints schema.graphql from the Pothos schema (sorted, so diffs are stable). */
export function printedSchema(): string {
  return `${printSchema(schema)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(new URL('../schema.graphql', import.meta.url), printedSchema());
  process.stdout.write('wrote schema.graphql\n');
}
