/** One Temporal cluster on PostgreSQL (scripts/cluster) for a whole test file, on free ports. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startCluster, type Cluster } from '../../scripts/cluster/cluster';

export function useCluster(): () => Cluster {
  let cluster: Cluster | undefined;
  let dir: string | undefined;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'uep-cluster-'));
    cluster = await startCluster({ dir, log: (line) => console.log(`cluster: ${line}`) });
    console.log(`cluster versions: ${cluster.versions.temporal}; ${cluster.versions.postgres}`);
    console.log(`cluster services up: ${cluster.services().map((s) => s.name).join(', ')}, postgresql; up in ${cluster.upInMs} ms`);
  }, 20 * 60_000); // a cold cache builds the server first
  afterAll(async () => {
    await cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 120_000);
  return () => {
    if (!cluster) throw new Error('the cluster did not start');
    return cluster;
  };
}
