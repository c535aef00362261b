"""A text column holding JSON: how job needs, labels and event payloads are stored."""

import json

import peewee


class JSONField(peewee.TextField):
    """JSON text in the database, plain Python values in the model."""

    def db_value(self, value):
        return None if value is None else json.dumps(value, separators=(",", ":"),
                                                     ensure_ascii=False)

    def python_value(self, value):
        return None if value is None else json.loads(value)
