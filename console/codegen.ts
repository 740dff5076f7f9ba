import { join } from 'node:path';
import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Typed documents for the console: every `graphql(`…`)` call under src/ becomes a TypedDocumentNode in src/gql/.
 * Run from the repository root: `npx graphql-codegen --config console/codegen.ts`.
 */
const here = import.meta.dirname;
const printed = join(here, '..', 'schema.graphql');

const config: CodegenConfig = {
  schema: printed,
  documents: [join(here, 'src/**/*.{ts,tsx}'), `!${join(here, 'src/gql/**')}`],
  ignoreNoDocuments: false,
  generates: {
    [join(here, 'src/gql/')]: {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { DateTime: 'string', JSON: 'unknown' },
      },
    },
  },
};
export default config;
