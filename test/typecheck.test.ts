import { execFileSync } from 'child_process';
import * as path from 'path';

// Jest transpiles test files without type information (fast); this one test type-checks the whole
// project (library, examples, benchmarks and tests) with the strict settings of tsconfig.dev.json.
test('the project type-checks under strict settings', () => {
  const root = path.resolve(__dirname, '..');
  const tsc = require.resolve('typescript/bin/tsc');
  let output = '';
  try {
    execFileSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.dev.json')], { cwd: root, encoding: 'utf8', stdio: 'pipe' });
  } catch (error) {
    const failure = error as { stdout?: string; stderr?: string };
    output = `${failure.stdout ?? ''}${failure.stderr ?? ''}`;
  }
  expect(output).toBe('');
});
