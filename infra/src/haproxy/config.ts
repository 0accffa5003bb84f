/** One service behind the load balancer: the port clients use and its instances' ports. */
export interface BalancedService {
  readonly name: string;
  readonly frontPort: number;
  readonly instancePorts: readonly number[];
}

export interface BalancerConfigOptions {
  readonly services: readonly BalancedService[];
  /**
   * How often each instance's /readyz is asked (ms). An instance is taken out after two failed
   * checks, or at once when a connection to it is refused, and back in after two good ones.
   */
  readonly checkIntervalMs?: number;
  /** Where HAProxy answers its own Prometheus metrics (`/metrics`) and stats page (`/stats`); none when absent. */
  readonly statsPort?: number;
}

/** Default health-check interval: an instance that stops answering leaves the pool within about 2 s. */
export const BALANCER_CHECK_INTERVAL_MS = 1000;

/**
 * HAProxy's configuration for the services on loopback: one frontend per service on the port
 * clients know (docs/http.md's), round robin over its instances, each checked on GET /readyz.
 * A request whose connection to an instance fails (a killed instance before its check notices) is
 * sent to another instance (`option redispatch`). A request sent to an instance that then closed
 * without an answer (killed mid-request, or on a kept-alive connection it had just dropped) is sent
 * again only where that cannot act twice: reads and PUT/DELETE, scans, batches and annulments
 * (their `scanId` makes a repeat a replay), leads (`leadId`) and registrations carrying an
 * `Idempotency-Key`. Anything else (a new device, exhibitor or delegation) gets the balancer's 502
 * instead, which the client may retry knowing it. Server-sent events (the dashboard's live
 * stream) pass as long-lived responses.
 */
export function balancerConfig(options: BalancerConfigOptions): string {
  const inter = options.checkIntervalMs ?? BALANCER_CHECK_INTERVAL_MS;
  const lines = [
    'global',
    '  maxconn 8000',
    '  nbthread 1',
    '',
    'defaults',
    '  mode http',
    '  option redispatch 1',
    '  retries 2',
    '  retry-on conn-failure empty-response',
    '  timeout connect 2s',
    '  timeout client 5m',
    '  timeout server 5m',
    '  timeout http-keep-alive 60s',
    '  timeout check 2s',
    `  default-server inter ${inter} fastinter ${Math.max(100, Math.round(inter / 2))} downinter ${inter} fall 2 rise 2 observe layer4 error-limit 1 on-error mark-down`,
    '',
  ];
  if (options.statsPort !== undefined) {
    lines.push(
      'frontend stats',
      `  bind 127.0.0.1:${options.statsPort}`,
      '  http-request use-service prometheus-exporter if { path /metrics }',
      '  stats enable',
      '  stats uri /stats',
      '',
    );
  }
  for (const service of options.services) {
    lines.push(
      `frontend ${service.name}`,
      `  bind 127.0.0.1:${service.frontPort}`,
      `  default_backend ${service.name}`,
      '',
      `backend ${service.name}`,
      '  balance roundrobin',
      '  acl retry_safe method GET HEAD OPTIONS PUT DELETE',
      '  acl retry_safe path_beg /v1/scans',
      '  acl retry_safe path /v1/leads',
      '  acl register path /v1/attendees',
      '  acl keyed req.hdr(idempotency-key) -m found',
      '  http-request disable-l7-retry if !retry_safe !register || !retry_safe !keyed',
      '  option httpchk GET /readyz',
      '  http-check expect status 200',
      ...service.instancePorts.map((port, i) => `  server ${service.name}-${i + 1} 127.0.0.1:${port} check`),
      '',
    );
  }
  return `${lines.join('\n')}\n`;
}
