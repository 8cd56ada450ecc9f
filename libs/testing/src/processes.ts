import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ServiceName } from '@cairn/contracts';
import { waitFor } from './wait';

export const REPO_ROOT = resolve(__dirname, '../../..');

export interface ServiceProcess {
  service: ServiceName;
  url: string;
  child: ChildProcess;
  /** SIGTERM and wait: graceful shutdown. */
  stop(): Promise<number | null>;
  /** SIGKILL: a crash. */
  kill(): Promise<void>;
  logFile: string;
}

/**
 * Runs one service as a real process from its build (services/<name>/dist/main.js), with
 * the given environment, and waits until GET /health says ready. Logs go to a file under
 * .cache/test-logs so a failure can be read afterwards.
 */
export async function startServiceProcess(service: ServiceName, env: Record<string, string>, port: number): Promise<ServiceProcess> {
  const logDir = join(REPO_ROOT, '.cache', 'test-logs');
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, `${service}-${port}-${Date.now()}.log`);
  const out = createWriteStream(logFile);
  const child = spawn(process.execPath, [join(REPO_ROOT, 'services', service, 'dist', 'main.js')], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', KAFKAJS_NO_PARTITIONER_WARNING: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.pipe(out);
  child.stderr!.pipe(out);
  let exited: number | null | undefined;
  const exit = new Promise<number | null>((r) => child.on('exit', (code) => { exited = code; r(code); }));
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${service} to become ready (log: ${logFile})`, async () => {
    if (exited !== undefined) throw new Error(`${service} exited with code ${exited}; see ${logFile}`);
    const r = await fetch(`${url}/health`).catch(() => undefined);
    return r?.status === 200;
  }, { timeoutMs: 60_000, intervalMs: 250 });
  return {
    service, url, child, logFile,
    async stop() {
      if (exited === undefined) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      const code = await exit;
      clearTimeout(timer);
      return code;
    },
    async kill() {
      if (exited === undefined) child.kill('SIGKILL');
      await exit;
    },
  };
}
