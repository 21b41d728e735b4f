/**
 * The people of npm start's local identity provider are what its page says they are: their
 * claims, read by the API's own principalFromClaims, make each a member of the body or Party the
 * page names (and the person in no group nobody), with the default group names and with others.
 */
import { principalFromClaims } from '../../api/oidc';
import { oidcEnvSchema } from '../../config/oidc';
import { DEMO_PARTY_ID } from '../../scripts/local-tokens';
import { claimsOf, devUsers } from '../../scripts/local-idp/users';

const API_SETTINGS = { OIDC_API_AUDIENCE: undefined, OIDC_ISSUER_URL: undefined };

function whoTheApiSees(env: Record<string, string>) {
  const settings = { ...oidcEnvSchema.parse(env), ...API_SETTINGS };
  return devUsers(settings).map((u) => {
    const identified = principalFromClaims(claimsOf(u, settings.OIDC_GROUPS_CLAIM), settings);
    return { person: u.sub, acts: u.acts, as: identified.ok ? [identified.principal.body, identified.principal.partyId ?? ''].join(' ').trim() : `refused: ${identified.why}` };
  });
}

test('with the default group names, each person signs in as the body or Party the page names; the newcomer as nobody', () => {
  const seen = whoTheApiSees({});
  expect(seen.slice(0, -1)).toEqual([
    { person: 'sam.ellis', acts: 'SECAS', as: 'SECAS' },
    { person: 'dara.okafor', acts: 'the DCC', as: 'DCC' },
    { person: 'priya.shah', acts: 'the SEC Panel', as: 'SEC_PANEL' },
    { person: 'olu.adeyemi', acts: 'operations (OPS)', as: 'OPS' },
    { person: 'pat.morgan', acts: `Demo Energy Ltd (Party ${DEMO_PARTY_ID})`, as: `PARTY ${DEMO_PARTY_ID}` },
  ]);
  expect(seen.at(-1)).toEqual({
    person: 'nina.newcomer',
    acts: 'no body and no Party: in no group',
    as: 'refused: you are in none of the groups uep-ops, uep-secas, uep-dcc, uep-sec-panel, uep-party-<party id>',
  });
});

test('with group names and a claim of your own (as for Entra ID app roles), they still do', () => {
  const env = {
    OIDC_GROUPS_CLAIM: 'roles',
    OIDC_GROUP_SECAS: 'UEP.Secas',
    OIDC_GROUP_DCC: 'UEP.Dcc',
    OIDC_GROUP_SEC_PANEL: 'UEP.Panel',
    OIDC_GROUP_OPS: 'UEP.Ops',
    OIDC_PARTY_GROUP_PREFIX: 'UEP.Party.',
  };
  const seen = whoTheApiSees(env).map((w) => w.as);
  expect(seen.slice(0, -1)).toEqual(['SECAS', 'DCC', 'SEC_PANEL', 'OPS', `PARTY ${DEMO_PARTY_ID}`]);
  expect(seen.at(-1)).toMatch(/^refused: you are in none of the groups UEP.Ops, /);
  const dara = devUsers({ ...oidcEnvSchema.parse(env) }).find((u) => u.sub === 'dara.okafor')!;
  expect(claimsOf(dara, 'roles')).toMatchObject({ roles: ['UEP.Dcc'], name: 'Dara Okafor', email: 'dara.okafor@dcc.example' });
});
