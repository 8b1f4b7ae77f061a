import type { AddressInfo } from 'node:net';
import { createSqsServer } from 'local-aws-sqs';

/**
 * A second real SQS implementation on loopback (the `local-aws-sqs` package, in process), for the
 * SQS APIs moto 5.2.5 does not serve: `StartMessageMoveTask`, `ListMessageMoveTasks`,
 * `CancelMessageMoveTask` (DLQ redrive). It also keeps and enforces `RedriveAllowPolicy`.
 */

/** A running local-aws-sqs server. */
export interface LocalSqs {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  close(): Promise<void>;
}

/** Options of {@link startLocalSqs}. */
export interface LocalSqsOptions {
  /** The account in queue ARNs and URLs (use `hub.account`, so ARNs match the synthesized ones). */
  readonly accountId: string;
  /** The region in queue ARNs. */
  readonly region: string;
}

/** Starts local-aws-sqs on a free 127.0.0.1 port. */
export async function startLocalSqs({ accountId, region }: LocalSqsOptions): Promise<LocalSqs> {
  const server = await createSqsServer({
    port: 0,
    hostname: '127.0.0.1',
    accountId,
    region,
    // AWS makes a deleted queue's name unusable for 60 s; tests recreate queues at once.
    emulateQueueCreationLifecycle: false,
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
