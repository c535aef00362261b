"""releases: the files of releases move into the one ``attachment`` table (attachments'
0001), keeping their ids, uuids and counts; their bytes stay where they are (the store's
default path is the one releases used). ``release_attachment`` goes."""

from playhouse.migrate import PostgresqlMigrator


def up(migrator, db):
    columns = "uuid, repository_id, release_id, uploader_id, name, size, download_count, created_at"
    chosen = ("a.uuid, r.repository_id, a.release_id, a.uploader_id, a.name, a.size, "
              "a.download_count, a.created_at")
    joined = "FROM release_attachment a JOIN release r ON r.id = a.release_id"
    (clash,) = db.execute_sql(
        f"SELECT COUNT(*) {joined} WHERE a.id IN (SELECT id FROM attachment)").fetchone()
    if clash:  # attachment rows already took these ids: the files get new ones
        db.execute_sql(f"INSERT INTO attachment ({columns}) SELECT {chosen} {joined}")
    else:
        db.execute_sql(f"INSERT INTO attachment (id, {columns}) SELECT a.id, {chosen} {joined}")
        if isinstance(migrator, PostgresqlMigrator):  # the id sequence continues after them
            db.execute_sql("SELECT setval(pg_get_serial_sequence('attachment', 'id'), "
                           "COALESCE((SELECT MAX(id) FROM attachment), 0) + 1, false)")
    db.execute_sql("DROP TABLE release_attachment")
