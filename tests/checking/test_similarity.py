"""Fuzzy "similar output": other names and versions are similar, errors and other output are not."""

from __future__ import annotations

import pytest
from check_support import MOCK_TARGET, SEED_TARGET
from hypothesis import given, settings
from hypothesis import strategies as st

from workshop.checking import similar
from workshop.checking.similar import compare, lines_of, skeleton


def test_seed_block_is_similar_to_a_mock_transcript_with_other_names() -> None:
    verdict = compare(SEED_TARGET, MOCK_TARGET)
    assert verdict.similar, verdict.reason
    assert verdict.score == 1.0 and verdict.ratio > 0.9


def test_other_user_org_space_and_endpoint_with_colour_and_spacing() -> None:
    other = (
        "\x1b[1;38m\x1b[0m\x1b[1;38m\x1b[0m                   \n"
        "API endpoint:\thttp://api.10.244.0.34.xip.io (API version: 2.44.0)\n"
        "User:     learner@example.com\n"
        "Org:   Altoros-Training\n"
        "Space:      production_test\n"
    )
    assert compare(SEED_TARGET, other).similar


def test_failed_output_is_not_similar_and_says_why() -> None:
    verdict = compare(
        SEED_TARGET,
        "FAILED\nNo API endpoint set. Use 'cf login' or 'cf api' to target an endpoint.\n",
    )
    assert not verdict.similar
    assert (
        verdict.reason
        == "the output says: FAILED: No API endpoint set. Use 'cf login' or 'cf api' to target an endpoint."
    )


def test_not_logged_in_is_not_similar_even_though_the_api_line_matches() -> None:
    out = "                   \nAPI endpoint:   https://api.run.pivotal.io (API version: 2.46.0)   \nNot logged in. Use 'cf login' to log in.\n"
    assert not compare(SEED_TARGET, out).similar


def test_no_space_targeted_names_the_differing_line() -> None:
    out = MOCK_TARGET.replace("development   ", "No space targeted, use 'cf target -s SPACE'   ")
    verdict = compare(SEED_TARGET, out)
    assert not verdict.similar
    assert verdict.expected_line == "Space: development"
    assert verdict.actual_line == "Space: No space targeted, use 'cf target -s SPACE'"
    assert (
        verdict.reason
        == "expected a line like 'Space: development', got 'Space: No space targeted, use 'cf target -s SPACE''"
    )


def test_unrelated_output_is_not_similar() -> None:
    spaces = "Getting spaces in org default_organization as admin...\n\nname   \ndevelopment   \nproduction_test   \n"
    assert not compare(SEED_TARGET, spaces).similar
    listing = "total 8\ndrwxr-xr-x 2 root root 4096 Nov 26 04:00 .\n-rw-r--r-- 1 root root  120 Nov 26 04:00 manifest.yml\n"
    assert not compare(SEED_TARGET, listing).similar
    assert not compare(SEED_TARGET, "").similar
    assert compare(SEED_TARGET, "").reason == "the command printed nothing"


def test_dates_times_numbers_and_guids_do_not_count() -> None:
    expected = """Showing health and status for app workshop-12f-stock in org your-org / space development as user_name...
OK

requested state: started
instances: 1/1
usage: 1G x 1 instances
urls: workshop-12f-stock.cfapps.io
last uploaded: Thu Feb 4 10:21:39 UTC 2016
stack: cflinuxfs2
buildpack: java-buildpack=v3.5.1-offline-https://github.com/cloudfoundry/java-buildpack.git#3abc3db

     state     since                    cpu    memory           disk           details
#0   running   2016-02-04 01:22:41 PM   0.0%   451.2M of 512M   148.9M of 1G
"""
    actual = """Showing health and status for app workshop-12f-stock in org default_organization / space production_test as admin...
OK

requested state: started
instances: 1/1
usage: 512M x 1 instances
urls: workshop-12f-stock-production_test.cfapps.test
last uploaded: Wed Nov 26 04:02:11 UTC 2026
stack: cflinuxfs2
buildpack: java-buildpack=v3.6-offline-https://github.com/cloudfoundry/java-buildpack.git#5194155

     state     since                    cpu    memory         disk          details
#0   running   2026-11-26 04:02:40 AM   0.3%   12.5M of 512M   90M of 1G
"""
    verdict = compare(expected, actual)
    assert verdict.similar, verdict.reason
    stopped = actual.replace("requested state: started", "requested state: stopped")
    assert not compare(expected, stopped).similar


def test_skeleton_masks_values_and_names() -> None:
    assert skeleton("User:           user_name") == ["User", ":", "⟨name⟩"]
    assert skeleton("Space: No space targeted") == ["Space", ":", "No", "space", "targeted"]
    assert "⟨url⟩" in skeleton("API endpoint: https://api.run.pivotal.io (API version: 2.46.0)")
    assert "⟨guid⟩" in skeleton("guid 6c3f2b1a-1b2c-4d5e-8f90-a1b2c3d4e5f6")
    assert lines_of("\x1b[1mA\x1b[0m  b  \r\n\r\n  c") == ["A b", "c"]


text = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=300)


@settings(max_examples=300, deadline=None)
@given(text, text, st.floats(min_value=0, max_value=1))
def test_compare_never_raises(expected: str, actual: str, threshold: float) -> None:
    verdict = compare(expected, actual, threshold)
    assert isinstance(verdict.similar, bool)
    assert 0.0 <= verdict.score <= 1.0 and 0.0 <= verdict.ratio <= 1.0


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["User:", "admin", "FAILED", "  ", "\x1b[1m", "2.46.0", "Space:", "\r", "\n", "ok"]
        ),
        max_size=40,
    )
)
def test_compare_never_raises_on_terminal_like_text(parts: list[str]) -> None:
    compare(SEED_TARGET, "".join(parts))
    compare("".join(parts), MOCK_TARGET)


@pytest.mark.parametrize(
    "output",
    [
        "\r\n".join(str(n) for n in range(1, 100_001)) + "\r\n",  # seq 1 100000
        "\n".join("" if n % 3 else f"\x1b[31mline {n}\x1b[0m   x" for n in range(50_000)),
        "\n" * 30_000 + "a\nb\n" + "\n" * 30_000,  # mostly blank
        "\n".join(f"l{n}" for n in range(1_500)),
        "x\ry\n" * 5_000,  # redraws
    ],
)
def test_a_flood_of_output_is_judged_on_its_start_and_end(output: str) -> None:
    """Only a quarter of MAX_LINES from the start and the rest from the end are compared,
    whatever the size: the same lines as cleaning the whole output and cutting it."""
    lines = similar.lines_of(output)
    if len(lines) > similar.MAX_LINES:
        quarter = similar.MAX_LINES // 4
        lines = lines[:quarter] + lines[-(similar.MAX_LINES - quarter) :]
    assert similar._kept_lines(output) == lines
