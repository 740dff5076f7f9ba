import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

/** What a production install runs: the server and CLI (src/ → dist/), the bin, and `npm start`'s build check. */
const SHIPPED = ['src', 'bin', 'scripts/build-if-stale.mjs'];

interface PackageJson {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}
interface Lockfile {
  packages: Record<string, { dev?: boolean }>;
}

function sourceFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).flatMap((name) => (name === 'node_modules' ? [] : sourceFiles(join(path, name))));
}

/** The package a bare specifier names (`@scope/name/sub` → `@scope/name`), or null for relative, `node:` and builtin imports. */
function packageOf(specifier: string): string | null {
  if (/^(\.|\/|node:|#)/.test(specifier)) return null;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] as string);
  return builtinModules.includes(name) ? null : name;
}

/**
 * Every package the files load at run time, with the files that load it: static imports and re-exports that
 * are not `import type`/`export type` (under verbatimModuleSyntax `import { type X }` still loads the module),
 * `import('…')` and `require('…')`. Parsed by the TypeScript compiler, so comments and strings never count.
 */
function runtimeImports(paths: readonly string[]): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const add = (specifier: string, file: string) => {
    const name = packageOf(specifier);
    if (name !== null) found.set(name, [...(found.get(name) ?? []), file]);
  };
  for (const file of paths.flatMap(sourceFiles).filter((f) => /\.(ts|mts|js|mjs)$/.test(f) && !f.endsWith('.d.ts'))) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (ts.isImportDeclaration(node) && !node.importClause?.isTypeOnly && ts.isStringLiteral(node.moduleSpecifier)) {
        add(node.moduleSpecifier.text, file);
      } else if (ts.isExportDeclaration(node) && !node.isTypeOnly && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
        add(node.moduleSpecifier.text, file);
      } else if (ts.isCallExpression(node)) {
        const [first] = node.arguments;
        const isImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
        const isRequire = ts.isIdentifier(node.expression) && node.expression.text === 'require';
        if ((isImport || isRequire) && first && ts.isStringLiteralLike(first)) add(first.text, file);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

/** Why each runtime import would be missing after `npm ci --omit=dev` (an empty list: none would). */
function missingInProduction(imports: Map<string, string[]>, pkg: PackageJson, lock: Lockfile, root = REPO): string[] {
  const runtime = new Set(Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies, ...pkg.peerDependencies }));
  const problems: string[] = [];
  for (const [name, files] of imports) {
    const where = relative(root, files[0] as string);
    if (!runtime.has(name)) {
      const kind = Object.hasOwn(pkg.devDependencies ?? {}, name) ? 'only a devDependency' : 'not in package.json';
      problems.push(`${name} is imported by ${where} but is ${kind}`);
    } else if (lock.packages[`node_modules/${name}`]?.dev === true) {
      problems.push(`${name} is imported by ${where} but package-lock.json installs it for development only (run npm install)`);
    }
  }
  return problems;
}

describe('runtime dependencies', () => {
  it('lists every package that shipped code imports at run time in dependencies, so npm ci --omit=dev keeps it', () => {
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as PackageJson;
    const lock = JSON.parse(readFileSync(join(REPO, 'package-lock.json'), 'utf8')) as Lockfile;
    const imports = runtimeImports(SHIPPED.map((p) => join(REPO, p)));
    // The scan sees the imports it must: a check that finds nothing proves nothing.
    expect([...imports.keys()]).toEqual(expect.arrayContaining(['graphql', 'kysely', 'qs', 'commander']));
    expect(missingInProduction(imports, pkg, lock)).toEqual([]);
  });

  it('catches an import that only a devDependency provides (qs, as it once was), a dynamic import and a re-export', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hookgraph-deps-'));
    try {
      writeFileSync(
        join(dir, 'a.ts'),
        [
          "import { parse } from 'qs';",
          "import type { Options } from 'typescript';",
          "import { type Plugin } from '@types-only/runtime-anyway';",
          "import { readFileSync } from 'node:fs';",
          "import { join } from 'path';",
          "import { helper } from './b.js';",
          "export * from 'tsx/esm/api';",
          "export type { Test } from 'vitest';",
          "const later = await import('autocannon');",
          "// import nothing from 'in-a-comment';",
          'const text = "import x from \'in-a-string\'";',
        ].join('\n'),
      );
      const pkg: PackageJson = {
        dependencies: { commander: '^14' },
        devDependencies: { qs: '^6', tsx: '^4', autocannon: '^8', typescript: '^5', vitest: '^4' },
      };
      const problems = missingInProduction(runtimeImports([dir]), pkg, { packages: {} }, dir);
      expect(problems).toEqual([
        'qs is imported by a.ts but is only a devDependency',
        '@types-only/runtime-anyway is imported by a.ts but is not in package.json',
        'tsx is imported by a.ts but is only a devDependency',
        'autocannon is imported by a.ts but is only a devDependency',
      ]);
      // Listed in dependencies, but a stale lockfile still marks it dev-only: npm ci follows the lockfile.
      const stale = missingInProduction(
        runtimeImports([dir]),
        { dependencies: { qs: '^6' } },
        { packages: { 'node_modules/qs': { dev: true } } },
        dir,
      );
      expect(stale[0]).toBe('qs is imported by a.ts but package-lock.json installs it for development only (run npm install)');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
