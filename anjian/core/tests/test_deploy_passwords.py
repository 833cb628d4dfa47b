"""Password rule: common passwords and sequential or repeated runs are refused, with Chinese messages."""

import pytest
from django.contrib.auth.password_validation import CommonPasswordValidator, validate_password
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from anjian.core.passwords import SEQUENCES, SequenceValidator, longest_run

validator = SequenceValidator()


@pytest.mark.parametrize(
    ("password", "refused"),
    [
        ("1234567890Aa", True),  # the example of the finding
        ("Abc!9876-xyz", True),  # descending digits
        ("Qwer@2026ab", True),  # keyboard row
        ("Zz9-LKJH!pp", True),  # keyboard row, backwards, upper case
        ("Pass!aaaa26", True),  # repeated character
        ("Anjian@2026", False),
        ("Test-Pass-2026", False),
        ("Abc!xyz-123", False),  # runs of three are allowed
    ],
)
def test_sequence_validator(password, refused):
    if refused:
        with pytest.raises(ValidationError) as excinfo:
            validator.validate(password)
        assert excinfo.value.code == "password_sequential"
        assert "连续或重复" in excinfo.value.messages[0]
    else:
        validator.validate(password)


def test_the_finding_example_is_refused_by_the_configured_policy(db):
    with pytest.raises(ValidationError) as excinfo:
        validate_password("1234567890Aa")
    assert any("连续" in m for m in excinfo.value.messages)


def test_common_passwords_are_refused_in_chinese(db):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as excinfo:
        CommonPasswordValidator().validate("iloveyou")
    assert "常见" in excinfo.value.messages[0]
    with translation.override("zh-hans"):
        texts = [str(v.get_help_text()) for v in _configured_validators()]
    assert any("常见" in t for t in texts) and any("连续" in t for t in texts)


def _configured_validators():
    from django.contrib.auth.password_validation import get_default_password_validators

    return get_default_password_validators()


SEQUENCE_SLICES = st.sampled_from(SEQUENCES).flatmap(
    lambda seq: st.tuples(
        st.just(seq), st.integers(0, len(seq) - 4), st.integers(4, len(seq)), st.booleans(), st.booleans()
    )
)
PRINTABLE = st.text(st.characters(min_codepoint=33, max_codepoint=126), max_size=12)


@given(PRINTABLE, SEQUENCE_SLICES, PRINTABLE)
def test_any_run_of_four_from_a_sequence_is_refused(prefix, slice_spec, suffix):
    seq, start, length, backwards, upper = slice_spec
    run = seq[start : start + length]  # at least four characters: start <= len(seq) - 4
    run = run[::-1] if backwards else run
    run = run.upper() if upper else run
    with pytest.raises(ValidationError):
        validator.validate(prefix + run + suffix)


@given(PRINTABLE)
def test_refusal_ignores_case_and_direction(password):
    assert longest_run(password) == longest_run(password.swapcase()) == longest_run(password[::-1])


@given(
    st.lists(
        st.sampled_from(SEQUENCES).flatmap(
            lambda s: st.sampled_from([s[i : i + 3] for i in range(len(s) - 2)])
        ),
        max_size=5,
    )
)
def test_runs_of_three_separated_by_a_symbol_are_allowed(chunks):
    validator.validate("!".join(chunks))
