import { useEffect, useId, useRef } from 'react';
import { MAX_ROWS, MAX_TEXT, type NameValueRow, newRow } from './vendor-options';

/**
 * An editable list of name/value rows (SuperOffice headers or properties): Add and Remove buttons, at most
 * {@link MAX_ROWS}. Every input is labelled "Header 1 name" and so on; after Add the new row's name has the focus,
 * after Remove the row that took its place (or Add), so a keyboard user is never dropped at the top of the page.
 */
export function NameValueRows({
  noun,
  legend,
  note,
  rows,
  onChange,
  problemOf,
}: {
  /** "header" or "property": the labels, `Header 1 name`, and the button names, `Add header`, `Remove header 1`. */
  noun: 'header' | 'property';
  legend: string;
  note: string;
  rows: readonly NameValueRow[];
  onChange(rows: NameValueRow[]): void;
  /** The problem to show under a cell (`name` or `value` of row `index`), if any. */
  problemOf(index: number, cell: 'name' | 'value'): string | undefined;
}) {
  const id = useId();
  const Noun = noun === 'header' ? 'Header' : 'Property';
  const addRef = useRef<HTMLButtonElement>(null);
  /** Where the focus goes after the render that follows Add or Remove: a row's name input, or Add (-1). */
  const focusNext = useRef<number | null>(null);
  const cellId = (index: number, cell: 'name' | 'value') => `${id}-${index}-${cell}`;

  useEffect(() => {
    if (focusNext.current === null) return;
    const target = focusNext.current >= 0 ? document.getElementById(cellId(focusNext.current, 'name')) : addRef.current;
    focusNext.current = null;
    target?.focus();
  });

  const edit = (index: number, cell: 'name' | 'value', text: string) =>
    onChange(rows.map((r, i) => (i === index ? { ...r, [cell]: text } : r)));
  const add = () => {
    if (rows.length >= MAX_ROWS) return;
    focusNext.current = rows.length;
    onChange([...rows, newRow()]);
  };
  const remove = (index: number) => {
    // The row below moves up into this place; with none below, the one above; with none left, Add.
    focusNext.current = rows.length === 1 ? -1 : Math.min(index, rows.length - 2);
    onChange(rows.filter((_, i) => i !== index));
  };

  return (
    <fieldset className="name-values" aria-describedby={`${id}-note`}>
      <legend>{legend}</legend>
      <p id={`${id}-note`} className="small muted">
        {note} At most {MAX_ROWS}.
      </p>
      {rows.length > 0 && (
        <ol>
          {rows.map((row, i) => (
            <li key={row.key} className="name-value">
              {(['name', 'value'] as const).map((cell) => {
                const problem = problemOf(i, cell);
                return (
                  <div className="field" key={cell}>
                    {/* Read as "Header 1 name"; seen as the column's "Name". */}
                    <label htmlFor={cellId(i, cell)}>
                      <span className="visually-hidden">{`${Noun} ${i + 1} ${cell}`}</span>
                      <span aria-hidden="true">{cell === 'name' ? 'Name' : 'Value'}</span>
                    </label>
                    <input
                      id={cellId(i, cell)}
                      value={row[cell]}
                      maxLength={MAX_TEXT}
                      autoComplete="off"
                      spellCheck={false}
                      aria-invalid={problem !== undefined}
                      aria-describedby={problem ? `${cellId(i, cell)}-problem` : undefined}
                      onChange={(e) => edit(i, cell, e.target.value)}
                    />
                    {problem && (
                      <small id={`${cellId(i, cell)}-problem`} className="problem">
                        {problem}
                      </small>
                    )}
                  </div>
                );
              })}
              <button type="button" className="secondary small" onClick={() => remove(i)}>
                Remove<span className="visually-hidden"> {`${noun} ${i + 1}`}</span>
              </button>
            </li>
          ))}
        </ol>
      )}
      <button ref={addRef} type="button" className="secondary small" onClick={add} disabled={rows.length >= MAX_ROWS}>
        Add {noun}
      </button>
    </fieldset>
  );
}
