"""plue_core.transaction_memo: values live as long as the scope open when they were put, in
this thread only, and never outside a scope."""

from __future__ import annotations

import threading

import pytest

from plue_core import transaction_memo as memo


def test_nothing_is_remembered_outside_a_scope():
    memo.put("key", 1)
    assert memo.get("key", "absent") == "absent"


def test_a_value_lasts_until_its_scope_ends_however_it_ends():
    with memo.scope():
        memo.put("key", 1)
        assert memo.get("key") == 1
    assert memo.get("key") is None
    with pytest.raises(RuntimeError), memo.scope():
        memo.put("key", 1)
        raise RuntimeError("the change failed")
    assert memo.get("key") is None
    with memo.scope():  # a new scope starts empty
        assert memo.get("key") is None


def test_a_nested_scope_sees_the_outer_one_and_takes_its_own_values_with_it():
    with memo.scope():
        memo.put("outer", 1)
        with memo.scope():
            assert memo.get("outer") == 1
            memo.put("inner", 2)
            assert memo.get("inner") == 2
        assert memo.get("inner") is None and memo.get("outer") == 1


def test_drop_forgets_a_key_in_every_scope():
    with memo.scope():
        memo.put(("kind", 1), "outer")
        memo.put(("kind", 2), "kept")
        with memo.scope():
            memo.put(("kind", 1), "inner")
            memo.drop(("kind", 1))
            assert memo.get(("kind", 1)) is None
        assert memo.get(("kind", 1)) is None and memo.get(("kind", 2)) == "kept"
        memo.drop_where(lambda key: key[0] == "kind")
        assert memo.get(("kind", 2)) is None


def test_another_thread_does_not_see_the_values():
    seen = []

    def other():
        seen.append(memo.get("key"))

    with memo.scope():
        memo.put("key", 1)
        thread = threading.Thread(target=other)
        thread.start()
        thread.join()
    assert seen == [None]
