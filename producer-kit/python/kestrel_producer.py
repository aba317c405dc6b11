#!/usr/bin/python3
"""A minimal upstream producer for Kestrel, in Python with Debian's Avro and Kafka libraries
(apt-get install python3-avro python3-confluent-kafka).

Reads records in the JSON-lines form of docs/events.md from standard input, one per line, each with its "type".
For each one it:
  1. finds the topic and key in the contract's catalogue (schemas/released/catalogue.json),
  2. takes the newest released schema of the type (schemas/released/<Type>/v<N>.avsc),
  3. validates the record against it locally, and refuses the line with the field named if it does not fit,
  4. encodes it in Avro's single-object encoding: C3 01, the schema's CRC-64-AVRO fingerprint (8 bytes,
     little-endian), then the Avro binary body (docs/producers.md works one through byte by byte),
     With --schema-registry, it registers the schema under the subject <topic>-value instead and writes a
     registry's wire format: the byte 00, the schema id (4 bytes, big-endian), then the same body,
  5. sends it with the key, and waits for the broker's acknowledgement.

    ./kestrel_producer.py --bootstrap-servers localhost:9092 --released schemas/released < records.jsonl

It prints one line per record sent (topic, partition, offset) and exits 1 if any line was refused.
"""
import argparse
import datetime
import io
import json
import os
import sys
import urllib.request

import avro.io
import avro.schema
from confluent_kafka import Producer

_EMPTY = 0xC15D213AA4D7A795
_TABLE = []
for _i in range(256):
    _fp = _i
    for _ in range(8):
        _fp = (_fp >> 1) ^ (_EMPTY & -(_fp & 1))
    _TABLE.append(_fp)


_PRIMITIVES = {"null", "boolean", "int", "long", "float", "double", "bytes", "string"}


def canonical_form(schema, namespace=None, defined=None):
    """The parsing canonical form of a schema given as parsed JSON, by the rules of the Avro specification
    ([PRIMITIVES], [FULLNAMES], [STRIP], [ORDER], [STRINGS], [WHITESPACE]). Written out here because the form
    python3-avro 1.11 gives keeps {"type":"string"} where the specification says "string", and so does not give
    the fingerprint Java and the engine compute."""
    defined = set() if defined is None else defined
    if isinstance(schema, list):
        return "[" + ",".join(canonical_form(branch, namespace, defined) for branch in schema) + "]"
    if isinstance(schema, str):
        if schema in _PRIMITIVES:
            return json.dumps(schema)
        return json.dumps(schema if "." in schema or not namespace else namespace + "." + schema)
    kind = schema["type"]
    if isinstance(kind, (dict, list)) or (kind not in _PRIMITIVES and kind not in ("record", "error", "enum", "fixed", "array", "map")):
        return canonical_form(kind, namespace, defined)
    if kind in _PRIMITIVES:
        return json.dumps(kind)  # logicalType and every other attribute are stripped
    if kind == "array":
        return '{"type":"array","items":%s}' % canonical_form(schema["items"], namespace, defined)
    if kind == "map":
        return '{"type":"map","values":%s}' % canonical_form(schema["values"], namespace, defined)
    name = schema["name"]
    if "." in name:
        full, namespace = name, name.rsplit(".", 1)[0]
    else:
        namespace = schema.get("namespace", namespace)
        full = namespace + "." + name if namespace else name
    if full in defined:
        return json.dumps(full)
    defined.add(full)
    if kind == "enum":
        return '{"name":%s,"type":"enum","symbols":[%s]}' % (json.dumps(full), ",".join(json.dumps(s) for s in schema["symbols"]))
    if kind == "fixed":
        return '{"name":%s,"type":"fixed","size":%d}' % (json.dumps(full), schema["size"])
    fields = ",".join('{"name":%s,"type":%s}' % (json.dumps(field["name"]), canonical_form(field["type"], namespace, defined))
                      for field in schema["fields"])
    return '{"name":%s,"type":"record","fields":[%s]}' % (json.dumps(full), fields)


def fingerprint(schema_json):
    """CRC-64-AVRO (the Avro specification's Rabin fingerprint) of the schema's parsing canonical form."""
    fp = _EMPTY
    for byte in canonical_form(schema_json).encode("utf-8"):
        fp = (fp >> 8) ^ _TABLE[(fp ^ byte) & 0xFF]
    return fp


def single_object(schema_json, schema, datum):
    """C3 01, the fingerprint little-endian, then the Avro binary body."""
    body = io.BytesIO()
    avro.io.DatumWriter(schema).write(datum, avro.io.BinaryEncoder(body))
    return b"\xc3\x01" + fingerprint(schema_json).to_bytes(8, "little") + body.getvalue()


def registered(schema_id, schema, datum):
    """A schema registry's wire format: 00, the schema id big-endian, then the Avro binary body."""
    body = io.BytesIO()
    avro.io.DatumWriter(schema).write(datum, avro.io.BinaryEncoder(body))
    return b"\x00" + schema_id.to_bytes(4, "big") + body.getvalue()


def register(registry, subject, schema_json):
    """Registers the schema under the subject through the Confluent-compatible API; returns its id."""
    request = urllib.request.Request(registry.rstrip("/") + "/subjects/%s/versions" % subject, method="POST",
                                     headers={"Content-Type": "application/vnd.schemaregistry.v1+json"},
                                     data=json.dumps({"schema": json.dumps(schema_json), "schemaType": "AVRO"}).encode("utf-8"))
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)["id"]


def newest_schema(released, record_type):
    """The newest released version of a record: its JSON and the parsed schema."""
    folder = os.path.join(released, record_type)
    versions = sorted(int(name[1:-5]) for name in os.listdir(folder) if name.startswith("v") and name.endswith(".avsc"))
    with open(os.path.join(folder, "v%d.avsc" % versions[-1]), encoding="utf-8") as f:
        text = f.read()
    return json.loads(text), avro.schema.parse(text)


def problem(schema, datum, path=""):
    """The first field that does not fit the schema, named by its path, or None."""
    if isinstance(schema, avro.schema.RecordSchema):
        if not isinstance(datum, dict):
            return "%s: expected a record, got %r" % (path or "record", datum)
        known = {field.name for field in schema.fields}
        for name in datum:
            if name not in known:
                return "%s: the record has no such field" % (path + name)
        for field in schema.fields:
            if field.name not in datum and not field.has_default:
                return "%s: missing, and it has no default" % (path + field.name)
            value = datum.get(field.name, field.default if field.has_default else None)
            found = problem(field.type, value, path + field.name + ".")
            if found:
                return found
        return None
    if not avro.io.validate(schema, datum):
        if isinstance(schema, avro.schema.EnumSchema):
            expected = "one of " + ", ".join(schema.symbols)
        elif isinstance(schema, avro.schema.UnionSchema):
            expected = " or ".join(branch.type for branch in schema.schemas)
        else:
            expected = getattr(schema, "logical_type", None) or schema.type
        return "%s: expected %s, got %r" % (path.rstrip("."), expected, datum)
    return None


def with_logical_types(schema_json, record):
    """Timestamps as ISO-8601 text or epoch milliseconds, dates as yyyy-mm-dd, as the JSON-lines form allows; the Avro
    library wants datetime and date objects for them."""
    converted = dict(record)
    for field in schema_json["fields"]:
        value = converted.get(field["name"])
        branches = field["type"] if isinstance(field["type"], list) else [field["type"]]
        for branch in branches:
            logical = branch.get("logicalType") if isinstance(branch, dict) else None
            if logical == "timestamp-millis" and isinstance(value, str):
                converted[field["name"]] = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
            elif logical == "timestamp-millis" and isinstance(value, int):
                converted[field["name"]] = datetime.datetime.fromtimestamp(value / 1000, tz=datetime.timezone.utc)
            elif logical == "date" and isinstance(value, str):
                converted[field["name"]] = datetime.date.fromisoformat(value)
    return converted


def security_settings(path):
    """The security settings of a librdkafka properties file; any other key is refused, so that the file cannot change
    what the producer sets itself (acknowledgements, idempotence)."""
    settings = {}
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, start=1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            key, _, value = line.partition("=")
            key = key.strip()
            if key != "security.protocol" and not key.startswith(("ssl.", "sasl.")):
                sys.exit("%s line %d: %s is not a security setting (security.protocol, ssl.*, sasl.*)" % (path, number, key))
            settings[key] = value.strip()
    return settings


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bootstrap-servers")
    parser.add_argument("--released", default=os.path.join(os.path.dirname(__file__), "..", "..", "schemas", "released"),
                        help="the folder of released schemas and catalogue.json (in the schemas jar, or the repository)")
    parser.add_argument("--client-config",
                        help="librdkafka security settings, key=value per line: security.protocol, ssl.*, sasl.* "
                             "(e.g. ssl.ca.location for the cluster CA in PEM, sasl.mechanisms, sasl.username, sasl.password)")
    parser.add_argument("--schema-registry",
                        help="a schema registry's Confluent-compatible API: register each schema under <topic>-value and "
                             "send the registry wire format (00, schema id, body) instead of single-object encoding")
    parser.add_argument("--fingerprints", action="store_true",
                        help="print the fingerprint of every released schema and exit (the build compares them with Java's)")
    args = parser.parse_args()

    if args.fingerprints:
        for record_type in sorted(os.listdir(args.released)):
            folder = os.path.join(args.released, record_type)
            for name in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
                with open(os.path.join(folder, name), encoding="utf-8") as f:
                    print("%s/%s %016x" % (record_type, name, fingerprint(json.load(f))))
        return

    if not args.bootstrap_servers:
        parser.error("--bootstrap-servers is required")
    with open(os.path.join(args.released, "catalogue.json"), encoding="utf-8") as f:
        topics = {topic["record"]: topic for topic in json.load(f)["topics"] if topic["writer"] == "UPSTREAM"}
    settings = {"bootstrap.servers": args.bootstrap_servers, "acks": "all", "enable.idempotence": True}
    if args.client_config:
        settings.update(security_settings(args.client_config))
    producer = Producer(settings)
    schema_ids = {}
    refused = 0
    for number, line in enumerate(sys.stdin, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as error:
            print("line %d refused: not JSON: %s" % (number, error), file=sys.stderr)
            refused += 1
            continue
        record_type = record.pop("type", None) if isinstance(record, dict) else None
        if record_type not in topics:
            print("line %d refused: type %r is not a record upstream systems send; one of %s"
                  % (number, record_type, sorted(topics)), file=sys.stderr)
            refused += 1
            continue
        topic = topics[record_type]
        schema_json, schema = newest_schema(args.released, record_type)
        record = with_logical_types(schema_json, record)
        found = problem(schema, record)
        if found:
            print("line %d refused: %s" % (number, found), file=sys.stderr)
            refused += 1
            continue
        key = topic["keySeparator"].join(str(record[field]) for field in topic["keyFields"])
        if args.schema_registry:
            if topic["name"] not in schema_ids:
                try:
                    schema_ids[topic["name"]] = register(args.schema_registry, topic["name"] + "-value", schema_json)
                except (OSError, ValueError, KeyError) as error:  # urllib's errors are OSErrors; a body without an id
                    print("line %d not sent: schema registry: %s" % (number, error), file=sys.stderr)
                    refused += 1
                    continue
            value = registered(schema_ids[topic["name"]], schema, record)
        else:
            value = single_object(schema_json, schema, record)
        sent = []
        producer.produce(topic["name"], key=key.encode("utf-8"), value=value,
                         on_delivery=lambda error, message: sent.append((error, message)))
        producer.flush(15)
        error, message = sent[0] if sent else ("no acknowledgement within 15 s", None)
        if error:
            print("line %d not sent: %s" % (number, error), file=sys.stderr)
            refused += 1
        else:
            print("%s %d %d" % (message.topic(), message.partition(), message.offset()))
    sys.exit(1 if refused else 0)


if __name__ == "__main__":
    main()
