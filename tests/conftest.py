from __future__ import annotations

import pytest
from hypothesis import settings

from grader.rubric.answer_key import AnswerKey, build_answer_key
from grader.rubric.model import load_rubric
from tests.homework import RUBRIC


@pytest.fixture(scope="session")
def homework_key() -> AnswerKey:
    return build_answer_key(load_rubric(RUBRIC))


# Property tests judge answers, never speed: no per-example deadline (the machine may be busy).
settings.register_profile("grader", deadline=None, print_blob=True)
settings.load_profile("grader")
