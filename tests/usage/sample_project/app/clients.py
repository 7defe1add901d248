"""Clients made each way the scan follows."""

import boto3
import botocore.session

S3 = boto3.client("s3")


def bucket_names():
    return [bucket["Name"] for bucket in S3.list_buckets()["Buckets"]]


def queue_url(name):
    session = boto3.session.Session(region_name="eu-west-1")
    sqs = session.client("sqs")
    return sqs.get_queue_url(QueueName=name)["QueueUrl"]


def table_status(table):
    dynamodb = boto3.Session(profile_name="dev").client("dynamodb")
    response = dynamodb.describe_table(TableName=table)
    return response["Table"]["TableStatus"]


def stream_names():
    kinesis = botocore.session.get_session().create_client("kinesis", region_name="us-east-1")
    return kinesis.list_streams(Limit=10)["StreamNames"]


def make_sagemaker():
    return boto3.client("sagemaker")


def best_candidate_properties(name):
    client = make_sagemaker()
    job = client.describe_auto_ml_job(AutoMLJobName=name)
    return job["BestCandidate"]["CandidateProperties"]


def best_candidate_status(name):
    job = make_sagemaker().describe_auto_ml_job(AutoMLJobName=name)
    return job["BestCandidate"]["CandidateStatus"]
