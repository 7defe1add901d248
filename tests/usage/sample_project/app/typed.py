"""Clients passed in as parameters annotated with mypy_boto3 types."""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mypy_boto3_ec2 import EC2Client
    from mypy_boto3_fsx.client import FSxClient
    from mypy_boto3_s3.client import S3Client


def running_instances(ec2: "EC2Client"):
    response = ec2.describe_instances(
        Filters=[{"Name": "instance-state-name", "Values": ["running"]}]
    )
    return [i["InstanceId"] for r in response["Reservations"] for i in r["Instances"]]


def empty_prefix(s3: "S3Client", bucket):
    s3.get_waiter("bucket_exists").wait(Bucket=bucket)
    params = {"Bucket": bucket}
    params["Prefix"] = "tmp/"
    for page in s3.get_paginator("list_objects_v2").paginate(**params):
        for obj in page.get("Contents", []):
            s3.delete_object(Bucket=bucket, Key=obj["Key"])


def ontap_file_system(fsx: "FSxClient", subnet):
    response = fsx.create_file_system(
        FileSystemType="ONTAP",
        StorageCapacity=1024,
        SubnetIds=[subnet],
        OntapConfiguration={"DeploymentType": "SINGLE_AZ_3", "ThroughputCapacity": 128},
    )
    return response["FileSystem"]["FileSystemId"]


def multi_az_file_system(fsx: "FSxClient", subnets):
    response = fsx.create_file_system(
        FileSystemType="ONTAP",
        StorageCapacity=1024,
        SubnetIds=subnets,
        OntapConfiguration={"DeploymentType": "MULTI_AZ_2", "ThroughputCapacity": 128},
    )
    return response["FileSystem"]["FileSystemId"]
