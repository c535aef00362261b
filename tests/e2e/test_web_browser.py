"""The web pages in a real browser (headless Chromium from Debian, driven by selenium) against
the real server: sign up and sign in, push a repository with git, browse its README, a file
and its history, open an issue and comment, sign out. Screenshots of each page go to
docs/web/ (docs/web.md shows them). Skips, saying why, only when Chromium cannot be installed
(tools/install-browser.sh)."""

from __future__ import annotations

import os
import pathlib
import tempfile
import shutil
import subprocess

import pytest
import requests

from plue_core.testing import DEFAULT_PASSWORD, fresh_database_url, run_live_server

pytestmark = pytest.mark.e2e

ROOT = pathlib.Path(__file__).resolve().parents[2]
# docs/web.md's pictures are refreshed with PLUE_WEB_SCREENSHOTS=docs/web; by default a run
# leaves the tracked files alone.
SCREENSHOTS = pathlib.Path(os.environ.get("PLUE_WEB_SCREENSHOTS",
                                          pathlib.Path(tempfile.gettempdir()) / "plue-web"))
GIT_ENV = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_AUTHOR_NAME": "Alice",
           "GIT_AUTHOR_EMAIL": "alice@example.org", "GIT_COMMITTER_NAME": "Alice",
           "GIT_COMMITTER_EMAIL": "alice@example.org", "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_ASKPASS": "", "SSH_ASKPASS": ""}
README = """# Demo

A repository pushed with **git** and read in a browser.

| Page | Path |
|------|------|
| Code | `/alice/demo` |

- [x] push
- [ ] review

See #1.
"""
APP = '''"""A tiny program."""


def greet(name: str) -> str:
    return f"Hello, {name}!"


if __name__ == "__main__":
    print(greet("world"))
'''


def _chromium():
    """Paths of chromium and chromedriver, installing them when this machine can."""
    setup = ROOT / "tools" / "install-browser.sh"
    said = ""
    if not (shutil.which("chromium") and shutil.which("chromedriver")) and setup.exists():
        result = subprocess.run([str(setup)], capture_output=True, text=True, check=False)
        said = result.stderr.strip()[-300:]
    chromium, chromedriver = shutil.which("chromium"), shutil.which("chromedriver")
    if not (chromium and chromedriver):
        pytest.skip("CHROMIUM IS UNAVAILABLE - the browser tests did NOT run "
                    f"(tools/install-browser.sh said: {said or 'nothing'})")
    return chromium, chromedriver


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium, chromedriver = _chromium()
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1280,900", "--lang=en-US"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(chromedriver), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("web-browser")
    with fresh_database_url(tmp) as database_url, run_live_server(tmp, database_url) as live:
        live.plue("admin", "user", "create", "--username", "alice", "--password",
                  DEFAULT_PASSWORD, "--email", "alice@example.org")
        yield live


def _replaced(element) -> bool:
    """Whether ``element``'s document is gone. Chromium says so with a stale-element error,
    or, when the next page arrived quickly, with an inspector error naming a node that no
    longer belongs to the document."""
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
    try:
        element.is_enabled()
    except StaleElementReferenceException:
        return True
    except WebDriverException as exc:
        if "does not belong to the document" in str(exc):
            return True
        raise
    return False


class Person:
    """What a person does with the browser, and the screenshots of what they see."""

    def __init__(self, driver, url: str):
        self.driver, self.url = driver, url

    def open(self, path: str):
        self.driver.get(self.url + path)
        return self

    def find(self, css: str):
        from selenium.webdriver.common.by import By
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def find_all(self, css: str):
        from selenium.webdriver.common.by import By
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def navigate(self, element) -> None:
        """Click ``element`` and wait until the next page has replaced this one."""
        from selenium.webdriver.support.ui import WebDriverWait
        page = self.driver.find_element("tag name", "html")
        element.click()
        WebDriverWait(self.driver, 20).until(lambda driver: _replaced(page))
        WebDriverWait(self.driver, 20).until(
            lambda driver: driver.execute_script("return document.readyState") == "complete")

    def click(self, css: str) -> None:
        self.navigate(self.find(css))


    def click_link(self, text: str):
        from selenium.webdriver.common.by import By
        self.navigate(self.driver.find_element(By.LINK_TEXT, text))

    def fill(self, fields: dict[str, str]):
        for name, value in fields.items():
            element = self.find(f"[name='{name}']")
            element.clear()
            element.send_keys(value)

    @property
    def path(self) -> str:
        return self.driver.current_url.removeprefix(self.url)

    @property
    def text(self) -> str:
        return self.find("main").text

    def accessibility_problems(self) -> list[str]:
        """axe-core's serious and critical violations of the page (WCAG 2 A and AA rules)."""
        from axe_selenium_python import Axe
        axe = Axe(self.driver)
        axe.inject()
        found = axe.run(options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa"]}})
        return [f"{self.path}: {v['id']} ({v['impact']}): {v['help']} - "
                f"{[node['target'] for node in v['nodes']][:3]}"
                for v in found["violations"] if v["impact"] in ("serious", "critical")]

    def screenshot(self, name: str) -> None:
        """The whole page, as a person scrolling would see it."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        height = self.driver.execute_script("return document.documentElement.scrollHeight")
        self.driver.set_window_size(1280, min(max(height, 600), 2400))
        self.driver.save_screenshot(str(SCREENSHOTS / f"{name}.png"))
        self.driver.set_window_size(1280, 900)


def git(work: pathlib.Path, *commands: list[str]) -> None:
    for command in commands:
        result = subprocess.run(["git", *command], cwd=work, env=GIT_ENV, capture_output=True,
                                text=True, timeout=120)
        assert result.returncode == 0, result.stderr


def push_demo(server, tmp: pathlib.Path) -> pathlib.Path:
    work = tmp / "demo"
    (work / "src").mkdir(parents=True)
    (work / "README.md").write_text(README)
    (work / "src" / "app.py").write_text(APP)
    remote = server.url.replace("http://", f"http://alice:{DEFAULT_PASSWORD}@") + "/alice/demo.git"
    git(work, ["init", "-q", "-b", "main"], ["add", "."],
        ["commit", "-q", "-m", "Start the demo", "-m", "README and a program."],
        ["remote", "add", "origin", remote], ["push", "-q", "origin", "main"])
    return work


def push_french_branch(work: pathlib.Path) -> None:
    (work / "src" / "app.py").write_text(APP.replace(
        'return f"Hello, {name}!"', 'return f"Bonjour, {name} !" if french else f"Hello, {name}!"')
        .replace("def greet(name: str)", "def greet(name: str, french: bool = False)"))
    git(work, ["checkout", "-q", "-b", "french"], ["commit", "-q", "-am", "Greet in French"],
        ["push", "-q", "origin", "french"])


def test_a_person_signs_in_pushes_browses_and_works_an_issue(browser, server, tmp_path):
    from selenium.webdriver.support.ui import WebDriverWait

    person = Person(browser, server.url)

    # Signed out, the front page explores; sign up is offered.
    person.open("/")
    assert "Explore repositories" in person.text
    person.open("/user/sign_up")
    person.fill({"user_name": "bob", "email": "bob@example.org", "password": "bob-password-1",
                 "retype": "bob-password-1"})
    person.click("button.primary")
    assert person.find(".me").text == "bob"
    person.click("form[action='/user/logout'] button")
    assert "Sign in" in person.find("header.top").text

    # Sign in.
    person.open("/user/login")
    person.screenshot("login")
    person.fill({"user_name": "alice", "password": DEFAULT_PASSWORD})
    person.click("button.primary")
    assert person.path == "/" and person.find(".me").text == "alice"

    # A repository made with the API, pushed with git.
    created = requests.post(f"{server.url}/api/v1/user/repos", auth=("alice", DEFAULT_PASSWORD),
                            json={"name": "demo", "description": "A demo of the web pages"},
                            timeout=60)
    assert created.status_code == 201, created.text
    work = push_demo(server, tmp_path)
    person.open("/")
    assert "alice/demo" in person.text
    person.screenshot("home")

    # The repository's home: the README rendered, the tree, the clone URL with its button.
    person.open("/alice/demo")
    assert person.find(".readme h1").text == "Demo"
    assert person.find(".readme table td").text == "Code"
    assert person.find("#clone-url").get_attribute("value") == f"{server.url}/alice/demo.git"
    person.find("[data-copy]").click()
    WebDriverWait(browser, 5).until(lambda _: person.find("[data-copy]").text == "Copied")
    person.screenshot("repository")

    # A file, highlighted, with a range of lines marked by its anchor.
    person.click_link("src/")
    person.click_link("app.py")
    assert person.path == "/alice/demo/src/branch/main/src/app.py"
    assert person.find("#L4 .line").text == "def greet(name: str) -> str:"
    assert person.find("#L4 .line span.k").text == "def"
    person.open("/alice/demo/src/branch/main/src/app.py#L4-L5")
    WebDriverWait(browser, 5).until(lambda _: len(person.find_all("tr.selected")) == 2)
    person.screenshot("file")
    person.click_link("Raw")
    assert "def greet" in browser.find_element("tag name", "body").text

    # History and a commit.
    person.open("/alice/demo/commits/branch/main")
    assert "Start the demo" in person.text
    person.screenshot("commits")
    person.click("a.sha")
    assert "2 files changed" in person.text and "+def greet(name: str) -> str:" in person.text
    person.screenshot("commit")

    # An issue, opened and commented on with the forms.
    person.open("/alice/demo/issues")
    person.click_link("New issue")
    person.fill({"title": "Greet in French too", "body": "Like `Bonjour`.\n\n- [ ] translate"})
    person.click("button.primary")
    assert person.path == "/alice/demo/issues/1"
    person.fill({"body": "Started on it, see **src/app.py**."})
    person.click("button[value='comment']")
    assert person.find_all(".comment")[-1].find_element("tag name", "strong").text == "alice"
    assert "Started on it, see src/app.py." in person.text
    person.screenshot("issue")
    person.open("/alice/demo/issues")
    assert "Greet in French too" in person.text
    person.screenshot("issues")
    # The README's #1 now leads to it.
    person.open("/alice/demo")
    person.click(".readme a.ref")
    assert person.path == "/alice/demo/issues/1"

    # A pull request from a pushed branch: its conversation and the files it changes.
    push_french_branch(work)
    opened = requests.post(f"{server.url}/api/v1/repos/alice/demo/pulls",
                           auth=("alice", DEFAULT_PASSWORD), timeout=60,
                           json={"head": "french", "base": "main", "title": "Greet in French",
                                 "body": "Fixes #1."})
    assert opened.status_code == 201, opened.text
    person.open("/alice/demo/pulls")
    person.click_link("Greet in French")
    assert person.path == "/alice/demo/pulls/2"
    assert "Wants to merge french into main" in person.text
    person.screenshot("pull")
    person.click_link("Files changed")
    assert "1 file changed" in person.text and "+2 −2" in person.text
    person.screenshot("pull-files")

    person.open("/explore/repos")
    person.screenshot("explore")
    person.open("/alice")
    assert "alice/demo" in person.text

    # An access token: made with the form, shown once, used by git, revoked.
    person.open("/user/settings/applications")
    person.fill({"name": "laptop"})
    person.find("[name='scope_write:repository']").click()
    person.click("button.primary")
    token = person.find("#new-token").get_attribute("value")
    assert len(token) == 40
    assert requests.get(f"{server.url}/api/v1/repos/alice/demo", timeout=30,
                        headers={"Authorization": f"token {token}"}).status_code == 200
    person.open("/user/settings/applications")
    assert token not in browser.page_source
    person.screenshot("tokens")
    person.click("button[aria-label='Revoke laptop']")
    assert "No access tokens yet." in person.text
    assert requests.get(f"{server.url}/api/v1/user", timeout=30,
                        headers={"Authorization": f"token {token}"}).status_code == 401

    # The main pages pass axe-core's WCAG A and AA rules without a serious or critical
    # violation.
    problems = []
    for path in ("/", "/explore/repos", "/alice", "/alice/demo",
                 "/alice/demo/src/branch/main/src/app.py", "/alice/demo/commits/branch/main",
                 "/alice/demo/issues", "/alice/demo/issues/1", "/alice/demo/pulls/2",
                 "/alice/demo/pulls/2/files", "/alice/demo/branches",
                 "/user/settings/applications"):
        problems += person.open(path).accessibility_problems()
    assert not problems, "\n".join(problems)

    # Signed out, the session is gone for good.
    person.click("form[action='/user/logout'] button")
    person.open("/")
    assert "Explore repositories" in person.text
    assert not person.open("/user/login").accessibility_problems()


CI_WORKFLOW = """name: CI
on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - name: Compile
        run: make
"""


def test_a_running_jobs_log_reaches_the_viewer_as_the_runner_sends_it(browser, server):
    import base64

    from selenium.webdriver.support.ui import WebDriverWait

    from plue_actions.testing import ProtocolRunner, transport_for_url

    def api(method: str, path: str, **kwargs):
        response = requests.request(method, f"{server.url}/api/v1{path}", timeout=60,
                                    auth=("alice", DEFAULT_PASSWORD), **kwargs)
        assert response.status_code < 300, response.text
        return response.json()

    api("POST", "/user/repos", json={"name": "ci", "auto_init": True})
    api("POST", "/repos/alice/ci/contents/.gitea/workflows/ci.yml", json={
        "message": "Add CI", "content": base64.b64encode(CI_WORKFLOW.encode()).decode()})
    runner = ProtocolRunner(transport_for_url(server.url))
    runner.register(api("GET", "/repos/alice/ci/actions/runners/registration-token")["token"])
    task_id = int(runner.fetch()["id"])
    run = api("GET", "/repos/alice/ci/actions/runs")["workflow_runs"][0]
    job = api("GET", f"/repos/alice/ci/actions/runs/{run['id']}/jobs")["jobs"][0]

    person = Person(browser, server.url)
    person.open("/user/login")
    if person.find_all("[name='user_name']"):
        person.fill({"user_name": "alice", "password": DEFAULT_PASSWORD})
        person.click("button.primary")
    person.open("/alice/ci/actions")
    assert "#1 Add CI" in person.text
    person.screenshot("actions")
    person.open("/" + job["html_url"].split("/", 3)[3])
    assert person.find("[data-job-status]").text == "running"

    runner.update_log(task_id, 0, ["cc -c main.c", "cc -o app main.o"])
    WebDriverWait(browser, 4, poll_frequency=0.1).until(
        lambda _: "cc -o app main.o" in person.find("#log").text)
    runner.update_log(task_id, 2, ["build done"], no_more=True)
    runner.update_task(task_id, "RESULT_SUCCESS", steps=[
        {"id": "0", "result": "RESULT_SUCCESS", "logIndex": "0", "logLength": "3"}])
    WebDriverWait(browser, 4, poll_frequency=0.1).until(
        lambda _: person.find("[data-job-status]").text == "success")
    assert person.find("#log").text.endswith("build done")
    person.open("/" + job["html_url"].split("/", 3)[3])  # reloaded: the steps, finished
    assert person.find("details.step .status").text == "success"
    assert person.find("details.step pre").text.endswith("build done")
    person.screenshot("job")
    person.open(f"/alice/ci/actions/runs/{run['run_number']}")
    assert person.find(".jobs .status").text == "success"
    person.screenshot("run")
