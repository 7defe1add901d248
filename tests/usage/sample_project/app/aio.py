"""aioboto3 and aiobotocore clients, made in `async with`."""

import aioboto3
from aiobotocore.session import get_session


async def object_keys(bucket):
    session = aioboto3.Session()
    async with session.client("s3") as s3:
        paginator = s3.get_paginator("list_objects_v2")
        async for page in paginator.paginate(Bucket=bucket, PaginationConfig={"PageSize": 100}):
            for item in page.get("Contents", []):
                yield item["Key"]


async def send(queue_url, body):
    session = get_session()
    async with session.create_client("sqs") as sqs:
        response = await sqs.send_message(QueueUrl=queue_url, MessageBody=body)
        return response["MessageId"]
