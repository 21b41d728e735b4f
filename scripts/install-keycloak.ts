/**
 * Fetches the pinned Keycloak distribution from Maven Central into the shared cache (once); the
 * sign-in tests start it from there. CI runs it as its own step so the cold-cache cost shows.
 */
import { ensureKeycloak, keycloakJavaHome, KEYCLOAK_VERSION } from '../testkit/keycloak';

const started = Date.now();
const home = ensureKeycloak();
console.log(`Keycloak ${KEYCLOAK_VERSION} ready in ${home} (${((Date.now() - started) / 1000).toFixed(1)} s); Java: ${keycloakJavaHome()}`);
