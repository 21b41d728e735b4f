/**
 * Who a signed-in person is to the engine, from the claims of their ID token (api/oidc.ts): the
 * body from the group claim whose name and group names are settings, a Party from its group, and
 * why someone is not known, in words. The sign-in itself is tested against Keycloak
 * (test/e2e/single-sign-on.test.ts).
 */
import { apiEnvSchema } from '../../api/config';
import { nameOf, principalFromClaims } from '../../api/oidc';

const settings = (env: Record<string, string> = {}) => apiEnvSchema.parse({ OIDC_ISSUER_URL: 'https://idp.example/realms/uep', ...env });
const dara = { sub: 'f3a1', name: 'Dara Okafor', email: 'dara.okafor@dcc.example' };

test('the body comes from the group claim, with the name and email the IdP gives', () => {
  expect(principalFromClaims({ ...dara, groups: ['uep-dcc'] }, settings())).toEqual({
    ok: true,
    principal: { body: 'DCC', id: 'f3a1', name: 'Dara Okafor', email: 'dara.okafor@dcc.example' },
  });
  // Keycloak with "full group path" on
  expect(principalFromClaims({ ...dara, groups: ['/uep-sec-panel'] }, settings())).toMatchObject({ ok: true, principal: { body: 'SEC_PANEL' } });
});

test('the claim and the group names are settings: Entra ID app roles, or group object ids', () => {
  const entraRoles = settings({ OIDC_GROUPS_CLAIM: 'roles', OIDC_GROUP_SECAS: 'UEP.Secas' });
  expect(principalFromClaims({ ...dara, roles: ['UEP.Secas'] }, entraRoles)).toMatchObject({ ok: true, principal: { body: 'SECAS' } });
  expect(principalFromClaims({ ...dara, groups: ['uep-secas'] }, entraRoles)).toMatchObject({ ok: false });
  const entraIds = settings({ OIDC_GROUP_OPS: '8c1f6d2e-0b7a-4d0e-9a51-3f2f0d4b8e11' });
  expect(principalFromClaims({ ...dara, groups: ['8c1f6d2e-0b7a-4d0e-9a51-3f2f0d4b8e11'] }, entraIds)).toMatchObject({ ok: true, principal: { body: 'OPS' } });
});

test('a Party’s person is bound to the Party its group names, and to one Party only', () => {
  expect(principalFromClaims({ ...dara, groups: ['uep-party-ACME-ENERGY'] }, settings())).toEqual({
    ok: true,
    principal: { body: 'PARTY', id: 'f3a1', partyId: 'ACME-ENERGY', name: 'Dara Okafor', email: 'dara.okafor@dcc.example' },
  });
  expect(principalFromClaims({ ...dara, groups: ['uep-party-ACME', 'uep-party-OTHER'] }, settings())).toMatchObject({
    ok: false,
    why: 'you are in the groups of more than one Party (ACME, OTHER); a person acts for one Party',
  });
  // a group that names no valid party id names no Party
  expect(principalFromClaims({ ...dara, groups: ['uep-party-../x'] }, settings())).toMatchObject({ ok: false });
});

test('someone in no body’s group, or with no group claim at all, is told why in words', () => {
  expect(principalFromClaims({ ...dara, groups: ['staff'] }, settings())).toEqual({
    ok: false,
    who: 'Dara Okafor (dara.okafor@dcc.example)',
    why: 'you are in none of the groups uep-ops, uep-secas, uep-dcc, uep-sec-panel, uep-party-<party id>',
  });
  expect(principalFromClaims(dara, settings())).toMatchObject({ ok: false, why: 'your sign-in service did not say which groups you are in (no "groups" claim)' });
  expect(principalFromClaims({ name: 'No Sub', groups: ['uep-dcc'] }, settings())).toMatchObject({ ok: false, why: 'your sign-in service did not name you (no "sub" claim)' });
});

test('the name as people read it: name, else given and family name, else the user name or email', () => {
  expect(nameOf({ sub: 's', given_name: 'Sam', family_name: 'Ellis' })).toBe('Sam Ellis');
  expect(nameOf({ sub: 's', preferred_username: 'sam.ellis' })).toBe('sam.ellis');
  expect(nameOf({ sub: 's', email: 'sam@secas.example' })).toBe('sam@secas.example');
  expect(nameOf({ sub: 's' })).toBe('s');
});
