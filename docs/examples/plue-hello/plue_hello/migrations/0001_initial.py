"""hello: greetings and their tally. Frozen copies of the tables as they were at 0001."""

import datetime

import peewee


def up(migrator, db):
    class Base(peewee.Model):
        class Meta:
            database = db

    def now():
        return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)

    class Greeting(Base):
        message = peewee.TextField()
        source = peewee.CharField(max_length=16)
        created_at = peewee.DateTimeField(default=now)

        class Meta:
            table_name = "hello_greeting"

    class Tally(Base):
        source = peewee.CharField(max_length=16, primary_key=True)
        count = peewee.IntegerField(default=0)

        class Meta:
            table_name = "hello_tally"

    db.create_tables([Greeting, Tally])
