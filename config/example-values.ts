/**
 * A deployment must not start on the placeholders of .env.example and the example routes file:
 * links to localhost, mail to example.org, `change-me` secrets. The worker and the API refuse them
 * at start-up with one error listing each, unless UEP_DEMO says this is a demo (`npm start` sets
 * it; so may a local `docker compose` trial).
 */
import { z } from 'zod';
import { flag } from './env';

export const demoEnvSchema = z.object({
  /** A demo or local trial: example values (localhost links, example.org routes, change-me) are allowed. */
  UEP_DEMO: flag(false),
});

/** Hosts only the machine itself reaches: no recipient of a link can follow it. */
const LOCAL_HOST = /^(localhost|127(\.\d{1,3}){3}|\[::1\]|0\.0\.0\.0)$/i;
/** The domains reserved for documentation (RFC 2606), and `localhost` as a mail domain. */
const EXAMPLE_DOMAIN = /(^|\.)(example(\.(org|com|net))?|localhost)$/i;
const PLACEHOLDER = /change-?me/i;

/** What a process hands over to be checked; every part is optional. */
export interface ExampleValueCheck {
  /** Links people follow: env name -> URL. */
  publicUrls?: Record<string, string>;
  /** Mail addresses: where -> address (a "Name <addr>" form is fine). */
  addresses?: Record<string, string>;
  /** Webhook targets: where -> URL. */
  webhookUrls?: Record<string, string>;
  /** Passwords and secrets: where -> value (a URL's password is checked too). */
  secrets?: Record<string, string>;
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}

function domainOf(address: string): string {
  const bare = /<([^>]+)>/.exec(address)?.[1] ?? address;
  return bare.slice(bare.lastIndexOf('@') + 1).trim();
}

function passwordOf(value: string): string {
  try {
    return decodeURIComponent(new URL(value).password);
  } catch {
    return '';
  }
}

/** Each example value found, as a line naming where it is and why it is refused. */
export function exampleValueProblems(check: ExampleValueCheck): string[] {
  const problems: string[] = [];
  for (const [name, url] of Object.entries(check.publicUrls ?? {})) {
    if (LOCAL_HOST.test(hostOf(url))) problems.push(`${name}=${url}: a link to this machine only (set the address people reach)`);
  }
  for (const [where, address] of Object.entries(check.addresses ?? {})) {
    if (EXAMPLE_DOMAIN.test(domainOf(address))) problems.push(`${where}: ${address} is an example address`);
  }
  for (const [where, url] of Object.entries(check.webhookUrls ?? {})) {
    if (EXAMPLE_DOMAIN.test(hostOf(url))) problems.push(`${where}: ${url} is an example host`);
  }
  for (const [where, value] of Object.entries(check.secrets ?? {})) {
    if (PLACEHOLDER.test(value) || PLACEHOLDER.test(passwordOf(value))) problems.push(`${where}: still the example password "change-me"`);
  }
  return problems;
}

/** Throws one error listing every example value, unless this is a demo. */
export function refuseExampleValues(check: ExampleValueCheck, demo: boolean): void {
  if (demo) return;
  const problems = exampleValueProblems(check);
  if (problems.length === 0) return;
  throw new Error(
    [
      'Refusing to start with example configuration values:',
      ...problems.map((p) => `  ${p}`),
      'Set real values (docs/operations.md, "Configuration"), or UEP_DEMO=true for a demo or local trial.',
    ].join('\n'),
  );
}
