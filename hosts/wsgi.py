"""gunicorn's entry point: ``gunicorn -c hosts/gunicorn.conf.py plue_hosts.wsgi:app``."""
from plue_core import create_app
from plue_core.config import load_config

app = create_app(load_config())
