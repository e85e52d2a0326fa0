"""Drives a TAXII 2.1 server with the OASIS `taxii2-client` and `stix2` packages, unchanged, and
checks every answer: discovery, API roots, collections, adding objects in envelopes (and
re-adding them), paging with `as_pages`, each `match[...]` filter, `added_after`, versions,
the manifest, status resources and delete.

It expects an empty collection that the given key may read and write. It exits 0 when every
check holds, and 1 with the failed check's description otherwise.

    python3 taxii_client_check.py --url http://host/taxii2/ --api-root http://host/taxii2/cyber/ \
        --collection ID --user tool --password KEY --count 10000
"""

import argparse
import datetime
import json
import sys
import uuid

import requests
import stix2
from taxii2client.v21 import ApiRoot, Collection, Server, as_pages

MEDIA_TYPE = "application/taxii+json;version=2.1"
BATCH = 1000
PAGE = 100


class CheckFailed(Exception):
    pass


def check(condition, description):
    if not condition:
        raise CheckFailed(description)


def stamp(seconds):
    """A STIX timestamp `seconds` after a fixed instant, with millisecond precision."""
    moment = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc) + datetime.timedelta(seconds=seconds)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def indicator(number):
    address = f"198.{51 + number // 65536 % 4}.{number // 256 % 256}.{number % 256}"
    return stix2.v21.Indicator(
        id=f"indicator--{uuid.uuid4()}",
        created=stamp(number),
        modified=stamp(number),
        name=f"Scanner {number}",
        pattern=f"[ipv4-addr:value = '{address}']",
        pattern_type="stix",
        valid_from=stamp(number),
    )


def envelope(objects):
    """The objects as the stix2 package writes them."""
    return {"objects": [json.loads(o.serialize()) for o in objects]}


def added(collection, objects, description):
    status = collection.add_objects(envelope(objects), wait_for_completion=True, poll_interval=0.2, timeout=30)
    check(status.status == "complete", f"{description}: status {status.status}")
    check(status.total_count == len(objects), f"{description}: total_count {status.total_count}")
    check(status.failure_count == 0, f"{description}: failures {status.failures}")
    check(status.success_count == len(objects), f"{description}: success_count {status.success_count}")
    return status


def ids_of(envelopes):
    return [item["id"] for page in envelopes for item in page.get("objects", [])]


def http_status(call):
    try:
        call()
    except requests.exceptions.HTTPError as error:
        return error.response.status_code
    return 200


def run(arguments):
    auth = {"user": arguments.user, "password": arguments.password}

    # Discovery and API roots.
    server = Server(arguments.url, **auth)
    check(server.title, "discovery has a title")
    urls = [root.url for root in server.api_roots]
    check(arguments.api_root in urls, f"discovery lists {arguments.api_root}: {urls}")
    api_root = ApiRoot(arguments.api_root, **auth)
    check(MEDIA_TYPE in api_root.versions, f"the API root serves {MEDIA_TYPE}: {api_root.versions}")
    check(api_root.max_content_length > 0, "the API root states its max_content_length")

    # Collections.
    listed = {c.id: c for c in api_root.collections}
    check(arguments.collection in listed, f"the API root lists collection {arguments.collection}")
    collection = listed[arguments.collection]
    check(collection.can_read and collection.can_write, "the key may read and write the collection")
    check("application/stix+json;version=2.1" in collection.media_types, "the collection serves STIX 2.1")
    direct = Collection(arguments.api_root + "collections/" + arguments.collection + "/", **auth)
    check(direct.title == collection.title, "a collection fetched by URL matches the listed one")
    check(collection.get_objects().get("objects") is None, "the collection starts empty")

    # Adding indicators, in envelopes of BATCH.
    indicators = [indicator(n) for n in range(arguments.count)]
    statuses = [
        added(collection, indicators[start : start + BATCH], f"envelope at {start}")
        for start in range(0, len(indicators), BATCH)
    ]
    stored = api_root.get_status(statuses[0].id)
    check(stored.status == "complete" and stored.success_count == statuses[0].success_count,
          "the status resource reads back as it was returned")
    check({s["id"] for s in stored.successes} == {o.id for o in indicators[:BATCH]},
          "the status names each object it added")

    # Re-posting identical objects is not an error, and adds nothing.
    added(collection, indicators[:BATCH], "re-posted envelope")

    # A mixed envelope: each invalid object is named with a reason; the valid one is kept.
    malware = stix2.v21.Malware(name="Dropper", is_family=False, created=stamp(1), modified=stamp(1))
    broken_pattern = json.loads(indicator(arguments.count).serialize())
    broken_pattern["pattern"] = "[ipv4-addr:value = '10.0.0.1'"
    later_than_modified = json.loads(indicator(arguments.count + 1).serialize())
    later_than_modified["created"] = stamp(arguments.count + 5)
    mixed = {"objects": [json.loads(malware.serialize()), broken_pattern, later_than_modified]}
    status = collection.add_objects(mixed, wait_for_completion=True, poll_interval=0.2, timeout=30)
    check(status.success_count == 1 and status.successes[0]["id"] == malware.id, f"the valid object is kept: {status.successes}")
    check(status.failure_count == 2, f"two objects are refused: {status.failures}")
    for failure in status.failures:
        check(failure.get("message"), f"a refused object carries a reason: {failure}")
    refused = {f["id"] for f in status.failures}
    check(refused == {broken_pattern["id"], later_than_modified["id"]}, f"the refused objects are named: {refused}")

    # Paging with as_pages: every object once, in pages no larger than asked.
    pages = list(as_pages(collection.get_objects, per_request=PAGE))
    check(all(len(p.get("objects", [])) <= PAGE for p in pages), "no page is larger than the limit")
    check(all(p["more"] for p in pages[:-1]) and not pages[-1]["more"], "more is true on every page but the last")
    check(all(p.get("next") for p in pages[:-1]), "every page but the last carries next")
    seen = ids_of(pages)
    check(len(seen) == len(set(seen)), "paging returns no object twice")
    check(set(seen) == {o.id for o in indicators} | {malware.id}, f"paging returns every object: {len(seen)}")

    # The manifest, paged the same way, agrees with the objects.
    manifest = list(as_pages(collection.get_manifest, per_request=PAGE * 5))
    records = [r for page in manifest for r in page.get("objects", [])]
    check([r["id"] for r in records] == seen, "the manifest lists the objects in the same order")
    check(all(r["media_type"] == "application/stix+json;version=2.1" and r["version"] for r in records),
          "each manifest record has a version and a media type")

    # added_after: only what was added after a date_added, in the order added.
    middle = records[len(records) // 2]["date_added"]
    later = ids_of(as_pages(collection.get_objects, per_request=PAGE * 10, added_after=middle))
    expected = [r["id"] for r in records if r["date_added"] > middle]
    check(later == expected, f"added_after={middle}: {len(later)} objects, expected {len(expected)}")

    # match[type], match[id], match[spec_version].
    check(ids_of([collection.get_objects(type="malware")]) == [malware.id], "match[type]=malware")
    chosen = [indicators[3].id, indicators[7].id, malware.id]
    check(set(ids_of([collection.get_objects(id=chosen)])) == set(chosen), "match[id] with three ids")
    check(set(ids_of([collection.get_objects(id=chosen[:2], type="malware")])) == set(), "match[id] and match[type] combine")
    check(len(ids_of([collection.get_objects(spec_version="2.1", limit=50)])) == 50, "match[spec_version]=2.1")
    check(collection.get_objects(spec_version="2.0").get("objects") is None, "match[spec_version]=2.0 finds nothing")

    # Versions: three versions of one indicator.
    first = indicator(arguments.count + 10)
    second = first.new_version(modified=stamp(arguments.count + 20), name="Scanner, revised")
    third = second.new_version(modified=stamp(arguments.count + 30), name="Scanner, revised again")
    added(collection, [first, second, third], "three versions")
    versions = collection.object_versions(first.id)["versions"]
    check(versions == [stamp(arguments.count + 10), stamp(arguments.count + 20), stamp(arguments.count + 30)],
          f"the versions endpoint lists each version, oldest first: {versions}")

    def version_names(**match):
        return [o["name"] for o in collection.get_object(first.id, **match).get("objects", [])]

    check(version_names() == ["Scanner, revised again"], "an object reads as its last version by default")
    check(version_names(version="first") == [first.name], "match[version]=first")
    check(version_names(version="last") == ["Scanner, revised again"], "match[version]=last")
    check(len(version_names(version="all")) == 3, "match[version]=all")
    check(version_names(version=versions[1]) == ["Scanner, revised"], "match[version]=<a version>")
    check(ids_of([collection.get_objects(id=first.id, version="all")]) == [first.id] * 3,
          "match[version]=all on the objects endpoint")

    # Delete: one version, then the rest; a deleted object is gone.
    collection.delete_object(first.id, version=versions[0])
    check(collection.object_versions(first.id)["versions"] == versions[1:], "deleting one version keeps the others")
    collection.delete_object(first.id)
    check(http_status(lambda: collection.get_object(first.id)) == 404, "a deleted object is 404")
    check(http_status(lambda: collection.object_versions(first.id)) == 404, "a deleted object has no versions")

    return len(seen)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="the discovery URL, ending in /taxii2/")
    parser.add_argument("--api-root", required=True, help="an API root URL, ending in /")
    parser.add_argument("--collection", required=True, help="the id of an empty collection to use")
    parser.add_argument("--user", default="taxii")
    parser.add_argument("--password", required=True, help="the API key")
    parser.add_argument("--count", type=int, default=10000, help="how many indicators to add")
    arguments = parser.parse_args()
    try:
        count = run(arguments)
    except CheckFailed as failure:
        print(f"check failed: {failure}", file=sys.stderr)
        return 1
    print(f"ok: every check passed with {count} objects")
    return 0


if __name__ == "__main__":
    sys.exit(main())
