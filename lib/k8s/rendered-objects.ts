/**
 * Manifests rendered once per synthesis. The checks that run inside synth (the security policy) need
 * every object rendered, and so does the output; rendering is the costliest part of synthesis, so the
 * checks render through this cache and the output takes the manifests from it.
 */
import { ApiObject } from 'cdk8s';

/** The rendered manifests of ApiObjects, kept until taken. */
export class RenderedObjects {
  private readonly manifests = new Map<ApiObject, Record<string, unknown>>();

  /**
   * The object's manifest, rendered now or earlier in this synthesis; undefined when rendering fails
   * (synthesis then reports the failure itself when it renders the object for output).
   */
  public render(object: ApiObject): Record<string, unknown> | undefined {
    const cached = this.manifests.get(object);
    if (cached !== undefined) return cached;
    let manifest: Record<string, unknown>;
    try {
      manifest = object.toJson();
    } catch {
      return undefined;
    }
    this.manifests.set(object, manifest);
    return manifest;
  }

  /** The object's cached manifest, removed from the cache; rendered now when it was not cached. */
  public take(object: ApiObject): Record<string, unknown> {
    const cached = this.manifests.get(object);
    this.manifests.delete(object);
    return cached ?? object.toJson();
  }

  /** Forgets every cached manifest. */
  public clear(): void {
    this.manifests.clear();
  }
}
