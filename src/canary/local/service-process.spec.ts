import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/repos.js';
import { processGroupMembers, processTree, treeRssMB } from './process-memory.js';
import { ServiceProcess } from './service-process.js';

const start = async (command: string, signal = new AbortController().signal): Promise<ServiceProcess> =>
  ServiceProcess.start({ command, cwd: await tempDir(), env: { PATH: process.env.PATH }, signal });

async function until(check: () => Promise<boolean>, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(20);
  }
}

describe('ServiceProcess and /proc', () => {
  it('measures the RSS of the whole process tree and ends the whole group on stop', async () => {
    const service = await start('sleep 30 & sleep 31 & wait');
    await until(async () => (await processTree(service.pid)).length === 3);
    const members = await processGroupMembers(service.pid);
    expect(members.sort()).toEqual((await processTree(service.pid)).sort());
    const rss = await service.rssMB();
    expect(rss).toBeGreaterThan(0.5);
    expect(rss).toBeLessThan(100);
    await service.stop();
    expect(service.exitStatus?.signal).toBe('SIGTERM');
    expect(await processGroupMembers(service.pid)).toEqual([]);
    expect(await treeRssMB(service.pid)).toBeUndefined();
  });

  it('escalates to SIGKILL when the group ignores SIGTERM', async () => {
    const service = await start('trap "" TERM; sleep 30 & wait');
    await until(async () => (await processTree(service.pid)).length === 2);
    const started = Date.now();
    await service.stop(300);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(service.exitStatus?.signal).toBe('SIGKILL');
    expect(await processGroupMembers(service.pid)).toEqual([]);
  });

  it('kills the group at once when the step is aborted', async () => {
    const controller = new AbortController();
    const service = await start('sleep 30 & wait', controller.signal);
    await until(async () => (await processTree(service.pid)).length === 2);
    controller.abort();
    expect((await service.exited).signal).toBe('SIGKILL');
    await until(async () => (await processGroupMembers(service.pid)).length === 0);
  });

  it('keeps the last lines it printed for messages', async () => {
    const service = await start('for i in 1 2 3 4 5 6 7; do echo "line $i"; done; exit 4');
    expect((await service.exited).code).toBe(4);
    expect(service.recentOutput(3)).toBe('line 5 | line 6 | line 7');
  });
});
