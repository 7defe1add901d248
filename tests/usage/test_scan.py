"""The scan of the sample project: one test per form of client, call, parameter and read.

Operation names come from the installed botocore's models, so each mapping below is
botocore's own (`xform_name` over the model's operations, paginators and waiters).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from apidiff.errors import SourceError
from apidiff.sources import open_source
from apidiff.usage import CallKind, OperationCatalog, Usage, map_usage, scan_usage
from apidiff.usage.project import scan_paths
from apidiff.usage.resources import ResourceModels
from apidiff.usage.scan import scan_source
from tests.usage.conftest import SAMPLE, call_at, calls_at


def test_module_global_client_and_a_read_in_a_comprehension(sample_usage: Usage) -> None:
    call = call_at(sample_usage, "app/clients.py", "S3.list_buckets()")
    assert (call.service, call.operation, call.kind) == ("s3", "ListBuckets", CallKind.CALL)
    assert call.response_keys == ("Buckets", "Buckets[]", "Buckets[].Name")


def test_session_client(sample_usage: Usage) -> None:
    call = call_at(sample_usage, "app/clients.py", "sqs.get_queue_url(")
    assert (call.service, call.operation) == ("sqs", "GetQueueUrl")
    assert call.parameters == ("QueueName",)
    assert call.response_keys == ("QueueUrl",)


def test_client_of_a_session_made_in_place(sample_usage: Usage) -> None:
    call = call_at(sample_usage, "app/clients.py", "dynamodb.describe_table(")
    assert (call.service, call.operation) == ("dynamodb", "DescribeTable")
    assert call.response_keys == ("Table", "Table.TableStatus")


def test_botocore_session_create_client(sample_usage: Usage) -> None:
    call = call_at(sample_usage, "app/clients.py", "kinesis.list_streams(")
    assert (call.service, call.operation, call.parameters) == ("kinesis", "ListStreams", ("Limit",))


def test_client_returned_by_a_factory_function(sample_usage: Usage) -> None:
    call = call_at(sample_usage, "app/clients.py", "job = client.describe_auto_ml_job(")
    assert (call.service, call.operation) == ("sagemaker", "DescribeAutoMLJob")
    assert call.response_keys == ("BestCandidate", "BestCandidate.CandidateProperties")
    chained = call_at(sample_usage, "app/clients.py", "make_sagemaker().describe_auto_ml_job(")
    assert chained.response_keys == ("BestCandidate", "BestCandidate.CandidateStatus")


def test_aioboto3_client_in_async_with_and_its_async_pagination(sample_usage: Usage) -> None:
    call = call_at(sample_usage, "app/aio.py", "paginator.paginate(")
    assert (call.service, call.operation, call.kind) == ("s3", "ListObjectsV2", CallKind.PAGINATE)
    # PaginationConfig is paginate()'s own, not the operation's.
    assert call.parameters == ("Bucket",)
    assert call.response_keys == ("Contents", "Contents[]", "Contents[].Key")


def test_aiobotocore_create_client_awaited(sample_usage: Usage) -> None:
    call = call_at(sample_usage, "app/aio.py", "await sqs.send_message(")
    assert (call.service, call.operation) == ("sqs", "SendMessage")
    assert call.parameters == ("MessageBody", "QueueUrl")
    assert call.response_keys == ("MessageId",)


def test_client_in_a_self_attribute_with_nested_dict_literals(sample_usage: Usage) -> None:
    first, second = [call for call in sample_usage.calls if call.operation == "CreateWebACL"]
    assert first.service == "wafv2"
    # RequestBody is a map: its keys are `{key}`, its values `{}`, as Reach.path writes them.
    assert "AssociationConfig.RequestBody{}.DefaultSizeInspectionLimit" in first.parameters
    assert "AssociationConfig.RequestBody{key}" in first.parameters
    literals = {(literal.path, literal.value) for literal in second.literals}
    assert ("AssociationConfig.RequestBody{}.DefaultSizeInspectionLimit", "KB_8") in literals
    assert ("AssociationConfig.RequestBody{key}", "API_GATEWAY") in literals
    # A module constant passed by name is a literal all the same.
    assert ("Scope", "REGIONAL") in literals


def test_client_made_by_a_property(sample_usage: Usage) -> None:
    calls = [call for call in sample_usage.calls if call.operation == "ChangeResourceRecordSets"]
    assert len(calls) == 2
    assert "ChangeBatch.Changes[].ResourceRecordSet.AZAffinity" not in calls[0].parameters
    assert "ChangeBatch.Changes[].ResourceRecordSet.AZAffinity.Id" in calls[1].parameters


def test_waiter_maps_to_the_operation_it_polls(sample_usage: Usage) -> None:
    call = call_at(sample_usage, "app/network.py", 'get_waiter("health_check_source_created")')
    assert call.kind is CallKind.WAIT
    assert (call.operation, call.waiter, call.parameters) == (
        "GetHealthCheckSource",
        "HealthCheckSourceCreated",
        ("Id",),
    )
    s3 = call_at(sample_usage, "app/typed.py", 'get_waiter("bucket_exists")')
    assert (s3.operation, s3.waiter) == ("HeadBucket", "BucketExists")


def test_paginator_pages_read_in_a_comprehension(sample_usage: Usage) -> None:
    call = call_at(sample_usage, "app/network.py", 'get_paginator("list_resource_record_set')
    assert (call.operation, call.kind) == ("ListResourceRecordSetChanges", CallKind.PAGINATE)
    assert call.response_keys == ("ChangeBatchSummaries",)


def test_mypy_boto3_annotated_parameter_and_nested_loops(sample_usage: Usage) -> None:
    call = call_at(sample_usage, "app/typed.py", "ec2.describe_instances(")
    assert call.parameters == (
        "Filters",
        "Filters[]",
        "Filters[].Name",
        "Filters[].Values",
        "Filters[].Values[]",
    )
    assert "Reservations[].Instances[].InstanceId" in call.response_keys
    assert {(value.path, value.value) for value in call.literals} == {
        ("Filters[].Name", "instance-state-name"),
        ("Filters[].Values[]", "running"),
    }


def test_kwargs_from_a_visible_dict_grown_before_the_call(sample_usage: Usage) -> None:
    call = call_at(sample_usage, "app/typed.py", 'get_paginator("list_objects_v2").paginate(')
    assert call.parameters == ("Bucket", "Prefix")
    assert call.visible
    delete = call_at(sample_usage, "app/typed.py", "s3.delete_object(")
    assert delete.parameters == ("Bucket", "Key")


def test_dynamic_service_name_is_kept_as_not_visible(sample_usage: Usage) -> None:
    call = call_at(sample_usage, "app/dynamic.py", "client.describe(**kwargs)")
    assert (call.service, call.operation, call.visible) == (None, None, False)
    assert call.reason is not None and call.reason.startswith("service name not visible")


def test_getattr_with_a_runtime_name_is_kept_as_not_visible(sample_usage: Usage) -> None:
    call = call_at(sample_usage, "app/dynamic.py", "getattr(s3, operation)")
    assert (call.service, call.operation, call.visible) == ("s3", None, False)
    assert call.reason == "method chosen at run time"


def test_kwargs_from_elsewhere_keep_the_operation_and_what_is_visible(
    sample_usage: Usage,
) -> None:
    call = call_at(sample_usage, "app/dynamic.py", "s3.put_object(")
    assert (call.operation, call.parameters, call.visible) == (
        "PutObject",
        ("Bucket", "Key"),
        False,
    )
    assert call.reason == "**extra is not visible here"


def test_client_helpers_are_no_operations(sample_usage: Usage) -> None:
    assert calls_at(sample_usage, "app/dynamic.py", "generate_presigned_url") == []
    assert calls_at(sample_usage, "app/dynamic.py", "s3.close()") == []


# boto3's resource models come from the installed boto3 (its data folder, not imported).
needs_boto3 = pytest.mark.skipif(
    not ResourceModels.installed().available, reason="boto3 is not installed"
)


@needs_boto3
def test_resource_actions_map_through_boto3s_resource_models(sample_usage: Usage) -> None:
    put = call_at(sample_usage, "app/resources.py", "table.put_item(")
    assert (put.service, put.kind, put.method, put.operation) == (
        "dynamodb",
        CallKind.RESOURCE,
        "Table.put_item",
        "PutItem",
    )
    # TableName is the Table's identifier: boto3 passes it, so the call uses it.
    assert put.parameters == ("ConditionExpression", "Item", "TableName")
    get = call_at(sample_usage, "app/resources.py", '.get_item(Key={"id": order_id})')
    assert (get.operation, get.response_keys) == ("GetItem", ("Item",))


@needs_boto3
def test_resource_collections_map_to_their_request(sample_usage: Usage) -> None:
    listed = call_at(sample_usage, "app/resources.py", "bucket.objects.filter(")
    assert (listed.method, listed.operation) == ("Bucket.objects.filter", "ListObjects")
    assert listed.parameters == ("Bucket", "Prefix")
    everything = call_at(sample_usage, "app/resources.py", "objects.all().delete()")
    assert (everything.operation, everything.parameters) == ("ListObjects", ("Bucket",))
    client = call_at(sample_usage, "app/resources.py", "s3.meta.client.delete_bucket(")
    assert (client.kind, client.operation) == (CallKind.CALL, "DeleteBucket")


@needs_boto3
def test_resource_call_the_models_do_not_map_is_kept_as_not_visible(
    sample_usage: Usage,
) -> None:
    call = call_at(sample_usage, "app/dynamic.py", "wait_until_exists()")
    assert (call.service, call.kind, call.operation, call.visible) == (
        "dynamodb",
        CallKind.RESOURCE,
        None,
        False,
    )
    assert call.reason == "resource: boto3's resource models do not map Table.wait_until_exists"


def test_without_boto3_resource_calls_are_listed_unmapped() -> None:
    usage = map_usage(
        scan_paths([str(SAMPLE / "app" / "resources.py")]),
        OperationCatalog(open_source("installed"), resources=ResourceModels(None)),
    )
    resources = [call for call in usage.calls if call.kind is CallKind.RESOURCE]
    assert len(resources) == 4
    assert {call.reason for call in resources} == {
        "resource: operations not mapped (boto3 is not installed)"
    }


def test_calls_are_in_file_line_column_order(sample_usage: Usage) -> None:
    locations = [call.location for call in sample_usage.calls]
    assert locations == sorted(locations)
    assert sample_usage.files == len(list(SAMPLE.rglob("*.py")))
    assert sample_usage.problems == ()


def test_a_file_that_does_not_parse_is_reported_and_skipped(tmp_path: Path) -> None:
    (tmp_path / "bad.py").write_text("import boto3\ndef broken(:\n    pass\n")
    (tmp_path / "good.py").write_text('import boto3\nboto3.client("s3").list_buckets()\n')
    (tmp_path / "binary.py").write_bytes(b"import boto3\x00\n")
    # Naming neither boto nor client, it could hold no call the scan sees: never parsed.
    (tmp_path / "other.py").write_text("def broken(:\n")
    result = scan_paths([str(tmp_path)])
    assert [call.method for call in result.calls] == ["list_buckets"]
    assert [(problem.file, problem.line) for problem in result.problems] == [
        (f"{tmp_path.as_posix()}/bad.py", 2),
        (f"{tmp_path.as_posix()}/binary.py", None),
    ]
    assert result.files == 4


def test_hidden_folders_and_virtual_environments_are_passed_over(tmp_path: Path) -> None:
    code = 'import boto3\nboto3.client("s3").list_buckets()\n'
    for folder in (".git", "venv", "__pycache__"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "x.py").write_text(code)
    (tmp_path / "venv" / "pyvenv.cfg").write_text("home = /usr\n")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "x.py").write_text(code)
    assert [call.location.file for call in scan_paths([str(tmp_path)]).calls] == [
        f"{tmp_path.as_posix()}/src/x.py"
    ]


def test_a_missing_path_is_an_error() -> None:
    with pytest.raises(SourceError, match="no such file or directory"):
        scan_paths(["/nonexistent/folder"])


def test_nothing_is_recorded_twice_when_a_call_is_chained() -> None:
    calls = scan_source(
        'import boto3\nx = boto3.client("s3").list_buckets().get("Buckets")\n', "x.py"
    ).calls
    assert [(call.method, call.reads) for call in calls] == [("list_buckets", (("Buckets",),))]


def test_a_response_read_through_a_map_and_enumerate() -> None:
    source = (
        "import boto3\n"
        "def f(c=boto3.client('sqs')):\n"
        "    r = c.get_queue_attributes(QueueUrl='u', AttributeNames=['All'])\n"
        "    for name, value in r['Attributes'].items():\n"
        "        print(value)\n"
        "    for i, url in enumerate(c.list_queues()['QueueUrls']):\n"
        "        print(url[0])\n"
    )
    reads = {call.method: call.reads for call in scan_source(source, "x.py").calls}
    assert reads["get_queue_attributes"] == (("Attributes",),)
    assert reads["list_queues"] == (("QueueUrls",),)


def test_client_of_an_unknown_session_counts_only_for_a_service_the_models_hold(
    tmp_path: Path,
) -> None:
    (tmp_path / "code.py").write_text(
        "import boto3\n"
        "def f(factory):\n"
        "    factory().client('ec2').describe_regions()\n"  # a helper's session, as c7n's
        "    factory().client('redis').get('key')\n"  # no AWS service: no boto3 client
        "    boto3.client('no-such-service').describe_things()\n",
        encoding="utf-8",
    )
    usage = scan_usage([str(tmp_path)], open_source("installed"))
    assert [(call.location.line, call.service, call.operation) for call in usage.calls] == [
        (3, "ec2", "DescribeRegions"),
        (5, "no-such-service", None),
    ]
    assert usage.calls[1].reason is not None
    assert usage.calls[1].reason.startswith("service not in botocore")


def test_clients_imported_from_another_module_of_the_project(sample_usage: Usage) -> None:
    # jobs.py names neither boto nor a client: it is read for what aws.py offers.
    send = call_at(sample_usage, "app/jobs.py", "SQS.send_message(")
    assert (send.service, send.operation) == ("sqs", "SendMessage")
    assert send.parameters == ("DelaySeconds", "MessageBody", "QueueUrl")
    put = call_at(sample_usage, "app/jobs.py", "events().put_events(")
    assert (put.service, put.operation) == ("events", "PutEvents")
    assert "Entries[].DetailType" in put.parameters


def test_a_module_found_by_the_end_of_its_name(tmp_path: Path) -> None:
    package = tmp_path / "src" / "shop"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "aws.py").write_text("import boto3\ns3 = boto3.client('s3')\n")
    (package / "views.py").write_text("from shop.aws import s3\ns3.list_buckets()\n")
    (package / "other.py").write_text("from elsewhere.aws import s3\ns3.list_buckets()\n")
    calls = scan_paths([str(tmp_path)]).calls
    assert [(call.location.file.rsplit("/", 1)[1], call.method) for call in calls] == [
        ("views.py", "list_buckets")
    ]


def test_columns_count_characters_not_bytes() -> None:
    source = "import boto3\nnom = 'é'; boto3.client('s3').list_buckets()\n"
    (call,) = scan_source(source.encode("utf-8"), "x.py").calls
    assert call.location.column == source.splitlines()[1].index("boto3") + 1


def test_functions_inside_functions_see_the_clients_around_them() -> None:
    source = (
        "import boto3\n"
        "def outer():\n"
        "    sns = boto3.client('sns')\n"
        "    def inner(topic):\n"
        "        def innermost():\n"
        "            sns.publish(TopicArn=topic, Message='m')\n"
        "        return innermost\n"
        "    return inner\n"
    )
    calls = scan_source(source, "x.py").calls
    assert [(call.location.line, call.service, call.method) for call in calls] == [
        (6, "sns", "publish")
    ]


def test_every_statement_and_expression_of_real_code_is_walked_without_error() -> None:
    # The standard library's own packages: async code, classes, comprehensions, walrus,
    # decorators, every statement. None makes a boto3 client, so none is a call.
    import asyncio
    import email

    files = [
        path
        for package in (asyncio, email)
        for path in sorted(Path(package.__file__ or "").parent.rglob("*.py"))
    ]
    assert len(files) > 50
    for path in files:
        assert scan_source(path.read_bytes(), path.name).calls == ()


def test_paginator_search_with_a_plain_path_reads_it() -> None:
    source = (
        "import boto3\n"
        "NAME = 'describe_instances'\n"
        "pages = boto3.client('ec2').get_paginator(NAME).paginate()\n"
        "ids = pages.search('Reservations[].Instances[*].InstanceId')\n"
        "odd = pages.search('Reservations[?State].Id')\n"
    )
    (call,) = scan_source(source, "x.py").calls
    assert call.method == "describe_instances"
    # The filter expression is JMESPath beyond a path: not read as one.
    assert call.reads == (("Reservations", "[]", "Instances", "[]", "InstanceId"),)
