import { teardown } from './jest-global-record.mjs';
export default teardown;
