import { beforeStatePath, decideAccess } from './access';

describe('gateway access rules', () => {
  it('lets every role read accounts, tasks and alerts', () => {
    for (const role of ['admin', 'cs-ops', 'csm', 'viewer'] as const) {
      expect(decideAccess(role, 'playbooks', 'GET', '/tasks')).toEqual({ allowed: true });
      expect(decideAccess(role, 'health', 'GET', '/accounts/globex/health')).toEqual({ allowed: true });
    }
  });

  it('refuses a viewer every change, naming the roles that may', () => {
    const d = decideAccess('viewer', 'playbooks', 'POST', '/alerts/abc/ack');
    expect(d).toMatchObject({ allowed: false, status: 403 });
    expect((d as { reason: string }).reason).toMatch(/viewer role may not change .* needs admin or cs-ops or csm/);
    expect(decideAccess('viewer', 'playbooks', 'PATCH', '/tasks/abc')).toMatchObject({ allowed: false, status: 403 });
  });

  it('lets a CSM work tasks and alerts but not configure playbooks or read write keys', () => {
    expect(decideAccess('csm', 'playbooks', 'PATCH', '/tasks/abc')).toEqual({ allowed: true });
    expect(decideAccess('csm', 'playbooks', 'PUT', '/playbooks/abc')).toMatchObject({ allowed: false, status: 403 });
    expect(decideAccess('cs-ops', 'playbooks', 'PUT', '/playbooks/abc')).toEqual({ allowed: true });
    expect(decideAccess('csm', 'ingestion', 'GET', '/write-keys')).toMatchObject({ allowed: false, status: 403 });
    expect(decideAccess('admin', 'ingestion', 'POST', '/write-keys')).toEqual({ allowed: true });
  });

  it('never reaches Segment intake, public survey links, health, metrics or unknown services', () => {
    expect(decideAccess('admin', 'ingestion', 'POST', '/v1/track')).toMatchObject({ allowed: false, status: 404 });
    expect(decideAccess('admin', 'surveys', 'GET', '/public/survey')).toMatchObject({ allowed: false, status: 404 });
    expect(decideAccess('admin', 'health', 'GET', '/metrics')).toMatchObject({ allowed: false, status: 404 });
    expect(decideAccess('admin', 'postgres', 'GET', '/')).toMatchObject({ allowed: false, status: 404 });
  });

  it('knows where to read the state a write changes', () => {
    expect(beforeStatePath('PATCH', '/tasks/t1', {})).toBe('/tasks/t1');
    expect(beforeStatePath('POST', '/alerts/a1/ack', undefined)).toBe('/alerts/a1');
    expect(beforeStatePath('PUT', '/contracts', { id: 'ctr-1' })).toBe('/contracts/ctr-1');
    expect(beforeStatePath('POST', '/playbooks', {})).toBeUndefined();
  });
});
