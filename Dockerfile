# syntax=docker/dockerfile:1
# Cartwright API / worker image. One image, two commands:
#   bun src/index.ts     the HTTP API (default)
#   bun src/worker.ts    the job worker
#   bun scripts/migrate.ts  apply migrations (one-shot)
# It expects DATABASE_URL (the embedded Postgres is a developer convenience and
# needs root to create its `postgres` system user; this image runs as `bun`).

ARG BUN_VERSION=1.4.5

# ---- dependencies: production only, from the lockfile ----------------------
FROM oven/bun:${BUN_VERSION}-slim AS deps
WORKDIR /app
# The repo is a Bun workspace (`client/` is a member): the lockfile only
# resolves with every member's package.json present.
COPY package.json bun.lock ./
COPY client/package.json client/package.json
# Lifecycle scripts run only for package.json's trustedDependencies.
RUN --mount=type=cache,target=/root/.bun/install/cache \
    bun install --frozen-lockfile --production

# ---- runtime ---------------------------------------------------------------
FROM oven/bun:${BUN_VERSION}-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000

# node_modules/ holds relative symlinks into node_modules/.bun/ (Bun's isolated
# linker); COPY keeps them. Application files stay owned by root: read-only to the app.
COPY --from=deps /app/node_modules ./node_modules
COPY package.json tsconfig.json ./
COPY src ./src
COPY drizzle ./drizzle
COPY scripts ./scripts

# The one writable place: .cartwright/ (MAIL_DIR's default when SMTP_URL is unset).
RUN mkdir -p /app/.cartwright && chown bun:bun /app/.cartwright

USER bun
EXPOSE 3000

# The slim image has no curl: ask Bun. Uses PORT, so it follows a changed port.
# (The worker and migrate services have no HTTP server: compose disables this for them.)
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
    CMD ["bun", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health').then((r) => process.exit(r.ok ? 0 : 1)).catch(() => process.exit(1))"]

# The image's entrypoint (docker-entrypoint.sh) execs this; Bun is PID 1 and
# src/index.ts handles SIGTERM itself (drains requests, then closes pools).
CMD ["bun", "src/index.ts"]
