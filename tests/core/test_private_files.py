"""The data directory and the SQLite database are the owner's alone, fixed at every start."""

from __future__ import annotations

import os
import stat

from plue_core import create_app
from plue_core.accounts.models import Account
from plue_core.testing import make_test_config, make_user, migrate


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def _start(tmp_path, *, migrate_db: bool = True):
    database = tmp_path / "data" / "plue.db"
    app = create_app(make_test_config(tmp_path, f"sqlite:///{database}"))
    if migrate_db:
        migrate(app)
    return app, database


def test_a_new_install_makes_the_data_dir_0700_and_its_files_0600(tmp_path):
    app, database = _start(tmp_path)
    try:
        assert _mode(tmp_path / "data") == 0o700
        assert _mode(tmp_path / "data" / "secret_key") == 0o600
        assert _mode(database) == 0o600
        make_user(app.plue, "alice")
        with app.plue.db.connection_context():  # the WAL files live while a connection does
            assert Account.select().count() == 1
            for side in ("-wal", "-shm"):
                assert _mode(f"{database}{side}") == 0o600, side
    finally:
        app.plue.close()


def test_an_existing_install_with_loose_modes_is_fixed_on_start(tmp_path):
    app, database = _start(tmp_path)
    app.plue.close()
    loose = [database, tmp_path / "data" / "secret_key"]
    for side in ("-wal", "-shm", "-journal"):
        path = tmp_path / "data" / f"plue.db{side}"
        path.touch()
        loose.append(path)
    for path in loose:
        os.chmod(path, 0o644)
    os.chmod(tmp_path / "data", 0o755)

    app, _ = _start(tmp_path, migrate_db=False)  # SQLite may remove empty side files later
    try:
        assert _mode(tmp_path / "data") == 0o700
        assert {path.name: _mode(path) for path in loose} == {path.name: 0o600 for path in loose}
    finally:
        app.plue.close()
