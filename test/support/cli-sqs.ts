import type { AddressInfo } from 'node:net';
import { createSqsServer } from 'local-aws-sqs';

/**
 * An SQS implementation on loopback that serves message move tasks (`StartMessageMoveTask`,
 * `ListMessageMoveTasks`, `CancelMessageMoveTask`), which moto (5.2.x) does not implement:
 * the npm package `local-aws-sqs`, in-process. It moves up to `MaxNumberOfMessagesPerSecond`
 * messages (300 when unset) once a second, and keeps a source queue's last 10 tasks.
 */
export interface LocalSqs {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  close(): Promise<void>;
}

/** Starts a server whose queue ARNs use `region` and `accountId`. */
export async function startLocalSqs(region: string, accountId: string): Promise<LocalSqs> {
  const server = await createSqsServer({
    port: 0,
    hostname: '127.0.0.1',
    region,
    accountId,
    emulateQueueCreationLifecycle: false,
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
