import { type RefObject, useState } from 'react';

/**
 * Copies `text`; where the page has no clipboard (plain http on another host than localhost) it selects `target`
 * instead and says to press Ctrl+C.
 */
export function CopyButton({ text, label, target }: { text: string; label: string; target: RefObject<HTMLElement | null> }) {
  const [state, setState] = useState<'idle' | 'copied' | 'selected'>('idle');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      const node = target.current;
      if (node instanceof HTMLInputElement) node.select();
      else if (node) window.getSelection()?.selectAllChildren(node);
      setState('selected');
    }
  };
  return (
    <span className="copy">
      <button type="button" className="secondary small" onClick={copy}>
        {label}
      </button>
      <span role="status" className="muted small">
        {state === 'copied' ? 'Copied.' : state === 'selected' ? 'Selected: press Ctrl+C (⌘C) to copy.' : ''}
      </span>
    </span>
  );
}
