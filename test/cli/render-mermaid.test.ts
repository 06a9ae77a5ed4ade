import { renderMermaid } from '../../lib/cli/render-mermaid';
import { samplePlan } from '../model/support/sample-plan';

const plan = samplePlan();

test('a gantt chart of the scheduled pipelines, critical jobs marked', () => {
  expect(renderMermaid(plan)).toBe([
    'gantt',
    '  title batchplane: simulated runs',
    '  dateFormat X',
    '  axisFormat %H:%M',
    '  section nightly',
    '  job-a :crit, p0j0, 0, 600',
    '  job-c :p0j1, 0, 1200',
    '  job-b :crit, p0j2, 600, 2400',
    '  job-d :crit, p0j3, 2400, 3300',
    '  job-e :p0j4, 3300, 3600',
    '  job-f :crit, p0j5, 3300, 3900',
    '',
  ].join('\n'));
});

test('a flowchart when no pipeline has a schedule', () => {
  expect(renderMermaid({ ...plan, pipelines: [plan.pipelines[1], { ...plan.pipelines[0], schedule: undefined }] })).toBe([
    'flowchart LR',
    '  subgraph p0["adhoc"]',
    '    p0j0["job-x"]',
    '    p0j1["job-y"]',
    '  end',
    '  subgraph p1["nightly"]',
    '    p1j0["job-a"]', '    p1j1["job-b"]', '    p1j2["job-c"]', '    p1j3["job-d"]', '    p1j4["job-e"]', '    p1j5["job-f"]',
    '    p1j0 --> p1j1', '    p1j0 --> p1j3', '    p1j1 --> p1j3', '    p1j2 --> p1j3', '    p1j3 --> p1j4', '    p1j3 --> p1j5',
    '  end',
    '',
  ].join('\n'));
});
