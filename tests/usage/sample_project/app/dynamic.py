"""What the scan cannot see through: reported, not dropped."""

import boto3


def call_any(service_name, operation, **kwargs):
    client = boto3.client(service_name)
    return client.describe(**kwargs)


def call_named(operation, **kwargs):
    s3 = boto3.client("s3")
    return getattr(s3, operation)(**kwargs)


def put(bucket, key, extra):
    s3 = boto3.client("s3")
    s3.put_object(Bucket=bucket, Key=key, **extra)
    url = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": key})
    s3.close()
    return url


def wait_for_table(name):
    boto3.resource("dynamodb").Table(name).wait_until_exists()
