#!/usr/bin/env bash
# Renders deploy/k8s (base and overlays) with kustomize itself (`kubectl kustomize`, kubectl >= 1.21, or a
# `kustomize` binary) into test/deploy/kustomize-golden/. test/deploy/k8s.test.ts checks that the repository's own
# renderer gives the same objects, on every machine, with no kustomize installed. Run it after changing deploy/k8s.
set -euo pipefail
cd "$(dirname "$0")/.."
out=test/deploy/kustomize-golden
if command -v kustomize >/dev/null; then render=(kustomize build); version=$(kustomize version)
elif command -v kubectl >/dev/null; then render=(kubectl kustomize); version=$(kubectl version --client 2>/dev/null | grep -i kustomize)
else echo "needs kustomize (or kubectl >= 1.21, which embeds it)" >&2; exit 1; fi
for d in base overlays/gpu overlays/distributed; do
  f="$out/$(basename "$d").yaml"
  { echo "# ${render[*]} deploy/k8s/$d ($version); regenerate with scripts/render-k8s-golden.sh"; "${render[@]}" "deploy/k8s/$d"; } > "$f"
  echo "wrote $f"
done
