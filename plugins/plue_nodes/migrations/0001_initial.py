"""nodes: the pilot_node table (a frozen copy of the model at this version)."""

import uuid

import peewee


def up(migrator, db):
    class Base(peewee.Model):
        class Meta:
            database = db
            legacy_table_names = False

    def now():
        import datetime
        return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)

    class Node(Base):
        uid = peewee.UUIDField(default=uuid.uuid4, unique=True)
        org_id = peewee.IntegerField(index=True)
        name = peewee.CharField(max_length=100)
        lower_name = peewee.CharField(max_length=100)
        type = peewee.CharField(max_length=16)
        ip_address = peewee.CharField(max_length=255, null=True)
        port = peewee.IntegerField(null=True)
        status = peewee.CharField(max_length=16, default="active")
        created_at = peewee.DateTimeField(default=now)
        updated_at = peewee.DateTimeField(default=now)

        class Meta:
            table_name = "pilot_node"
            indexes = ((("org_id", "lower_name"), True),)

    db.create_tables([Node])
