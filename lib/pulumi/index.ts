/**
 * `batchplane/pulumi`: provision the EKS cluster, node groups, IRSA roles and operators of a batchplane
 * platform with Pulumi, from the same node pools the cdk8s side schedules onto, then deploy its charts.
 * This entry point loads neither cdk8s nor the cdk8s constructs: pools, charts and apps are read by shape.
 */
export * from './batch-cluster';
export * from './cluster';
export * from './deploy';
export * from './irsa';
export * from './namespaces';
export * from './node-groups';
export * from './operators';
