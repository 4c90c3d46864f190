/**
 * Two service replicas (A and B) sharing one database on a real PostgreSQL server, each with a state folder of its
 * own that survives its restart, as the multi-replica end-to-end tests run them.
 */
import type { TaanServiceClient } from '../../src/grpc/generated/taan/v1/TaanService.js';
import { startPostgres, type PgServer } from './postgres.js';
import { startServer, type ServerProcess } from './server-process.js';

export type ReplicaName = 'A' | 'B';

export class Replicas {
  /** The running replicas (a test that kills or stops one clears its entry). */
  readonly servers: Partial<Record<ReplicaName, ServerProcess>> = {};
  private readonly stateDirs: Partial<Record<ReplicaName, string>> = {};

  private constructor(
    readonly pg: PgServer,
    private readonly dbUrl: string,
    private readonly leaseSeconds: number,
  ) {}

  /** PostgreSQL with a fresh database, and replicas A and B on it. */
  static async start(leaseSeconds: number): Promise<Replicas> {
    const pg = await startPostgres();
    const r = new Replicas(pg, await pg.createDatabase(), leaseSeconds);
    await Promise.all([r.startReplica('A'), r.startReplica('B')]);
    return r;
  }

  /** Starts (or starts again, on the state folder it had) one replica. */
  async startReplica(name: ReplicaName): Promise<ServerProcess> {
    const dir = this.stateDirs[name];
    const s = await startServer({
      ...(dir ? { stateDir: dir } : {}),
      env: { TAAN_DATABASE_URL: this.dbUrl, TAAN_INSTANCE_NAME: name, TAAN_JOB_LEASE_SECONDS: String(this.leaseSeconds), TAAN_WORKERS: '2' },
    });
    this.stateDirs[name] = s.stateDir;
    this.servers[name] = s;
    return s;
  }

  server(name: ReplicaName): ServerProcess {
    const s = this.servers[name];
    if (!s) throw new Error(`replica ${name} is not running`);
    return s;
  }

  client(name: ReplicaName): TaanServiceClient {
    return this.server(name).client();
  }

  async close(): Promise<void> {
    for (const s of Object.values(this.servers)) await s?.stop();
    await this.pg.destroy();
  }
}
