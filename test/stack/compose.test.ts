import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compose, postgresSettings, readText, readYaml, repoPath, run, type ComposeService } from './support/files.ts';

const services = compose().services;
const environment = (s: ComposeService): Record<string, string> =>
  Array.isArray(s.environment)
    ? Object.fromEntries(s.environment.map((e) => e.split(/=(.*)/s).slice(0, 2) as [string, string]))
    : Object.fromEntries(Object.entries(s.environment ?? {}).map(([k, v]) => [k, String(v ?? '')]));

/** Images without a shell or HTTP client to run a probe with; see the comments in docker-compose.yml. */
const NO_HEALTHCHECK = new Set(['otel-collector', 'k6', 'haproxy']);
const LOADTEST_MOUNT = './loadtest';

describe('docker-compose.yml', () => {
  it('passes dclint (compose schema and rules) with no problem reported', async () => {
    // Action
    const result = await run(repoPath('node_modules/.bin/dclint'), ['docker-compose.yml']);

    // Assertions
    expect(result.stderr + result.stdout).not.toMatch(/error|warning/i);
    expect(result.code).toBe(0);
  });

  it('runs the whole stack named in the spec', () => {
    expect(Object.keys(services).sort()).toEqual(
      [
        'alertmanager',
        'app',
        'grafana',
        'haproxy',
        'k6',
        'otel-collector',
        'pgbouncer',
        'postgres',
        'postgres-exporter',
        'postgres-replica',
        'prometheus',
        'tempo',
      ].sort(),
    );
    expect(services.k6?.profiles).toEqual(['loadtest']);
  });

  it('mounts and builds only files that exist', () => {
    // Setup
    const missing: string[] = [];
    const declaredVolumes = Object.keys(compose().volumes ?? {});

    // Action
    for (const [name, service] of Object.entries(services)) {
      for (const volume of service.volumes ?? []) {
        const source = typeof volume === 'string' ? (volume.split(':')[0] ?? '') : (volume.source ?? '');
        if (source === LOADTEST_MOUNT) continue; // checked by the k6 test below
        if (source.startsWith('.') || source.startsWith('/')) {
          if (!existsSync(repoPath(source))) missing.push(`${name}: ${source}`);
        } else if (!declaredVolumes.includes(source)) {
          missing.push(`${name}: undeclared volume ${source}`);
        }
      }
      if (service.build) {
        const build = typeof service.build === 'string' ? { context: service.build } : service.build;
        const context = build.context ?? '.';
        if (!statSync(repoPath(context), { throwIfNoEntry: false })?.isDirectory()) missing.push(`${name}: build context ${context}`);
        if (!existsSync(repoPath(context, build.dockerfile ?? 'Dockerfile'))) missing.push(`${name}: ${build.dockerfile ?? 'Dockerfile'}`);
      }
    }

    // Assertions
    expect(missing).toEqual([]);
  });

  it('mounts loadtest/ into k6 and runs a script that exists there by default', () => {
    expect(services.k6?.volumes).toContain(`${LOADTEST_MOUNT}:/loadtest:ro`);
    const command = (services.k6?.command ?? []) as string[];
    const script = command.map((a) => /^\/loadtest\/\$\{K6_SCRIPT:-(.+)\}$/.exec(a)?.[1]).find(Boolean);
    expect(script).toBeTruthy();
    expect(existsSync(repoPath('loadtest', script ?? '')), `loadtest/${script}`).toBe(true);
  });

  it('pins every image to a version', () => {
    for (const [name, service] of Object.entries(services)) {
      if (service.build) continue;
      expect(service.image, name).toMatch(/:v?\d+(\.\d+)+(-p\d+)?$/); // -pN: a packaging release of the same upstream version
    }
  });

  it('gives every long-running service a healthcheck and waits on conditions', () => {
    for (const [name, service] of Object.entries(services)) {
      if (!NO_HEALTHCHECK.has(name)) expect(service.healthcheck?.test, `${name} healthcheck`).toBeTruthy();
      const deps = service.depends_on ?? {};
      expect(Array.isArray(deps), `${name} depends_on needs conditions`).toBe(false);
      for (const [dep, spec] of Object.entries(deps as Record<string, { condition?: string }>)) {
        // service_healthy needs a healthcheck to wait for; Prometheus waits only
        // for the app to start, so that it records the app being unhealthy.
        const allowed = services[dep]?.healthcheck ? ['service_healthy', 'service_started'] : ['service_started'];
        expect(allowed, `${name} -> ${dep}: ${spec.condition}`).toContain(spec.condition);
      }
    }
  });

  it('commits no secret: secrets come from .env, and .env.example lists every required variable', () => {
    // Setup
    const text = readText('docker-compose.yml');
    const required = [...text.matchAll(/\$\{([A-Z0-9_]+):\?/g)].map((m) => m[1]);
    const example = readText('.env.example');
    const exampleVars = new Set([...example.matchAll(/^([A-Z0-9_]+)=/gm)].map((m) => m[1]));

    // Assertions
    for (const [name, service] of Object.entries(services)) {
      for (const [key, value] of Object.entries(environment(service))) {
        if (/PASSWORD|PASS$|TOKEN|SECRET/.test(key) && value !== '') expect(value, `${name}.${key}`).toMatch(/^\$\{[A-Z0-9_]+(:[-?][^}]*)?\}$/);
      }
    }
    expect(required.length).toBeGreaterThan(0);
    for (const v of required) expect(exampleVars.has(v as string), `.env.example lacks ${v}`).toBe(true);
    expect(example).not.toMatch(/PASSWORD=(?!change-me$).+$/m);
    expect(readText('.gitignore').split('\n')).toContain('.env');
  });

  it('runs postgres with pg_stat_statements and auto_explain at 100 ms', () => {
    const settings = postgresSettings();
    expect(settings.shared_preload_libraries?.split(',')).toEqual(expect.arrayContaining(['pg_stat_statements', 'auto_explain']));
    expect(settings['auto_explain.log_min_duration']).toBe('100ms');
    expect(services.postgres?.image).toMatch(/^postgres:18(\.\d+)*$/);
    expect(readText('postgres/init/10-roles.sh')).toMatch(/CREATE EXTENSION IF NOT EXISTS pg_stat_statements/);
  });

  it('points the app at PgBouncer, past it at postgres, reports at the replica, and at the collector; never at an embedded database', () => {
    const env = environment(services.app ?? {});
    expect(env.DATABASE_URL).toMatch(/^postgres:\/\/.+@pgbouncer:5432\//);
    expect(env.PG_POOLER).toBe('pgbouncer');
    expect(env.DATABASE_LISTEN_URL).toMatch(/^postgres:\/\/.+@postgres:5432\//);
    expect(env.REPORTS_DATABASE_URL).toMatch(/^postgres:\/\/.+@postgres-replica:5432\//);
    expect(environment(services.pgbouncer ?? {}).POOL_MODE).toBe('transaction');
    expect(env.OTEL_EXPORTER_OTLP_ENDPOINT).toBe('http://otel-collector:4318');
    const collector = readYaml<{ receivers: { otlp: { protocols: { http: { endpoint: string } } } }; exporters: Record<string, { endpoint: string }> }>(
      'otel-collector/config.yaml',
    );
    expect(collector.receivers.otlp.protocols.http.endpoint).toMatch(/:4318$/);
    expect(Object.values(collector.exporters).map((e) => e.endpoint)).toContain('tempo:4317');
    const tempo = readYaml<{ distributor: { receivers: { otlp: { protocols: { grpc: { endpoint: string } } } } } }>('tempo/tempo.yaml');
    expect(tempo.distributor.receivers.otlp.protocols.grpc.endpoint).toMatch(/:4317$/);
  });

  it('runs the k6 release that CI builds and runs the load tests with', () => {
    const ciVersion = /^K6_VERSION=v(\S+)$/m.exec(readText('.ci/run'))?.[1];
    expect(ciVersion).toBeTruthy();
    expect(services.k6?.image).toBe(`grafana/k6:${ciVersion}`);
  });

  it('runs Prometheus with exemplar storage, the remote-write receiver (k6) and the rules', () => {
    const command = (services.prometheus?.command ?? []) as string[];
    expect(command).toEqual(expect.arrayContaining(['--enable-feature=exemplar-storage', '--web.enable-remote-write-receiver']));
    const k6 = environment(services.k6 ?? {});
    expect(k6.K6_PROMETHEUS_RW_SERVER_URL).toBe('http://prometheus:9090/api/v1/write');
    expect(services.k6?.command).toEqual(expect.arrayContaining(['experimental-prometheus-rw']));
  });
});

describe('several app instances behind HAProxy', () => {
  it('scales app: no host port of its own, HAProxy publishes one and balances over every instance by /readyz', async () => {
    // Setup
    const cfg = readText('deploy/haproxy/haproxy.cfg');

    // Action: Debian's haproxy checks the configuration the image runs
    const check = await run('/usr/sbin/haproxy', ['-c', '-f', repoPath('deploy/haproxy/haproxy.cfg')]);

    // Assertions
    expect(check.stdout + check.stderr).toContain('Configuration file is valid');
    expect(check.code).toBe(0);
    expect(services.app?.ports ?? []).toEqual([]);
    expect(services.haproxy?.ports).toEqual(['127.0.0.1:${APP_PORT:-3000}:8080']);
    expect(cfg).toMatch(/^\s*server-template app \d+ app:3000$/m);
    expect(cfg).toMatch(/^\s*option httpchk GET \/readyz$/m);
    // The bot by webhook through the balancer, so whichever instance gets an update handles it.
    expect(environment(services.app ?? {}).TELEGRAM_WEBHOOK_URL).toBeDefined();
    expect(environment(services.app ?? {}).TRUST_PROXY).toBe('1');
    expect(environment(services.k6 ?? {}).BASE_URL).toBe('http://haproxy:8080');
    expect(
      readYaml<{ scrape_configs: Array<{ job_name: string; dns_sd_configs?: Array<{ names: string[] }> }> }>('prometheus/prometheus.yml').scrape_configs.find(
        (c) => c.job_name === 'repair-bot',
      )?.dns_sd_configs?.[0]?.names,
    ).toEqual(['app']);
  });

  it('builds the replica from the primary with pg_basebackup, streaming through a slot of its own', () => {
    const script = readText('deploy/postgres-replica/start.sh');
    expect(script).toMatch(/pg_basebackup .*--host=postgres/);
    expect(script).toContain('--write-recovery-conf');
    expect(script).toContain('--create-slot --slot=reports_replica');
    expect(readText('postgres/init/30-replication.sh')).toMatch(/CREATE ROLE replicator LOGIN REPLICATION/);
    expect(services['postgres-replica']?.image).toBe(services.postgres?.image);
  });
});

describe('Dockerfile', () => {
  const dockerfile = readText('Dockerfile');
  const nodeVersion = (JSON.parse(readFileSync(repoPath('node_modules/node/package.json'), 'utf8')) as { version: string }).version;

  it('builds on the same Node 24 release that npm scripts run on, in stages, as a non-root user', () => {
    expect(dockerfile).toContain(`ARG NODE_VERSION=${nodeVersion}`);
    expect(nodeVersion).toMatch(/^24\./);
    expect(dockerfile.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\n?.*\/healthz/m);
    expect(dockerfile).toContain('CMD ["node", "--import", "./src/telemetry/preload.ts", "src/main.ts"]');
  });

  it('copies only files that exist and that .dockerignore lets through', () => {
    // Setup
    const allowed = readText('.dockerignore')
      .split('\n')
      .filter((l) => l.startsWith('!'))
      .map((l) => l.slice(1));
    const sources = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => (m[1] ?? '').split(/\s+/));

    // Assertions
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) {
      expect(existsSync(repoPath(source)), source).toBe(true);
      expect(allowed, `${source} is excluded by .dockerignore`).toContain(source);
    }
    expect(readText('package.json')).toContain('"start": "exec node --import ./src/telemetry/preload.ts src/main.ts"');
  });
  it('needs at run time only production dependencies (the image installs npm ci --omit=dev)', () => {
    // Setup
    const pkg = JSON.parse(readText('package.json')) as { dependencies: Record<string, string> };
    const files = ['src', 'bin'].flatMap((dir) =>
      (readdirSync(repoPath(dir), { recursive: true }) as string[]).filter((f) => /\.(ts|js)$/.test(f)).map((f) => path.join(dir, f)),
    );
    const imported = new Set<string>();
    for (const file of files) {
      for (const line of readText(file).split('\n')) {
        if (/^\s*(import|export) type /.test(line)) continue; // erased by type stripping
        for (const m of line.matchAll(/(?:from |import\(|register\()'([^'.][^']*)'/g)) {
          const spec = m[1] ?? '';
          if (spec.startsWith('node:')) continue;
          imported.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] ?? spec));
        }
      }
    }

    // Assertions
    expect(files.length).toBeGreaterThan(20);
    expect(imported).toContain('prom-client');
    expect([...imported].filter((name) => !(name in pkg.dependencies))).toEqual([]);
  });
});
