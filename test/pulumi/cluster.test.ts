import { kubeconfigJson, serviceTrustPolicy } from '../../lib/pulumi/cluster';

describe('kubeconfigJson', () => {
  test('authenticates through aws eks get-token for the cluster and region', () => {
    const config = JSON.parse(
      kubeconfigJson({ name: 'data', endpoint: 'https://api.example', certificateAuthority: 'Q0E=', region: 'eu-west-1' }),
    );
    expect(config['current-context']).toBe('data');
    expect(config.clusters).toEqual([{ name: 'data', cluster: { server: 'https://api.example', 'certificate-authority-data': 'Q0E=' } }]);
    expect(config.users[0].user.exec).toEqual({
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      command: 'aws',
      args: ['eks', 'get-token', '--cluster-name', 'data', '--region', 'eu-west-1', '--output', 'json'],
    });
  });
});

describe('serviceTrustPolicy', () => {
  test('lets only the given service assume the role', () => {
    expect(serviceTrustPolicy('eks.amazonaws.com')).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'eks.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    });
  });
});
