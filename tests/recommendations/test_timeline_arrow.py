from types import SimpleNamespace

from django.template.loader import render_to_string


def _event(from_status: str, to_status: str, from_label: str, to_label: str) -> SimpleNamespace:
    return SimpleNamespace(
        created_at=None,
        agency=None,
        actor=None,
        is_public=True,
        note="",
        get_action_display="Bước",
        from_status=from_status,
        to_status=to_status,
        from_label=from_label,
        to_label=to_label,
    )


def test_recommendation_timeline_arrow_only_when_the_status_changed() -> None:
    same = render_to_string(
        "recommendations/_timeline.html",
        {"events": [_event("answered", "answered_again", "Đã trả lời", "Đã trả lời")]},
    )
    assert "→" not in same
    changed = render_to_string(
        "recommendations/_timeline.html",
        {"events": [_event("forwarded", "answered", "Đã chuyển", "Đã trả lời")]},
    )
    assert "Đã chuyển → Đã trả lời" in changed
