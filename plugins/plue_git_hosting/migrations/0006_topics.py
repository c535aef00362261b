"""git_hosting: ``topic`` and ``repo_topic`` (Gitea's): the topics repositories carry, with how
many carry each, for ``/topics/search`` and the repository search's ``topic=true`` (topics.py).
``repository.topics`` (0001) keeps the names for the repository's body."""

import peewee


def up(migrator, db):
    class Base(peewee.Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Repository(Base):  # created by 0001: only referenced here
        class Meta:
            table_name = "repository"

    class Topic(Base):
        name = peewee.CharField(max_length=50, unique=True)
        repo_count = peewee.IntegerField()
        created_at = peewee.DateTimeField()
        updated_at = peewee.DateTimeField()

        class Meta:
            table_name = "topic"

    class RepoTopic(Base):
        repository = peewee.ForeignKeyField(Repository, on_delete="CASCADE")
        topic = peewee.ForeignKeyField(Topic, on_delete="CASCADE", index=True)

        class Meta:
            table_name = "repo_topic"
            indexes = ((("repository", "topic"), True),)

    db.create_tables([Topic, RepoTopic])
