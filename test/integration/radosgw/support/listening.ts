import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** The addresses (ip:port) a process listens on for TCP, read from /proc (IPv4 and IPv6). */
export function listeningAddresses(pid: number): string[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const socket = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (socket) inodes.add(socket[1]);
    } catch {
      // The descriptor closed while we looked.
    }
  }
  return ['tcp', 'tcp6'].flatMap((table) =>
    readFileSync(`/proc/${pid}/net/${table}`, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      // Columns: sl local_address rem_address st ... inode (10th); st 0A is LISTEN.
      .filter((cols) => cols[3] === '0A' && inodes.has(cols[9]))
      .map((cols) => hexAddress(cols[1])),
  );
}

function hexAddress(local: string): string {
  const [ip, port] = local.split(':');
  const host =
    ip.length === 8
      ? ip.match(/../g)!.reverse().map((b) => parseInt(b, 16)).join('.')
      : `[${ip.match(/.{8}/g)!.map((w) => w.match(/../g)!.reverse().join('')).join('').match(/.{4}/g)!.join(':')}]`;
  return `${host}:${parseInt(port, 16)}`;
}
