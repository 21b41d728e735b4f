/**
 * jest's own runner, told to run its test files one at a time (in jest's process, after or before
 * the files that run side by side): for the projects in jest.config.js whose files must have the
 * machine to themselves.
 */
import jestRunner from 'jest-runner';

const TestRunner = jestRunner.default ?? jestRunner;

export default class AloneRunner extends TestRunner {
  // a field, not a getter: jest's base runner declares `isSerial` as a field of its own
  isSerial = true;
}
