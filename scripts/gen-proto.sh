#!/usr/bin/env bash
# Generates the typed gRPC code from proto/ into src/grpc/generated (or into $1), with the same loader options as
# src/grpc/proto.ts uses at run time. `--check` regenerates into a temp folder and fails on any difference.
set -euo pipefail
cd "$(dirname "$0")/.."
out=src/grpc/generated
if [ "${1:-}" = "--check" ]; then out=$(mktemp -d); fi
rm -rf "${out:?}/"*
npx proto-loader-gen-types --keepCase --longs=Number --enums=String --defaults --oneofs --arrays --includeComments \
  --grpcLib=@grpc/grpc-js --importFileExtension=.js --outDir="$out" --includeDirs=proto -- taan/v1/taan.proto google/rpc/error_details.proto inference/grpc_predict_v2.proto >/dev/null
if [ "${1:-}" = "--check" ]; then
  if ! diff -r "$out" src/grpc/generated; then
    echo "generated gRPC types are stale: run npm run gen:proto and commit src/grpc/generated" >&2
    exit 1
  fi
  rm -rf "$out"
  echo "generated gRPC types are up to date"
fi
