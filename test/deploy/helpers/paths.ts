/** Where the deploy files live, for the tests of test/deploy. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const DEPLOY = path.join(REPO, 'deploy');
export const K8S_BASE = path.join(DEPLOY, 'k8s/base');
export const K8S_GPU = path.join(DEPLOY, 'k8s/overlays/gpu');
export const K8S_DISTRIBUTED = path.join(DEPLOY, 'k8s/overlays/distributed');
export const ALERTS = path.join(DEPLOY, 'prometheus/alerts.yml');
export const ALERT_TESTS = path.join(DEPLOY, 'prometheus/alerts.test.yml');
export const DASHBOARD = path.join(DEPLOY, 'grafana/taan-dashboard.json');
export const DOCKERFILE = path.join(REPO, 'Dockerfile');
export const DOCKERIGNORE = path.join(REPO, '.dockerignore');
export const README_SECTION = path.join(REPO, 'README.md');
