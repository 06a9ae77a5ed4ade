import { columns, renderFindings, renderPipelines, renderPools, renderTable } from '../../lib/cli/render-table';
import { samplePlan } from '../model/support/sample-plan';

const plan = samplePlan();

test('columns aligns cells', () => {
  expect(columns([['a', 'bb'], ['ccc', 'd']])).toEqual(['a    bb', 'ccc  d']);
});

test('pools table', () => {
  // general: job-c (2 cpu) beside job-b's driver (1) and the two adhoc drivers (1 each).
  // spark-spot: 2 + 3 + 3 executors of 4 cpu, one per node; the 1-cpu placeholder shares a node.
  expect(renderPools(plan.pools)).toEqual([
    'POOL        TYPE       INSTANCE TYPES  NODES  PEAK NODES            PEAK CPU               PEAK MEMORY           FALLBACK',
    'general     on-demand  m6i.2xlarge     1-10   1                     5 / 77.1 cpu (6%)      10Gi / 307.8Gi (3%)   -',
    'spark-spot  spot       r6i.2xlarge     0-4    8 (incl. 1 headroom)  32 / 30.84 cpu (104%)  96Gi / 251.1Gi (38%)  general',
    'gpu         on-demand  g5.xlarge       0-2    0                     0 / 7.44 cpu (0%)      0 / 29.6Gi (0%)       -',
  ]);
});

test('pipelines table', () => {
  expect(renderPipelines(plan.pipelines)).toEqual([
    'PIPELINE  JOBS  CRITICAL PATH                         MAKESPAN  DEADLINE',
    'nightly   6     job-a → job-b → job-d → job-f (1h5m)  1h5m      2h (met, 55m to spare)',
    'adhoc     2     job-x                                 -         -',
  ]);
});

test('a missed deadline says by how much', () => {
  const [nightly] = plan.pipelines;
  expect(renderPipelines([{ ...nightly, deadlineSeconds: 3600 }])[1]).toMatch(/ 1h \(missed by 5m\)$/);
});

test('findings and the whole table', () => {
  expect(renderFindings(plan.findings)).toEqual([expect.stringMatching(/^warning \[data\/spark-spot\] pool spark-spot: jobs that may run at the same time \(nightly\/job-b, adhoc\/job-x, adhoc\/job-y\) request 32 cpu, 96Gi and need 8 r6i.2xlarge nodes/)]);
  const text = renderTable(plan);
  expect(text.split('\n\n').map((section) => section.split('\n')[0])).toEqual(['Pools', 'Pipelines', 'Findings']);
  expect(text.endsWith('\n')).toBe(true);
});
