import { renderGantt, renderPipelineGantt } from '../../lib/cli/render-gantt';
import { samplePlan } from '../model/support/sample-plan';

const plan = samplePlan();

test('one row per job, bars scaled to the makespan', () => {
  // 65 minutes on 13 cells: one cell is 5 minutes.
  expect(renderPipelineGantt(plan.pipelines[0], { width: 13 })).toBe([
    'nightly: makespan 1h5m, one cell = 5m',
    'job-a  |██           |  0s → 10m    general',
    'job-c  |████         |  0s → 20m    general',
    'job-b  |  ██████     |  10m → 40m   general, spark-spot',
    'job-d  |        ███  |  40m → 55m   general',
    'job-e  |           █ |  55m → 1h    general',
    'job-f  |           ██|  55m → 1h5m  general',
  ].join('\n'));
});

test('pipelines without a schedule are left out', () => {
  expect(renderPipelineGantt(plan.pipelines[1])).toBeUndefined();
  // 65 minutes on the default 60 cells: the cell is rounded up to the next readable step, 2 minutes.
  expect(renderGantt(plan).startsWith('nightly: makespan 1h5m, one cell = 2m\n')).toBe(true);
  expect(renderGantt({ ...plan, pipelines: [plan.pipelines[1]] })).toBe('');
});

test('time spent queued is shaded', () => {
  const [nightly] = plan.pipelines;
  const schedule = nightly.schedule!;
  const queued = { ...nightly, schedule: { ...schedule, jobs: [{ ...schedule.jobs[1], start: 600, end: 1800, queued: 600 }] } };
  expect(renderPipelineGantt(queued, { width: 13 })!.split('\n')[1]).toBe('job-c  |░░████       |  10m → 30m  general'); // waits 0-10m, runs 10-30m
});
