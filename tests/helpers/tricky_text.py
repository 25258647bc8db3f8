"""Text around a length limit, made of the characters where a validation rule and the
regular expression the OpenAPI document states for it could disagree."""

from __future__ import annotations

from hypothesis import strategies as st

# Characters where the rules and their patterns could part: the white space strip() removes,
# controls (tab and line breaks among them), characters that reorder text, and plain ones.
TRICKY = (
    "\t\n\x0b\x0c\r\x1c\x1f \x85\xa0\u1680\u2000\u200a\u2028\u2029\u202f\u205f\u3000"
    "\x00\x08\x7f\x9f\u202a\u202e\u2066\u2069\u200e\u200f\u061c\ufeff"
    "aZ09.-_+/:?#é日"
)


@st.composite
def texts(draw: st.DrawFn, limit: int) -> str:
    """Text around a length limit, made of the characters where rules and patterns differ."""
    pad = st.text(alphabet=st.sampled_from(TRICKY), max_size=3)
    size = draw(st.sampled_from([0, 1, 2, limit - 1, limit, limit + 1]))
    middle = draw(st.text(alphabet=st.sampled_from(TRICKY), max_size=4))
    fill = draw(st.sampled_from(["x", "é", " ", "\t", "\n"]))
    core = draw(st.sampled_from(["", "x", "é"])) + fill * max(size - 2, 0) + middle
    return draw(pad) + core + draw(pad) if draw(st.booleans()) else draw(st.text(TRICKY))
