"""Clients kept in attributes: set in __init__, or made by a property."""

import boto3

REGIONAL = "REGIONAL"


class Firewall:
    def __init__(self, region):
        self.wafv2 = boto3.client("wafv2", region_name=region)

    def create_acl(self, name):
        return self.wafv2.create_web_acl(
            Name=name,
            Scope=REGIONAL,
            DefaultAction={"Allow": {}},
            VisibilityConfig={
                "SampledRequestsEnabled": False,
                "CloudWatchMetricsEnabled": False,
                "MetricName": name,
            },
            AssociationConfig={
                "RequestBody": {"CLOUDFRONT": {"DefaultSizeInspectionLimit": "KB_16"}}
            },
        )

    def create_small_acl(self, name):
        return self.wafv2.create_web_acl(
            Name=name,
            Scope=REGIONAL,
            DefaultAction={"Block": {}},
            VisibilityConfig={
                "SampledRequestsEnabled": True,
                "CloudWatchMetricsEnabled": True,
                "MetricName": name,
            },
            AssociationConfig={
                "RequestBody": {"API_GATEWAY": {"DefaultSizeInspectionLimit": "KB_8"}}
            },
        )

    def lock_token(self, name, acl_id):
        response = self.wafv2.get_web_acl(Name=name, Scope=REGIONAL, Id=acl_id)
        return response["LockToken"]


class Dns:
    @property
    def route53(self):
        return boto3.client("route53")

    def upsert(self, zone, name, address):
        self.route53.change_resource_record_sets(
            HostedZoneId=zone,
            ChangeBatch={
                "Changes": [
                    {
                        "Action": "UPSERT",
                        "ResourceRecordSet": {
                            "Name": name,
                            "Type": "A",
                            "ResourceRecords": [{"Value": address}],
                        },
                    }
                ]
            },
        )

    def upsert_near(self, zone, name, address, zone_id):
        self.route53.change_resource_record_sets(
            HostedZoneId=zone,
            ChangeBatch={
                "Changes": [
                    {
                        "Action": "UPSERT",
                        "ResourceRecordSet": {
                            "Name": name,
                            "Type": "A",
                            "ResourceRecords": [{"Value": address}],
                            "AZAffinity": {"LocationType": "AvailabilityZoneId", "Id": zone_id},
                        },
                    }
                ]
            },
        )

    def wait_for_health_check_source(self, source_id):
        self.route53.get_waiter("health_check_source_created").wait(Id=source_id)

    def record_changes(self, zone):
        pages = self.route53.get_paginator("list_resource_record_set_changes").paginate(
            HostedZoneId=zone
        )
        return [page["ChangeBatchSummaries"] for page in pages]
