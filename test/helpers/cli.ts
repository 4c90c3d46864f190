/**
 * Runs the built CLI (`node dist/cli/main.js`, built by test/global-setup.ts) as a child process, and opens HTML
 * reports in Debian's headless Chromium to check what a person would see.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { REPO } from './server-process.js';

export const CLI = path.join(REPO, 'dist/cli/main.js');
export const ARTIFACTS = path.join(REPO, 'test-artifacts');
export const CHROMIUM = '/usr/bin/chromium';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export function runCli(args: string[], opts: { input?: string | Buffer; env?: Record<string, string>; timeoutMs?: number; cwd?: string; nodeArgs?: string[] } = {}): Promise<CliResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    // NO_COLOR/FORCE_COLOR from the developer's shell must not change what the tests see.
    const { FORCE_COLOR: _f, NO_COLOR: _n, ...env } = process.env;
    const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), CLI, ...args], { cwd: opts.cwd ?? REPO, env: { ...env, ...opts.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`taan ${args.join(' ')} did not finish in ${opts.timeoutMs ?? 60_000} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, opts.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** A failed command's contract: exit code != 0 and exactly one "error: ..." line, no stack trace. */
export function oneErrorLine(r: CliResult): string {
  const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
  if (r.code === 0 || lines.length !== 1 || !lines[0]!.startsWith('error: ') || /\n\s+at /.test(r.stderr)) {
    throw new Error(`expected one error line and a non-zero exit, got code ${r.code}, stderr:\n${r.stderr}`);
  }
  return lines[0]!;
}

export interface SectionStats {
  present: boolean;
  text: string;
  svgs: number;
  lines: number;
  bars: number;
  cells: number;
  /** <title> texts of heatmap cells and bars: the exact values. */
  titles: string[];
}

export interface ReportView {
  title: string;
  h1: string;
  problems: string[];
  sections: Record<string, SectionStats>;
}

export const REPORT_SECTIONS = ['map-comparison', 'training-curves', 'activations', 'distance', 'cosine'] as const;

/** Opens the file in headless Chromium, keeps a full-page screenshot, and returns what each section shows. */
export async function viewReport(file: string, screenshotName: string, sectionIds: readonly string[] = REPORT_SECTIONS): Promise<ReportView> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium) to run the report test`);
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
    page.on('request', (r) => {
      if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) problems.push(`network request: ${r.url()}`);
    });
    await page.goto(`file://${path.resolve(file)}`, { waitUntil: 'load' });
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, screenshotName), fullPage: true });
    const sections: Record<string, SectionStats> = {};
    for (const id of sectionIds) {
      const el = page.locator(`section#${id}`);
      const present = (await el.count()) === 1;
      const count = async (sel: string): Promise<number> => (present ? el.locator(sel).count() : 0);
      sections[id] = {
        present,
        text: present ? await el.innerText() : '',
        svgs: await count('svg'),
        lines: await count('path.line'),
        bars: await count('rect.bar'),
        cells: await count('rect.cell'),
        titles: present ? await el.locator('rect.cell > title, rect.bar > title').allTextContents() : [],
      };
    }
    return { title: await page.title(), h1: await page.locator('h1').innerText(), problems, sections };
  } finally {
    await browser.close();
  }
}
