"""The runner.v1 and ping.v1 protobuf messages, built at import of this module from
descriptors written here (no protoc, no generated code). Field numbers are Gitea's
(actions-proto-go ``runner/v1/messages.proto`` and ``ping/v1/messages.proto``), so the
binary codec speaks to stock act_runner and the JSON codec follows the proto3 JSON mapping.
"""

from __future__ import annotations

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
from google.protobuf import struct_pb2, timestamp_pb2  # noqa: F401  (registers the imports)

F = descriptor_pb2.FieldDescriptorProto
STRING, BYTES, BOOL, INT64 = F.TYPE_STRING, F.TYPE_BYTES, F.TYPE_BOOL, F.TYPE_INT64
MESSAGE, ENUM = F.TYPE_MESSAGE, F.TYPE_ENUM
OPTIONAL, REPEATED = F.LABEL_OPTIONAL, F.LABEL_REPEATED


def _message(file, name, fields, nested=()):
    message = file.message_type.add(name=name)
    for item in nested:
        message.nested_type.add().CopyFrom(item)
    for number, field_name, kind, *rest in fields:
        label = REPEATED if "repeated" in rest else OPTIONAL
        type_name = next((r for r in rest if r not in ("repeated", "proto3_optional")), None)
        field = message.field.add(name=field_name, number=number, type=kind, label=label,
                                  json_name=_camel(field_name))
        if type_name:
            field.type_name = type_name
        if "proto3_optional" in rest:
            field.proto3_optional = True
            field.oneof_index = len(message.oneof_decl)
            message.oneof_decl.add(name=f"_{field_name}")
    return message


def _camel(name: str) -> str:
    head, *tail = name.split("_")
    return head + "".join(part.capitalize() for part in tail)


def _map_entry(name, value_kind, value_type=None):
    entry = descriptor_pb2.DescriptorProto(name=name)
    entry.options.map_entry = True
    entry.field.add(name="key", number=1, type=STRING, label=OPTIONAL, json_name="key")
    value = entry.field.add(name="value", number=2, type=value_kind, label=OPTIONAL,
                            json_name="value")
    if value_type:
        value.type_name = value_type
    return entry


def _build_pool() -> descriptor_pool.DescriptorPool:
    pool = descriptor_pool.DescriptorPool()
    for module in (struct_pb2, timestamp_pb2):
        file = descriptor_pb2.FileDescriptorProto()
        module.DESCRIPTOR.CopyToProto(file)
        pool.Add(file)

    ping = descriptor_pb2.FileDescriptorProto(name="ping/v1/messages.proto", package="ping.v1",
                                              syntax="proto3")
    _message(ping, "PingRequest", [(1, "data", STRING)])
    _message(ping, "PingResponse", [(1, "data", STRING)])
    pool.Add(ping)

    runner = descriptor_pb2.FileDescriptorProto(
        name="runner/v1/messages.proto", package="runner.v1", syntax="proto3",
        dependency=["google/protobuf/struct.proto", "google/protobuf/timestamp.proto"])
    status = runner.enum_type.add(name="RunnerStatus")
    for number, name in enumerate(("UNSPECIFIED", "IDLE", "ACTIVE", "OFFLINE")):
        status.value.add(name=f"RUNNER_STATUS_{name}", number=number)
    result = runner.enum_type.add(name="Result")
    for number, name in enumerate(("UNSPECIFIED", "SUCCESS", "FAILURE", "CANCELLED", "SKIPPED")):
        result.value.add(name=f"RESULT_{name}", number=number)
    timestamp, struct = ".google.protobuf.Timestamp", ".google.protobuf.Struct"
    _message(runner, "RegisterRequest", [
        (1, "name", STRING), (2, "token", STRING), (3, "agent_labels", STRING, "repeated"),
        (4, "custom_labels", STRING, "repeated"), (5, "version", STRING),
        (6, "labels", STRING, "repeated"), (7, "ephemeral", BOOL)])
    _message(runner, "RegisterResponse", [(1, "runner", MESSAGE, ".runner.v1.Runner")])
    _message(runner, "DeclareRequest", [(1, "version", STRING), (2, "labels", STRING, "repeated")])
    _message(runner, "DeclareResponse", [(1, "runner", MESSAGE, ".runner.v1.Runner")])
    _message(runner, "FetchTaskRequest", [(1, "tasks_version", INT64)])
    _message(runner, "FetchTaskResponse", [(1, "task", MESSAGE, ".runner.v1.Task"),
                                           (2, "tasks_version", INT64)])
    _message(runner, "UpdateTaskRequest", [
        (1, "state", MESSAGE, ".runner.v1.TaskState"),
        (2, "outputs", MESSAGE, ".runner.v1.UpdateTaskRequest.OutputsEntry", "repeated")],
        nested=[_map_entry("OutputsEntry", STRING)])
    _message(runner, "UpdateTaskResponse", [(1, "state", MESSAGE, ".runner.v1.TaskState"),
                                            (2, "sent_outputs", STRING, "repeated")])
    _message(runner, "UpdateLogRequest", [
        (1, "task_id", INT64), (2, "index", INT64), (3, "rows", MESSAGE, ".runner.v1.LogRow",
                                                    "repeated"), (4, "no_more", BOOL)])
    _message(runner, "UpdateLogResponse", [(1, "ack_index", INT64)])
    _message(runner, "Runner", [
        (1, "id", INT64), (2, "uuid", STRING), (3, "token", STRING), (4, "name", STRING),
        (5, "status", ENUM, ".runner.v1.RunnerStatus"),
        (6, "agent_labels", STRING, "repeated"), (7, "custom_labels", STRING, "repeated"),
        (8, "version", STRING), (9, "labels", STRING, "repeated"), (10, "ephemeral", BOOL)])
    _message(runner, "Task", [
        (1, "id", INT64), (2, "workflow_payload", BYTES, "proto3_optional"),
        (3, "context", MESSAGE, struct, "proto3_optional"),
        (4, "secrets", MESSAGE, ".runner.v1.Task.SecretsEntry", "repeated"),
        (5, "machine", STRING),
        (6, "needs", MESSAGE, ".runner.v1.Task.NeedsEntry", "repeated"),
        (7, "vars", MESSAGE, ".runner.v1.Task.VarsEntry", "repeated")],
        nested=[_map_entry("SecretsEntry", STRING),
                _map_entry("NeedsEntry", MESSAGE, ".runner.v1.TaskNeed"),
                _map_entry("VarsEntry", STRING)])
    _message(runner, "TaskNeed", [
        (1, "outputs", MESSAGE, ".runner.v1.TaskNeed.OutputsEntry", "repeated"),
        (2, "result", ENUM, ".runner.v1.Result")],
        nested=[_map_entry("OutputsEntry", STRING)])
    _message(runner, "TaskState", [
        (1, "id", INT64), (2, "result", ENUM, ".runner.v1.Result"),
        (3, "started_at", MESSAGE, timestamp), (4, "stopped_at", MESSAGE, timestamp),
        (5, "steps", MESSAGE, ".runner.v1.StepState", "repeated")])
    _message(runner, "StepState", [
        (1, "id", INT64), (2, "result", ENUM, ".runner.v1.Result"),
        (3, "started_at", MESSAGE, timestamp), (4, "stopped_at", MESSAGE, timestamp),
        (5, "log_index", INT64), (6, "log_length", INT64)])
    _message(runner, "LogRow", [(1, "time", MESSAGE, timestamp), (2, "content", STRING)])
    pool.Add(runner)
    return pool


_POOL = _build_pool()


def message_class(full_name: str):
    """The generated class of ``runner.v1.FetchTaskRequest`` and friends."""
    return message_factory.GetMessageClass(_POOL.FindMessageTypeByName(full_name))
