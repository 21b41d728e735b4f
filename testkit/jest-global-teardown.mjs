import { teardown as bundleTeardown } from './jest-global-bundle.mjs';
import { teardown as recordTeardown } from './jest-global-record.mjs';

export default async function teardown() {
  await Promise.all([recordTeardown(), bundleTeardown()]);
}
