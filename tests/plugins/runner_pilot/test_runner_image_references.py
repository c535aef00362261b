"""A runner's ``docker_image`` is checked as Docker parses references (``plue_core.
image_references``, the rule the security scan uses too): what Docker refuses is the 422
naming the field, what it accepts — an uppercase tag, a registry with a port — is stored."""

from __future__ import annotations

import pytest

TOKEN = "ghr_1234567890abcdef"


def _create(fleet, image: str, name: str = "R"):
    body = {"name": name, "docker_image": image, "github_repo": "Gigatech/my-repo",
            "github_runner_token": TOKEN}
    return fleet.client.simulate_post(fleet.url("/runners"), json=body,
                                      headers=fleet.headers["alice"])


@pytest.mark.parametrize("image", ["ubuntu:", "a//b", "ubuntu:22.04@", "a___b", "Ubuntu"])
def test_what_docker_refuses_is_422_naming_docker_image(fleet, image):
    response = _create(fleet, image)
    assert response.status_code == 422, response.text
    assert "docker_image" in response.text


@pytest.mark.parametrize("image", ["registry.example:5000/team/tool:V1", "ubuntu:Latest"])
def test_what_docker_accepts_is_stored(fleet, image):
    response = _create(fleet, image)
    assert response.status_code in (200, 201), response.text
    assert image in response.text

