/**
 * The settings of the local identity provider's process (scripts/local-idp/main.ts), all set by
 * whoever starts it (npm start, through scripts/local-idp/process.ts). The group names are the
 * API's own settings, read from the same environment, so the two cannot disagree.
 */
import { z } from 'zod';
import { logLevelSchema } from '../../config/logging';
import { oidcEnvSchema } from '../../config/oidc';

export const localIdpEnvSchema = oidcEnvSchema
  .pick({
    OIDC_CLIENT_ID: true,
    OIDC_GROUPS_CLAIM: true,
    OIDC_GROUP_SECAS: true,
    OIDC_GROUP_DCC: true,
    OIDC_GROUP_SEC_PANEL: true,
    OIDC_GROUP_OPS: true,
    OIDC_PARTY_GROUP_PREFIX: true,
  })
  .extend({
    /** Where it listens, on 127.0.0.1; its issuer is http://127.0.0.1:<port>. */
    LOCAL_IDP_PORT: z.coerce.number().int().min(1).max(65535),
    /** The console client's secret, shared with the API (OIDC_CLIENT_SECRET). */
    LOCAL_IDP_CLIENT_SECRET: z.string().min(16),
    /** The API's callback (API_PUBLIC_URL/auth/callback) and its signed-out page. */
    LOCAL_IDP_REDIRECT_URI: z.url(),
    LOCAL_IDP_POST_LOGOUT_REDIRECT_URI: z.url(),
    /** The console, linked from the provider's own home page. */
    LOCAL_IDP_CONSOLE_URL: z.url(),
    /** Its signing and cookie keys (made on first start). */
    LOCAL_IDP_KEYS_FILE: z.string().min(1),
    LOG_LEVEL: logLevelSchema,
  });
export type LocalIdpSettings = z.infer<typeof localIdpEnvSchema>;

export const issuerOf = (port: number) => `http://127.0.0.1:${port}`;
