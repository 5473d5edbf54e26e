import { readdir, readFile } from 'node:fs/promises';

interface ProcStat {
  pid: number;
  /** `Z` for a zombie: exited, waiting for its parent to collect it. */
  state: string;
  ppid: number;
  pgid: number;
}

/** `/proc/<pid>/stat` read as pid, parent and process group; undefined when the process is gone. */
async function statOf(pid: number): Promise<ProcStat | undefined> {
  try {
    const text = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: the fields after it start at the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { pid, state: fields[0] ?? '', ppid: Number(fields[1]), pgid: Number(fields[2]) };
  } catch {
    return undefined;
  }
}

async function allProcesses(): Promise<ProcStat[]> {
  const entries = await readdir('/proc');
  const stats = await Promise.all(entries.filter((name) => /^\d+$/.test(name)).map((name) => statOf(Number(name))));
  return stats.filter((stat): stat is ProcStat => stat !== undefined);
}

/** `root` and every process below it (children, grandchildren …), found through parent pids. */
export async function processTree(root: number): Promise<number[]> {
  const processes = await allProcesses();
  const children = new Map<number, number[]>();
  for (const entry of processes) children.set(entry.ppid, [...(children.get(entry.ppid) ?? []), entry.pid]);
  if (!processes.some((entry) => entry.pid === root)) return [];
  const tree: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift() ?? root;
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/** Live processes in process group `pgid` (a service's group outlives its first process); zombies excluded. */
export async function processGroupMembers(pgid: number): Promise<number[]> {
  return (await allProcesses()).filter((entry) => entry.pgid === pgid && entry.state !== 'Z').map((entry) => entry.pid);
}

async function rssKiB(pid: number): Promise<number> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/**
 * Resident memory of a process and all its descendants, in MB, from `/proc` (Linux). A service started
 * through a shell, or one that forks workers, is measured whole. Undefined where `/proc` is missing or
 * the process is gone, so the memory metric has no data there instead of a wrong zero.
 */
export async function treeRssMB(root: number): Promise<number | undefined> {
  let tree: number[];
  try {
    tree = await processTree(root);
  } catch {
    return undefined;
  }
  if (tree.length === 0) return undefined;
  const sizes = await Promise.all(tree.map(rssKiB));
  return sizes.reduce((sum, size) => sum + size, 0) / 1024;
}
