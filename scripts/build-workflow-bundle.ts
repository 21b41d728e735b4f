/**
 * Prebuilds the workflow bundle (webpack + swc, done by the Temporal SDK) so that a worker in
 * production loads it from disk instead of bundling from source at every start. The Dockerfile
 * runs this at image build time; the worker reads the file through WORKFLOW_BUNDLE_PATH.
 *
 *   npm run build:bundle                  # writes dist/workflow-bundle.js
 *   npm run build:bundle -- out/file.js   # somewhere else
 *
 * The bundle is built from the same `workflowsPath` the worker and the tests use, so a worker with
 * WORKFLOW_BUNDLE_PATH set runs exactly the code a worker bundling from source would. Should the
 * worker ever add workflow interceptor modules or a custom payload/failure converter, pass the
 * same ones here (`workflowInterceptorModules`, `payloadConverterPath`, `failureConverterPath`):
 * a prebuilt bundle ignores them on Worker.create.
 */
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DefaultLogger, bundleWorkflowCode } from '@temporalio/worker';

export const DEFAULT_BUNDLE_PATH = path.resolve(__dirname, '..', 'dist', 'workflow-bundle.js');

export async function buildWorkflowBundle(outFile: string = DEFAULT_BUNDLE_PATH): Promise<{ path: string; bytes: number; ms: number }> {
  const started = Date.now();
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../workflows'),
    // Webpack's warnings and errors still surface (a bad import fails the build); progress chatter does not.
    logger: new DefaultLogger('WARN'),
  });
  mkdirSync(path.dirname(outFile), { recursive: true });
  writeFileSync(outFile, code);
  return { path: outFile, bytes: statSync(outFile).size, ms: Date.now() - started };
}

if (require.main === module) {
  const target = process.argv[2] ? path.resolve(process.argv[2]) : DEFAULT_BUNDLE_PATH;
  buildWorkflowBundle(target).then(
    ({ path: file, bytes, ms }) => {
      console.log(`workflow bundle: ${path.relative(process.cwd(), file) || file} (${(bytes / 1024 / 1024).toFixed(2)} MB) in ${ms} ms`);
    },
    (err: unknown) => {
      console.error('workflow bundle failed:', err);
      process.exit(1);
    },
  );
}
