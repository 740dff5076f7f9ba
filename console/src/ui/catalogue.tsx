import { useId, useState } from 'react';

export interface CatalogueEntry {
  name: string;
  unifiedType: string;
  description?: string | null;
}

/**
 * A provider's event catalogue, searchable, grouped by the unified resource (`invoice` for `invoice.created`). Given
 * `selected` and `onToggle` it is a picker (one checkbox per vendor event); without, a list to read.
 */
export function Catalogue({
  entries,
  selected,
  onToggle,
  label,
}: {
  entries: readonly CatalogueEntry[];
  selected?: ReadonlySet<string>;
  onToggle?(name: string, on: boolean): void;
  label: string;
}) {
  const id = useId();
  const [search, setSearch] = useState('');
  const needle = search.trim().toLowerCase();
  const matching = needle
    ? entries.filter((e) => `${e.name} ${e.unifiedType} ${e.description ?? ''}`.toLowerCase().includes(needle))
    : entries;
  const groups = groupByResource(matching);
  const picking = selected !== undefined && onToggle !== undefined;

  return (
    <div className="catalogue">
      <div className="field">
        <label htmlFor={`${id}-search`}>Search {label}</label>
        <input
          id={`${id}-search`}
          type="search"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          placeholder="invoice, contact.updated…"
        />
      </div>
      <p className="muted" role="status">
        {matching.length} of {entries.length} event types{picking && selected.size > 0 ? ` · ${selected.size} selected` : ''}
      </p>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: the list scrolls, so it must be reachable by keyboard */}
      <section className="groups" tabIndex={0} aria-label={`${label} by resource`}>
        {groups.map(([resource, group]) =>
          picking ? (
            <fieldset key={resource} className="group">
              <legend>{resource}</legend>
              {group.map((e) => (
                <label key={e.name} className="check" title={e.description ?? undefined}>
                  <input type="checkbox" checked={selected.has(e.name)} onChange={(ev) => onToggle(e.name, ev.target.checked)} />
                  <code>{e.name}</code>
                  {e.name !== e.unifiedType && <span className="muted"> → {e.unifiedType}</span>}
                </label>
              ))}
            </fieldset>
          ) : (
            <section key={resource} className="group" aria-label={resource}>
              <h3>{resource}</h3>
              <ul className="group-items">
                {group.map((e) => (
                  <li key={e.name}>
                    <code>{e.name}</code>
                    {e.name !== e.unifiedType && <span className="muted"> → {e.unifiedType}</span>}
                    {e.description && <div className="muted small">{e.description}</div>}
                  </li>
                ))}
              </ul>
            </section>
          ),
        )}
      </section>
    </div>
  );
}

function groupByResource(entries: readonly CatalogueEntry[]): [string, CatalogueEntry[]][] {
  const groups = new Map<string, CatalogueEntry[]>();
  for (const entry of entries) {
    const resource = entry.unifiedType.split('.', 1)[0] || entry.unifiedType;
    const group = groups.get(resource);
    if (group) group.push(entry);
    else groups.set(resource, [entry]);
  }
  return [...groups].sort(([a], [b]) => a.localeCompare(b));
}
