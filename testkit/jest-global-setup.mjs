import { setup } from './jest-global-record.mjs';
export default setup;
