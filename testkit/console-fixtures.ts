/**
 * A portfolio of entries in different states, made through the API as the bodies would make it:
 * for the console's screenshots, end-to-end tests and benchmark. Its dates are relative to today,
 * so each entry stands where it says (on track, at risk, in breach) whatever day it is seeded.
 */
import type { StartEntryRequest } from '../api/schemas';
import { call } from './api-harness';
import { daysFromToday } from './dates';

export interface Tokens {
  ops: string;
  dcc: string;
  panel: string;
  secas: string;
  party: (partyId: string) => string;
}

async function ok(baseUrl: string, method: string, path: string, token: string, body: unknown): Promise<void> {
  const answer = await call(baseUrl, method, path, { token, body });
  if (answer.status >= 300) throw new Error(`${method} ${path}: ${answer.status} ${answer.text}`);
}

let seq = 0;
const id = (p: string) => `${p}-seed-${++seq}`;

export function submit(baseUrl: string, tokens: Tokens, partyId: string, stage: string, reference: string, extra: { role?: string; comment?: string } = {}) {
  return ok(baseUrl, 'POST', `/v1/entries/${partyId}/evidence`, tokens.party(partyId), { submissionId: id('sub'), stage, reference, ...extra });
}

export function decide(baseUrl: string, token: string, partyId: string, stage: string, outcome: string, extra: { role?: string; comment?: string; evidence?: string } = {}) {
  const { evidence, ...rest } = extra;
  return ok(baseUrl, 'POST', `/v1/entries/${partyId}/decisions`, token, { decisionId: id('dec'), stage, outcome, evidence: evidence ?? `${stage} file note`, ...rest });
}

export function startEntry(baseUrl: string, tokens: Tokens, body: StartEntryRequest) {
  return ok(baseUrl, 'POST', '/v1/entries', tokens.ops, body);
}

const contact = (partyId: string, name: string) => ({ name, email: `uep@${partyId.toLowerCase()}.example` });
const acceded = (at: string, allocated?: string) => [
  { stage: 'ACCESSION' as const, outcome: 'ACCEDED', at },
  ...(allocated ? [{ stage: 'ID_ALLOCATION' as const, outcome: 'ALLOCATED', at: allocated }] : []),
];

export interface Portfolio {
  /** Two roles, half-way: the SEC Panel's inbox has its security assessment, with what the Party submitted. */
  acme: string;
  /** The SEC Panel's security assessment, submitted again after a deferral: at risk. */
  bright: string;
  /** Just acceded: the Party has two submissions to make. */
  harbour: string;
  all: string[];
}

/** Catalogue v2: the Party books its security assessment and SECAS records the User CIO's report `ref`. */
async function securityReportIssued(baseUrl: string, tokens: Tokens, partyId: string, ref: string) {
  await submit(baseUrl, tokens, partyId, 'SECURITY_FIELDWORK', `AMS booking ${ref}`);
  await decide(baseUrl, tokens.secas, partyId, 'SECURITY_FIELDWORK', 'REPORT_ISSUED', { evidence: `User CIO report ${ref}` });
}

/** The demo portfolio. */
export async function seedPortfolio(baseUrl: string, tokens: Tokens, suffix = ''): Promise<Portfolio> {
  const p = (name: string) => `${name}${suffix}`;
  const acme = p('ACME-ENERGY');
  await startEntry(baseUrl, tokens, {
    partyId: acme,
    partyName: 'Acme Energy Ltd',
    cohort: 'SMALL_DOMESTIC_SUPPLIER',
    roles: ['IMPORT_SUPPLIER', 'GAS_SUPPLIER'],
    mandateDeadline: daysFromToday(200),
    uepContact: contact(acme, 'Priya Shah'),
    completedStages: acceded(daysFromToday(-154), daysFromToday(-136)),
  });
  await submit(baseUrl, tokens, acme, 'CREDIT_COVER', 'Letter of credit LC-88412', { comment: 'Lodged with Barclays on 2 Nov' });
  await decide(baseUrl, tokens.dcc, acme, 'CREDIT_COVER', 'LODGED', { evidence: 'Credit Support register entry 2026/311' });
  await decide(baseUrl, tokens.dcc, acme, 'DCC_GATEWAY', 'LIVE', { evidence: 'DCC Gateway order GW-20931 commissioned' });
  await securityReportIssued(baseUrl, tokens, acme, 'ACME-USA-2026-01');
  await submit(baseUrl, tokens, acme, 'SECURITY_ASSESSMENT', 'FUSA response ACME-USA-2026-01', { comment: 'Our response to the User CIO report of 14 Nov' });
  await submit(baseUrl, tokens, acme, 'USER_ID', 'EUI-64 00-1A-2B-FF-FE-00-00-11', { role: 'IMPORT_SUPPLIER' });
  await decide(baseUrl, tokens.dcc, acme, 'USER_ID', 'ACCEPTED', { role: 'IMPORT_SUPPLIER', evidence: 'User ID register 2026-11' });
  await submit(baseUrl, tokens, acme, 'USER_ID', 'EUI-64 00-1A-2B-FF-FE-00-00-12', { role: 'GAS_SUPPLIER', comment: 'Second ID from our range' });

  const bright = p('BRIGHTSPARK');
  await startEntry(baseUrl, tokens, {
    partyId: bright,
    partyName: 'BrightSpark Power plc',
    cohort: 'LARGE_SUPPLIER',
    roles: ['IMPORT_SUPPLIER', 'EXPORT_SUPPLIER'],
    mandateDeadline: daysFromToday(53), // far too soon for what remains: at risk
    uepContact: contact(bright, 'Tom Rees'),
    completedStages: acceded(daysFromToday(-97), daysFromToday(-83)),
  });
  await securityReportIssued(baseUrl, tokens, bright, 'BSP-2026-07');
  await submit(baseUrl, tokens, bright, 'SECURITY_ASSESSMENT', 'FUSA response BSP-2026-07', { comment: 'Re-submitted after the Panel deferral in October' });

  const northwind = p('NORTHWIND-GAS');
  await startEntry(baseUrl, tokens, {
    partyId: northwind,
    partyName: 'Northwind Gas Networks',
    cohort: 'GAS_TRANSPORTER',
    roles: ['GAS_TRANSPORTER'],
    mandateDeadline: daysFromToday(-38), // passed: in breach
    uepContact: contact(northwind, 'Alys Evans'),
    completedStages: acceded(daysFromToday(-280), daysFromToday(-262)),
  });
  await submit(baseUrl, tokens, northwind, 'CREDIT_COVER', 'Parent company guarantee PCG-17');

  const lumen = p('LUMEN-DATA');
  await startEntry(baseUrl, tokens, {
    partyId: lumen,
    partyName: 'Lumen Data Services',
    cohort: 'OTHER',
    roles: ['OTHER_USER'],
    mandateDeadline: null,
    uepContact: contact(lumen, 'Sam Okafor'),
    completedStages: acceded(daysFromToday(-56)),
  });
  await submit(baseUrl, tokens, lumen, 'PRIVACY_FIELDWORK', 'AMS booking FPA-LDS-1', { role: 'OTHER_USER', comment: 'Booked with the Independent Privacy Auditor in August' });

  const harbour = p('HARBOUR-ENERGY');
  await startEntry(baseUrl, tokens, {
    partyId: harbour,
    partyName: 'Harbour Energy Supply',
    cohort: 'SMALL_NON_DOMESTIC_SUPPLIER',
    roles: ['IMPORT_SUPPLIER'],
    mandateDeadline: daysFromToday(297),
    uepContact: contact(harbour, 'Jo Whitfield'),
  });
  await decide(baseUrl, tokens.secas, harbour, 'ACCESSION', 'ACCEDED', { evidence: 'Accession Agreement signed 20 Nov' });
  return { acme, bright, harbour, all: [acme, bright, northwind, lumen, harbour] };
}
