import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The axe-core results read here. */
interface AxeResults {
  passes: unknown[];
  violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: string[] }> }>;
}
type AxeWindow = typeof globalThis & { axe?: { run(context: unknown, options: unknown): Promise<AxeResults> } };

/** axe-core on the page as it is: no serious or critical violation (`label` names the page in the failure). */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  // The page's CSP refuses inline scripts (what page.addScriptTag adds): DevTools' evaluation is not subject to it.
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as AxeWindow).axe;
    if (!axe) throw new Error('axe-core did not load');
    const results = await axe.run(document, { resultTypes: ['violations'] });
    if (results.passes.length < 10) throw new Error(`axe-core checked only ${results.passes.length} rules`);
    return results.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
    }));
  });
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious, `${label}: ${JSON.stringify(serious, null, 2)}`).toEqual([]);
}
