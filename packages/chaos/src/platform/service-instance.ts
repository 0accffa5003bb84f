import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { guardedChildPid, REPO_DIR, spawnGuarded, stopProcess, waitForReady, type GuardedProcess, type ServicePackage } from '@expo/infra';

/**
 * One instance of a service: its own `start` script on its own port, with the platform's
 * environment. It can be crashed (kill -9 of its node process), paused (SIGSTOP, a long GC pause
 * or a frozen VM) and started again on the same port.
 */
export class ServiceInstance {
  #process: GuardedProcess | null = null;
  /** Set while a fault or the harness ends the process on purpose. */
  #ending = false;
  /** Stopped for good at the end of the run: the supervisor starts it no more. */
  #retired = false;
  /** Times the process ended by itself (a crash the platform did not survive), with the log's last line. */
  readonly unexpectedExits: string[] = [];

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
    this.#ending = false;
    void child.exited.then((code) => {
      if (this.#process !== child) return;
      this.#process = null;
      if (this.#ending) return;
      // Nothing asked it to end: it died on its own. As a supervisor (systemd, Kubernetes) would,
      // start it again, and count it: a process that dies under a fault is a failure of the run.
      this.unexpectedExits.push(`${new Date().toISOString()} ${this.name} exited (code ${code}); see ${this.logFile}`);
      setTimeout(() => {
        if (!this.#retired) this.start();
      }, 1000).unref();
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
    this.#ending = true;
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
    this.#retired = true;
    const guard = this.#process;
    if (!guard) return;
    this.#ending = true;
    try {
      this.resume();
    } catch {
      // not paused, or already gone
    }
    await stopProcess(guard.pid);
    await guard.exited;
  }
}
