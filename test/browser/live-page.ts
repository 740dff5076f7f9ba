import type { Page } from 'playwright-core';
import { gqlData } from '../utils/graphql.js';

/** What the console's Live events page and its tests compare: the tenant's log, and what the page holds. */

/** The newest `n` event ids of the key's tenant, newest first (the live list's order). At most 20. */
export async function newestEventIds(url: string, key: string, n: number): Promise<string[]> {
  const { events } = await gqlData<{ events: { edges: Array<{ node: { id: string } }> } }>(
    url,
    key,
    '{ events(last: 20) { edges { node { id } } } }',
  );
  return events.edges
    .map((e) => e.node.id)
    .slice(-n)
    .reverse();
}

/** The ids on the live page (as stored with its cursor in sessionStorage) and the number of list items shown. */
export async function liveList(page: Page): Promise<{ ids: string[]; shown: number }> {
  const ids = await page.evaluate(() => {
    const stored = JSON.parse(sessionStorage.getItem('hookgraph.live.v1') ?? '{"events":[]}') as { events: Array<{ id: string }> };
    return stored.events.map((e) => e.id);
  });
  return { ids, shown: await page.locator('ol.events > li').count() };
}
