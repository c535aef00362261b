"""Finding the workflow files of a commit."""

from plue_workflows import discover_workflow_files, workflow_id


def lister(tree):
    """A directory lister over a {directory: [entries]} mapping; missing = None."""
    return lambda directory: tree.get(directory)


def test_gitea_workflows_win_over_github_workflows():
    tree = {".gitea/workflows": ["ci.yml"], ".github/workflows": ["other.yml"]}
    assert discover_workflow_files(lister(tree)) == [".gitea/workflows/ci.yml"]


def test_github_workflows_are_used_when_there_is_no_gitea_directory():
    tree = {".github/workflows": ["b.yaml", "a.yml"]}
    assert discover_workflow_files(lister(tree)) == [
        ".github/workflows/a.yml", ".github/workflows/b.yaml"]


def test_an_existing_but_empty_gitea_directory_still_wins():
    tree = {".gitea/workflows": [], ".github/workflows": ["ci.yml"]}
    assert discover_workflow_files(lister(tree)) == []


def test_only_yml_and_yaml_files_count_and_full_paths_are_accepted():
    tree = {".github/workflows": [".github/workflows/ci.yml", "README.md", "sub/deploy.yaml",
                                  "notes.yml.txt"]}
    assert discover_workflow_files(lister(tree)) == [
        ".github/workflows/ci.yml", ".github/workflows/sub/deploy.yaml"]


def test_no_workflow_directory_means_no_workflows():
    assert discover_workflow_files(lister({})) == []


def test_the_workflow_id_is_the_path_below_the_directory():
    assert workflow_id(".gitea/workflows/ci.yml") == "ci.yml"
    assert workflow_id(".github/workflows/sub/deploy.yaml") == "sub/deploy.yaml"
