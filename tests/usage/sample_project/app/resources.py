"""boto3 resources: actions, collections and sub-resources, mapped by boto3's models."""

import boto3

dynamodb = boto3.resource("dynamodb")


def save(item):
    table = dynamodb.Table("orders")
    table.put_item(Item=item, ConditionExpression="attribute_not_exists(id)")


def load(order_id):
    response = dynamodb.Table("orders").get_item(Key={"id": order_id})
    return response["Item"]


def keys(bucket_name, prefix):
    bucket = boto3.resource("s3").Bucket(bucket_name)
    return [summary.key for summary in bucket.objects.filter(Prefix=prefix)]


def empty(bucket_name):
    s3 = boto3.resource("s3")
    s3.Bucket(bucket_name).objects.all().delete()
    s3.meta.client.delete_bucket(Bucket=bucket_name)
