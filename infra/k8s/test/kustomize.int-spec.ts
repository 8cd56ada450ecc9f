import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { loadAll } from 'js-yaml';

// Renders each overlay with `kubectl kustomize` (offline; Debian's kubernetes-client is enough —
// scripts/test.js installs it when missing), validates every object against the Kubernetes (and
// KEDA) schemas from kubernetes-models, and checks the conventions operators rely on.

interface K8sObject { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> }; spec?: any; data?: Record<string, string> }

const REPO = path.resolve(__dirname, '../../..');
const KUBECTL = process.env.KUBECTL ?? 'kubectl';
const OVERLAYS = { dev: 'cairn-dev', production: 'cairn' } as const;
// The platform's services (scripts/platform.js is the list npm start runs).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const SERVICES: string[] = require(path.join(REPO, 'scripts', 'platform.js')).SERVICES.map((s: { name: string }) => s.name);
const SHUTDOWN_DRAIN_SECONDS = 20; // stop fetching, finish the message in hand (with retries), commit, disconnect

function render(overlay: string): K8sObject[] {
  const r = spawnSync(KUBECTL, ['kustomize', path.join(REPO, 'infra', 'k8s', 'overlays', overlay)], { encoding: 'utf8' });
  if (r.error || r.status !== 0) throw new Error(`kubectl kustomize ${overlay} failed: ${r.error?.message ?? r.stderr}`);
  return (loadAll(r.stdout) as K8sObject[]).filter(Boolean);
}

/** The kubernetes-models class for an object's apiVersion and kind (KEDA's from @kubernetes-models/keda). */
function modelOf(o: K8sObject): new (x: unknown) => { validate(): void } {
  const [group, version] = o.apiVersion.includes('/') ? o.apiVersion.split('/') : [undefined, o.apiVersion];
  const mod = group === 'keda.sh' ? `@kubernetes-models/keda/keda.sh/${version}` : `kubernetes-models/${group ? `${group}/` : ''}${version}`;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const model = require(mod)[o.kind];
  if (!model) throw new Error(`no schema for ${o.apiVersion} ${o.kind}`);
  return model;
}

const envOf = (d: K8sObject, name: string) => d.spec.template.spec.containers[0].env?.find((e: { name: string }) => e.name === name);
const selects = (selector: Record<string, string>, labels: Record<string, string>) => Object.entries(selector).every(([k, v]) => labels[k] === v);

describe.each(Object.entries(OVERLAYS))('the %s overlay', (overlay, namespace) => {
  let objects: K8sObject[];
  beforeAll(() => { objects = render(overlay); });
  const ofKind = (kind: string) => objects.filter((o) => o.kind === kind);
  const configMap = () => ofKind('ConfigMap').find((c) => c.metadata.name.startsWith('cairn-config'))!;
  const config = () => configMap().data!;
  const configName = () => configMap().metadata.name;
  const consumerDeployments = () => ofKind('Deployment').filter((d) => envOf(d, 'INGESTION_CONSUME')?.value !== 'false');

  it('renders objects that each pass their Kubernetes schema, all in its namespace', () => {
    expect(objects.length).toBeGreaterThan(20);
    for (const o of objects) {
      const Model = modelOf(o);
      expect(() => new Model(o).validate()).not.toThrow();
      if (o.kind !== 'Namespace') expect(`${o.kind}/${o.metadata.name} in ${o.metadata.namespace}`).toBe(`${o.kind}/${o.metadata.name} in ${namespace}`);
    }
  });

  it('runs a Deployment per service with probes, resources and a grace period covering the drain', () => {
    const deployments = ofKind('Deployment');
    expect(deployments.map((d) => envOf(d, 'CAIRN_SERVICE').value).sort()).toEqual([...SERVICES, 'ingestion'].sort());
    for (const d of deployments) {
      const pod = d.spec.template.spec;
      const c = pod.containers[0];
      expect([d.metadata.name, c.livenessProbe.httpGet.path, c.readinessProbe.httpGet.path]).toEqual([d.metadata.name, '/health/live', '/health']);
      for (const k of ['cpu', 'memory']) {
        expect(c.resources.requests[k]).toBeDefined();
        expect(c.resources.limits[k]).toBeDefined();
      }
      const preStop = Number(c.lifecycle?.preStop?.exec?.command?.[1] ?? 0);
      expect(pod.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(preStop + SHUTDOWN_DRAIN_SECONDS);
      expect(pod.securityContext.runAsNonRoot).toBe(true);
      expect(c.envFrom).toEqual([{ configMapRef: { name: configName() } }]);
      expect(envOf(d, 'CAIRN_AUTH_SECRET').valueFrom.secretKeyRef.name).toBe('cairn-secrets');
      expect(envOf(d, 'DATABASE_URL').valueFrom.secretKeyRef.name).toBe('cairn-secrets');
    }
  });

  it('keeps secrets out of the ConfigMap', () => {
    expect(Object.keys(config())).not.toEqual(expect.arrayContaining(['CAIRN_AUTH_SECRET']));
    expect(Object.keys(config()).filter((k) => /SECRET|PASSWORD|DATABASE_URL|SMTP_URL/.test(k))).toEqual([]);
    expect(ofKind('Secret')).toEqual([]);
  });

  it('scales every consumer on its consumer group lag, up to the partition count, and the API tier on CPU', () => {
    const partitions = Number(config().KAFKA_TOPIC_PARTITIONS);
    const scaled = ofKind('ScaledObject');
    for (const d of consumerDeployments()) {
      const so = scaled.find((s) => s.spec.scaleTargetRef.name === d.metadata.name);
      expect(so).toBeDefined();
      const trigger = so!.spec.triggers[0];
      expect(trigger.type).toBe('kafka');
      expect(trigger.metadata.consumerGroup).toBe(`cairn-${envOf(d, 'CAIRN_SERVICE').value}`);
      expect(Number(trigger.metadata.lagThreshold)).toBeGreaterThan(0);
      expect(so!.spec.maxReplicaCount).toBe(partitions);
    }
    const api = ofKind('Deployment').filter((d) => envOf(d, 'INGESTION_CONSUME')?.value === 'false');
    expect(api.map((d) => d.metadata.name)).toEqual(['ingestion-api']);
    const hpa = ofKind('HorizontalPodAutoscaler').find((h) => h.spec.scaleTargetRef.name === 'ingestion-api')!;
    expect(hpa.spec.metrics).toEqual([expect.objectContaining({ type: 'Resource', resource: expect.objectContaining({ name: 'cpu' }) })]);
    for (const d of ofKind('Deployment')) expect(`${d.metadata.name} replicas: ${d.spec.replicas}`).toBe(`${d.metadata.name} replicas: undefined`);
    expect(scaled.length + 1).toBe(ofKind('Deployment').length);
  });

  it('gives every Deployment a disruption budget and the platform a provisioning Job', () => {
    for (const d of ofKind('Deployment')) {
      expect(ofKind('PodDisruptionBudget').some((p) => selects(p.spec.selector.matchLabels, d.spec.template.metadata.labels))).toBe(true);
    }
    const job = ofKind('Job').find((j) => j.spec.template.spec.containers[0].args?.[0] === 'provision');
    expect(job?.spec.template.spec.restartPolicy).toBe('OnFailure');
    expect(job?.spec.template.spec.containers[0].envFrom).toEqual([{ configMapRef: { name: configName() } }]);
  });

  it('denies all traffic by default and lets in only the HTTP port', () => {
    const policies = ofKind('NetworkPolicy');
    const deny = policies.find((p) => Object.keys(p.spec.podSelector).length === 0);
    expect(deny?.spec.policyTypes.sort()).toEqual(['Egress', 'Ingress']);
    expect(deny?.spec.ingress ?? []).toEqual([]);
    for (const d of ofKind('Deployment')) {
      const labels = d.spec.template.metadata.labels;
      const ingress = policies.filter((p) => p.spec.podSelector.matchLabels && selects(p.spec.podSelector.matchLabels, labels)).flatMap((p) => p.spec.ingress ?? []);
      expect(ingress.flatMap((r: any) => r.ports.map((x: any) => x.port))).toEqual([3000]);
    }
  });
});
