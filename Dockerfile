# syntax=docker/dockerfile:1
# The Disputes API as an image: build with the dev dependencies (tsc), run with production ones.
# Node 24 LTS, which CI runs the whole suite on too (.ci/run, tools/node24).
# Needs PostgreSQL and an S3-compatible store (DATABASE_URL, S3_ENDPOINT, ...): see
# docker-compose.yml and docs/integrating.md. Not built in CI (no Docker there).

FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ormconfig.ts ./
COPY src ./src
COPY migrations ./migrations
RUN npm run build

FROM node:24-slim AS runtime
ENV NODE_ENV=production \
    PORT=4000 \
    HOST=0.0.0.0
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force
COPY --from=build /app/dist ./dist
# Read at run time by the development playground only (demo data on an embedded database).
COPY examples ./examples
# The image's unprivileged user (uid 1000); the app files stay root-owned and read-only to it.
USER node
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||4000)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# `node dist/src/cli.js migrate` applies the migrations (the compose file runs it once first).
CMD ["node", "dist/src/main.js"]
