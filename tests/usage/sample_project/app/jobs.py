"""Queues and event buses of another module, imported by absolute and relative names."""

from app.aws import SQS

from .aws import events


def enqueue(url, body):
    SQS.send_message(QueueUrl=url, MessageBody=body, DelaySeconds=5)


def publish(detail):
    events().put_events(Entries=[{"Source": "jobs", "DetailType": "done", "Detail": detail}])
