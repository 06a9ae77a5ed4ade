import { irsaTrustPolicy, issuerHostPath, serviceAccountSubject, sparkS3Policy } from '../../lib/pulumi/irsa';
import { ISSUER } from './fixtures';

const PROVIDER = 'arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
const HOST = 'oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';

describe('irsaTrustPolicy', () => {
  test('admits one service account, for the STS audience only', () => {
    expect(irsaTrustPolicy(PROVIDER, ISSUER, [{ namespace: 'data', name: 'spark' }])).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: PROVIDER },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringEquals: {
              [`${HOST}:aud`]: 'sts.amazonaws.com',
              [`${HOST}:sub`]: 'system:serviceaccount:data:spark',
            },
          },
        },
      ],
    });
  });

  test('lists several service accounts sorted and once each', () => {
    const policy = irsaTrustPolicy(PROVIDER, ISSUER, [
      { namespace: 'data', name: 'spark-executor' },
      { namespace: 'data', name: 'spark-driver' },
      { namespace: 'data', name: 'spark-driver' },
    ]);
    expect(policy.Statement[0].Condition?.StringEquals[`${HOST}:sub`]).toEqual([
      'system:serviceaccount:data:spark-driver',
      'system:serviceaccount:data:spark-executor',
    ]);
  });

  test('rejects an empty list and malformed accounts', () => {
    expect(() => irsaTrustPolicy(PROVIDER, ISSUER, [])).toThrow(/^serviceAccounts: got \[\], expected at least one service account/);
    expect(() => serviceAccountSubject({ namespace: 'Data', name: 'spark' })).toThrow(/^serviceAccounts\.namespace: got "Data"/);
    expect(() => serviceAccountSubject({ namespace: 'data', name: '' })).toThrow(/^serviceAccounts\.name: got ""/);
  });

  test('condition keys use the issuer without its scheme', () => {
    expect(issuerHostPath(ISSUER)).toBe(HOST);
  });
});

describe('sparkS3Policy', () => {
  test('grants bucket listing on the bucket and object access under it, nothing else', () => {
    const policy = sparkS3Policy('arn:aws:s3:::lake');
    expect(policy.Statement.map((s) => s.Resource)).toEqual(['arn:aws:s3:::lake', 'arn:aws:s3:::lake/*']);
    expect(policy.Statement.flatMap((s) => s.Action)).not.toContain('s3:*');
    expect(policy.Statement[1].Action).toContain('s3:PutObject');
  });

  test('rejects something that is not a bucket ARN', () => {
    expect(() => sparkS3Policy('lake')).toThrow(/^bucketArn: got "lake", expected an S3 bucket ARN/);
    expect(() => sparkS3Policy('arn:aws:s3:::lake/*')).toThrow(/^bucketArn/);
  });
});
