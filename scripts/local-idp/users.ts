/**
 * The people of the local identity provider: one per body, one per Party of the local demo (the
 * Party of data/dev-tokens.txt), and one in no group. Their groups are the names the API reads
 * (OIDC_GROUP_*, OIDC_PARTY_GROUP_PREFIX), so each signs in as what the page says they are.
 */
import type { OidcEnv } from '../../config/oidc';
import { DEMO_PARTY_ID } from '../local-tokens';

export type GroupSettings = Pick<OidcEnv, 'OIDC_GROUP_SECAS' | 'OIDC_GROUP_DCC' | 'OIDC_GROUP_SEC_PANEL' | 'OIDC_GROUP_OPS' | 'OIDC_PARTY_GROUP_PREFIX'>;

export interface DevUser {
  /** The subject (sub) the provider signs them in as. */
  sub: string;
  givenName: string;
  familyName: string;
  email: string;
  kind: 'body' | 'party' | 'nobody';
  /** What they are to the engine, in words: "the DCC", "Demo Energy Ltd (Party DEMO-ENERGY)", ... */
  acts: string;
  groups: string[];
}

type Person = Pick<DevUser, 'sub' | 'givenName' | 'familyName' | 'email'>;
const body = (person: Person, acts: string, group: string): DevUser => ({ ...person, kind: 'body', acts, groups: [group] });

/** The Parties of the local demo (the one npm start mints a dev token for), each with its person. */
export const DEMO_PARTIES: { partyId: string; partyName: string; person: Person }[] = [
  { partyId: DEMO_PARTY_ID, partyName: 'Demo Energy Ltd', person: { sub: 'pat.morgan', givenName: 'Pat', familyName: 'Morgan', email: 'pat.morgan@demo-energy.example' } },
];

export function devUsers(s: GroupSettings): DevUser[] {
  return [
    body({ sub: 'sam.ellis', givenName: 'Sam', familyName: 'Ellis', email: 'sam.ellis@secas.example' }, 'SECAS', s.OIDC_GROUP_SECAS),
    body({ sub: 'dara.okafor', givenName: 'Dara', familyName: 'Okafor', email: 'dara.okafor@dcc.example' }, 'the DCC', s.OIDC_GROUP_DCC),
    body({ sub: 'priya.shah', givenName: 'Priya', familyName: 'Shah', email: 'priya.shah@secpanel.example' }, 'the SEC Panel', s.OIDC_GROUP_SEC_PANEL),
    body({ sub: 'olu.adeyemi', givenName: 'Olu', familyName: 'Adeyemi', email: 'olu.adeyemi@ops.example' }, 'operations (OPS)', s.OIDC_GROUP_OPS),
    ...DEMO_PARTIES.map(({ partyId, partyName, person }): DevUser => ({ ...person, kind: 'party', acts: `${partyName} (Party ${partyId})`, groups: [`${s.OIDC_PARTY_GROUP_PREFIX}${partyId}`] })),
    { sub: 'nina.newcomer', givenName: 'Nina', familyName: 'Newcomer', email: 'nina.newcomer@example.org', kind: 'nobody', acts: 'no body and no Party: in no group', groups: [] },
  ];
}

export const fullName = (u: DevUser) => `${u.givenName} ${u.familyName}`;

/** What the provider says of them, in the ID token and at userinfo; the groups under the claim the API reads. */
export function claimsOf(u: DevUser, groupsClaim: string): Record<string, unknown> & { sub: string } {
  return {
    sub: u.sub,
    name: fullName(u),
    given_name: u.givenName,
    family_name: u.familyName,
    email: u.email,
    email_verified: true,
    [groupsClaim]: u.groups,
  };
}
