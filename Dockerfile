# syntax=docker/dockerfile:1
#
# One image for Warden's worker and API processes (deploy/compose.yaml runs two of each from it).
#
#   docker build -t warden .
#   docker run … warden                   # an API process (the default command: api/main.ts)
#   docker run … warden worker/main.ts    # a worker process
#
# The processes run from the TypeScript sources with tsx as Node's loader: `node --import tsx api/main.ts` is
# what `npm run api` runs, without npm and tsx's CLI as parent processes, so Node itself is PID 1 and gets
# the stop signal, which Warden's processes handle by finishing their in-flight work. Configuration is the
# environment, as in docs/configuration.md; NODE_ENV=production needs WARDEN_VAULT_KEYS, WARDEN_CODEC_KEYS
# and an OIDC issuer (WARDEN_OIDC_ISSUER, WARDEN_OIDC_JWKS_URL), or the process refuses to start.

ARG NODE_IMAGE=node:20-bookworm-slim

# ---- build: the prebuilt workflow bundle and the approvers' console (needs the dev dependencies: vite) ----
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build:workflows -- /app/dist/workflow-bundle.js \
 && WARDEN_CONSOLE_DIR=/app/dist/console npm run build:console

# ---- runtime: production dependencies, the sources, the two builds; runs as the unprivileged `node` user ----
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    NPM_CONFIG_UPDATE_NOTIFIER=false
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
# Sources and builds stay owned by root: the process can read its code, not change it.
COPY . .
COPY --from=build /app/dist /app/dist
# Where the processes write, besides /tmp (tsx's transform cache): the data folder (WARDEN_DATA_DIR, which
# holds an API process's audit spool; docs/operations.md, "The data folder") and the audit file's folder
# (WARDEN_AUDIT_FILE, written by the workers). A named volume mounted on either starts out owned by `node`,
# as the directory is.
RUN mkdir -p /var/lib/warden /var/lib/warden-audit \
 && chown node:node /var/lib/warden /var/lib/warden-audit
# Listen on the container's interfaces (the API port, and a worker's HTTP and SDK metrics ports when set):
# HAProxy and Prometheus reach them from other containers.
ENV WARDEN_DATA_DIR=/var/lib/warden \
    WARDEN_WORKFLOW_BUNDLE=/app/dist/workflow-bundle.js \
    WARDEN_CONSOLE_DIR=/app/dist/console \
    WARDEN_API_HOST=0.0.0.0 \
    WARDEN_API_PORT=4000 \
    WARDEN_WORKER_HTTP_HOST=0.0.0.0
# The image's `node` user, by number (so a runtime that checks for a non-root user, e.g. Kubernetes'
# runAsNonRoot, can tell).
USER 1000:1000
EXPOSE 4000

# The API's liveness: GET /healthz answers 200 while the process serves HTTP. (A worker has no API port:
# deploy/compose.yaml gives worker containers a healthcheck of their own, on WARDEN_WORKER_HTTP_PORT.)
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD ["node", "-e", "require('node:http').get({host:'127.0.0.1',port:process.env.WARDEN_API_PORT||4000,path:'/healthz',timeout:2500},r=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1)).on('timeout',()=>process.exit(1))"]

ENTRYPOINT ["node", "--import", "tsx"]
CMD ["api/main.ts"]
