/**
 * The floor: the same manifests written by plain cdk8s, one `ApiObject` per object, no validation and
 * no batchplane constructs. What batchplane costs is synth time above this.
 */
import { ApiObject, ApiObjectProps, App, Chart } from 'cdk8s';

/** Checks that a rendered manifest has the fields an `ApiObject` needs. */
export function asApiObjectProps(manifest: unknown): ApiObjectProps {
  if (typeof manifest !== 'object' || manifest === null) throw new TypeError('a manifest must be an object');
  const { apiVersion, kind, metadata } = manifest as Record<string, unknown>;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || typeof metadata !== 'object' || metadata === null) {
    throw new TypeError(`a manifest needs apiVersion, kind and metadata, got ${JSON.stringify(manifest).slice(0, 120)}`);
  }
  return manifest as ApiObjectProps;
}

/** Builds an app of one chart holding `manifests` as ApiObjects and writes it to `outdir`. */
export function synthFloor(manifests: readonly ApiObjectProps[], outdir: string): void {
  const app = new App({ outdir });
  const chart = new Chart(app, 'floor', { disableResourceNameHashes: true });
  manifests.forEach((manifest, index) => new ApiObject(chart, `object-${index}`, manifest));
  app.synth();
}
