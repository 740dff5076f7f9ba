import { type ReactNode, useEffect, useRef } from 'react';

/**
 * The page's <h1>, focused when the page changes so that keyboard and screen-reader users land on the new page
 * rather than on a link of the old one; it also names the tab.
 */
export function PageTitle({ children }: { children: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${ref.current?.textContent ?? ''} · hookgraph`;
    // Not on the first page load: the browser starts at the top of the document, as it should.
    if (document.activeElement !== document.body) ref.current?.focus();
  }, []);
  return (
    <h1 ref={ref} tabIndex={-1}>
      {children}
    </h1>
  );
}
