"""wiki: Gitea's wiki of each repository, a git repository of markdown pages beside it
(git_hosting keeps, moves, deletes and serves it over git), and Gitea's wiki API.
This module only wires hooks."""

from plue_core import hookimpl
from plue_core.routing import Route

from plue_wiki import events, resources
from plue_wiki.resources import REPO
from plue_wiki.service import WikiService

PLUE_NAME = "wiki"
PLUE_REQUIRES = ("accounts", "git_hosting")


@hookimpl
def register_services(ctx):
    return [("wiki", WikiService(ctx))]


@hookimpl
def register_events():
    return events.EVENTS


@hookimpl
def register_routes(ctx):
    page = resources.WikiPageResource(ctx)
    return [
        Route(f"{REPO}/wiki/pages", resources.WikiPagesResource(ctx)),
        Route(f"{REPO}/wiki/new", resources.NewWikiPageResource(ctx)),
        Route(f"{REPO}/wiki/page/{{page_name}}", page),
        Route(f"{REPO}/wiki/revisions/{{page_name}}", resources.WikiRevisionsResource(ctx)),
    ]


@hookimpl(optionalhook=True)
def webhook_event_types():
    return ["wiki"]


@hookimpl(optionalhook=True)
def webhook_events(ctx, event):
    if event.name != "wiki":
        return None
    from plue_wiki import webhooks  # the webhooks plugin's types, only when it asks
    return webhooks.wiki_events(ctx, event)
