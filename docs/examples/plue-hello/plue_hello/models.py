"""The plugin's tables. Their shape is created by migrations/, never by ``create_tables``."""

import peewee

from plue_core.db import BaseModel, utcnow


class Greeting(BaseModel):
    message = peewee.TextField()
    source = peewee.CharField(max_length=16)  # api | cli | job
    author = peewee.CharField(max_length=40, null=True)  # added by migration 0002
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "hello_greeting"


class Tally(BaseModel):
    """Greetings counted per source, kept by the ``on_event`` listener."""

    source = peewee.CharField(max_length=16, primary_key=True)
    count = peewee.IntegerField(default=0)

    class Meta:
        table_name = "hello_tally"


MODELS = [Greeting, Tally]
