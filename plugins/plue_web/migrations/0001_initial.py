"""The web's sessions."""

import peewee


def up(migrator, db):
    class Base(peewee.Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Account(Base):
        class Meta:
            table_name = "account"

    class WebSession(Base):
        user = peewee.ForeignKeyField(Account, on_delete="CASCADE", index=True)
        token_hash = peewee.CharField(max_length=64, unique=True)
        created_at = peewee.DateTimeField()
        expires_at = peewee.DateTimeField(index=True)

        class Meta:
            table_name = "web_session"

    db.create_tables([WebSession])
