/** Small pieces every view uses: badges, notices, the page frame. */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { setPageTitle } from './live-inbox';

export function Badge({ tone, children }: { tone: 'ok' | 'warn' | 'bad' | 'info' | 'muted'; children: ComponentChildren }) {
  return <span class={`badge badge-${tone}`}>{children}</span>;
}

export function RiskBadges({ atRisk, inBreach, overdue }: { atRisk?: boolean; inBreach?: boolean; overdue?: boolean }) {
  return (
    <>
      {overdue && <Badge tone="bad">Overdue</Badge>}
      {inBreach && <Badge tone="bad">In breach</Badge>}
      {!inBreach && atRisk && <Badge tone="warn">At risk</Badge>}
    </>
  );
}

export function Problem({ children }: { children: ComponentChildren }) {
  return (
    <p class="problem" role="alert">
      {children}
    </p>
  );
}

export function Loading() {
  return (
    <p class="muted" aria-live="polite">
      Loading…
    </p>
  );
}

/** A page: its title (also the document title) and its content; focus moves to the title on arrival. */
export function Page({ title, lead, actions, children }: { title: string; lead?: ComponentChildren; actions?: ComponentChildren; children: ComponentChildren }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    setPageTitle(title);
    heading.current?.focus({ preventScroll: true });
  }, [title]);
  return (
    <section class="page">
      <div class="page-head">
        <div>
          <h1 tabIndex={-1} ref={heading}>
            {title}
          </h1>
          {lead && <p class="lead">{lead}</p>}
        </div>
        {actions && <div class="page-actions">{actions}</div>}
      </div>
      {children}
    </section>
  );
}
