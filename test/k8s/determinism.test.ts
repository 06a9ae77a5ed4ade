import { Testing } from 'cdk8s';
import { stringify } from 'yaml';
import { examplePlatform } from '../support/example-platform';

describe('deterministic output', () => {
  test('synthesizing the same program twice gives byte-identical YAML', () => {
    const first = examplePlatform().app.synthYaml();
    const second = examplePlatform().app.synthYaml();
    expect(second).toBe(first);
    expect(first.length).toBeGreaterThan(1000);
  });

  test('synthesizing one app twice gives the same YAML', () => {
    const { app } = examplePlatform();
    expect(app.synthYaml()).toBe(app.synthYaml());
  });

  test('declaring pools, applications, tasks and dependencies in another order gives a byte-identical file', () => {
    const written = examplePlatform('written').app.synthYaml();
    expect(examplePlatform('reversed').app.synthYaml()).toBe(written);
    const documents = (Testing.synth(examplePlatform('written').platform) as unknown[]).map((manifest) => stringify(manifest));
    expect(new Set(documents).size).toBe(documents.length);
  });
});
