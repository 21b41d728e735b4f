/** What the API's reads and writes of the record are built with: the record, the API's clock and its configuration. */
import type { RecordDb } from '../record/db';
import type { ApiConfig } from './config';

export interface RecordContext {
  record: RecordDb;
  /** Time-dependent fields are computed as of it. */
  now: () => number;
  config: ApiConfig;
}
