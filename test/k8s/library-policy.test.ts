import { ApiObject, Testing } from 'cdk8s';
import { checkPolicy, formatViolation, PolicyInput } from '../../lib/k8s/policy';
import { describeConformance, validateManifests } from '../support/conformance';
import { examplePlatform } from '../support/example-platform';

/** Every object of the example platform with its construct path, rendered. */
function inputs(): PolicyInput[] {
  const { platform } = examplePlatform();
  Testing.synth(platform); // runs every validation, the policy included
  return platform.node.findAll().filter(ApiObject.isApiObject).map((obj) => ({ path: obj.node.path, manifest: obj.toJson() }));
}

describe("the library's own output", () => {
  test('passes every policy rule, the embedded SparkApplications included', () => {
    const all = inputs();
    expect(checkPolicy(all).map(formatViolation)).toEqual([]);
    // The check did look inside the workflow: the embedded applications are JSON and parse.
    const workflow = all.find((input) => input.manifest.kind === 'CronWorkflow');
    expect(workflow).toBeDefined();
    const { templates } = (workflow?.manifest.spec as { workflowSpec: { templates: { resource?: { manifest: string } }[] } }).workflowSpec;
    const embedded = templates.flatMap((template) => (template.resource ? [JSON.parse(template.resource.manifest) as { kind: string }] : []));
    expect(embedded.map((manifest) => manifest.kind)).toContain('SparkApplication');
    expect(checkPolicy(all, { requireSparkCpuLimit: true }).map((v) => v.field)).toEqual(
      expect.arrayContaining([expect.stringMatching(/resource\.manifest > spec\.driver\.coreLimit$/)]),
    );
  });

  test('covers every kind of pod the library emits', () => {
    const kinds = new Set(inputs().map((input) => input.manifest.kind));
    expect([...kinds].sort()).toEqual([
      'CronWorkflow', 'Deployment', 'Namespace', 'PodDisruptionBudget', 'PriorityClass', 'Role', 'RoleBinding',
      'ScheduledSparkApplication', 'Service', 'ServiceAccount',
    ]);
  });

  describeConformance('strict schemas', () => {
    test('every manifest conforms', () => {
      expect(validateManifests(inputs().map((input) => input.manifest))).toEqual([]);
    });
  });
});
