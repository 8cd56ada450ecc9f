import { issueApiToken } from '@cairn/auth';
import { ServiceName } from '@cairn/contracts';
import { apiClient, createTestDatabase, freePort, ServiceProcess, setTestTopicNamespace, startServiceProcess, testInfra, uniqueId } from '@cairn/testing';

export const SERVICES: ServiceName[] = ['ingestion', 'surveys', 'health', 'playbooks', 'renewals', 'relationships', 'console'];

/** All services as real processes sharing one database (a schema each) and the test broker. */
export class Platform {
  readonly procs = new Map<ServiceName, ServiceProcess>();
  private env: Record<string, string> = {};
  private ports = new Map<ServiceName, number>();
  private dropDb?: () => Promise<void>;

  /** Extra variables for one service (e.g. the console's single sign-on settings). */
  constructor(
    private readonly extraEnv: Partial<Record<ServiceName, Record<string, string>>> = {},
    private readonly fixedPorts: Partial<Record<ServiceName, number>> = {},
  ) {}

  async start(): Promise<this> {
    const infra = testInfra();
    const db = await createTestDatabase('e2e');
    this.dropDb = db.drop;
    const topicNamespace = uniqueId('e2e');
    setTestTopicNamespace(topicNamespace);
    this.env = {
      KAFKA_TOPIC_NAMESPACE: topicNamespace,
      DATABASE_URL: db.url,
      KAFKA_BROKERS: infra.brokers.join(','),
      KAFKA_TOPIC_PARTITIONS: '3',
      CAIRN_AUTH_SECRET: infra.authSecret,
      LOG_LEVEL: 'info',
      PLAYBOOKS_WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true', // the webhook receiver listens on 127.0.0.1
    };
    for (const s of SERVICES) this.ports.set(s, this.fixedPorts[s] ?? await freePort());
    // Sequential start keeps the 2-core machine responsive; each waits for /health.
    for (const s of SERVICES) await this.startOne(s);
    return this;
  }

  async startOne(service: ServiceName): Promise<ServiceProcess> {
    const env = service === 'console'
      ? { ...this.env, CONSOLE_INGESTION_URL: this.url('ingestion'), CONSOLE_SURVEYS_URL: this.url('surveys'), CONSOLE_HEALTH_URL: this.url('health'),
        CONSOLE_PLAYBOOKS_URL: this.url('playbooks'), CONSOLE_RENEWALS_URL: this.url('renewals'), ...this.extraEnv.console }
      : { ...this.env, ...this.extraEnv[service] };
    const p = await startServiceProcess(service, env, this.ports.get(service)!);
    this.procs.set(service, p);
    return p;
  }

  url(service: ServiceName): string {
    return `http://127.0.0.1:${this.ports.get(service)}`;
  }

  api(service: ServiceName, workspaceId: string) {
    return apiClient(this.url(service), issueApiToken({ workspaceId, subject: 'e2e' }, testInfra().authSecret));
  }

  async stop(): Promise<void> {
    await Promise.all([...this.procs.values()].map((p) => p.stop()));
    await this.dropDb?.();
  }
}
