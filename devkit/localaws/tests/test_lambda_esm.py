"""ListEventSourceMappings finds a mapping by the function's name as well as by its ARN."""

import unittest

from botocore.exceptions import ClientError

from .support import LocalAwsTestCase

ACCOUNT = "740000000001"


class EventSourceMappingListTest(LocalAwsTestCase):
    def test_a_mapping_created_with_the_function_arn_is_listed_by_name_and_by_arn(self) -> None:
        iam = self.client("iam", ACCOUNT)
        role = iam.create_role(RoleName="consumer", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
        lam = self.client("lambda", ACCOUNT)
        fn = lam.create_function(FunctionName="consumer", Runtime="nodejs22.x", Role=role, Handler="index.handler", Code={"ZipFile": b"PK\x05\x06" + b"\x00" * 18})
        sqs = self.client("sqs", ACCOUNT)
        queue = sqs.create_queue(QueueName="hub")["QueueUrl"]
        queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        mapping = lam.create_event_source_mapping(EventSourceArn=queue_arn, FunctionName=fn["FunctionArn"], BatchSize=10)

        by_name = lam.list_event_source_mappings(FunctionName="consumer")["EventSourceMappings"]
        by_arn = lam.list_event_source_mappings(FunctionName=fn["FunctionArn"], EventSourceArn=queue_arn)["EventSourceMappings"]

        self.assertEqual([m["UUID"] for m in by_name], [mapping["UUID"]])
        self.assertEqual([m["UUID"] for m in by_arn], [mapping["UUID"]])
        with self.assertRaises(ClientError) as missing:
            lam.list_event_source_mappings(FunctionName="no-such-function")
        self.assertEqual(missing.exception.response["Error"]["Code"], "ResourceNotFoundException")


if __name__ == "__main__":
    unittest.main()
