# The tsdbt job image: one image for the loader job (`tsdbt extract --target prod`)
# and the runner job (`tsdbt build --target prod`), run against the bundled project.
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY scripts ./scripts
# `npm ci` runs the `prepare` script, which compiles src/ into dist/ and bundles the CLI (scripts/bundle.mjs).
RUN npm ci --no-audit --no-fund

FROM node:20-slim
ENV NODE_ENV=production \
    SNOWFLAKE_DISABLE_PLATFORM_DETECTION=true \
    DBT_PROFILES_DIR=/app/project
WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies only; no build step here (dist/ comes from the build stage).
# The image runs the Snowflake `prod` target, so it adds snowflake-sdk, tsdbt's optional peer.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm install --no-save --omit=dev --ignore-scripts --no-audit --no-fund "snowflake-sdk@$(node -p "require('./package.json').peerDependencies['snowflake-sdk']")" \
 && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY bin ./bin
COPY src/include ./src/include
COPY project ./project
RUN ln -s /app/bin/tsdbt.js /usr/local/bin/tsdbt && chown -R node:node /app/project
USER node
WORKDIR /app/project
HEALTHCHECK --interval=30s --timeout=5s CMD ["tsdbt", "--version"]
ENTRYPOINT ["tsdbt"]
CMD ["build", "--target", "prod"]
