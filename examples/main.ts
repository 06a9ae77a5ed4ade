/**
 * `cdk8s synth` entry point: builds the example platform and writes its manifests to dist/.
 * Synthesis fails, writing nothing, when a pipeline has a cycle or a job cannot fit its pools.
 */
import { App } from 'cdk8s';
import { buildPlatform } from './platform';

const { app } = buildPlatform(new App());
app.synth();
