/**
 * The resolver: reads a Platform's constructs into the model and runs the capacity planner as a
 * construct validation, so `cdk8s synth` fails with every graph and capacity error at once.
 *
 * Constructs are found with `node.findAll()` and `instanceof`, then each kind is sorted by construct
 * path, so the plan does not depend on declaration order. The classes are only used inside functions, which keeps
 * the import cycle platform → resolver → node-pool/pipeline/spark-application → platform harmless
 * under CommonJS (no class is needed while the modules load).
 */
import * as fs from 'fs';
import { IConstruct } from 'constructs';
import { BatchplaneError } from '../model/errors';
import { compareStrings } from '../model/input';
import { PipelineGraph } from '../model/job-graph';
import { CapacityPlan, Finding, OverProvisioningInput, PLAN_FILE_ENV, PlanInput, PoolInput, mergePlanFile, parsePlanFile, planCapacity } from '../model/planner';
import { JobDemand } from '../model/workload';
import { NodePool } from './node-pool';
import { OverProvisioning } from './over-provisioning';
import { Pipeline } from './pipeline';
import type { Platform } from './platform';
import { SparkApplication, SparkApplicationBase } from './spark-application';

/** Platforms whose resolver is registered (registration is idempotent). */
const registered = new WeakSet<Platform>();

/** Collects what the planner needs from the constructs of a platform, sorted by construct path. */
export function collectPlanInput(platform: Platform): { input: PlanInput; findings: Finding[] } {
  const pools: NodePool[] = [];
  const pipelines: Pipeline[] = [];
  const jobs: SparkApplicationBase[] = [];
  const overProvisioning: OverProvisioning[] = [];
  // The four classes extend Construct directly, so a construct is at most one of them.
  for (const c of platform.node.findAll()) {
    if (c instanceof SparkApplicationBase) {
      if (isStandaloneSpark(c)) jobs.push(c);
    } else if (c instanceof Pipeline) {
      pipelines.push(c);
    } else if (c instanceof NodePool) {
      pools.push(c);
    } else if (c instanceof OverProvisioning) {
      overProvisioning.push(c);
    }
  }
  const findings: Finding[] = [];
  const read = <T>(construct: IConstruct, fn: () => T): T[] => {
    try {
      return [fn()];
    } catch (error) {
      if (!(error instanceof BatchplaneError)) throw error;
      findings.push({ severity: 'error', path: construct.node.path, code: 'invalid-construct', message: error.message });
      return [];
    }
  };
  const input: PlanInput = {
    pools: byPath(pools).map((pool): PoolInput => ({ ...pool.spec, path: pool.node.path })),
    pipelines: byPath(pipelines).flatMap((p): PipelineGraph[] => read(p, () => p.graph())),
    jobs: byPath(jobs).flatMap((app): JobDemand[] => read(app, () => app.demand())),
    overProvisioning: byPath(overProvisioning).map(placeholders),
    strict: platform.strict,
  };
  return { input, findings };
}

/** Plans the capacity of a platform: every finding, per-pool and per-pipeline plans. */
export function resolvePlatform(platform: Platform): CapacityPlan {
  const { input, findings } = collectPlanInput(platform);
  const plan = planCapacity(input);
  return findings.length === 0 ? plan : { ...plan, findings: [...findings, ...plan.findings] };
}

/**
 * Registers the resolver as a validation of the platform: errors fail synthesis (each names its
 * construct path); warnings go to stderr once per platform; when `BATCHPLANE_PLAN_FILE` is set the
 * plan is written there for `batchplane plan`. Calling it again for the same platform does nothing.
 */
export function registerResolver(platform: Platform): void {
  if (registered.has(platform)) return;
  registered.add(platform);
  const printed = new Set<string>();
  platform.node.addValidation({
    validate: () => {
      const plan = resolvePlatform(platform);
      for (const warning of plan.findings.filter((f) => f.severity === 'warning')) {
        const line = `batchplane warning [${warning.path}] ${warning.code}: ${warning.message}`;
        if (!printed.has(line)) process.stderr.write(`${line}\n`);
        printed.add(line);
      }
      writePlanFile(platform, plan);
      return plan.findings.filter((f) => f.severity === 'error').map((f) => `[${f.path}] ${f.code}: ${f.message}`);
    },
  });
}

/** Writes (merges) the plan into the file named by `BATCHPLANE_PLAN_FILE`, when set. */
function writePlanFile(platform: Platform, plan: CapacityPlan): void {
  const file = process.env[PLAN_FILE_ENV];
  if (!file) return;
  const existing = fs.existsSync(file) ? parsePlanFile(fs.readFileSync(file, 'utf8')) : undefined;
  const merged = mergePlanFile(existing, { platform: platform.node.path, plan });
  fs.writeFileSync(file, `${JSON.stringify(merged, null, 2)}\n`);
}

/**
 * Constructs sorted by construct path. Only the constructs the planner reads are sorted, and each
 * path is built once (`node.path` walks the scopes on every call).
 */
function byPath<T extends IConstruct>(constructs: readonly T[]): T[] {
  return constructs
    .map((construct) => ({ construct, path: construct.node.path }))
    .sort((a, b) => compareStrings(a.path, b.path))
    .map((entry) => entry.construct);
}

/** Spark applications that run on their own: scheduled ones, and those no pipeline adopted. */
function isStandaloneSpark(app: SparkApplicationBase): boolean {
  return !(app instanceof SparkApplication) || app.owner === undefined;
}

function placeholders(op: OverProvisioning): OverProvisioningInput {
  return { pool: op.pool.name, replicas: op.replicas, requests: op.requests, path: op.node.path };
}
