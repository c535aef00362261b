"""Security: image scans and secret scans."""

import peewee


def up(migrator, db):
    class Base(peewee.Model):
        class Meta:
            database = db
            legacy_table_names = False

    def now():
        import datetime
        return datetime.datetime.now(datetime.UTC).replace(tzinfo=None)

    class ImageScan(Base):
        scan_id = peewee.CharField(max_length=40, unique=True)
        image = peewee.CharField(max_length=255, index=True)
        image_id = peewee.CharField(max_length=80, default="")
        user_id = peewee.IntegerField(null=True)
        scan_type = peewee.CharField(max_length=32)
        severity_threshold = peewee.CharField(max_length=16)
        status = peewee.CharField(max_length=16, default="completed")
        packages_scanned = peewee.IntegerField(default=0)
        critical = peewee.IntegerField(default=0)
        high = peewee.IntegerField(default=0)
        medium = peewee.IntegerField(default=0)
        low = peewee.IntegerField(default=0)
        unknown = peewee.IntegerField(default=0)
        details = peewee.TextField(default="[]")
        scan_date = peewee.DateTimeField(default=now, index=True)

        class Meta:
            table_name = "security_image_scan"

    class SecretScan(Base):
        scan_id = peewee.CharField(max_length=40, unique=True)
        job_id = peewee.IntegerField(null=True)
        user_id = peewee.IntegerField(null=True)
        rules = peewee.TextField(default="[]")
        findings = peewee.TextField(default="[]")
        findings_count = peewee.IntegerField(default=0)
        lines_scanned = peewee.IntegerField(default=0)
        scan_date = peewee.DateTimeField(default=now, index=True)

        class Meta:
            table_name = "security_secret_scan"

    db.create_tables([ImageScan, SecretScan])
