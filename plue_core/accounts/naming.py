"""Free, valid account names derived from what other API families send: an e-mail address
(Runner Pilot registration) or an organization's display name (Runner Pilot ``POST /org``)."""

from __future__ import annotations

import re
import unicodedata

from plue_core.accounts.models import Account
from plue_core.accounts.users import is_reserved


def slug(text: str, fallback: str) -> str:
    """Letters, digits, '-', '_', '.' only, starting and ending with a letter or digit."""
    # "Ünïcode" -> "Unicode": drop accents before replacing what is left.
    ascii_text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    base = re.sub(r"[^A-Za-z0-9_.-]+", "-", ascii_text)
    base = re.sub(r"[-_.]{2,}", "-", base).strip("-_.")[:30].strip("-_.")
    return base or fallback


def free_name(base: str) -> str:
    """``base`` itself when unused and not reserved, else ``base1``, ``base2``..."""
    candidate, n = base, 0
    while (is_reserved(candidate)
           or Account.select().where(Account.lower_name == candidate.lower()).exists()):
        n += 1
        candidate = f"{base}{n}"
    return candidate


def username_from_email(email: str) -> str:
    """john.doe@x -> john.doe (or john.doe1, ... when taken)."""
    return free_name(slug(email.split("@", 1)[0], "user"))


def org_name_from_display_name(display_name: str) -> str:
    """"Gigatech Labs" -> Gigatech-Labs (or Gigatech-Labs1, ... when taken)."""
    return free_name(slug(display_name, "org"))
