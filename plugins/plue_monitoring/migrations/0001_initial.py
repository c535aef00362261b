"""Monitoring: rate limit counters."""

import peewee


def up(migrator, db):
    class Base(peewee.Model):
        class Meta:
            database = db
            legacy_table_names = False

    class RateLimitWindow(Base):
        bucket = peewee.CharField(max_length=200)
        window_start = peewee.BigIntegerField()
        hits = peewee.IntegerField(default=0)

        class Meta:
            table_name = "monitoring_rate_limit"
            indexes = ((("bucket", "window_start"), True),)

    db.create_tables([RateLimitWindow])
