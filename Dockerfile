# syntax=docker/dockerfile:1
#
# Images of taan-service. No Docker engine runs on the project's own machines: test/deploy/dockerfile.test.ts checks
# this file offline (stages, user, entrypoint, ports, what the runtime stage copies, and runs the server from exactly
# that file layout). Build it wherever an engine runs:
#
#   docker build -t taan-service:cpu .                  # default target: CPU image (the last stage below)
#   docker build --target gpu -t taan-service:gpu .     # CUDA 11.2 + cuDNN 8, @tensorflow/tfjs-node-gpu
#
# Both images run `node dist/main.js`: what `npm start` runs once its `npm run build` step is done (here the build
# runs in the `build` stage). State (jobs.db, models, uploads) lives in /app/var: mount a volume there.
# Both carry OpenBLAS and the native BLAS addon (native/blas, compiled by npm ci's install script against
# libopenblas-dev in the deps stages; the runtime stages need only the library, libopenblas0-pthread): the CPU image
# trains and serves on the native BLAS path (TAAN_BACKEND=auto picks it), the GPU image keeps it as its fallback.

ARG NODE_VERSION=20
# tfjs-node-gpu 4.x loads libtensorflow 2.9 built for CUDA 11.2 and cuDNN 8.1.
ARG CUDA_IMAGE=nvidia/cuda:11.2.2-cudnn8-runtime-ubuntu20.04

# ---- build: all dependencies, then tsc -> dist/ ------------------------------------------------------------------
FROM node:${NODE_VERSION}-bookworm AS build
WORKDIR /src
COPY package.json package-lock.json ./
# tsc needs no native addon: skipping install scripts keeps this stage from compiling better-sqlite3 and downloading
# libtensorflow for the optional tfjs-node packages.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY proto ./proto
COPY src ./src
RUN npm run build

# ---- prod-deps: production node_modules for the CPU image ------------------------------------------------------
# node:*-bookworm carries python3, make and g++, so better-sqlite3 compiles with node-gyp when no prebuilt binary is
# reachable; the runtime stage (slim, no compiler) copies the finished node_modules. Same Debian release and Node
# major as the runtime stage, so the native addons match it. libopenblas-dev and pkg-config let npm ci's install
# script (native/blas/build.mjs) compile the BLAS addon; the image build fails if it did not.
FROM node:${NODE_VERSION}-bookworm AS prod-deps
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libopenblas-dev pkg-config \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY package.json package-lock.json ./
COPY native/blas ./native/blas
# The CUDA binding (tfjs-node-gpu) cannot load without CUDA: the CPU image keeps tfjs-node (libtensorflow, CPU) only.
# If tfjs-node cannot install (no libtensorflow download), npm skips it and the server falls back to wasm.
RUN npm ci --omit=dev --no-audit --no-fund \
 && rm -rf node_modules/@tensorflow/tfjs-node-gpu \
 && npm cache clean --force
RUN test -f native/blas/build/Release/taan_blas.node \
 || { echo 'the native BLAS addon did not build (native/blas, OpenBLAS)' >&2; exit 1; }

# ---- node-bin: the Node.js binary and npm, for the CUDA image ------------------------------------------------------
FROM node:${NODE_VERSION}-bookworm-slim AS node-bin

# ---- gpu-deps: production node_modules built on the CUDA base ----------------------------------------------------
# Built on the same Ubuntu as the gpu image so native addons link against its glibc.
FROM ${CUDA_IMAGE} AS gpu-deps
COPY --from=node-bin /usr/local/bin/node /usr/local/bin/node
COPY --from=node-bin /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/npm
# Only Ubuntu's packages are needed here; NVIDIA's apt repositories in older CUDA images fail `apt-get update` since
# their signing key was rotated, so they are dropped from this build stage.
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && rm -f /etc/apt/sources.list.d/cuda*.list /etc/apt/sources.list.d/nvidia-ml*.list \
 && apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ca-certificates python3 make g++ libopenblas-dev pkg-config \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY package.json package-lock.json ./
COPY native/blas ./native/blas
# One native binding per image: the GPU one. npm skips an optional package whose install fails, so fail loudly here
# instead of shipping a "GPU" image without it.
RUN npm ci --omit=dev --no-audit --no-fund \
 && rm -rf node_modules/@tensorflow/tfjs-node \
 && npm cache clean --force
RUN test -d node_modules/@tensorflow/tfjs-node-gpu/lib \
 || { echo '@tensorflow/tfjs-node-gpu did not install (libtensorflow GPU download or node-gyp build failed)' >&2; exit 1; }
RUN test -f native/blas/build/Release/taan_blas.node \
 || { echo 'the native BLAS addon did not build (native/blas, OpenBLAS)' >&2; exit 1; }

# ---- gpu: CUDA 11.2 + cuDNN 8 runtime, Node 20, @tensorflow/tfjs-node-gpu ----------------------------------------
FROM ${CUDA_IMAGE} AS gpu
COPY --from=node-bin /usr/local/bin/node /usr/local/bin/node
ENV NODE_ENV=production \
    TAAN_STATE_DIR=/app/var
WORKDIR /app
RUN rm -f /etc/apt/sources.list.d/cuda*.list /etc/apt/sources.list.d/nvidia-ml*.list \
 && apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libopenblas0-pthread \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 taan \
 && useradd --system --uid 10001 --gid 10001 --home-dir /app --no-create-home --shell /usr/sbin/nologin taan \
 && mkdir -p /app/var \
 && chown 10001:10001 /app/var
COPY --from=gpu-deps /src/node_modules ./node_modules
COPY --from=gpu-deps /src/native ./native
COPY --from=build /src/dist ./dist
COPY proto ./proto
COPY package.json package-lock.json ./
USER 10001:10001
EXPOSE 50051 9464 8080
STOPSIGNAL SIGTERM
# Exec form: node is PID 1 and receives SIGTERM itself (health turns NOT_SERVING, calls drain, jobs checkpoint).
ENTRYPOINT ["node", "dist/main.js"]

# ---- cpu (default target): Node 20 slim -------------------------------------------------------------------------
FROM node:${NODE_VERSION}-bookworm-slim AS cpu
ENV NODE_ENV=production \
    TAAN_STATE_DIR=/app/var
WORKDIR /app
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libopenblas0-pthread \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 taan \
 && useradd --system --uid 10001 --gid 10001 --home-dir /app --no-create-home --shell /usr/sbin/nologin taan \
 && mkdir -p /app/var \
 && chown 10001:10001 /app/var
COPY --from=prod-deps /src/node_modules ./node_modules
COPY --from=prod-deps /src/native ./native
COPY --from=build /src/dist ./dist
COPY proto ./proto
COPY package.json package-lock.json ./
USER 10001:10001
EXPOSE 50051 9464 8080
STOPSIGNAL SIGTERM
# Exec form: node is PID 1 and receives SIGTERM itself (health turns NOT_SERVING, calls drain, jobs checkpoint).
ENTRYPOINT ["node", "dist/main.js"]
