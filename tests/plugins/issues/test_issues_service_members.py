"""The issues service's lookups are its modules' functions named as attributes
(docs/plugins.md, "Services"); that no method of it (nor of any built-in service) merely hands
its arguments on is checked for every service by tests/core/test_service_members.py."""

from __future__ import annotations

from plue_issues import comments, labels, milestones, numbering
from plue_issues.service import IssuesService


def test_the_lookups_are_the_modules_functions():
    assert IssuesService.allocate_number is numbering.allocate_number
    assert IssuesService.comments_of_issue is comments.comments_of_issue
    assert IssuesService.labels_by_ids is labels.labels_by_ids
    assert IssuesService.labels_from_option is labels.labels_from_option
    assert IssuesService.labels_of_issue is labels.labels_of_issue
    assert IssuesService.usable_labels is labels.usable_labels
    assert IssuesService.open_milestones is milestones.open_milestones
    assert IssuesService.milestone_by_id is milestones.milestone_by_id
