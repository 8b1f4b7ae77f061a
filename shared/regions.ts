/** An AWS partition, as it appears in ARNs. */
export type Partition = 'aws' | 'aws-cn' | 'aws-us-gov';

/** Every AWS region that GuardDuty and EventBridge run in, by partition (2026). */
export const AWS_REGIONS: Readonly<Record<Partition, readonly string[]>> = {
  aws: [
    'af-south-1',
    'ap-east-1',
    'ap-east-2',
    'ap-northeast-1',
    'ap-northeast-2',
    'ap-northeast-3',
    'ap-south-1',
    'ap-south-2',
    'ap-southeast-1',
    'ap-southeast-2',
    'ap-southeast-3',
    'ap-southeast-4',
    'ap-southeast-5',
    'ap-southeast-6',
    'ap-southeast-7',
    'ca-central-1',
    'ca-west-1',
    'eu-central-1',
    'eu-central-2',
    'eu-north-1',
    'eu-south-1',
    'eu-south-2',
    'eu-west-1',
    'eu-west-2',
    'eu-west-3',
    'il-central-1',
    'me-central-1',
    'me-south-1',
    'mx-central-1',
    'sa-east-1',
    'us-east-1',
    'us-east-2',
    'us-west-1',
    'us-west-2',
  ],
  'aws-cn': ['cn-north-1', 'cn-northwest-1'],
  'aws-us-gov': ['us-gov-east-1', 'us-gov-west-1'],
};

const PARTITION_OF = new Map<string, Partition>(
  (Object.entries(AWS_REGIONS) as [Partition, readonly string[]][]).flatMap(([partition, regions]) =>
    regions.map((region) => [region, partition] as const),
  ),
);

/** True when `name` is a known AWS region. */
export function isAwsRegion(name: string): boolean {
  return PARTITION_OF.has(name);
}

/** The partition a region belongs to; `aws` for names it does not know. */
export function partitionOf(region: string): Partition {
  return PARTITION_OF.get(region) ?? 'aws';
}

/** The AWS console host for a region's partition. */
export function consoleHost(region: string): string {
  switch (partitionOf(region)) {
    case 'aws-cn':
      return 'console.amazonaws.cn';
    case 'aws-us-gov':
      return 'console.amazonaws-us-gov.com';
    default:
      return 'console.aws.amazon.com';
  }
}

/** The GuardDuty console link to one finding. */
export function findingConsoleUrl(region: string, findingId: string): string {
  const host = consoleHost(region);
  const id = encodeURIComponent(findingId);
  return `https://${host}/guardduty/home?region=${encodeURIComponent(region)}#/findings?macros=current&fId=${id}`;
}
