"""``/health`` reports the data directory's disk: ``degraded`` below ``disk_space_low_mb``."""

from __future__ import annotations

import shutil

import pytest
from falcon import testing

from plue_core import create_app
from plue_core.testing import make_test_config, migrate


@pytest.mark.parametrize(("margin_mib", "status", "disk"), [(-1024, "healthy", "healthy"),
                                                            (1024, "degraded", "low")])
def test_health_is_degraded_while_free_disk_space_is_below_the_threshold(
        tmp_path, plue_database_url, margin_mib, status, disk):
    free_mib = shutil.disk_usage(tmp_path).free // (1024 * 1024)
    app = create_app(make_test_config(tmp_path, plue_database_url,
                                      disk_space_low_mb=max(0, free_mib + margin_mib)))
    migrate(app)
    try:
        response = testing.TestClient(app).simulate_get("/health")
    finally:
        app.plue.close()
    assert response.status_code == 200
    assert response.json["status"] == status and response.json["services"]["disk"] == disk
