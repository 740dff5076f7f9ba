import { useId, useRef } from 'react';
import { CopyButton } from './copy-button';

/** A secret shown once (a new API key, a token, its link), with a copy button and a warning. */
export function SecretBox({ label, value, note }: { label: string; value: string; note: string }) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  return (
    <div className="secret">
      <label htmlFor={id}>{label}</label>
      <div className="row">
        <input
          id={id}
          ref={input}
          className="secret-value"
          readOnly
          value={value}
          onFocus={(e) => e.currentTarget.select()}
          aria-describedby={`${id}-note`}
        />
        <CopyButton text={value} label="Copy" target={input} />
      </div>
      <small id={`${id}-note`}>{note}</small>
    </div>
  );
}
