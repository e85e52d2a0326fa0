"""Posts the same indicators to a TAXII 2.1 collection and pages them back, with the OASIS
`taxii2-client`, and prints the rates as JSON. The indicators depend only on --count, so two
servers given the same count receive identical objects.

    python3 taxii_throughput.py --api-root URL --collection ID --user U --password P [--count 10000]
"""

import argparse
import json
import sys
import time
import uuid

from taxii2client.v21 import ApiRoot, as_pages

NAMESPACE = uuid.UUID("6ba7b811-9dad-11d1-80b4-00c04fd430c8")


def indicators(count):
    for number in range(count):
        moment = f"2026-01-01T{number // 3600 % 24:02d}:{number // 60 % 60:02d}:{number % 60:02d}.000Z"
        yield {
            "type": "indicator",
            "spec_version": "2.1",
            "id": f"indicator--{uuid.uuid5(NAMESPACE, str(number))}",
            "created": moment,
            "modified": moment,
            "name": f"Scanner {number}",
            "pattern": f"[ipv4-addr:value = '198.{51 + number // 65536 % 4}.{number // 256 % 256}.{number % 256}']",
            "pattern_type": "stix",
            "valid_from": moment,
        }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--api-root", required=True)
    parser.add_argument("--collection", required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--batch", type=int, default=1000, help="objects per envelope posted")
    parser.add_argument("--page", type=int, default=100, help="objects per page read")
    arguments = parser.parse_args()

    api_root = ApiRoot(arguments.api_root, user=arguments.user, password=arguments.password)
    collection = next(c for c in api_root.collections if c.id == arguments.collection)
    objects = list(indicators(arguments.count))

    started = time.perf_counter()
    for start in range(0, len(objects), arguments.batch):
        batch = objects[start : start + arguments.batch]
        status = collection.add_objects({"objects": batch}, wait_for_completion=True, poll_interval=0.05)
        if status.status != "complete" or status.success_count != len(batch):
            sys.exit(f"envelope at {start}: {status.status}, {status.success_count} of {len(batch)} added")
    posted = time.perf_counter() - started

    started = time.perf_counter()
    seen = set()
    for page in as_pages(collection.get_objects, per_request=arguments.page):
        seen.update(item["id"] for item in page.get("objects", []))
    paged = time.perf_counter() - started
    if seen != {o["id"] for o in objects}:
        sys.exit(f"paging returned {len(seen)} distinct objects of {len(objects)}")

    print(json.dumps({
        "objects": len(objects),
        "postSeconds": posted,
        "postPerSecond": len(objects) / posted,
        "pageSeconds": paged,
        "pagePerSecond": len(objects) / paged,
    }))


if __name__ == "__main__":
    main()
