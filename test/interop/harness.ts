// Interop lab: network namespaces joined by veth pairs to Linux bridges (in a namespace of their own),
// daemons started inside them by PID, tcpdump on a bridge, and a teardown that always runs.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, readFileSync, writeFileSync, mkdirSync, rmSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Every namespace of every run starts with this, so a crashed run's leftovers can be found. */
export const NS_BASE = 'd6ai';

/** Why the suite cannot run here, or undefined when it can (root and `ip` present). */
export function skipReason(): string | undefined {
  if (process.platform !== 'linux') return 'interop suite needs Linux network namespaces';
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'interop suite needs root (network namespaces)';
  const r = spawnSync('ip', ['-V'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return 'interop suite needs iproute2 (`ip`)';
  return undefined;
}

/** True when the named program is installed (searched on PATH, including sbin). */
export function have(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { env: { ...process.env, PATH: `${process.env.PATH}:/usr/sbin:/sbin` } }).status === 0;
}

/** A Debian package's version, or 'not installed'. */
export function pkgVersion(pkg: string): string {
  const r = spawnSync('dpkg-query', ['-W', '-f', '${Version}', pkg], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : 'not installed';
}

function run(args: string[], allowFail = false): string {
  const r = spawnSync(args[0], args.slice(1), { encoding: 'utf8', timeout: 20_000 });
  if (!allowFail && (r.status !== 0 || r.error)) {
    throw new Error(`${args.join(' ')} failed (${r.status}): ${r.stderr || r.error?.message}`);
  }
  return r.stdout ?? '';
}

const sleep = (ms: number): Promise<void> => new Promise((res) => setTimeout(res, ms));

/** Removes namespaces left by crashed runs: their processes are ended by PID, then the namespaces deleted. */
export function cleanStale(): void {
  const list = run(['ip', 'netns', 'list'], true).split('\n').map((l) => l.split(' ')[0]).filter((n) => n.startsWith(`${NS_BASE}-`));
  for (const ns of list) {
    for (const pid of run(['ip', 'netns', 'pids', ns], true).split(/\s+/).filter(Boolean)) {
      try { process.kill(Number(pid), 'SIGKILL'); } catch { /* already gone */ }
    }
    run(['ip', 'netns', 'del', ns], true);
  }
}

/** A process started inside a namespace. */
export class Proc {
  readonly exited: Promise<number | null>;
  private code: number | null | undefined;
  constructor(readonly name: string, readonly child: ChildProcess, readonly logPath: string) {
    this.exited = new Promise((res) => child.once('exit', (code, signal) => { this.code = code ?? (signal ? -1 : null); res(this.code); }));
  }
  get pid(): number { return this.child.pid ?? -1; }
  get running(): boolean { return this.code === undefined; }
  log(): string { return existsSync(this.logPath) ? readFileSync(this.logPath, 'utf8') : ''; }
  /** SIGTERM (or the given signal), then SIGKILL after a bounded wait. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', waitMs = 3000): Promise<void> {
    if (!this.running) return;
    try { process.kill(this.pid, signal); } catch { /* gone */ }
    const done = await Promise.race([this.exited.then(() => true), sleep(waitMs).then(() => false)]);
    if (!done) {
      try { process.kill(this.pid, 'SIGKILL'); } catch { /* gone */ }
      await Promise.race([this.exited, sleep(2000)]);
    }
  }
}

/** tcpdump's closing counts: what it wrote, what the kernel handed it, what the kernel dropped. */
export interface CaptureStats { captured: number; received: number; dropped: number }

/** Reads tcpdump's closing counts from its log; undefined when it printed none. */
export function captureStats(log: string): CaptureStats | undefined {
  const n = (what: string): number | undefined => {
    const m = new RegExp(`(\\d+) packets? ${what}`).exec(log);
    return m ? Number(m[1]) : undefined;
  };
  const captured = n('captured');
  const received = n('received by filter');
  const dropped = n('dropped by kernel');
  if (captured === undefined || received === undefined || dropped === undefined) return undefined;
  return { captured, received, dropped };
}

/**
 * A capture in progress: stop() ends tcpdump and returns the file. tcpdump writes each packet as it
 * takes it from the kernel (-U), but on SIGINT it quits without taking what is still queued, so on a
 * loaded machine a fixed pause loses the last frames. stop() therefore waits until the file has not
 * grown for `quietMs`; `stats` then holds tcpdump's counts, for failure messages.
 */
export class Capture {
  constructor(readonly proc: Proc, readonly path: string) {}
  async stop(quietMs = 500, maxMs = 15_000): Promise<string> {
    const size = (): number => { try { return statSync(this.path).size; } catch { return -1; } };
    const t0 = Date.now();
    let last = size();
    let still = Date.now();
    while (Date.now() - t0 < maxMs) {
      await sleep(100);
      const now = size();
      if (now !== last) { last = now; still = Date.now(); } else if (Date.now() - still >= quietMs) break;
    }
    await this.proc.stop('SIGINT');
    this.stats = captureStats(this.proc.log());
    return this.path;
  }

  /** tcpdump's closing counts, once stopped. */
  stats: CaptureStats | undefined;

  /** One line for a failure message: did the file get every packet the kernel queued? */
  describe(): string {
    const st = this.stats;
    return st ? `tcpdump wrote ${st.captured} of ${st.received} packets, ${st.dropped} dropped by kernel` : 'tcpdump printed no counts';
  }
}

export interface HostOptions {
  /** Interface name inside the host's namespace (default: the host's name). */
  ifname?: string;
  /** Addresses with prefix length, e.g. 2001:db8:1::1/64 (added with nodad). */
  addrs?: string[];
  /** MAC address (fixed MACs give fixed DUIDs). */
  mac?: string;
  mtu?: number;
}

export interface SpawnOptions {
  /** Directories bind-mounted over fixed paths in a private mount namespace, e.g. {'/etc/dibbler': dir}. */
  binds?: Record<string, string>;
  /** Fresh empty tmpfs mounts in that private mount namespace (e.g. '/run'). */
  tmpfs?: string[];
  env?: Record<string, string>;
}

/**
 * One test's lab. All names carry a per-run prefix; close() ends every process by PID and deletes
 * every namespace, and is also hooked to process exit in case the runner dies.
 */
export class Lab {
  readonly id: string;
  readonly dir: string;
  readonly bridgeNs: string;
  private readonly namespaces: string[] = [];
  private readonly procs: Proc[] = [];
  private readonly hosts = new Map<string, string>();
  private closed = false;
  private readonly exitHook = (): void => this.closeSync();
  private vethCount = 0;

  constructor(name: string) {
    this.id = `${NS_BASE}-${process.pid.toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
    this.dir = mkdtempSync(join(tmpdir(), `dhcp6audit-${name}-`));
    this.bridgeNs = this.addNamespace('br');
    // The bridge namespace itself speaks no IPv6, so the capture holds only the hosts' traffic.
    this.nsSysctl(this.bridgeNs, { 'net.ipv6.conf.all.disable_ipv6': '1', 'net.ipv6.conf.default.disable_ipv6': '1' });
    process.once('exit', this.exitHook);
  }

  private addNamespace(short: string): string {
    const ns = `${this.id}-${short}`;
    run(['ip', 'netns', 'add', ns]);
    this.namespaces.push(ns);
    run(['ip', '-n', ns, 'link', 'set', 'lo', 'up']);
    return ns;
  }

  private nsSysctl(ns: string, kv: Record<string, string>): void {
    for (const [k, v] of Object.entries(kv)) run(['ip', 'netns', 'exec', ns, 'sysctl', '-q', '-w', `${k}=${v}`]);
  }

  /** A bridge in the bridge namespace; multicast snooping off so DHCPv6 multicast floods every port. */
  addBridge(name = 'br0', mtu?: number): string {
    run(['ip', '-n', this.bridgeNs, 'link', 'add', name, 'type', 'bridge', 'mcast_snooping', '0', 'stp_state', '0', 'forward_delay', '0']);
    if (mtu) run(['ip', '-n', this.bridgeNs, 'link', 'set', name, 'mtu', String(mtu)]);
    run(['ip', '-n', this.bridgeNs, 'link', 'set', name, 'up']);
    return name;
  }

  /** A host namespace with DAD off (addresses usable at once). Returns the namespace name. */
  host(name: string): string {
    let ns = this.hosts.get(name);
    if (ns) return ns;
    ns = this.addNamespace(name);
    this.nsSysctl(ns, {
      'net.ipv6.conf.all.accept_dad': '0', 'net.ipv6.conf.default.accept_dad': '0',
      'net.ipv6.conf.all.forwarding': '0', 'net.ipv6.conf.default.accept_ra': '0', 'net.ipv6.conf.all.accept_ra': '0',
    });
    this.hosts.set(name, ns);
    return ns;
  }

  /** Joins host `name` to `bridge` through a veth pair; returns the interface name inside the host. */
  attach(name: string, bridge: string, opts: HostOptions = {}): string {
    const ns = this.host(name);
    const ifname = opts.ifname ?? name;
    const peer = `v${++this.vethCount}`;
    const tmp = `${this.id.slice(-4)}t${this.vethCount}`.slice(0, 15);
    run(['ip', '-n', this.bridgeNs, 'link', 'add', peer, 'type', 'veth', 'peer', 'name', tmp]);
    run(['ip', '-n', this.bridgeNs, 'link', 'set', tmp, 'netns', ns]);
    run(['ip', '-n', ns, 'link', 'set', tmp, 'name', ifname]);
    if (opts.mac) run(['ip', '-n', ns, 'link', 'set', ifname, 'address', opts.mac]);
    if (opts.mtu) {
      run(['ip', '-n', ns, 'link', 'set', ifname, 'mtu', String(opts.mtu)]);
      run(['ip', '-n', this.bridgeNs, 'link', 'set', peer, 'mtu', String(opts.mtu)]);
    }
    // One segment per skb: the capture shows the segments the wire would carry, not GSO super-packets.
    run(['ip', '-n', ns, 'link', 'set', 'dev', ifname, 'gso_max_segs', '1']);
    run(['ip', '-n', this.bridgeNs, 'link', 'set', 'dev', peer, 'gso_max_segs', '1']);
    run(['ip', '-n', this.bridgeNs, 'link', 'set', peer, 'master', bridge]);
    run(['ip', '-n', this.bridgeNs, 'link', 'set', peer, 'up']);
    run(['ip', '-n', ns, 'link', 'set', ifname, 'up']);
    for (const a of opts.addrs ?? []) run(['ip', '-n', ns, 'addr', 'add', a, 'dev', ifname, 'nodad']);
    return ifname;
  }

  /** Runs a short command in a host namespace and returns its stdout. */
  exec(name: string, args: string[], allowFail = false): string {
    return run(['ip', 'netns', 'exec', this.host(name), ...args], allowFail);
  }

  /** Waits until the host's link-local address on ifname is usable (DAD is off, so it appears at once). */
  async linkLocal(name: string, ifname: string): Promise<string> {
    for (let i = 0; i < 50; i++) {
      const out = run(['ip', '-n', this.host(name), '-6', 'addr', 'show', 'dev', ifname, 'scope', 'link'], true);
      const m = /inet6 (fe80::[0-9a-f:]+)\/64/.exec(out);
      if (m && !/tentative/.test(out)) return m[1];
      await sleep(100);
    }
    throw new Error(`no link-local address on ${name}/${ifname}`);
  }

  /** Writes a file into the lab's temporary directory and returns its path. */
  file(rel: string, text: string): string {
    const p = join(this.dir, rel);
    mkdirSync(join(p, '..'), { recursive: true });
    writeFileSync(p, text);
    return p;
  }

  /** A fresh directory inside the lab's temporary directory. */
  subdir(rel: string): string {
    const p = join(this.dir, rel);
    mkdirSync(p, { recursive: true });
    return p;
  }

  /** Starts `cmd args` in host `name`'s namespace; output goes to a log file in the lab directory. */
  spawn(name: string, label: string, cmd: string, args: string[], opts: SpawnOptions = {}): Proc {
    const ns = name === '@br' ? this.bridgeNs : this.host(name);
    const logPath = join(this.dir, `${label}.log`);
    const fd = openSync(logPath, 'a');
    let argv: string[];
    const binds = Object.entries(opts.binds ?? {});
    if (binds.length > 0 || (opts.tmpfs ?? []).length > 0) {
      // A private mount namespace (unshare's default propagation is private): nothing leaks to the host.
      const mounts = [
        ...(opts.tmpfs ?? []).map((t) => `mount -t tmpfs none '${t}'`),
        ...binds.map(([target, src]) => `mount --bind '${src}' '${target}'`),
      ].join(' && ');
      argv = ['ip', 'netns', 'exec', ns, 'unshare', '-m', 'sh', '-c', `${mounts} && exec "$0" "$@"`, cmd, ...args];
    } else {
      argv = ['ip', 'netns', 'exec', ns, cmd, ...args];
    }
    const child = spawn(argv[0], argv.slice(1), {
      stdio: ['ignore', fd, fd],
      detached: false,
      env: { ...process.env, PATH: `${process.env.PATH}:/usr/sbin:/sbin`, ...(opts.env ?? {}) },
    });
    closeSync(fd);
    const p = new Proc(label, child, logPath);
    this.procs.push(p);
    return p;
  }

  /**
   * Starts tcpdump on a bridge (in the bridge namespace) and waits until it listens.
   *
   * The snapshot length is 2048, not 0: in immediate mode libpcap gives the kernel a ring of fixed
   * frames sized by the snapshot length, and on an interface with offloads `-s 0` makes them 64 KiB,
   * so the 32 MiB buffer held only 512 packets and a burst of tiny bulk-leasequery writes overran it
   * on a loaded CI machine (36 of 3435 dropped). 2048 gives about 15 700 frames. Every frame on our
   * bridges fits: their MTU is at most 1500 and `attach` sets gso_max_segs 1, so no super-packets;
   * one that did not would show as a truncated frame in the report, not vanish.
   */
  async capture(bridge: string, label = 'capture'): Promise<Capture> {
    const path = join(this.dir, `${label}.pcap`);
    const proc = this.spawn('@br', `tcpdump-${label}`, 'tcpdump', ['-U', '--immediate-mode', '-B', '32768', '-n', '-s', '2048', '-i', bridge, '-w', path, 'ip6']);
    for (let i = 0; i < 100; i++) {
      if (/listening on/.test(proc.log())) return new Capture(proc, path);
      if (!proc.running) break;
      await sleep(50);
    }
    throw new Error(`tcpdump did not start: ${proc.log()}`);
  }

  /** Starts tcpdump on every interface of a host namespace (`-i any`, Linux cooked capture). */
  async captureHost(name: string, label = 'capture'): Promise<Capture> {
    const path = join(this.dir, `${label}.pcap`);
    const proc = this.spawn(name, `tcpdump-${label}`, 'tcpdump', ['-U', '--immediate-mode', '-B', '32768', '-n', '-s', '0', '-i', 'any', '-w', path, 'ip6 and udp']);
    for (let i = 0; i < 100; i++) {
      if (/listening on/.test(proc.log())) return new Capture(proc, path);
      if (!proc.running) break;
      await sleep(50);
    }
    throw new Error(`tcpdump did not start: ${proc.log()}`);
  }

  /** Ends every process (by PID) and deletes every namespace; safe to call twice. */
  async close(): Promise<void> {
    for (const p of [...this.procs].reverse()) await p.stop();
    this.closeSync();
  }

  private closeSync(): void {
    if (this.closed) return;
    this.closed = true;
    process.removeListener('exit', this.exitHook);
    for (const p of this.procs) if (p.running) { try { process.kill(p.pid, 'SIGKILL'); } catch { /* gone */ } }
    for (const ns of [...this.namespaces].reverse()) {
      for (const pid of run(['ip', 'netns', 'pids', ns], true).split(/\s+/).filter(Boolean)) {
        try { process.kill(Number(pid), 'SIGKILL'); } catch { /* gone */ }
      }
      run(['ip', 'netns', 'del', ns], true);
    }
    if (!process.env.KEEP_LAB) rmSync(this.dir, { recursive: true, force: true });
  }
}

export { sleep };
