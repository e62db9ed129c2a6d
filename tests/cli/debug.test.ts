import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { captureStreams, makeProject } from '../support/project-fixture.js';

const profile = (path: string) => `test_profile:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: ${path}\n      schema: analytics\n`;

describe('tsdbt debug', () => {
  it('shows the target and passes the connection test', async () => {
    const dir = makeProject({ 'profiles.yml': profile('dev.duckdb') });
    const io = captureStreams();
    expect(await runCli(['debug', '--project-dir', dir], io.streams, {})).toBe(0);
    const out = io.stdout.join('');
    expect(out).toContain('  schema: analytics\n');
    expect(out).toContain('  Connection test: [OK connection ok]\n');
    expect(out).toContain('All checks passed!');
  });

  it('--connection tests the connection only: no configuration report, dbt\'s line saying so; a failure still exits 1', async () => {
    const dir = makeProject({ 'profiles.yml': profile('dev.duckdb') });
    let io = captureStreams();
    expect(await runCli(['debug', '--connection', '--project-dir', dir], io.streams, {})).toBe(0);
    const out = io.stdout.join('');
    expect(out).toContain('Skipping steps before connection verification\n');
    expect(out).not.toContain('Configuration:');
    expect(out).toContain('  Connection test: [OK connection ok]\n');
    const bad = makeProject({ 'profiles.yml': profile('/nonexistent-dir/x/dev.duckdb') });
    io = captureStreams();
    expect(await runCli(['debug', '--connection', '--project-dir', bad], io.streams, {})).toBe(1);
    expect(io.stderr.join('')).toContain('Could not open the DuckDB database at /nonexistent-dir/x/dev.duckdb');
  });

  it('exits 1 naming the database path when the connection fails', async () => {
    const dir = makeProject({ 'profiles.yml': profile('/nonexistent-dir/x/dev.duckdb') });
    const io = captureStreams();
    expect(await runCli(['debug', '--project-dir', dir], io.streams, {})).toBe(1);
    expect(io.stderr.join('')).toContain('Connection test: [ERROR]');
    expect(io.stderr.join('')).toContain('Could not open the DuckDB database at /nonexistent-dir/x/dev.duckdb');
  });

  it('--config-dir only says where profiles.yml is, as dbt: the project folder when it has one, else ~/.dbt; nothing is loaded', async () => {
    const dir = makeProject({ 'profiles.yml': profile('/nonexistent-dir/x/dev.duckdb') });
    const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'start' : 'xdg-open';
    let io = captureStreams();
    expect(await runCli(['debug', '--config-dir', '--project-dir', dir], io.streams, {})).toBe(0);
    expect(io.stdout.join('')).toBe(`To view your profiles.yml file, run:\n\n${opener} ${dir}\n`);
    io = captureStreams();
    expect(await runCli(['debug', '--config-dir', '--project-dir', '/nonexistent-dir'], io.streams, { HOME: '/home/someone' })).toBe(0);
    expect(io.stdout.join('')).toBe(`To view your profiles.yml file, run:\n\n${opener} /home/someone/.dbt\n`);
    io = captureStreams();
    expect(await runCli(['debug', '--config-dir', '--project-dir', dir], io.streams, { DBT_PROFILES_DIR: '/etc/dbt' })).toBe(0);
    expect(io.stdout.join('')).toBe(`To view your profiles.yml file, run:\n\n${opener} /etc/dbt\n`);
  });
});
