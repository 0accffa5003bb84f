import { describe, expect, it } from 'vitest';
import { clientListener, serverProperties, type BrokerLayout } from '../src/kafka/server-properties.ts';

const base: BrokerLayout = { port: 9092, controllerPort: 9093, logDir: '/data/kraft-logs' };
const security = { adminUser: 'admin', adminPassword: 'a'.repeat(32) };
const tls = { keystoreFile: '/certs/server.p12', keystorePassword: 'b'.repeat(24), caFile: '/certs/ca.pem' };

function settings(layout: BrokerLayout): Map<string, string> {
  return new Map(
    serverProperties(layout)
      .trim()
      .split('\n')
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

// The client listener's security protocol for each mode; tls.test.ts in service-kit runs SASL_SSL
// against a real broker, kafka-acls.test.ts SASL_PLAINTEXT.
describe('the client listener', () => {
  it.each([
    [{}, 'PLAINTEXT', 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT'],
    [{ tls }, 'SSL', 'CONTROLLER:PLAINTEXT,SSL:SSL'],
    [{ security }, 'SASL_PLAINTEXT', 'CONTROLLER:SASL_PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT'],
    [{ security, tls }, 'SASL_SSL', 'CONTROLLER:SASL_PLAINTEXT,SASL_SSL:SASL_SSL'],
  ] as const)('%o is %s', (mode, name, protocols) => {
    const layout = { ...base, ...mode };
    const s = settings(layout);
    expect(clientListener(layout)).toBe(name);
    expect(s.get('listeners')).toBe(`${name}://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093`);
    expect(s.get('advertised.listeners')).toBe(`${name}://127.0.0.1:9092`);
    expect(s.get('inter.broker.listener.name')).toBe(name);
    expect(s.get('listener.security.protocol.map')).toBe(protocols);
    if ('security' in mode) expect(s.get(`listener.name.${name.toLowerCase()}.sasl.enabled.mechanisms`)).toBe('SCRAM-SHA-512');
    if ('tls' in mode) {
      expect(s.get('ssl.keystore.type')).toBe('PKCS12');
      expect(s.get('ssl.keystore.location')).toBe(tls.keystoreFile);
      expect(s.get('ssl.truststore.type')).toBe('PEM');
      expect(s.get('ssl.truststore.location')).toBe(tls.caFile);
    } else {
      expect([...s.keys()].filter((k) => k.startsWith('ssl.'))).toEqual([]);
    }
  });
});
