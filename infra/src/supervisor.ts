import { stopProcess } from './process.ts';
import { serviceEnvOf, startServices, type RunningService, type ServiceEnv, type ServicePackage } from './services.ts';

export interface SupervisorOptions {
  /** Where each restart is told, e.g. `badge-scanning exited (code 137), restarting in 1s`. */
  readonly log: (line: string) => void;
  /** The wait before the n-th restart in a row (n from 1): 1 s, doubling, at most 30 s by default. */
  readonly backoffMs?: (restarts: number) => number;
  /** A process that ran this long was healthy: its next exit waits the shortest time again. */
  readonly healthyAfterMs?: number;
  /**
   * Once aborted nothing is started again (Ctrl-C: the terminal signals every process at once, so
   * services may end before `stop` is called).
   */
  readonly signal?: AbortSignal;
}

const defaultBackoff = (restarts: number): number => Math.min(30_000, 1000 * 2 ** (restarts - 1));

/**
 * One service process kept running, as systemd or Kubernetes would keep it: whenever it exits on
 * its own (a crash, a kill -9, a failed start) it is started again after a backoff; `stop` ends it
 * and any restart still waiting.
 */
export class SupervisedService {
  readonly logFile: string;
  #current: RunningService | null = null;
  #timer: NodeJS.Timeout | null = null;
  #stopping = false;
  #inARow = 0;
  #restarts = 0;

  constructor(
    /** As the restart lines name it: the service, or one instance of it (`badge-scanning-2`). */
    readonly name: string,
    private readonly launch: () => RunningService,
    private readonly options: SupervisorOptions,
  ) {
    this.logFile = this.#run().logFile;
  }

  /** The guard's pid of the process running now; null while a restart waits. */
  get pid(): number | null {
    return this.#current?.process.pid ?? null;
  }

  /** How often it was started again since the first start. */
  get restarts(): number {
    return this.#restarts;
  }

  #run(): RunningService {
    const running = this.launch();
    const startedAt = Date.now();
    this.#current = running;
    void running.process.exited.then((code) => {
      if (this.#current !== running) return;
      this.#current = null;
      if (this.#stopping || this.options.signal?.aborted) return;
      if (Date.now() - startedAt >= (this.options.healthyAfterMs ?? 60_000)) this.#inARow = 0;
      this.#inARow += 1;
      const delay = (this.options.backoffMs ?? defaultBackoff)(this.#inARow);
      this.options.log(`${this.name} exited (code ${code ?? 'none: killed by a signal'}), restarting in ${delay / 1000}s`);
      this.#timer = setTimeout(() => {
        this.#timer = null;
        if (this.#stopping || this.options.signal?.aborted) return;
        this.#restarts += 1;
        this.#run();
      }, delay);
    });
    return running;
  }

  /** Stops the process (TERM, then KILL after a grace period) and any restart still waiting. */
  async stop(): Promise<void> {
    this.#stopping = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const running = this.#current;
    if (running) await stopProcess(running.process.pid);
  }
}

/** startServices, each service supervised: started again whenever it exits on its own. */
export function superviseServices(
  services: readonly ServicePackage[],
  env: ServiceEnv,
  logDir: string,
  options: SupervisorOptions,
  ports: Readonly<Record<string, number>> = {},
): SupervisedService[] {
  return services.map((service) => {
    const own = serviceEnvOf(env, service.name);
    return new SupervisedService(service.name, () => startServices([service], own, logDir, ports)[0]!, options);
  });
}

export async function stopSupervised(services: readonly SupervisedService[]): Promise<void> {
  await Promise.all(services.map((s) => s.stop()));
}
