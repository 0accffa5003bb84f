import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_DIR, spawnGuarded, stopProcess, waitForReady, type GuardedProcess, type ServicePackage } from '@expo/infra';
import { guardedChildPid } from './child-pid.ts';

/**
 * One instance of a service: its own `start` script on its own port, with the platform's
 * environment. It can be crashed (kill -9 of its node process), paused (SIGSTOP, a long GC pause
 * or a frozen VM) and started again on the same port.
 */
export class ServiceInstance {
  #process: GuardedProcess | null = null;

  constructor(
    readonly service: ServicePackage,
    readonly index: number,
    readonly port: number,
    private readonly env: NodeJS.ProcessEnv,
    private readonly logDir: string,
  ) {}

  get name(): string {
    return `${this.service.name}#${this.index + 1}`;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get logFile(): string {
    return join(this.logDir, `${this.service.name}-${this.index + 1}.log`);
  }

  get running(): boolean {
    return this.#process !== null;
  }

  start(): void {
    if (this.#process) return;
    mkdirSync(this.logDir, { recursive: true });
    const path = `${join(this.service.dir, 'node_modules', '.bin')}:${join(REPO_DIR, 'node_modules', '.bin')}:${this.env.PATH ?? ''}`;
    // `exec` makes node the guard's own child, so a fault can signal node itself.
    const child = spawnGuarded('sh', ['-c', `exec ${this.service.start}`], {
      logFile: this.logFile,
      ownerPid: process.pid,
      env: { ...this.env, PORT: String(this.port), PATH: path, INSTANCE_ID: this.name },
      cwd: this.service.dir,
    });
    this.#process = child;
    void child.exited.then(() => {
      if (this.#process === child) this.#process = null;
    });
  }

  async waitReady(timeoutMs = 180_000): Promise<boolean> {
    return waitForReady(this.port, timeoutMs);
  }

  private nodePid(): number {
    const guard = this.#process;
    const pid = guard ? guardedChildPid(guard.pid, 'node') : null;
    if (pid === null) throw new Error(`${this.name} has no running node process`);
    return pid;
  }

  /** kill -9 of the node process; resolves once it is gone. */
  async crash(): Promise<void> {
    const guard = this.#process;
    if (!guard) return;
    process.kill(this.nodePid(), 'SIGKILL');
    await guard.exited;
  }

  pause(): void {
    process.kill(this.nodePid(), 'SIGSTOP');
  }

  resume(): void {
    process.kill(this.nodePid(), 'SIGCONT');
  }

  async stop(): Promise<void> {
    const guard = this.#process;
    if (!guard) return;
    try {
      this.resume();
    } catch {
      // not paused, or already gone
    }
    await stopProcess(guard.pid);
    await guard.exited;
  }
}
