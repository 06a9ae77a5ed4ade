/**
 * Runs once before the whole jest run: says in one line that the strict schema checks are skipped when
 * the upstream schemas are not beside the repository (each conformance suite then skips silently; on
 * CI they fail instead).
 */
import { conformanceMode, schemasDir } from './conformance';

export default function globalSetup(): void {
  if (conformanceMode() === 'skip') {
    process.stderr.write(`\nconformance: ${schemasDir()} not found, skipping strict schema checks\n`);
  }
}
