/**
 * A tiny path router under /app: the address bar is the state (every view has a link that can be
 * mailed or bookmarked), and links inside the console move without a page load.
 */
import { useEffect, useState } from 'preact/hooks';

export const BASE = '/app';

export interface Route {
  /** Path below /app, e.g. '/entries/ACME' */
  path: string;
  query: URLSearchParams;
}

function current(): Route {
  const path = location.pathname.startsWith(BASE) ? location.pathname.slice(BASE.length) || '/' : '/';
  return { path, query: new URLSearchParams(location.search) };
}

/** Dispatched on window after every move within the console. */
export const NAVIGATED = 'uep:navigate';

export function navigate(to: string, replace = false): void {
  const url = to.startsWith(BASE) ? to : `${BASE}${to}`;
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  window.dispatchEvent(new Event(NAVIGATED));
  window.scrollTo(0, 0);
}

export function href(to: string): string {
  return `${BASE}${to}`;
}

/** Same-origin links to /app move without a page load (modifier clicks still open a new tab). */
function onLinkClick(event: MouseEvent): void {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const a = (event.target as Element | null)?.closest('a');
  if (!a || a.target || a.hasAttribute('download') || a.origin !== location.origin || !a.pathname.startsWith(BASE)) return;
  event.preventDefault();
  navigate(a.pathname + a.search + a.hash);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(current);
  useEffect(() => {
    const update = () => setRoute(current());
    window.addEventListener('popstate', update);
    window.addEventListener(NAVIGATED, update);
    document.addEventListener('click', onLinkClick);
    return () => {
      window.removeEventListener('popstate', update);
      window.removeEventListener(NAVIGATED, update);
      document.removeEventListener('click', onLinkClick);
    };
  }, []);
  return route;
}
