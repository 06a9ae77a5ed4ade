import { restrictedContainerSecurityContext, restrictedPodSecurityContext, scratchVolume } from '../../lib/k8s/security';

/** The keys of `value`, at every depth, in the order they are listed. */
function keyOrder(value: object): string[][] {
  const nested = Object.values(value).filter((v): v is object => typeof v === 'object' && v !== null && !Array.isArray(v));
  return [Object.keys(value), ...nested.flatMap(keyOrder)];
}

function sortedCopy(keys: string[]): string[] {
  return [...keys].sort();
}

describe('restrictedContainerSecurityContext', () => {
  test('refuses root, escalation and capabilities, with a read-only root and RuntimeDefault seccomp', () => {
    expect(restrictedContainerSecurityContext()).toEqual({
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      readOnlyRootFilesystem: true,
      seccompProfile: { type: 'RuntimeDefault' },
    });
  });

  test('sets the user and group when given', () => {
    const context = restrictedContainerSecurityContext({ runAsUser: 185, runAsGroup: 0 });
    expect(context.runAsUser).toBe(185);
    expect(context.runAsGroup).toBe(0);
    expect(context.runAsNonRoot).toBe(true);
  });

  test('lists its keys in alphabetical order, the order manifests are written in', () => {
    for (const keys of keyOrder(restrictedContainerSecurityContext({ runAsUser: 185, runAsGroup: 185 }))) expect(keys).toEqual(sortedCopy(keys));
    for (const keys of keyOrder(restrictedPodSecurityContext({ runAsUser: 185, runAsGroup: 185, fsGroup: 185 }))) expect(keys).toEqual(sortedCopy(keys));
  });

  test('checks the user before the group', () => {
    expect(() => restrictedContainerSecurityContext({ runAsUser: 0, runAsGroup: -1 })).toThrow('runAsUser: got 0');
  });

  test('returns a fresh object each call', () => {
    const first = restrictedContainerSecurityContext();
    first.capabilities?.drop?.push('NET_RAW');
    expect(restrictedContainerSecurityContext().capabilities).toEqual({ drop: ['ALL'] });
  });

  test.each([
    [{ runAsUser: 0 }, 'runAsUser: got 0, expected an integer between 1 and 2147483647'],
    [{ runAsUser: 1.5 }, 'runAsUser: got 1.5'],
    [{ runAsGroup: -1 }, 'runAsGroup: got -1, expected an integer between 0 and 2147483647'],
    [{ runAsUser: '1000' as unknown as number }, 'runAsUser: got "1000"'],
  ])('rejects %p', (options, message) => {
    expect(() => restrictedContainerSecurityContext(options)).toThrow(message);
  });
});

describe('restrictedPodSecurityContext', () => {
  test('refuses root and applies RuntimeDefault seccomp', () => {
    expect(restrictedPodSecurityContext()).toEqual({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
  });

  test('sets user, group and fsGroup when given', () => {
    expect(restrictedPodSecurityContext({ runAsUser: 1000, runAsGroup: 1000, fsGroup: 2000 })).toEqual({
      runAsNonRoot: true,
      runAsUser: 1000,
      runAsGroup: 1000,
      fsGroup: 2000,
      seccompProfile: { type: 'RuntimeDefault' },
    });
  });

  test('rejects a negative fsGroup', () => {
    expect(() => restrictedPodSecurityContext({ fsGroup: -5 })).toThrow('fsGroup: got -5');
  });
});

describe('scratchVolume', () => {
  test('is an emptyDir with a canonical size limit', () => {
    expect(scratchVolume('scratch', '1Gi')).toEqual({ name: 'scratch', emptyDir: { sizeLimit: '1Gi' } });
    expect(scratchVolume('tmp', '1.5Gi')).toEqual({ name: 'tmp', emptyDir: { sizeLimit: '1536Mi' } });
  });

  test.each([['0'], ['-1Gi'], ['lots'], ['']])('rejects size limit %p', (limit) => {
    expect(() => scratchVolume('scratch', limit)).toThrow(`sizeLimit: got ${JSON.stringify(limit)}, expected a positive Kubernetes quantity`);
  });

  test('rejects a name that is not a DNS-1123 label', () => {
    expect(() => scratchVolume('Scratch_Dir', '1Gi')).toThrow(/^name: got "Scratch_Dir"/);
  });
});
