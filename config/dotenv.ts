/**
 * Settings from a `.env` file in the working directory, read the way Node reads them
 * (process.loadEnvFile, the parser behind `node --env-file`): a variable already set in the
 * environment wins over the file. Every entry point (npm start, the worker, the API) calls it
 * first; the names are those of .env.example.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

export function loadDotEnv(file = path.resolve('.env')): void {
  if (existsSync(file)) process.loadEnvFile(file);
}
