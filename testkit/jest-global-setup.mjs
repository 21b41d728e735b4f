import { setup as bundleSetup } from './jest-global-bundle.mjs';
import { setup as consoleSetup } from './jest-global-console.mjs';
import { setup as recordSetup } from './jest-global-record.mjs';

export default async function setup(globalConfig) {
  await Promise.all([recordSetup(globalConfig), bundleSetup(), consoleSetup()]);
}
