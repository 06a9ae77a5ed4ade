import { checkTimeZone, CronSchedule, CronSpecSchedule, nextRuns, parseCron } from '../../lib/model/cron';
import { BatchplaneError } from '../../lib/model/errors';

const range = (from: number, to: number, step = 1): number[] => {
  const out: number[] = [];
  for (let v = from; v <= to; v += step) out.push(v);
  return out;
};

function spec(expr: string): CronSpecSchedule {
  const s: CronSchedule = parseCron(expr);
  if (s.kind !== 'spec') throw new Error(`expected fields for ${expr}`);
  return s;
}

const iso = (dates: Date[]): string[] => dates.map((d) => d.toISOString());

describe('parseCron fields', () => {
  it('expands the Kubernetes CronJob example "0 23 * * *"', () => {
    expect(spec('0 23 * * *')).toEqual({
      kind: 'spec',
      expression: '0 23 * * *',
      minutes: [0],
      hours: [23],
      daysOfMonth: range(1, 31),
      months: range(1, 12),
      daysOfWeek: range(0, 6),
      dayOfMonthWildcard: true,
      dayOfWeekWildcard: true,
    });
  });

  it('reads ranges, steps and lists', () => {
    const s = spec('*/15 9-17 1,15,31 */3 1-5');
    expect(s.minutes).toEqual([0, 15, 30, 45]);
    expect(s.hours).toEqual(range(9, 17));
    expect(s.daysOfMonth).toEqual([1, 15, 31]);
    expect(s.months).toEqual([1, 4, 7, 10]);
    expect(s.daysOfWeek).toEqual([1, 2, 3, 4, 5]);
    expect(s.dayOfMonthWildcard).toBe(false);
    expect(s.dayOfWeekWildcard).toBe(false);
  });

  it('reads a-b/s and robfig’s n/s (n to the maximum)', () => {
    expect(spec('0-30/10 * * * *').minutes).toEqual([0, 10, 20, 30]);
    expect(spec('5/20 * * * *').minutes).toEqual([5, 25, 45]);
    expect(spec('0 */1 * * *').hours).toEqual(range(0, 23));
    expect(spec('0 0 */1 * *').dayOfMonthWildcard).toBe(true);
    expect(spec('0 0 */2 * *').dayOfMonthWildcard).toBe(false);
  });

  it('reads month and weekday names in any case', () => {
    const s = spec('0 0 * JAN-mar,Dec sun,SAT');
    expect(s.months).toEqual([1, 2, 3, 12]);
    expect(s.daysOfWeek).toEqual([0, 6]);
    expect(spec('0 0 * * MON-FRI').daysOfWeek).toEqual([1, 2, 3, 4, 5]);
  });

  it('treats ? like *', () => {
    const s = spec('0 0 ? * ?');
    expect(s.daysOfMonth).toEqual(range(1, 31));
    expect(s.dayOfMonthWildcard).toBe(true);
  });

  it('sorts and deduplicates lists', () => {
    expect(spec('30,5,5,0-10/5 * * * *').minutes).toEqual([0, 5, 10, 30]);
  });

  it('splits on any whitespace', () => {
    expect(spec('  0\t23 *  * *  ').hours).toEqual([23]);
  });
});

describe('parseCron descriptors', () => {
  it.each<[string, number[], number[], number[], number[], number[]]>([
    ['@yearly', [0], [0], [1], [1], range(0, 6)],
    ['@annually', [0], [0], [1], [1], range(0, 6)],
    ['@monthly', [0], [0], [1], range(1, 12), range(0, 6)],
    ['@weekly', [0], [0], range(1, 31), range(1, 12), [0]],
    ['@daily', [0], [0], range(1, 31), range(1, 12), range(0, 6)],
    ['@midnight', [0], [0], range(1, 31), range(1, 12), range(0, 6)],
    ['@hourly', [0], range(0, 23), range(1, 31), range(1, 12), range(0, 6)],
  ])('%s', (expr, minutes, hours, daysOfMonth, months, daysOfWeek) => {
    expect(spec(expr)).toMatchObject({ expression: expr, minutes, hours, daysOfMonth, months, daysOfWeek });
  });

  it.each<[string, number]>([
    ['@every 1h30m', 5400],
    ['@every 5m', 300],
    ['@every 1.5h', 5400],
    ['@every 90s', 90],
    ['@every 1500ms', 1],
    ['@every 500ms', 1],
    ['@every 2h0m0.9s', 7200],
    ['@every +10s', 10],
  ])('%s runs every %d s', (expr, seconds) => {
    expect(parseCron(expr)).toEqual({ kind: 'every', expression: expr, intervalSeconds: seconds });
  });
});

describe('parseCron errors', () => {
  it.each<[string, string]>([
    ['', 'empty'],
    ['* * * *', 'expected 5 fields, found 4'],
    ['0 0 * * * *', 'expected 5 fields, found 6'],
    ['60 * * * *', 'minute: 60 is above 59'],
    ['* 24 * * *', 'hour: 24 is above 23'],
    ['* * 0 * *', 'day of month: 0 is below 1'],
    ['* * 32 * *', 'day of month: 32 is above 31'],
    ['* * * 13 *', 'month: 13 is above 12'],
    ['* * * 0 *', 'month: 0 is below 1'],
    ['* * * * 7', 'day of week: 7 is above 6'],
    ['5-1 * * * *', 'minute: range 5-1 runs backwards'],
    ['*/0 * * * *', 'minute: the step must be positive'],
    ['1-2-3 * * * *', 'minute: too many hyphens'],
    ['*/2/3 * * * *', 'minute: too many slashes'],
    ['*-5 * * * *', 'ranges from a wildcard'],
    ['1,,2 * * * *', 'minute: empty item'],
    ['a * * * *', 'minute: "a" is not a number'],
    ['* * * JANUARY *', 'month: "JANUARY" is not a number or name'],
    ['+5 * * * *', 'minute: "+5" is not a number'],
    ['-1 * * * *', 'minute: "-1" is not a number or range'],
    ['1- * * * *', 'minute: "1-" is not a number or range'],
    ['@reboot', 'unknown descriptor "@reboot"'],
    ['@Daily', 'unknown descriptor'],
    ['@every', 'unknown descriptor'],
    ['@every 5', 'invalid duration "5"'],
    ['@every 5d', 'invalid duration "5d"'],
    ['@every  5m', 'invalid duration " 5m"'],
    ['@every .s', 'invalid duration ".s"'],
    ['@every 0', '@every needs a positive duration'],
    ['@every -5m', '@every needs a positive duration'],
    ['@every 9999999999h', 'too long'],
    ['CRON_TZ=UTC 0 * * * *', 'set the time zone field instead'],
    ['TZ=UTC 0 * * * *', 'CRON_TZ= or TZ= prefix'],
  ])('rejects %j (%s)', (expr, problem) => {
    expect(() => parseCron(expr)).toThrow(BatchplaneError);
    expect(() => parseCron(expr)).toThrow(problem);
  });

  it('names the field, the value and the rule', () => {
    expect(() => parseCron('0 25 * * *', 'nightly.schedule')).toThrow(
      'nightly.schedule: got "0 25 * * *", expected a cron schedule: five fields (minute hour day-of-month month day-of-week) or a descriptor such as @daily or @every 1h (hour: 25 is above 23)',
    );
  });

  it('rejects non-strings from JavaScript callers', () => {
    expect(() => parseCron(5 as unknown as string)).toThrow('schedule: got 5');
  });
});

describe('nextRuns', () => {
  const from = new Date('2024-02-27T22:30:00Z'); // a Tuesday, in a leap year

  it('lists daily runs', () => {
    expect(iso(nextRuns(parseCron('0 23 * * *'), from, 3))).toEqual([
      '2024-02-27T23:00:00.000Z',
      '2024-02-28T23:00:00.000Z',
      '2024-02-29T23:00:00.000Z',
    ]);
  });

  it('starts strictly after from', () => {
    expect(iso(nextRuns(parseCron('30 22 * * *'), from, 1))).toEqual(['2024-02-28T22:30:00.000Z']);
    expect(iso(nextRuns(parseCron('* * * * *'), new Date('2024-01-01T00:00:30Z'), 2))).toEqual([
      '2024-01-01T00:01:00.000Z',
      '2024-01-01T00:02:00.000Z',
    ]);
  });

  it('ORs restricted day-of-month and day-of-week, as cron does', () => {
    // The 1st of the month or any Friday.
    expect(iso(nextRuns(parseCron('0 0 1 * FRI'), from, 3))).toEqual([
      '2024-03-01T00:00:00.000Z',
      '2024-03-08T00:00:00.000Z',
      '2024-03-15T00:00:00.000Z',
    ]);
    expect(iso(nextRuns(parseCron('0 0 2 * FRI'), from, 2))).toEqual(['2024-03-01T00:00:00.000Z', '2024-03-02T00:00:00.000Z']);
  });

  it('finds leap days and gives up on impossible dates', () => {
    expect(iso(nextRuns(parseCron('0 0 29 2 *'), new Date('2024-03-01T00:00:00Z'), 1))).toEqual(['2028-02-29T00:00:00.000Z']);
    expect(nextRuns(parseCron('0 0 30 2 *'), from, 1)).toEqual([]);
  });

  it('steps @every from the start time, truncated to the second', () => {
    expect(iso(nextRuns(parseCron('@every 1h30m'), new Date('2024-01-01T00:00:00.750Z'), 2))).toEqual([
      '2024-01-01T01:30:00.000Z',
      '2024-01-01T03:00:00.000Z',
    ]);
  });
});

describe('checkTimeZone', () => {
  it.each(['UTC', 'Local', 'Europe/Paris', 'America/New_York', 'America/Argentina/Buenos_Aires', 'Etc/GMT+5', 'US/Eastern', 'EST', 'Asia/Kolkata'])(
    'accepts %j',
    (tz) => {
      expect(checkTimeZone('timeZone', tz)).toBe(tz);
    },
  );

  it.each(['', 'Mars/Olympus_Mons', 'Europe/Pariss', '+01:00', 'local', 'est', 'us/eastern', 'GMT +1'])('rejects %j', (tz) => {
    expect(() => checkTimeZone('timeZone', tz)).toThrow(BatchplaneError);
  });

  it('suggests the correct case', () => {
    expect(() => checkTimeZone('timeZone', 'europe/paris')).toThrow(
      "timeZone: got \"europe/paris\", expected an IANA time zone name such as 'Europe/Paris', or 'UTC' (names are case-sensitive: write 'Europe/Paris')",
    );
    expect(() => checkTimeZone('timeZone', 'utc')).toThrow("write 'UTC'");
  });

  it('rejects non-strings from JavaScript callers', () => {
    expect(() => checkTimeZone('timeZone', 1)).toThrow('timeZone: got 1');
  });
});
