/**
 * The Debian packages the test suite needs beyond `npm ci`. The global set-up installs the missing ones (as root with
 * apt-get) before any test runs, or stops at once with the one apt command to run: no test is skipped for want of them.
 */
import { canInstallDebPackages, debInstalled, ensureDebPackages } from '../scripts/apt.js';

export const TEST_PACKAGES: ReadonlyArray<{ pkg: string; why: string }> = [
  { pkg: 'chromium', why: 'the HTML report test opens the report in headless Chromium (playwright-core drives it)' },
  { pkg: 'prometheus', why: 'promtool checks the alert rules, runs their unit tests and checks the dashboard queries' },
  { pkg: 'openssl', why: 'the TLS tests make throwaway certificates' },
  { pkg: 'postgresql', why: 'the PostgreSQL store and replica tests start a throwaway cluster (initdb, pg_ctl)' },
  { pkg: 'libopenblas-dev', why: 'the native BLAS addon (native/blas) links OpenBLAS; its tests run beside tfjs-wasm' },
  { pkg: 'pkg-config', why: 'native/blas/build.mjs locates OpenBLAS with pkg-config' },
  { pkg: 'protobuf-compiler', why: 'the Open Inference Protocol test compiles Python stubs of our OIP .proto with Debian\'s protoc' },
  { pkg: 'protobuf-compiler-grpc', why: 'grpc_python_plugin, protoc\'s plugin that writes the Python gRPC stubs of the OIP test' },
  { pkg: 'python3-grpcio', why: 'the OIP test\'s Python client calls the server over a gRPC transport none of us wrote' },
  { pkg: 'python3-protobuf', why: 'the runtime of the Python stubs protoc compiles for the OIP test' },
  { pkg: 'curl', why: 'the OIP REST test calls every /v2 endpoint with curl, an HTTP client none of us wrote' },
];

export function ensureTestPackages(log: (line: string) => void): void {
  const missing = TEST_PACKAGES.filter((p) => !debInstalled(p.pkg));
  if (missing.length === 0) return;
  const names = missing.map((p) => p.pkg);
  for (const p of missing) log(`test set-up: ${p.pkg} is missing: ${p.why}`);
  if (canInstallDebPackages() && ensureDebPackages(names, 'test set-up', log, true)) return;
  throw new Error(
    `the test suite needs Debian packages that are not installed: ${names.join(' ')}.\n` +
      `Install them once, then run the tests again:\n  sudo apt-get install -y ${names.join(' ')}`,
  );
}
