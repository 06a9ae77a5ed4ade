/**
 * Knows when an app is inside `app.synth()` or `app.synthYaml()`. cdk8s validates the whole app at the
 * start of both, then asks each chart for its manifests, and a chart's `toJson()` validates the whole
 * app once more; a Platform that knows the app was validated moments ago can write the manifests its
 * checks already rendered instead, so each object renders and each check runs once per synthesis.
 *
 * The two methods are wrapped on the app instance. Code that bypasses them (calling the prototype's
 * method on the app) only loses that saving: charts then validate and render as cdk8s does.
 */
import { App } from 'cdk8s';

type SynthMethod = 'synth' | 'synthYaml';
const SYNTH_METHODS: readonly SynthMethod[] = ['synth', 'synthYaml'];

const active = new WeakSet<App>();
const endHandlers = new WeakMap<App, (() => void)[]>();

/**
 * Calls `onEnd` whenever a synthesis of `app` ends, successfully or not, and starts tracking the app's
 * syntheses (see {@link isSynthesizing}).
 */
export function onSynthesisEnd(app: App, onEnd: () => void): void {
  const handlers = endHandlers.get(app);
  if (handlers !== undefined) {
    handlers.push(onEnd);
    return;
  }
  endHandlers.set(app, [onEnd]);
  for (const method of SYNTH_METHODS) wrap(app, method);
}

/** True while `app.synth()` or `app.synthYaml()` of a tracked app runs. */
export function isSynthesizing(app: App): boolean {
  return active.has(app);
}

function wrap(app: App, method: SynthMethod): void {
  const original = app[method] as unknown;
  if (typeof original !== 'function') return; // the root is a plain construct, not a cdk8s App
  Object.defineProperty(app, method, {
    configurable: true,
    writable: true,
    value: function synthesizeTracked(this: App): unknown {
      active.add(app);
      try {
        return (original as (this: App) => unknown).call(this);
      } finally {
        active.delete(app);
        endHandlers.get(app)?.forEach((handler) => handler());
      }
    },
  });
}
