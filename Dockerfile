# The production image: the API or a worker (the command picks which), compiled JavaScript run
# by node as a non-root user, with only the production dependencies. `npm run build` also bundles
# the workflows once here, so that a worker starts without bundling.
#   docker build -t callback-service .
#   docker run callback-service                             # the API (port 3000)
#   docker run callback-service node dist/worker/main.js    # a worker

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# Production dependencies only: no TypeScript, tsx, vitest, the embedded PostgreSQL, the Temporal
# test server or the browser the tests drive.
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --chown=root:root package.json ./
COPY --from=deps --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist
# The code is root's and read-only to the process; it runs as the image's unprivileged user.
USER node
EXPOSE 3000 9464
CMD ["node", "dist/api/main.js"]
