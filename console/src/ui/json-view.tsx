import { useRef } from 'react';
import { CopyButton } from './copy-button';

/** A value as indented JSON, with a button that copies it. */
export function JsonView({ value, label }: { value: unknown; label: string }) {
  const pre = useRef<HTMLPreElement>(null);
  const text = JSON.stringify(value, null, 2) ?? 'null';
  return (
    <section className="json" aria-label={label}>
      <CopyButton text={text} label="Copy JSON" target={pre} />
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable to scroll by keyboard */}
      <pre ref={pre} tabIndex={0}>
        {text}
      </pre>
    </section>
  );
}
