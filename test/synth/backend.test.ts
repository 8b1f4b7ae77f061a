import { describe, expect, it } from 'vitest';
import { makeConfig } from '../factories/config.ts';
import { synthApp } from '../support/synth.ts';

describe('state backend', () => {
  it('keeps each stack in its own key of the S3 bucket when state is configured', () => {
    // Arrange
    const config = makeConfig({
      guardduty: { mode: 'organization', managementAccount: '999999999999' },
      state: { bucket: 'acme-tfstate', keyPrefix: 'security/gd', region: 'eu-central-1', dynamodbTable: 'tf-locks' },
    });

    // Act
    const app = synthApp(config);

    // Assert
    expect(app.names).toEqual([
      'hub',
      'region-us-east-1',
      'region-us-west-1',
      'region-us-west-2',
      'region-eu-north-1',
      'org',
    ]);
    for (const name of app.names) {
      expect(app.stack(name).terraform?.backend).toEqual({
        s3: {
          bucket: 'acme-tfstate',
          key: `security/gd/${name}.tfstate`,
          region: 'eu-central-1',
          encrypt: true,
          dynamodb_table: 'tf-locks',
        },
      });
    }
  });

  it('puts the bucket in the hub region, with the default key prefix and no lock table, when only the bucket is given', () => {
    const config = makeConfig({ state: { bucket: 'acme-tfstate' } });

    const app = synthApp(config);

    expect(app.stack('region-eu-north-1').terraform?.backend).toEqual({
      s3: {
        bucket: 'acme-tfstate',
        key: 'guardduty-hub/region-eu-north-1.tfstate',
        region: 'us-west-2',
        encrypt: true,
      },
    });
  });

  it('keeps local state when state is absent', () => {
    const config = makeConfig();

    const app = synthApp(config);

    // No backend of our own: cdktf adds its default local backend when the app synthesizes (see app.test.ts).
    for (const name of app.names) expect(app.stack(name).terraform?.backend).toBeUndefined();
  });
});

describe('providers', () => {
  it('pins every stack to its region and the hub account, and tags everything with the app name', () => {
    const config = makeConfig({ hub: { name: 'gd-prod' } });

    const app = synthApp(config);

    const regionOf = (name: string) => (name === 'hub' ? config.hub.region : name.replace(/^region-/, ''));
    for (const name of app.names) {
      expect(app.stack(name).provider?.aws).toEqual([
        { region: regionOf(name), allowed_account_ids: ['111111111111'], default_tags: [{ tags: { app: 'gd-prod' } }] },
      ]);
    }
  });
});
