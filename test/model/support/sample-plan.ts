/**
 * A capacity plan to render in the CLI tests: the seed pipeline with durations on the fixture pools,
 * plus two standalone Spark jobs that make spark-spot queue.
 */
import { CapacityPlan, planCapacity } from '../../../lib/model/planner';
import { POOLS, SEED_MINUTES, seedPipeline, sparkJob } from './capacity-fixtures';

export function samplePlan(): CapacityPlan {
  return planCapacity({
    pools: POOLS.map((pool) => ({ ...pool, path: `data/${pool.name}` })),
    pipelines: [seedPipeline(SEED_MINUTES, 2 * 3600), { name: 'adhoc', path: 'data/adhoc', jobs: [sparkJob('job-x', 3), sparkJob('job-y', 3)], edges: [] }],
    jobs: [],
    overProvisioning: [{ pool: 'spark-spot', replicas: 1, requests: { cpuMillis: 1000, memoryBytes: 2 ** 30, ephemeralStorageBytes: 0, gpus: 0, pods: 1 }, path: 'data/headroom' }],
  });
}
