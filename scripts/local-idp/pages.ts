/**
 * The local identity provider's pages: who to sign in as (one button per dev user), signing out,
 * and what went wrong. Each says, at the top, that this is the development provider of npm start.
 */
import { type DevUser, fullName } from './users';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Inline styles only (no file to serve), and a script only where the page says so. */
export const pageSecurityPolicy = (script = false) =>
  `default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'${script ? "; script-src 'unsafe-inline'" : ''}`;

const STYLE = `
:root { font-family: system-ui, sans-serif; font-size: 15px; line-height: 1.5; color: #1b1f24; background: #f3f5f8; }
body { margin: 0; }
.dev { background: #7a4d00; color: #fff; padding: 8px 20px; font-weight: 600; }
main { max-width: 720px; margin: 0 auto; padding: 24px 20px 48px; }
h1 { font-size: 1.5rem; margin: 0 0 8px; }
h2 { font-size: 1.05rem; margin: 22px 0 8px; }
p { margin: 0 0 10px; max-width: 70ch; }
.muted { color: #56606b; }
code { font-family: ui-monospace, monospace; font-size: 0.92em; }
ul.people { list-style: none; margin: 0; padding: 0; display: grid; gap: 8px; }
ul.people button { width: 100%; text-align: left; display: grid; grid-template-columns: 1fr auto; gap: 2px 16px; padding: 10px 14px;
  background: #fff; border: 1px solid #d6dbe1; border-radius: 8px; font: inherit; color: inherit; cursor: pointer; }
ul.people button:hover { border-color: #1d4e89; background: #e4eefa; }
.name { font-weight: 600; }
.acts { color: #1d4e89; font-weight: 600; text-align: right; }
.detail { grid-column: 1 / -1; color: #56606b; font-size: 0.88rem; }
form + form { margin-top: 18px; }
button.plain { background: none; border: 0; padding: 0; color: #1d4e89; text-decoration: underline; font: inherit; cursor: pointer; }
:focus-visible { outline: 3px solid #f2a900; outline-offset: 2px; }
`;

function layout(title: string, content: string, script = ''): string {
  return (
    `<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${escapeHtml(title)} · local development identity provider</title><style>${STYLE}</style></head><body>` +
    `<div class="dev" role="note">Local development identity provider (npm start): signs anyone in, no password. Never use it in production.</div>` +
    `<main id="main">${content}</main>${script ? `<script>${script}</script>` : ''}</body></html>`
  );
}

const SECTIONS: [DevUser['kind'], string, string][] = [
  ['body', 'The bodies', 'Each is in the group of one body; the console opens on their inbox (operations: the portfolio).'],
  ['party', 'Parties', 'In the group of one Party: they see and act on that Party’s entry only.'],
  ['nobody', 'Someone the engine does not know', 'In no group: the provider signs them in, then the engine says their account is not enabled.'],
];

function userButton(u: DevUser, groupsClaim: string): string {
  const groups = u.groups.length > 0 ? u.groups.map((g) => `<code>${escapeHtml(g)}</code>`).join(', ') : 'none';
  return (
    `<li><button type="submit" name="sub" value="${escapeHtml(u.sub)}">` +
    `<span class="name">${escapeHtml(fullName(u))}</span><span class="acts">${escapeHtml(u.acts)}</span>` +
    `<span class="detail">${escapeHtml(u.email)} · ${escapeHtml(groupsClaim)}: ${groups}</span></button></li>`
  );
}

/** Who to be: one click signs in as that person and goes back to the console. */
export function pickerPage(opts: { uid: string; users: DevUser[]; groupsClaim: string; clientId: string }): string {
  const action = `/interaction/${encodeURIComponent(opts.uid)}`;
  const sections = SECTIONS.map(([kind, heading, note]) => {
    const users = opts.users.filter((u) => u.kind === kind);
    if (users.length === 0) return '';
    return `<section aria-labelledby="h-${kind}"><h2 id="h-${kind}">${heading}</h2><p class="muted">${note}</p><ul class="people">${users.map((u) => userButton(u, opts.groupsClaim)).join('')}</ul></section>`;
  }).join('');
  return layout(
    'Sign in',
    `<h1>Sign in to the UEP console</h1>` +
      `<p>Pick who to be. The console (client <code>${escapeHtml(opts.clientId)}</code>) gets this person’s name, email and groups in an ID token, exactly as it would from your organisation’s identity provider (Entra ID, Okta, Keycloak) in production.</p>` +
      `<form method="post" action="${action}/login">${sections}</form>` +
      `<form method="post" action="${action}/abort"><p><button type="submit" class="plain">Cancel: sign in as nobody</button></p></form>`,
  );
}

/** Sign-out: submitted at once (the provider wants its form posted, as a guard against forged sign-outs). */
export function signOutPage(form: string): string {
  return layout(
    'Signing out',
    `<h1>Signing you out</h1><p>Out of the local development identity provider, then back to the console.</p>${form}` +
      `<p><button type="submit" form="op.logoutForm" name="logout" value="yes">Sign out</button></p>`,
    `document.querySelector('button[name=logout]').click();`,
  );
}

export function wordsPage(title: string, paragraphs: string[], link?: { href: string; label: string }): string {
  return layout(
    title,
    `<h1>${escapeHtml(title)}</h1>${paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('')}` +
      `${link ? `<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.label)}</a></p>` : ''}`,
  );
}
