import { GuardDutyClient } from '@aws-sdk/client-guardduty';
import { actAs, localClientConfig } from '../support/aws.ts';

/** GuardDuty clients of the local AWS acting as one account, one per endpoint and region, made on first use. */
export interface LocalGuardDutyClients {
  /** The client for `region` through `via` (default the local AWS itself; a test may put a proxy in front). */
  in(region: string, via?: string): GuardDutyClient;
  /** Closes every client made. */
  destroy(): void;
}

/** Clients for `endpoint` acting as `account` (moto keeps accounts apart). */
export function localGuardDutyClients(endpoint: string, account: string): LocalGuardDutyClients {
  const clients = new Map<string, GuardDutyClient>();
  return {
    in(region, via = endpoint) {
      const key = `${via} ${region}`;
      let client = clients.get(key);
      if (client === undefined) {
        client = new GuardDutyClient(localClientConfig(via, region));
        actAs(client, account);
        clients.set(key, client);
      }
      return client;
    },
    destroy() {
      for (const client of clients.values()) client.destroy();
    },
  };
}
