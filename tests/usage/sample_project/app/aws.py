"""Clients made in one module for the others: a global and a factory."""

import boto3

SQS = boto3.client("sqs")


def events():
    return boto3.client("events")
