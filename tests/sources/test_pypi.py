"""Releases from a package index: the real fetching code against a local index on loopback."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest

from apidiff.errors import ConfigError, ExitStatus, FetchError, SourceError
from apidiff.sources import open_source, previous_release
from apidiff.sources.pypi import FetchSettings, PackageIndex, botocore_lower_bound, version_key
from tests.sources.local_index import LocalIndex, Release, boto3_wheel, botocore_wheel

RELEASE_JSON = "/pypi/botocore/1.20.41/json"
LISTING_JSON = "/pypi/botocore/json"
WHEEL = "/files/botocore-1.20.41-py3-none-any.whl"


def cached_files(cache_dir: Path) -> list[str]:
    wheels = cache_dir / "wheels"
    return sorted(path.name for path in wheels.iterdir()) if wheels.is_dir() else []


def test_a_release_is_fetched_verified_and_read_from_its_wheel(
    packages: PackageIndex, index: LocalIndex, cache_dir: Path
) -> None:
    source = open_source("botocore==1.20.41", packages)

    assert source.services() == ("cloudsearch", "sagemaker")
    assert source.provenance.package == "botocore"
    assert source.provenance.version == "1.20.41"
    sha256 = index.releases["botocore"]["1.20.41"].sha256
    assert cached_files(cache_dir) == [f"{sha256}.whl"]
    assert index.requests == [RELEASE_JSON, WHEEL]
    # The wheel's name, not its place in this machine's cache: reports are portable.
    assert source.provenance.location == "botocore-1.20.41-py3-none-any.whl"


def test_the_release_date_is_the_utc_date_of_the_upload(packages: PackageIndex) -> None:
    # Uploaded 2021-03-31T00:10Z, though its zip timestamp says 2021-03-30.
    assert open_source("botocore==1.20.41", packages).provenance.released == dt.date(2021, 3, 31)


def test_a_cached_release_is_opened_without_asking_the_index(
    settings: FetchSettings, index: LocalIndex
) -> None:
    first = open_source("botocore==1.20.41", PackageIndex(settings))
    asked = len(index.requests)

    again = open_source("botocore==1.20.41", PackageIndex(settings))

    assert len(index.requests) == asked
    assert again.provenance == first.provenance
    assert again.service_files("sagemaker") == first.service_files("sagemaker")


def test_offline_a_cached_release_opens(settings: FetchSettings, index: LocalIndex) -> None:
    open_source("botocore==1.20.41", PackageIndex(settings))
    asked = len(index.requests)

    offline = PackageIndex(dataclasses.replace(settings, offline=True))

    assert open_source("botocore==1.20.41", offline).provenance.version == "1.20.41"
    assert len(index.requests) == asked


def test_offline_a_release_missing_from_the_cache_is_named_with_the_cache(
    settings: FetchSettings, index: LocalIndex
) -> None:
    offline = PackageIndex(dataclasses.replace(settings, offline=True))

    with pytest.raises(FetchError) as raised:
        open_source("botocore==1.20.41", offline)

    assert str(raised.value) == (
        f"botocore==1.20.41: not in the cache at {settings.cache_dir} and --offline is set"
    )
    assert index.requests == []


def test_offline_by_environment_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, index: LocalIndex, cache_dir: Path
) -> None:
    monkeypatch.setenv("APIDIFF_OFFLINE", "1")
    monkeypatch.setenv("APIDIFF_CACHE_DIR", str(cache_dir))
    monkeypatch.setenv("APIDIFF_PYPI_URL", index.url)

    with pytest.raises(FetchError, match="and APIDIFF_OFFLINE is set"):
        open_source("botocore==1.20.41")
    assert index.requests == []


@pytest.mark.parametrize(
    ("value", "offline"), [("1", True), ("yes", True), ("0", False), ("", False)]
)
def test_apidiff_offline_is_a_yes_or_no(
    monkeypatch: pytest.MonkeyPatch, value: str, offline: bool
) -> None:
    monkeypatch.setenv("APIDIFF_OFFLINE", value)

    assert FetchSettings.from_environment().offline is offline


def test_the_environment_configures_index_cache_and_patience(
    monkeypatch: pytest.MonkeyPatch, index: LocalIndex, cache_dir: Path
) -> None:
    monkeypatch.setenv("APIDIFF_PYPI_URL", index.url)
    monkeypatch.setenv("APIDIFF_CACHE_DIR", str(cache_dir))
    monkeypatch.setenv("APIDIFF_TIMEOUT", "2.5")
    monkeypatch.setenv("APIDIFF_RETRIES", "1")
    monkeypatch.setenv("APIDIFF_BACKOFF", "0")

    settings = FetchSettings.from_environment()

    assert settings == FetchSettings(
        cache_dir=cache_dir,
        index_url=index.url,
        offline=False,
        offline_switch="APIDIFF_OFFLINE",
        timeout=2.5,
        retries=1,
        backoff=0.0,
    )
    assert open_source("botocore==1.20.41").provenance.version == "1.20.41"


def test_a_malformed_setting_is_one_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APIDIFF_TIMEOUT", "soon")

    with pytest.raises(ConfigError, match="APIDIFF_TIMEOUT: not a number: 'soon'"):
        FetchSettings.from_environment()


@pytest.mark.parametrize("url", ["notaurl", "pypi.org", "ftp://pypi.org", "https://"])
def test_an_index_url_without_a_scheme_is_a_usage_error_not_retried(
    monkeypatch: pytest.MonkeyPatch, cache_dir: Path, url: str
) -> None:
    monkeypatch.setenv("APIDIFF_PYPI_URL", url)
    monkeypatch.setenv("APIDIFF_CACHE_DIR", str(cache_dir))
    monkeypatch.setenv("APIDIFF_BACKOFF", "10")  # A retry would be seen as a hang.

    with pytest.raises(ConfigError) as raised:
        open_source("botocore==1.20.41")

    assert str(raised.value) == (
        f"APIDIFF_PYPI_URL: not an http:// or https:// URL: {url!r}"
        " (the default is https://pypi.org)"
    )
    assert raised.value.exit_status == ExitStatus.USAGE


def test_an_index_url_is_not_checked_where_no_index_is_needed(
    monkeypatch: pytest.MonkeyPatch, settings: FetchSettings
) -> None:
    open_source("botocore==1.20.41", PackageIndex(settings))
    cached = dataclasses.replace(settings, index_url="notaurl")

    assert open_source("botocore==1.20.41", PackageIndex(cached)).provenance.version == "1.20.41"


def test_an_unknown_version_is_no_such_release(packages: PackageIndex, index: LocalIndex) -> None:
    with pytest.raises(SourceError) as raised:
        open_source("botocore==9.9.9", packages)

    assert str(raised.value) == f"botocore==9.9.9: no such release on {index.url}"


def test_an_index_without_the_per_release_endpoint_is_read_from_its_listing(
    packages: PackageIndex, index: LocalIndex, cache_dir: Path
) -> None:
    index.per_release_endpoint = False
    index.relative_urls = True  # As some mirrors give them.

    source = open_source("botocore==1.20.41", packages)

    assert source.provenance.version == "1.20.41"
    assert index.requests == [RELEASE_JSON, LISTING_JSON, WHEEL]
    assert len(cached_files(cache_dir)) == 1


def test_an_index_that_does_not_gzip_its_json_is_read_as_well(
    packages: PackageIndex, index: LocalIndex
) -> None:
    index.gzip_json = False

    assert open_source("botocore==1.20.41", packages).provenance.version == "1.20.41"
    assert packages.previous_version("botocore", "1.20.41", "spec") == "1.20.40"


def test_a_download_that_does_not_match_its_sha256_is_refused_and_not_cached(
    packages: PackageIndex, index: LocalIndex, cache_dir: Path
) -> None:
    index.fail(WHEEL, "corrupt")

    with pytest.raises(FetchError) as raised:
        open_source("botocore==1.20.41", packages)

    assert "does not match its sha256" in str(raised.value)
    assert "\n" not in str(raised.value)
    assert cached_files(cache_dir) == []


def test_a_download_cut_short_is_tried_again(
    packages: PackageIndex, index: LocalIndex, cache_dir: Path
) -> None:
    index.fail(WHEEL, "truncate")

    assert open_source("botocore==1.20.41", packages).provenance.version == "1.20.41"
    assert index.requests_for(WHEEL) == 2
    assert len(cached_files(cache_dir)) == 1


def test_a_download_always_cut_short_fails_and_leaves_nothing(
    packages: PackageIndex, index: LocalIndex, cache_dir: Path
) -> None:
    index.fail(WHEEL, "truncate*")

    with pytest.raises(FetchError) as raised:
        open_source("botocore==1.20.41", packages)

    assert "the download stopped after" in str(raised.value)
    assert "(3 attempts)" in str(raised.value)
    assert cached_files(cache_dir) == []


def test_a_server_error_is_tried_again_after_a_pause(
    packages: PackageIndex, index: LocalIndex
) -> None:
    index.fail(RELEASE_JSON, "error")
    index.fail(WHEEL, "error", "error")

    assert open_source("botocore==1.20.41", packages).provenance.version == "1.20.41"
    assert index.requests_for(RELEASE_JSON) == 2
    assert index.requests_for(WHEEL) == 3


def test_a_lasting_server_error_gives_up_with_one_line(
    packages: PackageIndex, index: LocalIndex
) -> None:
    index.fail(RELEASE_JSON, "error*")

    with pytest.raises(FetchError) as raised:
        open_source("botocore==1.20.41", packages)

    assert str(raised.value) == (
        f"botocore==1.20.41: could not fetch {index.url}{RELEASE_JSON}:"
        " HTTP 500 Internal Server Error (3 attempts)"
    )
    assert index.requests_for(RELEASE_JSON) == 3


def test_a_refusal_is_not_tried_again(packages: PackageIndex, index: LocalIndex) -> None:
    index.fail(WHEEL, "forbidden*")

    with pytest.raises(FetchError) as raised:
        open_source("botocore==1.20.41", packages)

    assert str(raised.value) == (
        f"botocore==1.20.41: could not fetch {index.url}{WHEEL}: HTTP 403 Forbidden"
    )
    assert index.requests_for(WHEEL) == 1


def test_a_wheel_missing_from_the_index_is_one_clear_error(
    packages: PackageIndex, index: LocalIndex, cache_dir: Path
) -> None:
    index.fail(WHEEL, "missing*")

    with pytest.raises(FetchError, match="HTTP 404 Not Found"):
        open_source("botocore==1.20.41", packages)
    assert cached_files(cache_dir) == []


def test_a_slow_server_times_out(settings: FetchSettings, index: LocalIndex) -> None:
    index.fail(RELEASE_JSON, "slow*")
    packages = PackageIndex(dataclasses.replace(settings, timeout=0.1, retries=1))

    with pytest.raises(FetchError, match=r"timed out after 0\.1 s \(2 attempts\)"):
        open_source("botocore==1.20.41", packages)


def test_an_unreachable_index_is_one_clear_error(cache_dir: Path) -> None:
    packages = PackageIndex(
        FetchSettings(cache_dir=cache_dir, index_url="http://127.0.0.1:9", retries=0, timeout=1)
    )

    with pytest.raises(FetchError, match=r"could not fetch .*: connection refused \(1 attempt\)"):
        open_source("botocore==1.20.41", packages)


def test_a_damaged_cached_wheel_is_fetched_again(
    settings: FetchSettings, index: LocalIndex, cache_dir: Path
) -> None:
    open_source("botocore==1.20.41", PackageIndex(settings))
    (wheel,) = (cache_dir / "wheels").iterdir()
    wheel.write_bytes(b"not a wheel at all")

    source = open_source("botocore==1.20.41", PackageIndex(settings))

    assert source.services() == ("cloudsearch", "sagemaker")
    assert index.requests_for(WHEEL) == 2
    expected = index.releases["botocore"]["1.20.41"].sha256
    assert hashlib.sha256(wheel.read_bytes()).hexdigest() == expected


def test_offline_a_damaged_cached_wheel_is_removed_and_reported(
    settings: FetchSettings, cache_dir: Path
) -> None:
    open_source("botocore==1.20.41", PackageIndex(settings))
    (wheel,) = (cache_dir / "wheels").iterdir()
    wheel.write_bytes(b"not a wheel at all")

    offline = PackageIndex(dataclasses.replace(settings, offline=True))
    with pytest.raises(FetchError, match=r"damaged .* removed; --offline is set"):
        open_source("botocore==1.20.41", offline)
    assert cached_files(cache_dir) == []


def test_an_interrupted_download_leaves_nothing_that_reads_as_valid(
    settings: FetchSettings, cache_dir: Path
) -> None:
    def interrupt(filename: str, done: int, total: int | None) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        open_source("botocore==1.20.41", PackageIndex(settings, progress=interrupt))

    assert cached_files(cache_dir) == []


def test_download_progress_is_reported_up_to_the_size(
    settings: FetchSettings, index: LocalIndex
) -> None:
    seen: list[tuple[str, int, int | None]] = []

    open_source("botocore==1.20.41", PackageIndex(settings, progress=lambda *at: seen.append(at)))

    size = len(index.releases["botocore"]["1.20.41"].wheel)
    assert seen[-1] == ("botocore-1.20.41-py3-none-any.whl", size, size)


def test_the_previous_release_is_by_version_order(
    packages: PackageIndex, index: LocalIndex
) -> None:
    assert packages.previous_version("botocore", "1.20.41", "spec") == "1.20.40"
    assert packages.previous_version("botocore", "1.20.40", "spec") == "1.20.9"
    assert index.requests_for(LISTING_JSON) == 1


def test_the_previous_release_passes_over_yanked_releases_and_pre_releases(
    packages: PackageIndex,
) -> None:
    # 1.35.70 is yanked; 1.35.73rc1 is a pre-release.
    assert packages.previous_version("botocore", "1.35.71", "spec") == "1.20.41"
    assert packages.previous_version("botocore", "1.35.73", "spec") == "1.35.72"


def test_the_previous_release_passes_over_releases_without_a_wheel(
    packages: PackageIndex, index: LocalIndex
) -> None:
    index.add(Release("botocore", "1.20.40", b"", "2021-03-29T19:18:02Z", has_wheel=False))

    assert packages.previous_version("botocore", "1.20.41", "spec") == "1.20.9"
    with pytest.raises(SourceError, match=r"botocore==1\.20\.40: the release on .* has no wheel"):
        open_source("botocore==1.20.40", packages)


def test_a_release_with_nothing_before_it_is_an_error(packages: PackageIndex) -> None:
    with pytest.raises(SourceError, match=r"no botocore release before 1\.20\.9"):
        packages.previous_version("botocore", "1.20.9", "botocore==1.20.9")


def test_the_previous_release_of_a_source_is_a_spec(
    packages: PackageIndex, index: LocalIndex
) -> None:
    source = open_source("botocore==1.20.41", packages)

    assert previous_release("botocore==1.20.41", source, packages) == "botocore==1.20.40"


def test_a_cached_listing_that_knows_the_release_serves_offline(
    settings: FetchSettings, index: LocalIndex
) -> None:
    PackageIndex(settings).previous_version("botocore", "1.35.72", "spec")
    asked = len(index.requests)

    offline = PackageIndex(dataclasses.replace(settings, offline=True))

    assert offline.previous_version("botocore", "1.20.41", "spec") == "1.20.40"
    assert len(index.requests) == asked


def test_a_cached_listing_older_than_the_release_is_listed_again(
    settings: FetchSettings, index: LocalIndex
) -> None:
    newest = index.releases["botocore"].pop("1.35.72")
    PackageIndex(settings).previous_version("botocore", "1.20.41", "spec")
    index.add(newest)

    assert PackageIndex(settings).previous_version("botocore", "1.35.72", "spec") == "1.35.71"
    assert index.requests_for(LISTING_JSON) == 2


def test_offline_a_cached_listing_older_than_the_release_is_not_enough(
    settings: FetchSettings,
) -> None:
    PackageIndex(settings).previous_version("botocore", "1.20.41", "spec")
    offline = PackageIndex(dataclasses.replace(settings, offline=True))

    with pytest.raises(FetchError) as raised:
        offline.previous_version("botocore", "1.36.0", "botocore==1.36.0")

    assert str(raised.value) == (
        "botocore==1.36.0: a list of botocore releases reaching 1.36.0 is not in the cache"
        f" at {settings.cache_dir} and --offline is set"
    )


def test_a_boto3_release_stands_for_the_botocore_release_it_was_built_for(
    packages: PackageIndex,
) -> None:
    source = open_source("boto3==1.17.41", packages)

    assert source.provenance.version == "1.20.41"
    assert source.provenance.spec == "boto3==1.17.41"
    assert open_source("boto3==1.35.72", packages).provenance.version == "1.35.72"


def test_the_release_before_a_boto3_release_is_boto3s(packages: PackageIndex) -> None:
    source = open_source("boto3==1.17.41", packages)

    assert previous_release("boto3==1.17.41", source, packages) == "boto3==1.17.40"


def test_offline_a_cached_boto3_release_resolves(
    settings: FetchSettings, index: LocalIndex
) -> None:
    open_source("boto3==1.17.41", PackageIndex(settings))
    asked = len(index.requests)

    offline = PackageIndex(dataclasses.replace(settings, offline=True))

    assert open_source("boto3==1.17.41", offline).provenance.version == "1.20.41"
    assert len(index.requests) == asked


@pytest.mark.parametrize(
    ("line", "version"),
    [
        ("Requires-Dist: botocore (<1.21.0,>=1.20.41)", "1.20.41"),
        ("Requires-Dist: botocore<1.36.0,>=1.35.72", "1.35.72"),
        ("Requires-Dist: botocore==1.12.1", "1.12.1"),
        ("Requires-Dist: botocore[crt] (<2.0a0,>=1.21.0) ; extra == 'crt'", None),
        ("Requires-Dist: botocore-stubs>=1.0", None),
        ("Requires-Dist: jmespath (<2.0.0,>=0.7.1)", None),
    ],
)
def test_botocores_lower_bound_is_read_from_requires_dist(line: str, version: str | None) -> None:
    assert botocore_lower_bound(f"Name: boto3\n{line}\n") == version


@pytest.mark.parametrize(
    ("spec", "version"),
    [
        ("botocore>=1.20,<1.21", "1.20.41"),
        ("botocore~=1.20.0", "1.20.41"),
        ("botocore<1.20.41", "1.20.40"),
        ("botocore==1.20.*", "1.20.41"),
        ("botocore>=1.20", "1.35.72"),
        ("BotoCore >= 1.20 , < 1.21", "1.20.41"),
    ],
)
def test_a_range_opens_the_newest_release_it_admits(
    packages: PackageIndex, spec: str, version: str
) -> None:
    source = open_source(spec, packages)

    assert source.provenance.version == version
    assert source.provenance.spec == spec


def test_a_range_passes_over_yanked_releases_and_pre_releases_unless_named(
    packages: PackageIndex,
) -> None:
    # Above 1.35.72 there is only the pre-release 1.35.73rc1; between 1.20.41 and 1.35.71
    # only the yanked 1.35.70.
    with pytest.raises(SourceError) as raised:
        open_source("botocore>1.35.72", packages)
    assert str(raised.value) == (
        f"botocore>1.35.72: no botocore release on {packages.settings.index_url} matches >1.35.72"
    )
    with pytest.raises(SourceError, match=r"matches <1\.35\.71,>1\.20\.41"):
        open_source("botocore>1.20.41,<1.35.71", packages)
    assert open_source("botocore>=1.35.73rc1", packages).provenance.version == "1.35.73rc1"


def test_an_exact_pin_still_opens_a_yanked_release(packages: PackageIndex) -> None:
    assert open_source("botocore==1.35.70", packages).provenance.version == "1.35.70"


def test_a_boto3_range_opens_the_botocore_of_its_newest_release(packages: PackageIndex) -> None:
    source = open_source("boto3>=1.17,<1.18", packages)

    assert source.provenance.version == "1.20.41"
    assert previous_release("boto3>=1.17,<1.18", source, packages) == "boto3==1.17.40"


def test_the_release_before_a_botocore_range_is_before_its_resolved_release(
    packages: PackageIndex,
) -> None:
    source = open_source("botocore<1.20.41", packages)

    assert previous_release("botocore<1.20.41", source, packages) == "botocore==1.20.9"


def test_offline_a_range_is_resolved_from_the_cached_listing(
    settings: FetchSettings, index: LocalIndex
) -> None:
    open_source("botocore>=1.20,<1.21", PackageIndex(settings))
    asked = len(index.requests)
    offline = PackageIndex(dataclasses.replace(settings, offline=True))

    assert open_source("botocore>=1.20,<1.21", offline).provenance.version == "1.20.41"
    assert len(index.requests) == asked


def test_offline_a_range_without_a_cached_listing_names_the_cache(
    settings: FetchSettings, index: LocalIndex
) -> None:
    offline = PackageIndex(dataclasses.replace(settings, offline=True))

    with pytest.raises(FetchError, match="a list of botocore releases is not in the cache"):
        open_source("botocore>=1.20", offline)
    assert index.requests == []


def test_versions_order_by_number_not_text() -> None:
    versions = ["1.20.9", "1.20.100", "1.20.41", "1.3"]

    assert sorted(versions, key=version_key) == ["1.3", "1.20.9", "1.20.41", "1.20.100"]


def lie_in_the_cached_record(cache_dir: Path, version: str, other: str) -> None:
    """Make the cache's record of `version` name the (cached, intact) wheel of `other`."""
    records = cache_dir / "releases" / "botocore"
    record = (records / f"{version}.json").read_text()
    honest = json.loads(record)["sha256"]
    other_sha256 = json.loads((records / f"{other}.json").read_text())["sha256"]
    (records / f"{version}.json").write_text(record.replace(honest, other_sha256))


def test_a_cached_record_naming_another_releases_wheel_is_not_believed(
    settings: FetchSettings, index: LocalIndex
) -> None:
    genuine = open_source("botocore==1.20.41", PackageIndex(settings)).service_files("sagemaker")
    older = open_source("botocore==1.20.40", PackageIndex(settings)).service_files("sagemaker")
    assert older != genuine  # So that serving one as the other would show.
    lie_in_the_cached_record(settings.cache_dir, "1.20.41", "1.20.40")

    source = open_source("botocore==1.20.41", PackageIndex(settings))

    assert source.service_files("sagemaker") == genuine
    assert index.requests_for(RELEASE_JSON) == 2
    # The record is honest again: the next run is served from the cache.
    asked = len(index.requests)
    open_source("botocore==1.20.41", PackageIndex(settings))
    assert len(index.requests) == asked


def test_offline_a_cached_record_naming_another_releases_wheel_names_both_versions(
    settings: FetchSettings,
) -> None:
    open_source("botocore==1.20.41", PackageIndex(settings))
    open_source("botocore==1.20.40", PackageIndex(settings))
    lie_in_the_cached_record(settings.cache_dir, "1.20.41", "1.20.40")
    offline = PackageIndex(dataclasses.replace(settings, offline=True))

    with pytest.raises(FetchError) as raised:
        open_source("botocore==1.20.41", offline)

    assert str(raised.value) == (
        "botocore==1.20.41: the cache's record of botocore 1.20.41 named a wheel of"
        " botocore 1.20.40, and has been removed; --offline is set, so it was not fetched again"
    )
    assert not (settings.cache_dir / "releases" / "botocore" / "1.20.41.json").exists()


def test_an_index_serving_another_releases_wheel_is_refused_and_not_recorded(
    packages: PackageIndex, index: LocalIndex, cache_dir: Path
) -> None:
    index.add(Release("botocore", "1.20.41", botocore_wheel("1.20.40"), "2021-03-31T00:10:35Z"))

    with pytest.raises(FetchError) as raised:
        open_source("botocore==1.20.41", packages)

    assert str(raised.value) == (
        f"botocore==1.20.41: {index.url}{WHEEL} is a wheel of botocore 1.20.40,"
        " not of botocore 1.20.41; it was not used"
    )
    assert not (cache_dir / "releases" / "botocore" / "1.20.41.json").exists()


def test_a_boto3_wheel_of_another_release_is_refused(
    packages: PackageIndex, index: LocalIndex
) -> None:
    index.add(
        Release(
            "boto3",
            "1.17.41",
            boto3_wheel("1.17.40", "botocore (<1.21.0,>=1.20.40)"),
            "2021-03-31T01:00:00Z",
        )
    )

    with pytest.raises(FetchError, match=r"is a wheel of boto3 1\.17\.40, not of boto3 1\.17\.41"):
        open_source("boto3==1.17.41", packages)
